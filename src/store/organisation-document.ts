/**
 * One tenant's organisation as an organisation file's data (the shape of
 * examples/callcenter.yaml), and back. The admin API edits this document and puts it
 * through the same check as `polylink import` (checkOrganisation), so an edit is refused
 * with the import's own message, naming the entry; what passes becomes the core's
 * organisation data again.
 */
import { AgentStatus } from '../core/agent-status.js';
import type { OrganisationData, QueueMember } from '../core/organisation.js';
import type { OrganisationFile } from './organisation-file.js';

/** A document as checkOrganisation reads it: plain data, each list an array of entries. */
export type OrganisationDocument = Record<string, unknown> & {
  tenant: { accountId: string; name: string };
  statuses: Record<string, unknown>[];
  groups: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  agents: Record<string, unknown>[];
  queues: Record<string, unknown>[];
  ivrs: Record<string, unknown>[];
  ivrProfiles: Record<string, unknown>[];
  accessNumbers: Record<string, unknown>[];
  websites: Record<string, unknown>;
  blacklist: Record<string, unknown>[];
  customers: Record<string, unknown>[];
};

/** The file's keys whose value may be null; a null anywhere else is left out, as a file would leave it out. */
const withoutNulls = (entry: Record<string, unknown>, nullable: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entry).filter(([k, v]) => v !== null || nullable.includes(k)));

/** A queue's settings, which have the same names in the file and in the data (the number is `num` in one, `queueNum` in the other). */
const QUEUE_SETTINGS = [
  'name',
  'strategy',
  'maxWaitSeconds',
  'maxLength',
  'timeoutAction',
  'timeoutTarget',
  'noAgentAction',
  'noAgentTarget',
  'musicOnHold',
  'announcePosition',
  'wrapUpSeconds',
  'ringTimeoutSeconds',
  'record',
] as const;
type QueueSettings<Q> = Pick<Q, Extract<keyof Q, (typeof QUEUE_SETTINGS)[number]>>;

function queueSettings<Q extends Record<(typeof QUEUE_SETTINGS)[number], unknown>>(q: Q): QueueSettings<Q> {
  return Object.fromEntries(QUEUE_SETTINGS.map((k) => [k, q[k]])) as QueueSettings<Q>;
}

/**
 * The tenant's part of the organisation (tenantPart) as a document. An agent's `password`
 * holds its stored hash: the check wants a password, and tenantDataOf keeps the hash of
 * every agent whose password the edit did not set.
 */
export function tenantDocument(data: OrganisationData): OrganisationDocument {
  const tenant = data.tenants[0];
  if (tenant === undefined) throw new Error('tenantDocument: no tenant in the data');
  const byPosition = (a: QueueMember, b: QueueMember) => a.position - b.position;
  return {
    tenant: { accountId: tenant.accountId, name: tenant.name },
    statuses: data.customStatuses.map((s) => ({ status: s.status, name: s.name, kind: s.kind })),
    groups: data.groups.map((g) => ({ id: g.groupId, name: g.name, leaveThreshold: data.thresholds.get(g.groupId)?.get(AgentStatus.LEAVE) ?? null })),
    roles: data.roles.map((r) => ({ id: r.roleId, name: r.name, rights: [...r.rights], monitorGroups: r.monitorAllGroups ? 'all' : [...r.monitoredGroups] })),
    agents: data.agents.map((a) => ({
      id: a.agentId,
      name: a.name,
      password: a.passwordHash,
      role: a.roleId,
      group: a.groupId,
      enabled: a.enabled,
      exten: a.defaultExten,
      afterHangupStatus: a.afterHangupStatus,
      wrapUpSeconds: a.wrapUpSeconds,
      record: a.recordCalls,
      ctiAnswer: a.ctiAnswer,
    })),
    queues: data.queues.map((q) =>
      withoutNulls(
        {
          num: q.queueNum,
          ...queueSettings(q),
          members: data.queueMembers
            .filter((m) => m.queueNum === q.queueNum)
            .sort(byPosition)
            .map((m) => ({ agent: m.agentId, level: m.level, penalty: m.penalty })),
        },
        ['timeoutTarget', 'noAgentTarget'],
      ),
    ),
    ivrs: data.ivrs.map((i) => ({ num: i.num, name: i.name })),
    ivrProfiles: data.ivrProfiles.map((i) => ({ num: i.num, name: i.name })),
    accessNumbers: data.accessNumbers.map((a) => ({ number: a.number, name: a.name, default: a.isDefault, queue: a.defaultQueue, gateway: a.gateway })),
    websites: Object.fromEntries([...data.websites].map(([agentId, sites]) => [agentId, sites.map((s) => ({ name: s.name, url: s.url }))])),
    blacklist: [],
    customers: [],
  };
}

/**
 * A checked document back as the tenant's organisation data. Agents keep their stored
 * hash unless `hashes` has a new one; queue members keep their position (run-time joins
 * included), and new members come after the last; thresholds other than the leave
 * threshold (set at run time) are kept.
 */
export function tenantDataOf(file: OrganisationFile, before: OrganisationData, hashes: ReadonlyMap<string, string>): OrganisationData {
  const accountId = file.tenant.accountId;
  const hashOf = new Map(before.agents.map((a) => [a.agentId, a.passwordHash]));
  const thresholds = new Map<string, Map<number, number>>();
  for (const g of file.groups) {
    const byStatus = new Map(before.thresholds.get(g.id) ?? []);
    if (g.leaveThreshold === null) byStatus.delete(AgentStatus.LEAVE);
    else byStatus.set(AgentStatus.LEAVE, g.leaveThreshold);
    if (byStatus.size > 0) thresholds.set(g.id, byStatus);
  }
  const queueMembers: QueueMember[] = [];
  for (const q of file.queues) {
    const had = new Map(before.queueMembers.filter((m) => m.queueNum === q.num).map((m) => [m.agentId, m.position]));
    let next = Math.max(-1, ...had.values()) + 1;
    for (const m of q.members) queueMembers.push({ queueNum: q.num, agentId: m.agent, level: m.level, penalty: m.penalty, position: had.get(m.agent) ?? next++ });
  }
  return {
    tenants: [{ accountId, name: file.tenant.name }],
    customStatuses: file.statuses.map((s) => ({ accountId, status: s.status, name: s.name, kind: s.kind })),
    groups: file.groups.map((g) => ({ groupId: g.id, accountId, name: g.name })),
    roles: file.roles.map((r) => ({
      roleId: r.id,
      accountId,
      name: r.name,
      rights: new Set(r.rights),
      monitorAllGroups: r.monitorAllGroups,
      monitoredGroups: new Set(r.monitorGroups),
    })),
    agents: file.agents.map((a) => {
      const passwordHash = hashes.get(a.id) ?? hashOf.get(a.id);
      if (passwordHash === undefined) throw new Error(`agent ${a.id} is new and has no password hash`);
      return {
        agentId: a.id,
        accountId,
        name: a.name,
        passwordHash,
        roleId: a.role,
        groupId: a.group,
        enabled: a.enabled,
        defaultExten: a.exten,
        afterHangupStatus: a.afterHangupStatus,
        wrapUpSeconds: a.wrapUpSeconds,
        recordCalls: a.record,
        ctiAnswer: a.ctiAnswer,
      };
    }),
    queues: file.queues.map((q) => ({ queueNum: q.num, accountId, ...queueSettings(q) })),
    queueMembers,
    ivrs: file.ivrs.map((i) => ({ num: i.num, accountId, name: i.name })),
    ivrProfiles: file.ivrProfiles.map((i) => ({ num: i.num, accountId, name: i.name })),
    accessNumbers: file.accessNumbers.map((a) => ({ number: a.number, accountId, name: a.name, isDefault: a.isDefault, defaultQueue: a.queue, gateway: a.gateway })),
    websites: new Map([...file.websites].map(([agentId, sites]) => [agentId, sites.map((s) => ({ name: s.name, url: s.url }))])),
    thresholds,
  };
}
