/**
 * The organisation as the core sees it: an in-memory, read-mostly model of what
 * `polylink import` put in SQLite (tenants, agents, groups, roles, statuses, queues,
 * IVRs, access numbers, web sites, thresholds). Loaded at start, and again whole when the
 * store changes under the running server (`replace`); the few things that change at run
 * time (a password, a threshold) are changed here and in the store.
 */
import type { Right } from './rights.js';

export interface Tenant {
  readonly accountId: string;
  readonly name: string;
}

export interface Role {
  readonly roleId: string;
  readonly accountId: string;
  readonly name: string;
  readonly rights: ReadonlySet<Right>;
  readonly monitorAllGroups: boolean;
  readonly monitoredGroups: ReadonlySet<string>;
}

export interface AgentGroup {
  readonly groupId: string;
  readonly accountId: string;
  readonly name: string;
}

export interface AgentProfile {
  readonly agentId: string;
  readonly accountId: string;
  readonly name: string;
  passwordHash: string;
  readonly roleId: string;
  readonly groupId: string | null;
  readonly enabled: boolean;
  readonly defaultExten: string | null;
  /** AgentStateAfterHangup; null: ACW after customer calls. */
  readonly afterHangupStatus: number | null;
  readonly wrapUpSeconds: number;
  /** Record this agent's calls. */
  readonly recordCalls: boolean;
  /** Its phone answers when told to (SIP NOTIFY talk): `answer` works. */
  readonly ctiAnswer: boolean;
}

export interface CustomStatus {
  readonly accountId: string;
  readonly status: number;
  readonly name: string;
  readonly kind: 'busy' | 'rest';
}

export interface Queue {
  readonly queueNum: string;
  readonly accountId: string;
  readonly name: string;
  readonly strategy: string;
  readonly maxWaitSeconds: number;
  readonly maxLength: number;
  readonly timeoutAction: string;
  readonly timeoutTarget: string | null;
  readonly noAgentAction: string;
  readonly noAgentTarget: string | null;
  readonly musicOnHold: string;
  readonly announcePosition: boolean;
  readonly wrapUpSeconds: number | null;
  readonly ringTimeoutSeconds: number;
  readonly record: boolean;
}

export interface QueueMember {
  readonly queueNum: string;
  readonly agentId: string;
  readonly level: number;
  readonly penalty: number;
  readonly position: number;
}

export interface NamedNumber {
  readonly num: string;
  readonly accountId: string;
  readonly name: string;
}

export interface AccessNumber {
  readonly number: string;
  readonly accountId: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly defaultQueue: string | null;
  readonly gateway: string | null;
}

export interface Website {
  readonly name: string;
  readonly url: string;
}

export interface OrganisationData {
  tenants: Tenant[];
  roles: Role[];
  groups: AgentGroup[];
  agents: AgentProfile[];
  customStatuses: CustomStatus[];
  queues: Queue[];
  queueMembers: QueueMember[];
  ivrs: NamedNumber[];
  ivrProfiles: NamedNumber[];
  accessNumbers: AccessNumber[];
  websites: Map<string, Website[]>;
  /** groupId → status → max number of agents. */
  thresholds: Map<string, Map<number, number>>;
}

function byKey<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T> {
  return new Map(items.map((t) => [key(t), t]));
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list === undefined) out.set(k, [t]);
    else list.push(t);
  }
  return out;
}

/**
 * Do two profiles of one agent hold the same settings of its own (name, password, role,
 * group, extension, after-hangup state, wrap-up, recording, answering)? The agent's
 * state at run time is not part of it.
 */
export function sameAgentSettings(a: AgentProfile, b: AgentProfile): boolean {
  return (
    a.accountId === b.accountId &&
    a.name === b.name &&
    a.passwordHash === b.passwordHash &&
    a.roleId === b.roleId &&
    a.groupId === b.groupId &&
    a.enabled === b.enabled &&
    a.defaultExten === b.defaultExten &&
    a.afterHangupStatus === b.afterHangupStatus &&
    a.wrapUpSeconds === b.wrapUpSeconds &&
    a.recordCalls === b.recordCalls &&
    a.ctiAnswer === b.ctiAnswer
  );
}

/** One tenant's part of the organisation (what the admin API edits as a whole). */
export function tenantPart(data: OrganisationData, accountId: string): OrganisationData {
  const mine = <T extends { readonly accountId: string }>(items: readonly T[]): T[] => items.filter((x) => x.accountId === accountId);
  const agents = mine(data.agents);
  const groups = mine(data.groups);
  const queues = mine(data.queues);
  const agentIds = new Set(agents.map((a) => a.agentId));
  const groupIds = new Set(groups.map((g) => g.groupId));
  const queueNums = new Set(queues.map((q) => q.queueNum));
  return {
    tenants: mine(data.tenants),
    roles: mine(data.roles),
    groups,
    agents,
    customStatuses: mine(data.customStatuses),
    queues,
    queueMembers: data.queueMembers.filter((m) => queueNums.has(m.queueNum)),
    ivrs: mine(data.ivrs),
    ivrProfiles: mine(data.ivrProfiles),
    accessNumbers: mine(data.accessNumbers),
    websites: new Map([...data.websites].filter(([agentId]) => agentIds.has(agentId))),
    thresholds: new Map([...data.thresholds].filter(([groupId]) => groupIds.has(groupId))),
  };
}

/** The organisation with one tenant's part replaced by `part` (the other tenants as they were). */
export function withTenantPart(data: OrganisationData, accountId: string, part: OrganisationData): OrganisationData {
  const old = tenantPart(data, accountId);
  const oldAgents = new Set(old.agents.map((a) => a.agentId));
  const oldGroups = new Set(old.groups.map((g) => g.groupId));
  const oldQueues = new Set(old.queues.map((q) => q.queueNum));
  const others = <T extends { readonly accountId: string }>(items: readonly T[]): T[] => items.filter((x) => x.accountId !== accountId);
  return {
    tenants: [...others(data.tenants), ...part.tenants],
    roles: [...others(data.roles), ...part.roles],
    groups: [...others(data.groups), ...part.groups],
    agents: [...others(data.agents), ...part.agents],
    customStatuses: [...others(data.customStatuses), ...part.customStatuses],
    queues: [...others(data.queues), ...part.queues],
    queueMembers: [...data.queueMembers.filter((m) => !oldQueues.has(m.queueNum)), ...part.queueMembers],
    ivrs: [...others(data.ivrs), ...part.ivrs],
    ivrProfiles: [...others(data.ivrProfiles), ...part.ivrProfiles],
    accessNumbers: [...others(data.accessNumbers), ...part.accessNumbers],
    websites: new Map([...[...data.websites].filter(([agentId]) => !oldAgents.has(agentId)), ...part.websites]),
    thresholds: new Map([...[...data.thresholds].filter(([groupId]) => !oldGroups.has(groupId)), ...part.thresholds]),
  };
}

export class Organisation {
  private tenants!: Map<string, Tenant>;
  private roles!: Map<string, Role>;
  private groups!: Map<string, AgentGroup>;
  private agents!: Map<string, AgentProfile>;
  private agentsByGroup!: Map<string | null, AgentProfile[]>;
  private customStatuses!: Map<string, CustomStatus[]>;
  private queues!: Map<string, Queue>;
  private membersByQueue!: Map<string, QueueMember[]>;
  private membersByAgent!: Map<string, QueueMember[]>;
  /** queueNum → agentId → membership: the ACD looks up the free agents' memberships one by one. */
  private memberIndex!: Map<string, Map<string, QueueMember>>;
  private ivrs!: NamedNumber[];
  private ivrProfiles!: NamedNumber[];
  private accessNumbers!: AccessNumber[];
  private websites!: Map<string, Website[]>;
  private thresholds!: Map<string, Map<number, number>>;
  /**
   * Moves on at every change of who is a member of which queue (a reload, a join, a leave):
   * an index built from the memberships (AgentService's IDLE members per queue) knows so
   * when to build itself again.
   */
  private membershipChanges = 0;

  constructor(data: OrganisationData) {
    this.replace(data);
  }

  /**
   * Takes the organisation as the store holds it now, whole. Every service keeps this
   * object and reads it on each decision, so the new settings hold from the next one.
   */
  replace(data: OrganisationData): void {
    this.tenants = byKey(data.tenants, (t) => t.accountId);
    this.roles = byKey(data.roles, (r) => r.roleId);
    this.groups = byKey(data.groups, (g) => g.groupId);
    this.agents = byKey(data.agents, (a) => a.agentId);
    this.agentsByGroup = groupBy(data.agents, (a) => a.groupId);
    this.customStatuses = groupBy(data.customStatuses, (s) => s.accountId);
    this.queues = byKey(data.queues, (q) => q.queueNum);
    const members = [...data.queueMembers].sort((a, b) => a.level - b.level || a.position - b.position || a.penalty - b.penalty);
    this.membersByQueue = groupBy(members, (m) => m.queueNum);
    this.membersByAgent = groupBy(members, (m) => m.agentId);
    this.memberIndex = new Map([...this.membersByQueue].map(([queueNum, list]) => [queueNum, byKey(list, (m) => m.agentId)]));
    this.membershipChanges++;
    this.ivrs = data.ivrs;
    this.ivrProfiles = data.ivrProfiles;
    this.accessNumbers = data.accessNumbers;
    this.websites = data.websites;
    this.thresholds = data.thresholds;
  }

  /** The organisation as data, with what changed at run time (members, passwords, thresholds). */
  snapshot(): OrganisationData {
    return {
      tenants: [...this.tenants.values()],
      roles: [...this.roles.values()],
      groups: [...this.groups.values()],
      agents: [...this.agents.values()],
      customStatuses: [...this.customStatuses.values()].flat(),
      queues: [...this.queues.values()],
      queueMembers: [...this.membersByQueue.values()].flat(),
      ivrs: this.ivrs,
      ivrProfiles: this.ivrProfiles,
      accessNumbers: this.accessNumbers,
      websites: this.websites,
      thresholds: this.thresholds,
    };
  }

  tenant(accountId: string): Tenant | undefined {
    return this.tenants.get(accountId);
  }

  allTenants(): IterableIterator<Tenant> {
    return this.tenants.values();
  }

  agent(agentId: string): AgentProfile | undefined {
    return this.agents.get(agentId);
  }

  allAgents(): IterableIterator<AgentProfile> {
    return this.agents.values();
  }

  agentCount(): number {
    return this.agents.size;
  }

  role(roleId: string): Role | undefined {
    return this.roles.get(roleId);
  }

  rolesOf(accountId: string): Role[] {
    return [...this.roles.values()].filter((r) => r.accountId === accountId);
  }

  roleOfAgent(agentId: string): Role | undefined {
    const agent = this.agents.get(agentId);
    return agent === undefined ? undefined : this.roles.get(agent.roleId);
  }

  hasRight(agentId: string, right: Right): boolean {
    return this.roleOfAgent(agentId)?.rights.has(right) ?? false;
  }

  group(groupId: string): AgentGroup | undefined {
    return this.groups.get(groupId);
  }

  groupByName(accountId: string, name: string): AgentGroup | undefined {
    for (const g of this.groups.values()) if (g.accountId === accountId && g.name === name) return g;
    return undefined;
  }

  groupsOf(accountId: string): AgentGroup[] {
    return [...this.groups.values()].filter((g) => g.accountId === accountId);
  }

  agentsOfGroup(groupId: string): AgentProfile[] {
    return this.agentsByGroup.get(groupId) ?? [];
  }

  /** Does the agent's role monitor this group (seed: the supervisor's groups)? */
  monitorsGroup(agentId: string, groupId: string | null): boolean {
    const agent = this.agents.get(agentId);
    const role = agent === undefined ? undefined : this.roles.get(agent.roleId);
    if (role === undefined || agent === undefined || groupId === null) return false;
    const group = this.groups.get(groupId);
    if (group === undefined || group.accountId !== agent.accountId) return false;
    return role.monitorAllGroups || role.monitoredGroups.has(groupId);
  }

  /** The groups an agent's role monitors (its tenant's groups when it monitors all). */
  monitoredGroups(agentId: string): AgentGroup[] {
    const agent = this.agents.get(agentId);
    if (agent === undefined) return [];
    return this.groupsOf(agent.accountId).filter((g) => this.monitorsGroup(agentId, g.groupId));
  }

  customStatusesOf(accountId: string): CustomStatus[] {
    return this.customStatuses.get(accountId) ?? [];
  }

  customStatus(accountId: string, status: number): CustomStatus | undefined {
    return this.customStatusesOf(accountId).find((s) => s.status === status);
  }

  queue(queueNum: string): Queue | undefined {
    return this.queues.get(queueNum);
  }

  queuesOf(accountId: string): Queue[] {
    return [...this.queues.values()].filter((q) => q.accountId === accountId);
  }

  membersOfQueue(queueNum: string): QueueMember[] {
    return this.membersByQueue.get(queueNum) ?? [];
  }

  /** The agent's membership of the queue, if it is a member. */
  memberOf(queueNum: string, agentId: string): QueueMember | undefined {
    return this.memberIndex.get(queueNum)?.get(agentId);
  }

  queuesOfAgent(agentId: string): QueueMember[] {
    return this.membersByAgent.get(agentId) ?? [];
  }

  /** Changes whenever the memberships change (see `membershipChanges`). */
  membershipVersion(): number {
    return this.membershipChanges;
  }

  /** Seed 001 agent-login: the agent joins a queue at run time (last in member order, level 1). */
  addMember(queueNum: string, agentId: string): QueueMember | undefined {
    if (this.membersOfQueue(queueNum).some((m) => m.agentId === agentId)) return undefined;
    const members = this.membersByQueue.get(queueNum) ?? [];
    const member: QueueMember = { queueNum, agentId, level: 1, penalty: 0, position: members.reduce((p, m) => Math.max(p, m.position + 1), 0) };
    this.membersByQueue.set(queueNum, [...members, member]);
    this.membersByAgent.set(agentId, [...this.queuesOfAgent(agentId), member]);
    let index = this.memberIndex.get(queueNum);
    if (index === undefined) this.memberIndex.set(queueNum, (index = new Map()));
    index.set(agentId, member);
    this.membershipChanges++;
    return member;
  }

  /** Seed 001 agent-logout: the agent leaves a queue at run time. */
  removeMember(queueNum: string, agentId: string): boolean {
    const members = this.membersOfQueue(queueNum);
    if (!members.some((m) => m.agentId === agentId)) return false;
    this.membersByQueue.set(queueNum, members.filter((m) => m.agentId !== agentId));
    this.membersByAgent.set(agentId, this.queuesOfAgent(agentId).filter((m) => m.queueNum !== queueNum));
    this.memberIndex.get(queueNum)?.delete(agentId);
    this.membershipChanges++;
    return true;
  }

  /** The access number (any tenant) a customer dialled. */
  accessNumber(number: string): AccessNumber | undefined {
    return this.accessNumbers.find((a) => a.number === number);
  }

  ivrsOf(accountId: string): NamedNumber[] {
    return this.ivrs.filter((i) => i.accountId === accountId);
  }

  ivrProfilesOf(accountId: string): NamedNumber[] {
    return this.ivrProfiles.filter((i) => i.accountId === accountId);
  }

  accessNumbersOf(accountId: string): AccessNumber[] {
    return this.accessNumbers.filter((a) => a.accountId === accountId);
  }

  websitesOf(agentId: string): Website[] {
    return this.websites.get(agentId) ?? [];
  }

  threshold(groupId: string, status: number): number | undefined {
    return this.thresholds.get(groupId)?.get(status);
  }

  setThreshold(groupId: string, status: number, maxNum: number): void {
    let byStatus = this.thresholds.get(groupId);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.thresholds.set(groupId, byStatus);
    }
    byStatus.set(status, maxNum);
  }
}
