/**
 * The write-behind queue of the PostgreSQL store. The core decides synchronously and the
 * engine cannot wait for a network round trip inside a step, so each step's rows become one
 * entry here and are committed later, in the order the steps were taken, each step in its
 * own transaction (all of its rows or none, as SQLite's one transaction per step).
 *
 * - Ordered: one connection, one transaction at a time, the head of the queue first.
 * - Never dropped for a passing failure: when the server cannot be reached (connection
 *   lost, restart, too many connections: SQLSTATE classes 08, 40, 53, 57, 58, or a socket
 *   error) the head step is retried, with a growing pause, until it commits; the steps
 *   behind it wait, so the order holds. A step PostgreSQL refuses for its data (a
 *   constraint, a bad value) would be refused again: it is logged with its rows and
 *   skipped, as the SQLite store logs a step whose transaction failed.
 * - Bounded and measured: past `maxPending` steps the queue says it is backlogged
 *   (/health answers 503 "degraded", a warning is logged once); it keeps what it holds,
 *   because dropping a CDR is worse than memory, and reports how far behind it is.
 */
import type { Logger } from '../../log.js';
import type { PgClient, PgPool } from './pg-pool.js';

export interface PgStatement {
  readonly text: string;
  readonly values: readonly unknown[];
}

export interface PgStep {
  readonly statements: readonly PgStatement[];
  /** What the step holds, for a log line when it fails (the row effects' types). */
  readonly rows: readonly string[];
  /** Called after the commit with each statement's row count. */
  readonly committed?: (rowCounts: readonly number[]) => void;
}

export interface WriteQueueHealth {
  /** Steps taken by the core and not yet committed. */
  readonly pending: number;
  readonly maxPending: number;
  readonly backlogged: boolean;
  /** How long the oldest pending step has waited. */
  readonly oldestPendingMs: number;
  readonly committed: number;
  /** Steps refused for their data and skipped. */
  readonly failed: number;
  /** Attempts that failed for a passing reason and were repeated. */
  readonly retries: number;
  /** The last attempt at the head step failed for a passing reason: writing waits for the server. */
  readonly stalled: boolean;
  /** From the step's arrival in the queue to its commit, over the last 1,024 commits. */
  readonly commitP50Ms: number;
  readonly commitP99Ms: number;
  readonly lastError: { readonly message: string; readonly at: number } | null;
}

export interface WriteQueueOptions {
  readonly maxPending?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

const PASSING_CLASSES = new Set(['08', '40', '53', '57', '58']);
const LATENCY_SAMPLES = 1024;

/** A failure worth repeating: the server or the link, not the rows. */
export function isPassing(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  // A SQLSTATE is five characters; a socket's code (ECONNREFUSED …) or none means the link.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return PASSING_CLASSES.has(code.slice(0, 2));
  return true;
}

interface Entry {
  readonly step: PgStep;
  readonly since: number;
}

export class PgWriteQueue {
  private readonly queue: Entry[] = [];
  private head = 0;
  private client: PgClient | undefined;
  private pumping = false;
  private stopped = false;
  private backlogged = false;
  private stalled = false;
  private committedCount = 0;
  private failedCount = 0;
  private retryCount = 0;
  private lastError: { message: string; at: number } | null = null;
  private readonly latencies = new Float64Array(LATENCY_SAMPLES);
  private latencyCount = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly maxPending: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly pool: PgPool,
    private readonly log: Logger,
    options: WriteQueueOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 10_000;
    this.retryMinMs = options.retryMinMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 5000;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  push(step: PgStep): void {
    if (this.stopped) throw new Error('the PostgreSQL write queue is closed');
    if (step.statements.length === 0) return;
    this.queue.push({ step, since: performance.now() });
    if (!this.backlogged && this.pending > this.maxPending) {
      this.backlogged = true;
      this.log.warn({ pending: this.pending, maxPending: this.maxPending }, 'PostgreSQL is behind: steps wait to be written (none is dropped)');
    }
    if (!this.pumping) void this.pump();
  }

  health(): WriteQueueHealth {
    const n = Math.min(this.latencyCount, LATENCY_SAMPLES);
    const sorted = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => (n === 0 ? 0 : Math.round(sorted[Math.min(n - 1, Math.floor(q * n))]! * 10) / 10);
    const oldest = this.queue[this.head];
    return {
      pending: this.pending,
      maxPending: this.maxPending,
      backlogged: this.backlogged,
      oldestPendingMs: oldest === undefined ? 0 : Math.round(performance.now() - oldest.since),
      committed: this.committedCount,
      failed: this.failedCount,
      retries: this.retryCount,
      stalled: this.stalled,
      commitP50Ms: at(0.5),
      commitP99Ms: at(0.99),
      lastError: this.lastError,
    };
  }

  /** Resolves true when every step pushed so far is written (or skipped), false after `ms`. */
  async drain(ms: number): Promise<boolean> {
    if (this.pending === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([idle, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes what it can within `ms`, then lets its connection go. Returns the steps left unwritten. */
  async close(ms: number): Promise<number> {
    await this.drain(ms);
    this.stopped = true;
    const left = this.pending;
    if (left > 0) this.log.error({ left, rows: this.queue.slice(this.head, this.head + 20).map((e) => e.step.rows) }, 'PostgreSQL store closed with steps unwritten');
    this.client?.release();
    this.client = undefined;
    return left;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    let pause = this.retryMinMs;
    try {
      while (this.pending > 0 && !this.stopped) {
        const entry = this.queue[this.head]!;
        try {
          const counts = await this.commit(entry.step);
          this.take();
          this.recordLatency(performance.now() - entry.since);
          this.committedCount++;
          pause = this.retryMinMs;
          this.stalled = false;
          this.runCommitted(entry.step, counts);
        } catch (err) {
          this.lastError = { message: (err as Error).message, at: Date.now() };
          if (isPassing(err)) {
            this.retryCount++;
            this.stalled = true;
            this.log.warn({ err, pending: this.pending, retryInMs: pause }, 'PostgreSQL write failed; the step is tried again');
            await new Promise((r) => setTimeout(r, pause));
            pause = Math.min(this.retryMaxMs, pause * 2);
          } else {
            this.take();
            this.stalled = false;
            this.failedCount++;
            this.log.error({ err, rows: entry.step.rows }, 'a step’s rows could not be written: none of them was');
          }
        }
      }
    } finally {
      this.pumping = false;
      if (this.pending === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async commit(step: PgStep): Promise<number[]> {
    const client = await this.connection();
    try {
      await client.query('BEGIN');
      const counts: number[] = [];
      for (const s of step.statements) counts.push((await client.query(s.text, s.values as unknown[])).rowCount ?? 0);
      await client.query('COMMIT');
      return counts;
    } catch (err) {
      // The connection may be gone: a fresh one for the next attempt.
      if (isPassing(err)) this.drop(client, err as Error);
      else await client.query('ROLLBACK');
      throw err;
    }
  }

  /** The queue's one connection, opened when needed. */
  private async connection(): Promise<PgClient> {
    if (this.client !== undefined) return this.client;
    const client = await this.pool.connect();
    // A connection cut between two steps (server restart) errors on the client itself: without
    // a listener that would end the process.
    client.on('error', (err) => this.drop(client, err));
    this.client = client;
    return client;
  }

  private drop(client: PgClient, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.release(err);
  }

  private take(): void {
    this.head++;
    // Compact now and then rather than shift() each time (O(n) on a long backlog).
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.backlogged && this.pending <= this.maxPending / 2) {
      this.backlogged = false;
      this.log.info({ pending: this.pending }, 'PostgreSQL caught up');
    }
  }

  private recordLatency(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_SAMPLES] = ms;
    this.latencyCount++;
  }

  private runCommitted(step: PgStep, counts: readonly number[]): void {
    try {
      step.committed?.(counts);
    } catch (err) {
      this.log.error({ err }, 'after-commit work of a PostgreSQL step failed');
    }
  }
}
