/** Reads the organisation out of the database into the core's model, and writes its few run-time changes (SQLite). */
import type { Db } from './database.js';
import type { SqlSession } from './sql-session.js';
import type { OrganisationData, Website } from '../core/organisation.js';
import { isRight, type Right } from '../core/rights.js';

/** The queries the organisation is read with, the same in SQLite and PostgreSQL. */
export const ORGANISATION_QUERIES = {
  roleRights: 'SELECT role_id, right_code FROM role_rights',
  roleGroups: 'SELECT role_id, group_id FROM role_monitored_groups',
  websites: 'SELECT agent_id, name, url FROM agent_websites ORDER BY agent_id, position',
  thresholds: 'SELECT group_id, status, max_num FROM group_status_thresholds',
  tenants: 'SELECT account_id, name FROM tenants',
  roles: 'SELECT role_id, account_id, name, monitor_all_groups FROM roles',
  groups: 'SELECT group_id, account_id, name FROM agent_groups',
  agents: 'SELECT * FROM agents',
  customStatuses: 'SELECT account_id, status, name, kind FROM custom_statuses',
  queues: 'SELECT * FROM queues',
  queueMembers: 'SELECT queue_num, agent_id, level, penalty, position FROM queue_members',
  ivrs: 'SELECT ivr_num, account_id, name FROM ivrs ORDER BY ivr_num',
  ivrProfiles: 'SELECT profile_num, account_id, name FROM ivr_profiles ORDER BY profile_num',
  accessNumbers: 'SELECT * FROM access_numbers ORDER BY number',
} as const;

/** The rows of each of ORGANISATION_QUERIES. */
export type OrganisationRows = { readonly [K in keyof typeof ORGANISATION_QUERIES]: readonly unknown[] };

export function loadOrganisation(db: Db): OrganisationData {
  const rows = Object.fromEntries(Object.entries(ORGANISATION_QUERIES).map(([k, sql]) => [k, db.prepare(sql).all()])) as unknown as OrganisationRows;
  return organisationOf(rows);
}

/** The same read through an asynchronous session (PostgreSQL). */
export async function loadOrganisationFrom(sql: SqlSession): Promise<OrganisationData> {
  const entries = await Promise.all(Object.entries(ORGANISATION_QUERIES).map(async ([k, q]) => [k, await sql.all(q)] as const));
  return organisationOf(Object.fromEntries(entries) as unknown as OrganisationRows);
}

/** The core's model of the organisation, from its rows. */
export function organisationOf(rows: OrganisationRows): OrganisationData {
  const rightsByRole = new Map<string, Set<Right>>();
  for (const r of rows.roleRights as { role_id: string; right_code: string }[]) {
    if (!isRight(r.right_code)) continue;
    let set = rightsByRole.get(r.role_id);
    if (set === undefined) rightsByRole.set(r.role_id, (set = new Set()));
    set.add(r.right_code);
  }
  const groupsByRole = new Map<string, Set<string>>();
  for (const r of rows.roleGroups as { role_id: string; group_id: string }[]) {
    let set = groupsByRole.get(r.role_id);
    if (set === undefined) groupsByRole.set(r.role_id, (set = new Set()));
    set.add(r.group_id);
  }
  const websites = new Map<string, Website[]>();
  for (const w of rows.websites as { agent_id: string; name: string; url: string }[]) {
    let list = websites.get(w.agent_id);
    if (list === undefined) websites.set(w.agent_id, (list = []));
    list.push({ name: w.name, url: w.url });
  }
  const thresholds = new Map<string, Map<number, number>>();
  for (const t of rows.thresholds as { group_id: string; status: number; max_num: number }[]) {
    let byStatus = thresholds.get(t.group_id);
    if (byStatus === undefined) thresholds.set(t.group_id, (byStatus = new Map()));
    byStatus.set(t.status, t.max_num);
  }
  return {
    tenants: (rows.tenants as { account_id: string; name: string }[]).map((t) => ({
      accountId: t.account_id,
      name: t.name,
    })),
    roles: (rows.roles as RoleRow[]).map((r) => ({
      roleId: r.role_id,
      accountId: r.account_id,
      name: r.name,
      rights: rightsByRole.get(r.role_id) ?? new Set(),
      monitorAllGroups: r.monitor_all_groups === 1,
      monitoredGroups: groupsByRole.get(r.role_id) ?? new Set(),
    })),
    groups: (rows.groups as { group_id: string; account_id: string; name: string }[]).map((g) => ({
      groupId: g.group_id,
      accountId: g.account_id,
      name: g.name,
    })),
    agents: (rows.agents as AgentRow[]).map((a) => ({
      agentId: a.agent_id,
      accountId: a.account_id,
      name: a.name,
      passwordHash: a.password_hash,
      roleId: a.role_id,
      groupId: a.group_id,
      enabled: a.enabled === 1,
      defaultExten: a.default_exten,
      afterHangupStatus: a.after_hangup_status,
      wrapUpSeconds: a.wrap_up_seconds,
      recordCalls: a.record_calls === 1,
      ctiAnswer: a.cti_answer === 1,
    })),
    customStatuses: (rows.customStatuses as { account_id: string; status: number; name: string; kind: 'busy' | 'rest' }[]).map(
      (s) => ({ accountId: s.account_id, status: s.status, name: s.name, kind: s.kind }),
    ),
    queues: (rows.queues as QueueRow[]).map((q) => ({
      queueNum: q.queue_num,
      accountId: q.account_id,
      name: q.name,
      strategy: q.strategy,
      maxWaitSeconds: q.max_wait_seconds,
      maxLength: q.max_length,
      timeoutAction: q.timeout_action,
      timeoutTarget: q.timeout_target,
      noAgentAction: q.no_agent_action,
      noAgentTarget: q.no_agent_target,
      musicOnHold: q.music_on_hold,
      announcePosition: q.announce_position === 1,
      wrapUpSeconds: q.wrap_up_seconds,
      ringTimeoutSeconds: q.ring_timeout_seconds,
      record: q.record === 1,
    })),
    queueMembers: (rows.queueMembers as { queue_num: string; agent_id: string; level: number; penalty: number; position: number }[]).map(
      (m) => ({ queueNum: m.queue_num, agentId: m.agent_id, level: m.level, penalty: m.penalty, position: m.position }),
    ),
    ivrs: (rows.ivrs as { ivr_num: string; account_id: string; name: string }[]).map((i) => ({
      num: i.ivr_num,
      accountId: i.account_id,
      name: i.name,
    })),
    ivrProfiles: (rows.ivrProfiles as { profile_num: string; account_id: string; name: string }[]).map(
      (i) => ({ num: i.profile_num, accountId: i.account_id, name: i.name }),
    ),
    accessNumbers: (rows.accessNumbers as AccessRow[]).map((a) => ({
      number: a.number,
      accountId: a.account_id,
      name: a.name,
      isDefault: a.is_default === 1,
      defaultQueue: a.default_queue,
      gateway: a.gateway,
    })),
    websites,
    thresholds,
  };
}

export function saveAgentPassword(db: Db, agentId: string, passwordHash: string, now: number): void {
  db.prepare('UPDATE agents SET password_hash = ?, updated_at = ? WHERE agent_id = ?').run(passwordHash, now, agentId);
}

export function saveGroupThreshold(db: Db, groupId: string, status: number, maxNum: number): void {
  db.prepare(`INSERT INTO group_status_thresholds (group_id, status, max_num) VALUES (?, ?, ?)
    ON CONFLICT (group_id, status) DO UPDATE SET max_num = excluded.max_num`).run(groupId, status, maxNum);
}

interface RoleRow {
  role_id: string;
  account_id: string;
  name: string;
  monitor_all_groups: number;
}

export interface AgentRow {
  agent_id: string;
  account_id: string;
  name: string;
  password_hash: string;
  role_id: string;
  group_id: string | null;
  enabled: number;
  default_exten: string | null;
  after_hangup_status: number | null;
  wrap_up_seconds: number;
  record_calls: number;
  cti_answer: number;
}

interface QueueRow {
  queue_num: string;
  account_id: string;
  name: string;
  strategy: string;
  max_wait_seconds: number;
  max_length: number;
  timeout_action: string;
  timeout_target: string | null;
  no_agent_action: string;
  no_agent_target: string | null;
  music_on_hold: string;
  announce_position: number;
  wrap_up_seconds: number | null;
  ring_timeout_seconds: number;
  record: number;
}

interface AccessRow {
  number: string;
  account_id: string;
  name: string;
  is_default: number;
  default_queue: string | null;
  gateway: string | null;
}
