/**
 * `polylink import FILE`: writes an organisation file into the database (SQLite or
 * PostgreSQL, through sql-session.ts), idempotently.
 *
 * Entities (tenant, groups, roles, agents, queues, IVRs, IVR profiles, access numbers)
 * are upserted and never deleted, so an edit cannot drop an agent that has history.
 * Sets the file owns (a role's rights and groups, a queue's members, an agent's web
 * sites, the tenant's custom statuses) are replaced by what the file says.
 * An existing agent keeps its password (it may have changed it) unless resetPasswords.
 */
import { readFileSync } from 'node:fs';
import type { Db } from './database.js';
import { sqliteSession, type SqlDatabase } from './sql-session.js';
import { hashPassword } from './password.js';
import { parseOrganisationFile, type OrganisationFile } from './organisation-file.js';
import { RIGHTS } from '../core/rights.js';
import type { AgentRow as FullAgentRow } from './organisation-repo.js';
import { AgentStatus } from '../core/agent-status.js';

export interface ImportSummary {
  accountId: string;
  agentsCreated: number;
  agentsUpdated: number;
  agentsUnchanged: number;
  groups: number;
  roles: number;
  queues: number;
}

export async function importOrganisationFile(
  db: Db | SqlDatabase,
  file: string,
  options: { resetPasswords?: boolean; now?: number } = {},
): Promise<ImportSummary> {
  return importOrganisation(db, parseOrganisationFile(readFileSync(file, 'utf8')), options);
}

export async function importOrganisation(
  db: Db | SqlDatabase,
  org: OrganisationFile,
  options: { resetPasswords?: boolean; now?: number } = {},
): Promise<ImportSummary> {
  const now = options.now ?? Date.now();
  const sql = 'prepare' in db ? sqliteSession(db) : db;
  const existing = new Map(
    (await sql.all<AgentRow>('SELECT agent_id, account_id, name, role_id, group_id, enabled, default_exten, after_hangup_status, wrap_up_seconds, record_calls, cti_answer FROM agents')).map(
      (r) => [r.agent_id, r],
    ),
  );
  for (const a of org.agents) {
    const row = existing.get(a.id);
    if (row !== undefined && row.account_id !== org.tenant.accountId) {
      throw new Error(`agent ${a.id} already belongs to tenant ${row.account_id}`);
    }
  }
  // Hash before the transaction: it holds the database's write lock for as short a time as it can.
  const hashes = new Map<string, string>();
  for (const a of org.agents) {
    if (!existing.has(a.id) || options.resetPasswords === true) hashes.set(a.id, await hashPassword(a.password));
  }

  const summary: ImportSummary = {
    accountId: org.tenant.accountId,
    agentsCreated: 0,
    agentsUpdated: 0,
    agentsUnchanged: 0,
    groups: org.groups.length,
    roles: org.roles.length,
    queues: org.queues.length,
  };
  const account = org.tenant.accountId;

  await sql.transaction(async (tx) => {
    await tx.run('INSERT INTO tenants (account_id, name) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET name = excluded.name', [account, org.tenant.name]);

    const right = 'INSERT INTO rights (code, name_en, name_zh) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh';
    for (const [code, [en, zh]] of Object.entries(RIGHTS)) await tx.run(right, [code, en, zh]);

    await tx.run('DELETE FROM custom_statuses WHERE account_id = ?', [account]);
    const status = 'INSERT INTO custom_statuses (account_id, status, name, kind) VALUES (?, ?, ?, ?)';
    for (const s of org.statuses) await tx.run(status, [account, s.status, s.name, s.kind]);

    const group = `INSERT INTO agent_groups (group_id, account_id, name) VALUES (?, ?, ?)
      ON CONFLICT (group_id) DO UPDATE SET name = excluded.name WHERE agent_groups.account_id = excluded.account_id`;
    const threshold = `INSERT INTO group_status_thresholds (group_id, status, max_num) VALUES (?, ?, ?)
      ON CONFLICT (group_id, status) DO UPDATE SET max_num = excluded.max_num`;
    for (const g of org.groups) {
      if ((await tx.run(group, [g.id, account, g.name])) === 0) throw new Error(`group ${g.id} belongs to another tenant`);
      if (g.leaveThreshold !== null) await tx.run(threshold, [g.id, AgentStatus.LEAVE, g.leaveThreshold]);
    }

    const role = `INSERT INTO roles (role_id, account_id, name, monitor_all_groups) VALUES (?, ?, ?, ?)
      ON CONFLICT (role_id) DO UPDATE SET name = excluded.name, monitor_all_groups = excluded.monitor_all_groups WHERE roles.account_id = excluded.account_id`;
    const roleRight = 'INSERT INTO role_rights (role_id, right_code) VALUES (?, ?)';
    const roleGroup = 'INSERT INTO role_monitored_groups (role_id, group_id) VALUES (?, ?)';
    for (const r of org.roles) {
      if ((await tx.run(role, [r.id, account, r.name, r.monitorAllGroups ? 1 : 0])) === 0) throw new Error(`role ${r.id} belongs to another tenant`);
      await tx.run('DELETE FROM role_rights WHERE role_id = ?', [r.id]);
      await tx.run('DELETE FROM role_monitored_groups WHERE role_id = ?', [r.id]);
      for (const code of r.rights) await tx.run(roleRight, [r.id, code]);
      for (const g of r.monitorGroups) await tx.run(roleGroup, [r.id, g]);
    }

    const insertAgent = `INSERT INTO agents (agent_id, account_id, name, password_hash, role_id, group_id, enabled,
      default_exten, after_hangup_status, wrap_up_seconds, record_calls, cti_answer, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const updateAgent = `UPDATE agents SET name = ?, role_id = ?, group_id = ?, enabled = ?, default_exten = ?,
      after_hangup_status = ?, wrap_up_seconds = ?, record_calls = ?, cti_answer = ?, updated_at = ? WHERE agent_id = ?`;
    const updatePassword = 'UPDATE agents SET password_hash = ?, updated_at = ? WHERE agent_id = ?';
    for (const a of org.agents) {
      const row = existing.get(a.id);
      const hash = hashes.get(a.id);
      if (row === undefined) {
        await tx.run(insertAgent, [a.id, account, a.name, hash, a.role, a.group, a.enabled ? 1 : 0, a.exten, a.afterHangupStatus, a.wrapUpSeconds, a.record ? 1 : 0, a.ctiAnswer ? 1 : 0, now, now]);
        summary.agentsCreated++;
        continue;
      }
      const same =
        row.name === a.name &&
        row.role_id === a.role &&
        row.group_id === a.group &&
        row.enabled === (a.enabled ? 1 : 0) &&
        row.default_exten === a.exten &&
        row.after_hangup_status === a.afterHangupStatus &&
        row.wrap_up_seconds === a.wrapUpSeconds &&
        row.record_calls === (a.record ? 1 : 0) &&
        row.cti_answer === (a.ctiAnswer ? 1 : 0);
      if (!same) {
        await tx.run(updateAgent, [a.name, a.role, a.group, a.enabled ? 1 : 0, a.exten, a.afterHangupStatus, a.wrapUpSeconds, a.record ? 1 : 0, a.ctiAnswer ? 1 : 0, now, a.id]);
      }
      if (hash !== undefined) await tx.run(updatePassword, [hash, now, a.id]);
      if (same && hash === undefined) summary.agentsUnchanged++;
      else summary.agentsUpdated++;
    }

    const queue = `INSERT INTO queues (queue_num, account_id, name, strategy, max_wait_seconds, max_length, timeout_action,
      timeout_target, no_agent_action, no_agent_target, music_on_hold, announce_position, wrap_up_seconds, ring_timeout_seconds, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (queue_num) DO UPDATE SET name = excluded.name, strategy = excluded.strategy, max_wait_seconds = excluded.max_wait_seconds,
        max_length = excluded.max_length, timeout_action = excluded.timeout_action, timeout_target = excluded.timeout_target,
        no_agent_action = excluded.no_agent_action, no_agent_target = excluded.no_agent_target, music_on_hold = excluded.music_on_hold,
        announce_position = excluded.announce_position, wrap_up_seconds = excluded.wrap_up_seconds,
        ring_timeout_seconds = excluded.ring_timeout_seconds, record = excluded.record
      WHERE queues.account_id = excluded.account_id`;
    const member = 'INSERT INTO queue_members (queue_num, agent_id, level, penalty, position) VALUES (?, ?, ?, ?, ?)';
    for (const q of org.queues) {
      const changes = await tx.run(queue, [
        q.num, account, q.name, q.strategy, q.maxWaitSeconds, q.maxLength, q.timeoutAction, q.timeoutTarget, q.noAgentAction,
        q.noAgentTarget, q.musicOnHold, q.announcePosition ? 1 : 0, q.wrapUpSeconds, q.ringTimeoutSeconds, q.record ? 1 : 0,
      ]);
      if (changes === 0) throw new Error(`queue ${q.num} belongs to another tenant`);
      await tx.run('DELETE FROM queue_members WHERE queue_num = ?', [q.num]);
      for (const [i, m] of q.members.entries()) await tx.run(member, [q.num, m.agent, m.level, m.penalty, i]);
    }

    for (const [table, key] of [['ivrs', 'ivr_num'], ['ivr_profiles', 'profile_num']] as const) {
      const stmt = `INSERT INTO ${table} (${key}, account_id, name) VALUES (?, ?, ?)
        ON CONFLICT (${key}) DO UPDATE SET name = excluded.name WHERE ${table}.account_id = excluded.account_id`;
      for (const item of table === 'ivrs' ? org.ivrs : org.ivrProfiles) {
        if ((await tx.run(stmt, [item.num, account, item.name])) === 0) throw new Error(`${table} ${item.num} belongs to another tenant`);
      }
    }

    if (org.accessNumbers.some((a) => a.isDefault)) await tx.run('UPDATE access_numbers SET is_default = 0 WHERE account_id = ?', [account]);
    const access = `INSERT INTO access_numbers (number, account_id, name, is_default, default_queue, gateway) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (number) DO UPDATE SET name = excluded.name, is_default = excluded.is_default, default_queue = excluded.default_queue,
        gateway = excluded.gateway WHERE access_numbers.account_id = excluded.account_id`;
    for (const a of org.accessNumbers) {
      if ((await tx.run(access, [a.number, account, a.name, a.isDefault ? 1 : 0, a.queue, a.gateway])) === 0) {
        throw new Error(`access number ${a.number} belongs to another tenant`);
      }
    }

    if (org.websites.size > 0) {
      const common = org.websites.get('all') ?? [];
      const site = 'INSERT INTO agent_websites (agent_id, name, url, position) VALUES (?, ?, ?, ?)';
      for (const a of org.agents) {
        await tx.run('DELETE FROM agent_websites WHERE agent_id = ?', [a.id]);
        const own = org.websites.get(a.id) ?? [];
        const names = new Set<string>();
        for (const [i, s] of [...common, ...own].entries()) {
          if (names.has(s.name)) continue;
          names.add(s.name);
          await tx.run(site, [a.id, s.name, s.url, i]);
        }
      }
    }

    // The lists only add and update: numbers the HTTP API added at run time stay.
    const black = 'INSERT INTO blacklist (account_id, number, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, number) DO UPDATE SET reason = excluded.reason';
    for (const b of org.blacklist) await tx.run(black, [account, b.number, b.reason, now]);
    const grade = 'INSERT INTO customer_grades (account_id, number, grade) VALUES (?, ?, ?) ON CONFLICT (account_id, number) DO UPDATE SET grade = excluded.grade';
    const exclusive = `INSERT INTO exclusive_agents (account_id, number, agent_id, fallback_seconds) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id, number) DO UPDATE SET agent_id = excluded.agent_id, fallback_seconds = excluded.fallback_seconds`;
    for (const c of org.customers) {
      await tx.run(grade, [account, c.number, c.grade]);
      if (c.exclusiveAgent !== null) await tx.run(exclusive, [account, c.number, c.exclusiveAgent, c.fallbackSeconds]);
    }
  });
  return summary;
}

/** The columns the import compares to decide whether an agent changed. */
type AgentRow = Omit<FullAgentRow, 'password_hash'>;
