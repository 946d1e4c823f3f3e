/**
 * The outbox as the delivery thread sees it, on a connection of its own to the same
 * SQLite file (WAL: the main thread keeps writing pushes in its steps' transactions).
 * Delivered rows are deleted in batches, one short IMMEDIATE transaction per `batch`
 * deliveries or per `flushMs`, not one per push; a crash before a batch is written sends
 * those pushes again with their event ids (at least once). Every change of a row's state
 * is reported (`onChanges`) for the main thread's counts (OutboxStore.counted).
 *
 * It also checkpoints the WAL (checkpoint(), on the thread's timer): SQLite runs an
 * automatic checkpoint in whichever connection's commit finds the WAL past 1,000 pages
 * (sqlite3WalDefaultHook in main.c), which was mostly the main thread's, the one that
 * commits most, and a drain's deletes fill the WAL fast: the copy into the database file
 * and its fsync ran inside a call's step. Checkpointed here often, the WAL is copied back
 * before it grows that long, and the next writer starts it over from its beginning.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/database.js';
import { DELIVERY_SQL } from '../store/outbox-store.js';
import type { DeliveryOutbox } from './delivery.js';
import type { OutboxChanges, OutboxRow } from './outbox.js';

export interface ThreadOutboxOptions {
  /** Deliveries deleted in one transaction at most. */
  readonly batch: number;
  /** The longest a delivered row waits for its DELETE. */
  readonly flushMs: number;
}

export class ThreadOutbox implements DeliveryOutbox {
  private readonly s: Record<string, Statement>;
  private readonly deleteBatch: (ids: readonly number[]) => OutboxChanges;
  private toDelete: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    db: Db,
    private readonly options: ThreadOutboxOptions,
    private readonly onChanges: (changes: OutboxChanges) => void,
  ) {
    this.s = {
      lanes: db.prepare(`SELECT DISTINCT lane FROM outbox WHERE state = 'pending'`),
      head: db.prepare(DELIVERY_SQL.head),
      remove: db.prepare(`DELETE FROM outbox WHERE id = ? RETURNING lane, state`),
      retry: db.prepare(DELIVERY_SQL.retry),
      kill: db.prepare(DELIVERY_SQL.kill),
      checkpoint: db.prepare(`PRAGMA wal_checkpoint(PASSIVE)`),
    };
    const remove = this.s['remove']!;
    const run = db.transaction((ids: readonly number[]): OutboxChanges => {
      const pending = new Map<string, number>();
      const dead = new Map<string, number>();
      for (const id of ids) {
        const gone = remove.get(id) as { lane: string; state: string } | undefined;
        if (gone === undefined) continue; // its target was removed meanwhile (the main thread dropped its lane)
        const counts = gone.state === 'dead' ? dead : pending;
        counts.set(gone.lane, (counts.get(gone.lane) ?? 0) + 1);
      }
      return { deletedPending: [...pending], deletedDead: [...dead], killed: [] };
    });
    // IMMEDIATE: the write lock is taken at BEGIN, so a busy main thread makes this wait (busy_timeout), never fail half-way.
    this.deleteBatch = (ids) => run.immediate(ids);
  }

  lanes(): string[] {
    return (this.s['lanes']!.all() as { lane: string }[]).map((r) => r.lane);
  }

  /**
   * Deliveries not yet deleted that the read could return (a lane read again from its
   * start, or from before them) are deleted first: it must not see them. A lane read on
   * from its last row (a drain) leaves them to the batch: deleting at every read was a
   * write transaction per `Delivery.batch` pushes of each lane, each one taking SQLite's
   * write lock the core's steps wait for (bench/README.md, the webhooks benchmark).
   */
  head(lane: string, afterId: number, limit: number): OutboxRow[] {
    if (this.toDelete.some((id) => id > afterId)) this.flush();
    return this.s['head']!.all(lane, afterId, limit) as OutboxRow[];
  }

  delivered(row: OutboxRow): void {
    // A POST that outlived the stop: its row stays, and is sent again after the next start.
    if (this.closed) return;
    this.toDelete.push(row.id);
    if (this.toDelete.length >= this.options.batch) this.flush();
    else this.timer ??= setTimeout(() => this.flushLater(), this.options.flushMs);
  }

  retry(id: number, attempts: number, nextAt: number, error: string): void {
    this.s['retry']!.run(attempts, nextAt, error.slice(0, 500), id);
  }

  kill(lane: string, id: number, reason: string, now: number, attempts?: number): void {
    if (this.s['kill']!.run(now, reason.slice(0, 500), attempts ?? null, id).changes === 1) this.onChanges({ deletedPending: [], deletedDead: [], killed: [[lane, 1]] });
  }

  /** Writes the deletions waiting. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.toDelete.length === 0) return;
    const ids = this.toDelete;
    this.toDelete = [];
    let changes: OutboxChanges;
    try {
      changes = this.deleteBatch(ids);
    } catch (err) {
      // Rolled back (the database busy past busy_timeout): the rows are deleted with the next batch.
      this.toDelete = [...ids, ...this.toDelete];
      throw err;
    }
    this.onChanges(changes);
  }

  /**
   * Copies what the WAL holds into the database file, without waiting for anyone (PASSIVE:
   * no lock a writer or a reader needs). Returns the WAL's pages and those copied.
   */
  checkpoint(): { walPages: number; copied: number } {
    const r = this.s['checkpoint']!.get() as { busy: number; log: number; checkpointed: number };
    return { walPages: r.log, copied: r.checkpointed };
  }

  /** At a stop: the last deletions written; nothing is written after. */
  close(): void {
    try {
      this.flush();
    } finally {
      this.closed = true;
    }
  }

  private flushLater(): void {
    this.timer = undefined;
    try {
      this.flush();
    } catch {
      this.timer = setTimeout(() => this.flushLater(), this.options.flushMs);
    }
  }
}
