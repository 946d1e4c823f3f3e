/**
 * The statements a step's rows become in PostgreSQL: the same rows the SQLite store writes
 * (store/*.ts), in PostgreSQL's placeholders. One step's statements are one transaction of
 * the write queue (store/postgres/pg-write-queue.ts).
 */
import { CDR_COLUMNS } from '../store/cdr-store.js';
import { organisationChange } from '../store/organisation-writer.js';
import { numberBindParameters } from '../store/postgres/pg-session.js';
import type { PgStatement } from '../store/postgres/pg-write-queue.js';
import { STAT_FIELDS } from '../core/records/daily-stats.js';
import type { CallSnapshot } from '../core/calls/call-snapshot.js';
import type { RowEffect } from './store.js';

const CDR_INSERT = `INSERT INTO cdr (${CDR_COLUMNS.map(([c]) => c).join(', ')}) VALUES (${CDR_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  ON CONFLICT (call_id) DO NOTHING`;
const STATS_UPSERT = `INSERT INTO agent_daily_stats (day, agent_id, account_id, ${STAT_FIELDS.join(', ')}, updated_at)
  VALUES ($1, $2, $3, ${STAT_FIELDS.map((_, i) => `$${i + 4}`).join(', ')}, $${STAT_FIELDS.length + 4})
  ON CONFLICT (day, agent_id) DO UPDATE SET ${STAT_FIELDS.map((f) => `${f} = excluded.${f}`).join(', ')}, updated_at = excluded.updated_at`;

const s = (text: string, ...values: unknown[]): PgStatement => ({ text, values });

/** The statements of one row effect; a CDR's insert is always the first of its statements. */
export function statementsOf(row: RowEffect): PgStatement[] {
  switch (row.type) {
    case 'log-operation': {
      const e = row.entry;
      return [
        s(`INSERT INTO agent_operation_log (account_id, agent_id, operation, old_status, new_status, caused_by, reason, target, exten, remote, at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        e.accountId, e.agentId, e.operation, e.oldStatus, e.newStatus, e.causedBy, e.reason, e.target ?? null, e.exten, e.remote, e.at),
      ];
    }
    case 'save-leave': {
      const a = row.application;
      return [
        s(`INSERT INTO leave_applications (id, account_id, agent_id, group_id, target_status, state, apply_type, applied_at, decided_at, decided_by, ended_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (id) DO UPDATE SET state = excluded.state, decided_at = excluded.decided_at, decided_by = excluded.decided_by, ended_at = excluded.ended_at`,
        a.id, a.accountId, a.agentId, a.groupId, a.targetStatus, a.state, a.applyType, a.appliedAt, a.decidedAt, a.decidedBy, a.endedAt),
      ];
    }
    case 'save-threshold':
      return [
        s(`INSERT INTO group_status_thresholds (group_id, status, max_num) VALUES ($1, $2, $3)
          ON CONFLICT (group_id, status) DO UPDATE SET max_num = excluded.max_num`, row.groupId, row.status, row.maxNum),
      ];
    case 'save-cdr':
      // A call saved open at a shutdown stops being open in the transaction that records it.
      return [s(CDR_INSERT, ...CDR_COLUMNS.map(([, f]) => row.cdr[f] ?? null)), s('DELETE FROM open_calls WHERE call_id = $1', row.cdr.callId)];
    case 'save-open-calls':
      return row.calls.map((call) => saveOpenCall(call, row.at));
    case 'journal-open-calls':
      return [...row.changed.map((call) => saveOpenCall(call, row.at)), ...row.closed.map((id) => s('DELETE FROM open_calls WHERE call_id = $1', id))];
    case 'save-stats': {
      const r = row.row;
      return [s(STATS_UPSERT, r.day, r.agentId, r.accountId, ...STAT_FIELDS.map((f) => r.values[f]), r.updatedAt)];
    }
    case 'blacklist-hit':
      return [s('UPDATE blacklist SET hits = hits + 1, last_hit = $1 WHERE account_id = $2 AND number = $3', row.at, row.accountId, row.number)];
    case 'save-membership':
      return [
        row.member
          ? s('INSERT INTO queue_members (queue_num, agent_id, level, penalty, position) VALUES ($1, $2, 1, 0, $3) ON CONFLICT DO NOTHING', row.queueNum, row.agentId, row.position)
          : s('DELETE FROM queue_members WHERE queue_num = $1 AND agent_id = $2', row.queueNum, row.agentId),
      ];
    case 'save-pause':
      return [
        row.paused
          ? s(`INSERT INTO queue_pauses (queue_num, agent_id, reason, since) VALUES ($1, $2, $3, $4)
              ON CONFLICT (queue_num, agent_id) DO UPDATE SET reason = excluded.reason`, row.queueNum, row.agentId, row.reason, row.at)
          : s('DELETE FROM queue_pauses WHERE queue_num = $1 AND agent_id = $2', row.queueNum, row.agentId),
      ];
    case 'save-blacklist':
      return [
        row.on
          ? s('INSERT INTO blacklist (account_id, number, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', row.accountId, row.number, row.reason, row.at)
          : s('DELETE FROM blacklist WHERE account_id = $1 AND number = $2', row.accountId, row.number),
      ];
    case 'save-password':
      return [s('UPDATE agents SET password_hash = $1, updated_at = $2 WHERE agent_id = $3', row.hash, row.at, row.agentId)];
    case 'push':
      // Webhooks keep their outbox in SQLite for now (docs/scaling.md): on PostgreSQL no
      // targets are served (config refuses them), so a step's push facts have nowhere to go.
      return [];
    case 'save-session-token':
      return [
        row.tokenHash === null
          ? s('DELETE FROM session_tokens WHERE agent_id = $1', row.agentId)
          : s(`INSERT INTO session_tokens (agent_id, token_hash, expires_at, session) VALUES ($1, $2, $3, $4)
              ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, session = excluded.session`,
              row.agentId, row.tokenHash, row.expiresAt, row.session === undefined ? null : JSON.stringify(row.session)),
      ];
    case 'save-organisation':
      // The same diff SQLite writes (src/store/organisation-writer.ts), its `?` numbered for PostgreSQL.
      return organisationChange(row.accountId, row.before, row.after, row.at).map((st) => s(numberBindParameters(st.sql), ...st.values));
    case 'save-customer': {
      const { accountId, number, entry } = row;
      return [
        s('DELETE FROM customer_grades WHERE account_id = $1 AND number = $2', accountId, number),
        s('DELETE FROM exclusive_agents WHERE account_id = $1 AND number = $2', accountId, number),
        ...(entry !== null && entry.grade !== 0 ? [s('INSERT INTO customer_grades (account_id, number, grade) VALUES ($1, $2, $3)', accountId, number, entry.grade)] : []),
        ...(entry?.exclusiveAgent != null
          ? [s('INSERT INTO exclusive_agents (account_id, number, agent_id, fallback_seconds) VALUES ($1, $2, $3, $4)', accountId, number, entry.exclusiveAgent.agentId, entry.exclusiveAgent.fallbackSeconds)]
          : []),
      ];
    }
  }
}

function saveOpenCall(call: CallSnapshot, at: number): PgStatement {
  return s(`INSERT INTO open_calls (call_id, account_id, snapshot, saved_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (call_id) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at`, call.id, call.accountId, JSON.stringify(call), at);
}

