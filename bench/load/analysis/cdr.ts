/**
 * polylink's CDRs after the run, read from its SQLite file once it has stopped: one row
 * per customer call, no more, no less (schema/003_calls.sql: call_id is the call's id, so
 * a second row for one customer would carry another id).
 */
import Database from 'better-sqlite3';

export interface CdrCheck {
  readonly rows: number;
  /** Customers (caller numbers) of the load without a CDR. */
  readonly missing: string[];
  /** Customers with more than one. */
  readonly twice: string[];
  /** Rows by status (ANSWER, QUEUE_ABANDON …). */
  readonly byStatus: Record<string, number>;
}

export function checkCdrs(dbPath: string, callers: readonly string[]): CdrCheck {
  const db = new Database(dbPath, { readonly: true });
  try {
    const counts = new Map<string, number>();
    const byStatus: Record<string, number> = {};
    let rows = 0;
    for (const r of db.prepare("SELECT customer_number AS caller, status FROM cdr WHERE call_type = 'incoming'").iterate() as Iterable<{ caller: string | null; status: string }>) {
      rows++;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.caller !== null) counts.set(r.caller, (counts.get(r.caller) ?? 0) + 1);
    }
    return {
      rows,
      missing: callers.filter((c) => (counts.get(c) ?? 0) === 0),
      twice: callers.filter((c) => (counts.get(c) ?? 0) > 1),
      byStatus,
    };
  } finally {
    db.close();
  }
}
