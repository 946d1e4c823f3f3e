/**
 * Writes a change of one tenant's organisation (the admin API's, through the core's
 * `save-organisation` effect): only the rows that differ between the organisation before
 * and after are written, inside the step's transaction. New and changed rows go first,
 * parents before children (groups and roles before the agents naming them); rows that are
 * gone are deleted last, children first, so every foreign key holds at each statement.
 * Deleting a queue or an agent takes its members, pauses and web sites with it (ON DELETE
 * CASCADE); the history that names it (CDRs, the operation log, statistics) stays.
 * The statements are plain SQL with `?` placeholders, so that SQLite runs them here and
 * the PostgreSQL store (src/engine/pg-rows.ts) numbers them for its own transaction.
 */
import { AgentStatus } from '../core/agent-status.js';
import type { AccessNumber, AgentProfile, CustomStatus, NamedNumber, OrganisationData, Queue, QueueMember, Role, Website } from '../core/organisation.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface SqlStatement {
  readonly sql: string;
  readonly values: readonly unknown[];
}

export function writeOrganisationChange(db: Db, accountId: string, before: OrganisationData, after: OrganisationData, now: number): void {
  const statements = new Map<string, Statement<unknown[]>>();
  for (const { sql, values } of organisationChange(accountId, before, after, now)) {
    // Each statement prepared once per change.
    let statement = statements.get(sql);
    if (statement === undefined) statements.set(sql, (statement = db.prepare<unknown[]>(sql)));
    statement.run(...values);
  }
}

/** The statements that write a change of one tenant's organisation, in the order they must run. */
export function organisationChange(accountId: string, before: OrganisationData, after: OrganisationData, now: number): SqlStatement[] {
  const out: SqlStatement[] = [];
  const w = { run: (sql: string, ...values: unknown[]): void => void out.push({ sql, values }) };

  const statuses = diff(before.customStatuses, after.customStatuses, (s) => String(s.status), sameStatus);
  for (const s of statuses.put) w.run(`INSERT INTO custom_statuses (account_id, status, name, kind) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id, status) DO UPDATE SET name = excluded.name, kind = excluded.kind`, accountId, s.status, s.name, s.kind);

  const groups = diff(before.groups, after.groups, (g) => g.groupId, (a, b) => a.name === b.name);
  for (const g of groups.put) w.run(`INSERT INTO agent_groups (group_id, account_id, name) VALUES (?, ?, ?)
    ON CONFLICT (group_id) DO UPDATE SET name = excluded.name`, g.groupId, accountId, g.name);
  for (const [groupId, byStatus] of after.thresholds) {
    for (const [status, maxNum] of byStatus) {
      if (before.thresholds.get(groupId)?.get(status) === maxNum) continue;
      w.run(`INSERT INTO group_status_thresholds (group_id, status, max_num) VALUES (?, ?, ?)
        ON CONFLICT (group_id, status) DO UPDATE SET max_num = excluded.max_num`, groupId, status, maxNum);
    }
  }
  for (const [groupId, byStatus] of before.thresholds) {
    for (const status of byStatus.keys()) {
      // Only the leave threshold is the organisation's to drop; others are set at run time.
      if (status === AgentStatus.LEAVE && after.thresholds.get(groupId)?.has(status) !== true) w.run('DELETE FROM group_status_thresholds WHERE group_id = ? AND status = ?', groupId, status);
    }
  }

  const roles = diff(before.roles, after.roles, (r) => r.roleId, sameRole);
  for (const r of roles.put) {
    w.run(`INSERT INTO roles (role_id, account_id, name, monitor_all_groups) VALUES (?, ?, ?, ?)
      ON CONFLICT (role_id) DO UPDATE SET name = excluded.name, monitor_all_groups = excluded.monitor_all_groups`, r.roleId, accountId, r.name, r.monitorAllGroups ? 1 : 0);
    w.run('DELETE FROM role_rights WHERE role_id = ?', r.roleId);
    w.run('DELETE FROM role_monitored_groups WHERE role_id = ?', r.roleId);
    for (const code of r.rights) w.run('INSERT INTO role_rights (role_id, right_code) VALUES (?, ?)', r.roleId, code);
    for (const g of r.monitoredGroups) w.run('INSERT INTO role_monitored_groups (role_id, group_id) VALUES (?, ?)', r.roleId, g);
  }

  const agents = diff(before.agents, after.agents, (a) => a.agentId, sameAgent);
  for (const a of agents.put) {
    w.run(`INSERT INTO agents (agent_id, account_id, name, password_hash, role_id, group_id, enabled, default_exten, after_hangup_status,
        wrap_up_seconds, record_calls, cti_answer, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (agent_id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash, role_id = excluded.role_id,
        group_id = excluded.group_id, enabled = excluded.enabled, default_exten = excluded.default_exten,
        after_hangup_status = excluded.after_hangup_status, wrap_up_seconds = excluded.wrap_up_seconds,
        record_calls = excluded.record_calls, cti_answer = excluded.cti_answer, updated_at = excluded.updated_at`,
      a.agentId, accountId, a.name, a.passwordHash, a.roleId, a.groupId, a.enabled ? 1 : 0, a.defaultExten, a.afterHangupStatus,
      a.wrapUpSeconds, a.recordCalls ? 1 : 0, a.ctiAnswer ? 1 : 0, now, now);
  }

  const queues = diff(before.queues, after.queues, (q) => q.queueNum, sameQueue);
  for (const q of queues.put) {
    w.run(`INSERT INTO queues (queue_num, account_id, name, strategy, max_wait_seconds, max_length, timeout_action, timeout_target,
        no_agent_action, no_agent_target, music_on_hold, announce_position, wrap_up_seconds, ring_timeout_seconds, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (queue_num) DO UPDATE SET name = excluded.name, strategy = excluded.strategy, max_wait_seconds = excluded.max_wait_seconds,
        max_length = excluded.max_length, timeout_action = excluded.timeout_action, timeout_target = excluded.timeout_target,
        no_agent_action = excluded.no_agent_action, no_agent_target = excluded.no_agent_target, music_on_hold = excluded.music_on_hold,
        announce_position = excluded.announce_position, wrap_up_seconds = excluded.wrap_up_seconds,
        ring_timeout_seconds = excluded.ring_timeout_seconds, record = excluded.record`,
      q.queueNum, accountId, q.name, q.strategy, q.maxWaitSeconds, q.maxLength, q.timeoutAction, q.timeoutTarget, q.noAgentAction,
      q.noAgentTarget, q.musicOnHold, q.announcePosition ? 1 : 0, q.wrapUpSeconds, q.ringTimeoutSeconds, q.record ? 1 : 0);
  }
  const members = diff(before.queueMembers, after.queueMembers, (m) => `${m.queueNum}\u0000${m.agentId}`, sameMember);
  for (const m of members.put) w.run(`INSERT INTO queue_members (queue_num, agent_id, level, penalty, position) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (queue_num, agent_id) DO UPDATE SET level = excluded.level, penalty = excluded.penalty, position = excluded.position`,
    m.queueNum, m.agentId, m.level, m.penalty, m.position);

  const ivrs = diff(before.ivrs, after.ivrs, (i) => i.num, sameNamed);
  for (const i of ivrs.put) w.run('INSERT INTO ivrs (ivr_num, account_id, name) VALUES (?, ?, ?) ON CONFLICT (ivr_num) DO UPDATE SET name = excluded.name', i.num, accountId, i.name);
  const profiles = diff(before.ivrProfiles, after.ivrProfiles, (i) => i.num, sameNamed);
  for (const i of profiles.put) w.run('INSERT INTO ivr_profiles (profile_num, account_id, name) VALUES (?, ?, ?) ON CONFLICT (profile_num) DO UPDATE SET name = excluded.name', i.num, accountId, i.name);

  const access = diff(before.accessNumbers, after.accessNumbers, (a) => a.number, sameAccess);
  // One default per tenant (a unique index): the old default gives up its flag before the new one takes it.
  if (access.put.some((a) => a.isDefault)) w.run('UPDATE access_numbers SET is_default = 0 WHERE account_id = ?', accountId);
  for (const a of access.put) {
    w.run(`INSERT INTO access_numbers (number, account_id, name, is_default, default_queue, gateway) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (number) DO UPDATE SET name = excluded.name, is_default = excluded.is_default, default_queue = excluded.default_queue,
        gateway = excluded.gateway`, a.number, accountId, a.name, a.isDefault ? 1 : 0, a.defaultQueue, a.gateway);
  }

  for (const [agentId, sites] of after.websites) {
    if (sameSites(before.websites.get(agentId), sites)) continue;
    w.run('DELETE FROM agent_websites WHERE agent_id = ?', agentId);
    sites.forEach((s, i) => w.run('INSERT INTO agent_websites (agent_id, name, url, position) VALUES (?, ?, ?, ?)', agentId, s.name, s.url, i));
  }

  // What is gone, children first.
  for (const a of access.gone) w.run('DELETE FROM access_numbers WHERE number = ?', a.number);
  for (const m of members.gone) w.run('DELETE FROM queue_members WHERE queue_num = ? AND agent_id = ?', m.queueNum, m.agentId);
  for (const q of queues.gone) w.run('DELETE FROM queues WHERE queue_num = ?', q.queueNum);
  for (const i of ivrs.gone) w.run('DELETE FROM ivrs WHERE ivr_num = ?', i.num);
  for (const i of profiles.gone) w.run('DELETE FROM ivr_profiles WHERE profile_num = ?', i.num);
  for (const a of agents.gone) w.run('DELETE FROM agents WHERE agent_id = ?', a.agentId);
  for (const r of roles.gone) w.run('DELETE FROM roles WHERE role_id = ?', r.roleId);
  for (const g of groups.gone) w.run('DELETE FROM agent_groups WHERE group_id = ?', g.groupId);
  for (const s of statuses.gone) w.run('DELETE FROM custom_statuses WHERE account_id = ? AND status = ?', accountId, s.status);
  return out;
}

/** The items of `after` that are new or changed, and the items of `before` that are gone. */
function diff<T>(before: readonly T[], after: readonly T[], key: (t: T) => string, same: (a: T, b: T) => boolean): { put: T[]; gone: T[] } {
  const old = new Map(before.map((t) => [key(t), t]));
  const kept = new Set<string>();
  const put: T[] = [];
  for (const t of after) {
    const k = key(t);
    kept.add(k);
    const was = old.get(k);
    if (was === undefined || !same(was, t)) put.push(t);
  }
  return { put, gone: before.filter((t) => !kept.has(key(t))) };
}

const sameStatus = (a: CustomStatus, b: CustomStatus): boolean => a.name === b.name && a.kind === b.kind;
const sameNamed = (a: NamedNumber, b: NamedNumber): boolean => a.name === b.name;
const sameMember = (a: QueueMember, b: QueueMember): boolean => a.level === b.level && a.penalty === b.penalty && a.position === b.position;

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

const sameRole = (a: Role, b: Role): boolean =>
  a.name === b.name && a.monitorAllGroups === b.monitorAllGroups && sameSet(a.rights, b.rights) && sameSet(a.monitoredGroups, b.monitoredGroups);

const sameAgent = (a: AgentProfile, b: AgentProfile): boolean =>
  a.name === b.name && a.passwordHash === b.passwordHash && a.roleId === b.roleId && a.groupId === b.groupId && a.enabled === b.enabled &&
  a.defaultExten === b.defaultExten && a.afterHangupStatus === b.afterHangupStatus && a.wrapUpSeconds === b.wrapUpSeconds &&
  a.recordCalls === b.recordCalls && a.ctiAnswer === b.ctiAnswer;

const QUEUE_KEYS = [
  'name', 'strategy', 'maxWaitSeconds', 'maxLength', 'timeoutAction', 'timeoutTarget', 'noAgentAction', 'noAgentTarget', 'musicOnHold',
  'announcePosition', 'wrapUpSeconds', 'ringTimeoutSeconds', 'record',
] as const satisfies readonly (keyof Queue)[];

const sameQueue = (a: Queue, b: Queue): boolean => QUEUE_KEYS.every((k) => a[k] === b[k]);

const sameAccess = (a: AccessNumber, b: AccessNumber): boolean =>
  a.name === b.name && a.isDefault === b.isDefault && a.defaultQueue === b.defaultQueue && a.gateway === b.gateway;

function sameSites(a: readonly Website[] | undefined, b: readonly Website[]): boolean {
  return a !== undefined && a.length === b.length && a.every((s, i) => s.name === b[i]!.name && s.url === b[i]!.url);
}
