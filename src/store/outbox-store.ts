/**
 * The outbox in SQLite: pushes written in the transaction of the fact they report,
 * read back lane by lane (a target, or one export's callback) in id order, deleted once
 * delivered, retried later, or marked dead. Each lane's backlog is bounded on disk: past
 * `maxBacklog` pending rows, a new row makes the lane's oldest pending one dead ("backlog
 * full": kept, listable and re-sendable), and past `maxDead` dead rows the oldest dead one
 * is deleted. How many rows each lane holds is counted here, not asked of SQLite each time.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { LaneCounts, Outbox, OutboxChanges, OutboxEntry, OutboxRow } from '../webhooks/outbox.js';

export interface OutboxLimits {
  /** Pending rows per lane at most. */
  readonly maxBacklog: number;
  /** Dead rows per lane at most. */
  readonly maxDead: number;
}

const COLUMNS = `id, lane, event, event_id AS eventId, url, auth, body, fact_at AS factAt, created_at AS createdAt, state, attempts,
  next_at AS nextAt, last_error AS lastError, dead_at AS deadAt`;

/** The statements the delivery runs, here and on the delivery thread's own connection (src/webhooks/thread-outbox.ts). */
export const DELIVERY_SQL = {
  head: `SELECT ${COLUMNS} FROM outbox WHERE lane = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT ?`,
  retry: `UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`,
  kill: `UPDATE outbox SET state = 'dead', dead_at = ?, last_error = ?, attempts = COALESCE(?, attempts) WHERE id = ? AND state = 'pending'`,
} as const;

export class OutboxStore implements Outbox {
  private readonly pending = new Map<string, number>();
  private readonly dead = new Map<string, number>();
  /** Lanes written to in the transaction under way, and lanes whose oldest rows were made dead. */
  private touched = new Set<string>();
  private evicted = new Set<string>();
  private writtenRows = 0;
  private readonly s: Record<string, Statement>;

  constructor(
    db: Db,
    private readonly limits: OutboxLimits,
  ) {
    this.s = {
      insert: db.prepare(`INSERT INTO outbox (lane, event, event_id, url, auth, body, fact_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      oldestPending: db.prepare(`SELECT id FROM outbox WHERE lane = ? AND state = 'pending' ORDER BY id LIMIT 1`),
      oldestDead: db.prepare(`SELECT id FROM outbox WHERE lane = ? AND state = 'dead' ORDER BY id LIMIT 1`),
      head: db.prepare(DELIVERY_SQL.head),
      remove: db.prepare(`DELETE FROM outbox WHERE id = ?`),
      retry: db.prepare(DELIVERY_SQL.retry),
      kill: db.prepare(DELIVERY_SQL.kill),
      headTime: db.prepare(`SELECT created_at AS createdAt FROM outbox WHERE lane = ? AND state = 'pending' ORDER BY id LIMIT 1`),
      list: db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE lane = ? AND state = ? AND id > ? ORDER BY id LIMIT ?`),
      resendAll: db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_at = 0, dead_at = NULL WHERE lane = ? AND state = 'dead'`),
      resendOne: db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_at = 0, dead_at = NULL WHERE lane = ? AND id = ? AND state = 'dead'`),
      dropLane: db.prepare(`DELETE FROM outbox WHERE lane = ?`),
    };
    for (const r of db.prepare(`SELECT lane, state, COUNT(*) AS n FROM outbox GROUP BY lane, state`).all() as { lane: string; state: string; n: number }[]) {
      (r.state === 'pending' ? this.pending : this.dead).set(r.lane, r.n);
    }
  }

  /** Inside the caller's transaction. */
  insert(entry: OutboxEntry, now: number): void {
    const lane = entry.lane;
    if ((this.pending.get(lane) ?? 0) >= this.limits.maxBacklog) {
      const oldest = this.s['oldestPending']!.get(lane) as { id: number } | undefined;
      if (oldest !== undefined) {
        this.killRow(lane, oldest.id, 'backlog full', now);
        this.evicted.add(lane);
      }
    }
    this.s['insert']!.run(lane, entry.event, entry.eventId, entry.url ?? null, entry.auth ?? null, entry.body, entry.factAt, now);
    this.pending.set(lane, (this.pending.get(lane) ?? 0) + 1);
    this.touched.add(lane);
    this.writtenRows++;
  }

  /** Rows written since the start (a running count; a rolled-back one included): the delivery thread's pace keeps above their rate. */
  get written(): number {
    return this.writtenRows;
  }

  /** After the transaction: the lanes that have new rows (and those whose oldest rows were pushed out), once. */
  takeTouched(): { touched: Set<string>; evicted: Set<string> } {
    const out = { touched: this.touched, evicted: this.evicted };
    this.touched = new Set();
    this.evicted = new Set();
    return out;
  }

  /** The transaction rolled back: what it counted did not happen. */
  recount(db: Db): void {
    this.recountPending(db);
    this.touched = new Set();
    this.evicted = new Set();
  }

  /**
   * One step's savepoint rolled back inside a transaction that goes on: the counts are read
   * again; the lanes touched stay (a lane woken for nothing reads nothing new).
   */
  recountPending(db: Db): void {
    this.pending.clear();
    this.dead.clear();
    for (const r of db.prepare(`SELECT lane, state, COUNT(*) AS n FROM outbox GROUP BY lane, state`).all() as { lane: string; state: string; n: number }[]) {
      (r.state === 'pending' ? this.pending : this.dead).set(r.lane, r.n);
    }
  }

  /** The next pending rows of a lane after `afterId`, in order. */
  head(lane: string, afterId: number, limit: number): OutboxRow[] {
    return this.s['head']!.all(lane, afterId, limit) as OutboxRow[];
  }

  delivered(row: OutboxRow): void {
    if (this.s['remove']!.run(row.id).changes === 1) this.decrement(row.state === 'dead' ? this.dead : this.pending, row.lane);
  }

  retry(id: number, attempts: number, nextAt: number, error: string): void {
    this.s['retry']!.run(attempts, nextAt, error.slice(0, 500), id);
  }

  kill(lane: string, id: number, reason: string, now: number, attempts?: number): void {
    this.killRow(lane, id, reason, now, attempts);
  }

  /** Lanes with pending or dead rows. */
  knownLanes(): Set<string> {
    return new Set([...this.pending.keys(), ...this.dead.keys()]);
  }

  /**
   * What the delivery thread did on its own connection (deleted delivered rows, made rows
   * dead), counted here; past `maxDead` dead rows the oldest dead ones are deleted.
   * Rows are counted in the state the thread's statement found them in: a row this
   * (main) thread made dead ("backlog full") while its POST was under way is a dead row deleted.
   */
  counted(changes: OutboxChanges): void {
    for (const [lane, n] of changes.deletedPending) this.decrement(this.pending, lane, n);
    for (const [lane, n] of changes.deletedDead) this.decrement(this.dead, lane, n);
    for (const [lane, n] of changes.killed) {
      this.decrement(this.pending, lane, n);
      this.dead.set(lane, (this.dead.get(lane) ?? 0) + n);
      this.trimDead(lane);
    }
  }

  lanes(): string[] {
    return [...this.pending.entries()].filter(([, n]) => n > 0).map(([lane]) => lane);
  }

  counts(lane: string): LaneCounts {
    return { pending: this.pending.get(lane) ?? 0, dead: this.dead.get(lane) ?? 0 };
  }

  /** When the oldest pending row of a lane was written. */
  oldestPending(lane: string): number | undefined {
    return (this.s['headTime']!.get(lane) as { createdAt: number } | undefined)?.createdAt;
  }

  list(lane: string, state: 'pending' | 'dead', afterId: number, limit: number): OutboxRow[] {
    return this.s['list']!.all(lane, state, afterId, limit) as OutboxRow[];
  }

  /** Dead rows of a lane back to pending (all, or one): returns how many. */
  resend(lane: string, id?: number): number {
    const changed = (id === undefined ? this.s['resendAll']!.run(lane) : this.s['resendOne']!.run(lane, id)).changes;
    if (changed > 0) {
      this.pending.set(lane, (this.pending.get(lane) ?? 0) + changed);
      this.decrement(this.dead, lane, changed);
    }
    return changed;
  }

  /** A lane is gone (its target removed): its rows with it. */
  dropLane(lane: string): number {
    const n = this.s['dropLane']!.run(lane).changes;
    this.pending.delete(lane);
    this.dead.delete(lane);
    return n;
  }

  private killRow(lane: string, id: number, reason: string, now: number, attempts?: number): void {
    if (this.s['kill']!.run(now, reason.slice(0, 500), attempts ?? null, id).changes !== 1) return;
    this.decrement(this.pending, lane);
    this.dead.set(lane, (this.dead.get(lane) ?? 0) + 1);
    this.trimDead(lane);
  }

  private trimDead(lane: string): void {
    while ((this.dead.get(lane) ?? 0) > this.limits.maxDead) {
      const oldest = this.s['oldestDead']!.get(lane) as { id: number } | undefined;
      if (oldest === undefined || this.s['remove']!.run(oldest.id).changes !== 1) return;
      this.decrement(this.dead, lane);
    }
  }

  private decrement(counts: Map<string, number>, lane: string, by = 1): void {
    const n = (counts.get(lane) ?? 0) - by;
    if (n > 0) counts.set(lane, n);
    else counts.delete(lane);
  }
}
