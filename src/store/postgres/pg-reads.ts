/**
 * What the PostgreSQL store reads at start, before the engine runs: the rows the core is
 * built from and those its read models begin with. Columns are named as the core's fields
 * (`AS "accountId"`), so the rows are the records.
 */
import type { CallSnapshot } from '../../core/calls/call-snapshot.js';
import type { CustomerListsData } from '../../core/queues/customer-lists.js';
import type { PauseRecord } from '../../core/queues/queue-service.js';
import { STAT_FIELDS, type StatsRow, type StatValues } from '../../core/records/daily-stats.js';
import type { OpenCall } from '../open-call-store.js';
import type { SqlDatabase, SqlSession } from '../sql-session.js';
import type { SavedSessionToken, SuspendedSession } from '../../core/session-tokens.js';

export async function loadLists(sql: SqlSession): Promise<CustomerListsData> {
  const [blacklist, grades, exclusive] = await Promise.all([
    sql.all<CustomerListsData['blacklist'][number]>('SELECT account_id AS "accountId", number FROM blacklist'),
    sql.all<CustomerListsData['grades'][number]>('SELECT account_id AS "accountId", number, grade FROM customer_grades'),
    sql.all<CustomerListsData['exclusive'][number]>(
      'SELECT account_id AS "accountId", number, agent_id AS "agentId", fallback_seconds AS "fallbackSeconds" FROM exclusive_agents',
    ),
  ]);
  return { blacklist, grades, exclusive };
}

export function loadPauses(sql: SqlSession): Promise<PauseRecord[]> {
  return sql.all<PauseRecord>('SELECT queue_num AS "queueNum", agent_id AS "agentId", reason FROM queue_pauses');
}

export async function statsOfDay(sql: SqlSession, day: string): Promise<StatsRow[]> {
  const rows = await sql.all<Record<string, unknown>>('SELECT * FROM agent_daily_stats WHERE day = ?', [day]);
  return rows.map((r) => ({
    day: r['day'] as string,
    agentId: r['agent_id'] as string,
    accountId: r['account_id'] as string,
    updatedAt: r['updated_at'] as number,
    values: Object.fromEntries(STAT_FIELDS.map((f) => [f, r[f] as number])) as StatValues,
  }));
}

/** As LeaveStore.closeOpenAtStart: after a restart nobody is signed in, so open applications are void. */
export async function closeOpenLeave(sql: SqlSession, now: number): Promise<number> {
  const expired = await sql.run(`UPDATE leave_applications SET state = 'expired', ended_at = ? WHERE state IN ('pending', 'approved')`, [now]);
  const ended = await sql.run(`UPDATE leave_applications SET state = 'ended', ended_at = ? WHERE state = 'active'`, [now]);
  return expired + ended;
}

export async function nextLeaveId(sql: SqlSession): Promise<number> {
  const [row] = await sql.all<{ id: number | null }>('SELECT MAX(id) AS id FROM leave_applications');
  return (row?.id ?? 0) + 1;
}

export async function loadOpenCalls(sql: SqlSession): Promise<OpenCall[]> {
  const rows = await sql.all<{ snapshot: string; savedAt: number }>('SELECT snapshot, saved_at AS "savedAt" FROM open_calls ORDER BY saved_at, call_id');
  return rows.map((r) => ({ snapshot: JSON.parse(r.snapshot) as CallSnapshot, savedAt: r.savedAt }));
}

/** Every agent's dialled numbers, each with when it was last dialled (the read model's start). */
export function calledNumbers(sql: SqlSession): Promise<{ agentId: string; target: string; at: number }[]> {
  return sql.all(`SELECT agent_id AS "agentId", target, MAX(at) AS at FROM agent_operation_log
    WHERE operation = 'callout' AND target IS NOT NULL GROUP BY agent_id, target`);
}

/**
 * The session tokens a new start may accept, as store/session-token-store.ts loadAtStart
 * decides them on SQLite: expired rows go; rows of sessions live when the process ended
 * without a shutdown get `graceMs` from now; none at all with no grace.
 */
export async function loadSessionTokens(sql: SqlDatabase, now: number, graceMs: number): Promise<SavedSessionToken[]> {
  return sql.transaction(async (tx) => {
    await tx.run('DELETE FROM session_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?', [now]);
    if (graceMs <= 0) {
      await tx.run('DELETE FROM session_tokens WHERE expires_at IS NULL');
      return [];
    }
    await tx.run('UPDATE session_tokens SET expires_at = ? WHERE expires_at IS NULL', [now + graceMs]);
    const rows = await tx.all<{ agent_id: string; token_hash: string; expires_at: number | string; session: string | null }>('SELECT agent_id, token_hash, expires_at, session FROM session_tokens');
    return rows.map((r) => ({
      agentId: r.agent_id,
      tokenHash: r.token_hash,
      expiresAt: Number(r.expires_at),
      session: r.session === null ? null : (JSON.parse(r.session) as SuspendedSession),
    }));
  });
}
