/**
 * Writes the steps' rows, a turn's at a time, and keeps them when the database cannot take
 * them. The engine adds each step's rows as the step is taken and flushes once at the end
 * of the event-loop turn (end-of-turn.ts): every step of the turn in one transaction, each
 * step all or none within it (a savepoint), in order — one commit per turn instead of one
 * per step. A step whose rows fail for a reason that retrying cannot cure (a constraint, a
 * bug) loses its own rows alone, at once, as before.
 *
 * A disk that is full (SQLITE_FULL), a file size limit reached (ulimit -f:
 * SQLITE_IOERR_WRITE), a file or disk gone read-only (SQLITE_READONLY) or locked by another
 * writer (SQLITE_BUSY) must not stop calls: the steps have been decided and their other
 * effects go out as usual. Their rows wait in memory, in order, and are written — oldest
 * first, each step's all or none — at the end of a later turn or at a retry once the
 * database takes writes again.
 *
 * The wait is bounded (`maxPendingRows`): past it the oldest steps' rows are given up and
 * counted by kind, so the log and /health can say exactly what was lost.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { RowEffect, Store } from './store.js';

export interface RowWriterOptions {
  /** How often to try again while the database refuses writes. */
  readonly retryMs: number;
  /** Rows kept at most while it does; beyond, the oldest steps' rows are lost. */
  readonly maxPendingRows: number;
}

export const DEFAULT_ROW_WRITER: RowWriterOptions = { retryMs: 1000, maxPendingRows: 100_000 };

/** What /health shows of the database. */
export interface StoreHealth {
  /** False while rows wait for the database. */
  readonly writable: boolean;
  /** The SQLite code of the refusal (SQLITE_FULL …) while not writable. */
  readonly error?: string;
  /** Since when (ms since the epoch) it refuses. */
  readonly since?: number;
  readonly pendingRows: number;
  /** Rows given up since polylink started, by kind (save-cdr, save-stats …). */
  readonly lostRows: Readonly<Record<string, number>>;
}

/** SQLite result codes that say the storage, not the rows, is the problem: worth waiting for. */
export function isStorageRefusal(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED)/.test(code) ? code : undefined;
}

const STEP_LOST = 'a step’s rows could not be written: none of them was';

export class RowWriter {
  /** Steps' rows not yet written, oldest first. */
  private readonly pending: (readonly RowEffect[])[] = [];
  private pendingRows = 0;
  private refusal: { code: string; since: number } | undefined;
  private readonly lost = new Map<string, number>();
  private retry: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly store: Pick<Store, 'writeSteps'>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: RowWriterOptions = DEFAULT_ROW_WRITER,
  ) {}

  /** One step's rows, behind those that wait: written at the next flush (the end of the turn). */
  add(rows: readonly RowEffect[]): void {
    if (rows.length === 0) return;
    this.pending.push(rows);
    this.pendingRows += rows.length;
    this.bound();
  }

  get health(): StoreHealth {
    return {
      writable: this.refusal === undefined,
      ...(this.refusal !== undefined ? { error: this.refusal.code, since: this.refusal.since } : {}),
      pendingRows: this.pendingRows,
      lostRows: Object.fromEntries(this.lost),
    };
  }

  /**
   * At shutdown, before the database closes: one last try; what still cannot be written is
   * said, by kind, at error. No retry runs after this.
   */
  close(): void {
    this.closed = true;
    this.clock.clearTimer(this.retry);
    this.retry = undefined;
    this.flush();
    if (this.pendingRows === 0) return;
    for (const rows of this.pending.splice(0)) this.count(rows);
    this.pendingRows = 0;
    this.log.error({ lostRows: Object.fromEntries(this.lost), error: this.refusal?.code }, 'stopping with rows the database never took: they are lost');
  }

  /**
   * Writes every step that waits, in one transaction. When that transaction fails as a whole
   * for a reason other than a refusal, the steps are written one at a time, so that the
   * fault loses one step's rows, not the turn's.
   */
  flush(): void {
    if (this.pending.length === 0) return;
    const all = this.attempt(this.pending.length);
    if (all === 'refused') return;
    if (all === 'failed') {
      while (this.pending.length > 0) if (this.attempt(1) === 'refused') return;
    }
    if (this.refusal !== undefined) {
      this.log.info({ error: this.refusal.code, refusedForMs: this.clock.now() - this.refusal.since, lostRows: Object.fromEntries(this.lost) }, 'the database takes writes again: every row kept meanwhile is written');
      this.refusal = undefined;
    }
  }

  /** The oldest `n` steps in one transaction: written (or given up, a step at a time), refused (all kept), or failed as a whole (all kept). */
  private attempt(n: number): 'written' | 'refused' | 'failed' {
    const steps = this.pending.slice(0, n);
    try {
      const { warnings, failed } = this.store.writeSteps(steps);
      for (const warning of warnings) this.log.warn({}, warning);
      for (const { index, error } of failed) this.log.error({ err: error, rows: steps[index]!.map((r) => r.type) }, STEP_LOST);
    } catch (err) {
      const code = isStorageRefusal(err);
      if (code !== undefined) {
        this.refused(code, err);
        return 'refused';
      }
      if (n > 1) return 'failed';
      this.log.error({ err, rows: steps[0]!.map((r) => r.type) }, STEP_LOST);
    }
    this.pending.splice(0, n);
    for (const rows of steps) this.pendingRows -= rows.length;
    return 'written';
  }

  private refused(code: string, err: unknown): void {
    if (this.refusal === undefined) {
      this.refusal = { code, since: this.clock.now() };
      this.log.error({ err, error: code, pendingRows: this.pendingRows }, 'the database refuses writes: calls go on, and the rows of each step wait in memory until it takes them');
    }
    if (this.retry === undefined && !this.closed) {
      this.retry = this.clock.setTimer(this.options.retryMs, () => {
        this.retry = undefined;
        this.flush();
      });
    }
  }

  /** Past maxPendingRows the oldest steps' rows go, counted. */
  private bound(): void {
    let dropped = 0;
    while (this.pendingRows > this.options.maxPendingRows && this.pending.length > 1) {
      const rows = this.pending.shift()!;
      this.pendingRows -= rows.length;
      dropped += rows.length;
      this.count(rows);
    }
    if (dropped > 0 && dropped === this.totalLost()) {
      this.log.error({ maxPendingRows: this.options.maxPendingRows }, 'the database still refuses writes and the rows kept reached their bound: the oldest are given up from now on (counted in /health)');
    }
  }

  private count(rows: readonly RowEffect[]): void {
    for (const r of rows) this.lost.set(r.type, (this.lost.get(r.type) ?? 0) + 1);
  }

  private totalLost(): number {
    let n = 0;
    for (const v of this.lost.values()) n += v;
    return n;
  }
}
