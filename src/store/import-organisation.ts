/**
 * `polylink import FILE`: writes an organisation file into SQLite, idempotently.
 *
 * Entities (tenant, groups, roles, agents, queues, IVRs, IVR profiles, access numbers)
 * are upserted and never deleted, so an edit cannot drop an agent that has history.
 * Sets the file owns (a role's rights and groups, a queue's members, an agent's web
 * sites, the tenant's custom statuses) are replaced by what the file says.
 * An existing agent keeps its password (it may have changed it) unless resetPasswords.
 */
import { readFileSync } from 'node:fs';
import type { Db } from './database.js';
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
  db: Db,
  file: string,
  options: { resetPasswords?: boolean; now?: number } = {},
): Promise<ImportSummary> {
  return importOrganisation(db, parseOrganisationFile(readFileSync(file, 'utf8')), options);
}

export async function importOrganisation(
  db: Db,
  org: OrganisationFile,
  options: { resetPasswords?: boolean; now?: number } = {},
): Promise<ImportSummary> {
  const now = options.now ?? Date.now();
  const existing = new Map(
    (db.prepare('SELECT agent_id, account_id, name, role_id, group_id, enabled, default_exten, after_hangup_status, wrap_up_seconds, record_calls, cti_answer FROM agents').all() as AgentRow[]).map(
      (r) => [r.agent_id, r],
    ),
  );
  for (const a of org.agents) {
    const row = existing.get(a.id);
    if (row !== undefined && row.account_id !== org.tenant.accountId) {
      throw new Error(`agent ${a.id} already belongs to tenant ${row.account_id}`);
    }
  }
  // Hash outside the transaction: scrypt is asynchronous, a SQLite transaction is not.
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

  db.transaction(() => {
    db.prepare('INSERT INTO tenants (account_id, name) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET name = excluded.name').run(account, org.tenant.name);

    const right = db.prepare('INSERT INTO rights (code, name_en, name_zh) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh');
    for (const [code, [en, zh]] of Object.entries(RIGHTS)) right.run(code, en, zh);

    db.prepare('DELETE FROM custom_statuses WHERE account_id = ?').run(account);
    const status = db.prepare('INSERT INTO custom_statuses (account_id, status, name, kind) VALUES (?, ?, ?, ?)');
    for (const s of org.statuses) status.run(account, s.status, s.name, s.kind);

    const group = db.prepare(`INSERT INTO agent_groups (group_id, account_id, name) VALUES (?, ?, ?)
      ON CONFLICT (group_id) DO UPDATE SET name = excluded.name WHERE account_id = excluded.account_id`);
    const threshold = db.prepare(`INSERT INTO group_status_thresholds (group_id, status, max_num) VALUES (?, ?, ?)
      ON CONFLICT (group_id, status) DO UPDATE SET max_num = excluded.max_num`);
    for (const g of org.groups) {
      if (group.run(g.id, account, g.name).changes === 0) throw new Error(`group ${g.id} belongs to another tenant`);
      if (g.leaveThreshold !== null) threshold.run(g.id, AgentStatus.LEAVE, g.leaveThreshold);
    }

    const role = db.prepare(`INSERT INTO roles (role_id, account_id, name, monitor_all_groups) VALUES (?, ?, ?, ?)
      ON CONFLICT (role_id) DO UPDATE SET name = excluded.name, monitor_all_groups = excluded.monitor_all_groups WHERE account_id = excluded.account_id`);
    const roleRight = db.prepare('INSERT INTO role_rights (role_id, right_code) VALUES (?, ?)');
    const roleGroup = db.prepare('INSERT INTO role_monitored_groups (role_id, group_id) VALUES (?, ?)');
    for (const r of org.roles) {
      if (role.run(r.id, account, r.name, r.monitorAllGroups ? 1 : 0).changes === 0) throw new Error(`role ${r.id} belongs to another tenant`);
      db.prepare('DELETE FROM role_rights WHERE role_id = ?').run(r.id);
      db.prepare('DELETE FROM role_monitored_groups WHERE role_id = ?').run(r.id);
      for (const code of r.rights) roleRight.run(r.id, code);
      for (const g of r.monitorGroups) roleGroup.run(r.id, g);
    }

    const insertAgent = db.prepare(`INSERT INTO agents (agent_id, account_id, name, password_hash, role_id, group_id, enabled,
      default_exten, after_hangup_status, wrap_up_seconds, record_calls, cti_answer, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const updateAgent = db.prepare(`UPDATE agents SET name = ?, role_id = ?, group_id = ?, enabled = ?, default_exten = ?,
      after_hangup_status = ?, wrap_up_seconds = ?, record_calls = ?, cti_answer = ?, updated_at = ? WHERE agent_id = ?`);
    const updatePassword = db.prepare('UPDATE agents SET password_hash = ?, updated_at = ? WHERE agent_id = ?');
    for (const a of org.agents) {
      const row = existing.get(a.id);
      const hash = hashes.get(a.id);
      if (row === undefined) {
        insertAgent.run(a.id, account, a.name, hash, a.role, a.group, a.enabled ? 1 : 0, a.exten, a.afterHangupStatus, a.wrapUpSeconds, a.record ? 1 : 0, a.ctiAnswer ? 1 : 0, now, now);
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
        updateAgent.run(a.name, a.role, a.group, a.enabled ? 1 : 0, a.exten, a.afterHangupStatus, a.wrapUpSeconds, a.record ? 1 : 0, a.ctiAnswer ? 1 : 0, now, a.id);
      }
      if (hash !== undefined) updatePassword.run(hash, now, a.id);
      if (same && hash === undefined) summary.agentsUnchanged++;
      else summary.agentsUpdated++;
    }

    const queue = db.prepare(`INSERT INTO queues (queue_num, account_id, name, strategy, max_wait_seconds, max_length, timeout_action,
      timeout_target, no_agent_action, no_agent_target, music_on_hold, announce_position, wrap_up_seconds, ring_timeout_seconds, record)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (queue_num) DO UPDATE SET name = excluded.name, strategy = excluded.strategy, max_wait_seconds = excluded.max_wait_seconds,
        max_length = excluded.max_length, timeout_action = excluded.timeout_action, timeout_target = excluded.timeout_target,
        no_agent_action = excluded.no_agent_action, no_agent_target = excluded.no_agent_target, music_on_hold = excluded.music_on_hold,
        announce_position = excluded.announce_position, wrap_up_seconds = excluded.wrap_up_seconds,
        ring_timeout_seconds = excluded.ring_timeout_seconds, record = excluded.record
      WHERE account_id = excluded.account_id`);
    const member = db.prepare('INSERT INTO queue_members (queue_num, agent_id, level, penalty, position) VALUES (?, ?, ?, ?, ?)');
    for (const q of org.queues) {
      const changes = queue.run(
        q.num, account, q.name, q.strategy, q.maxWaitSeconds, q.maxLength, q.timeoutAction, q.timeoutTarget, q.noAgentAction,
        q.noAgentTarget, q.musicOnHold, q.announcePosition ? 1 : 0, q.wrapUpSeconds, q.ringTimeoutSeconds, q.record ? 1 : 0,
      ).changes;
      if (changes === 0) throw new Error(`queue ${q.num} belongs to another tenant`);
      db.prepare('DELETE FROM queue_members WHERE queue_num = ?').run(q.num);
      q.members.forEach((m, i) => member.run(q.num, m.agent, m.level, m.penalty, i));
    }

    for (const [table, key] of [['ivrs', 'ivr_num'], ['ivr_profiles', 'profile_num']] as const) {
      const stmt = db.prepare(`INSERT INTO ${table} (${key}, account_id, name) VALUES (?, ?, ?)
        ON CONFLICT (${key}) DO UPDATE SET name = excluded.name WHERE account_id = excluded.account_id`);
      for (const item of table === 'ivrs' ? org.ivrs : org.ivrProfiles) {
        if (stmt.run(item.num, account, item.name).changes === 0) throw new Error(`${table} ${item.num} belongs to another tenant`);
      }
    }

    if (org.accessNumbers.some((a) => a.isDefault)) db.prepare('UPDATE access_numbers SET is_default = 0 WHERE account_id = ?').run(account);
    const access = db.prepare(`INSERT INTO access_numbers (number, account_id, name, is_default, default_queue, gateway) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (number) DO UPDATE SET name = excluded.name, is_default = excluded.is_default, default_queue = excluded.default_queue,
        gateway = excluded.gateway WHERE account_id = excluded.account_id`);
    for (const a of org.accessNumbers) {
      if (access.run(a.number, account, a.name, a.isDefault ? 1 : 0, a.queue, a.gateway).changes === 0) {
        throw new Error(`access number ${a.number} belongs to another tenant`);
      }
    }

    if (org.websites.size > 0) {
      const common = org.websites.get('all') ?? [];
      const site = db.prepare('INSERT INTO agent_websites (agent_id, name, url, position) VALUES (?, ?, ?, ?)');
      for (const a of org.agents) {
        db.prepare('DELETE FROM agent_websites WHERE agent_id = ?').run(a.id);
        const own = org.websites.get(a.id) ?? [];
        const names = new Set<string>();
        [...common, ...own].forEach((s, i) => {
          if (names.has(s.name)) return;
          names.add(s.name);
          site.run(a.id, s.name, s.url, i);
        });
      }
    }

    // The lists only add and update: numbers the HTTP API added at run time stay.
    const black = db.prepare('INSERT INTO blacklist (account_id, number, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason');
    for (const b of org.blacklist) black.run(account, b.number, b.reason, now);
    const grade = db.prepare('INSERT INTO customer_grades (account_id, number, grade) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET grade = excluded.grade');
    const exclusive = db.prepare(`INSERT INTO exclusive_agents (account_id, number, agent_id, fallback_seconds) VALUES (?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET agent_id = excluded.agent_id, fallback_seconds = excluded.fallback_seconds`);
    for (const c of org.customers) {
      grade.run(account, c.number, c.grade);
      if (c.exclusiveAgent !== null) exclusive.run(account, c.number, c.exclusiveAgent, c.fallbackSeconds);
    }
  })();
  return summary;
}

/** The columns the import compares to decide whether an agent changed. */
type AgentRow = Omit<FullAgentRow, 'password_hash'>;
