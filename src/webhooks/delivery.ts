/**
 * The delivery worker, beside the core (never in it): it reads the outbox lane by lane
 * and POSTs each push. It runs in a thread of its own on its own SQLite connection
 * (delivery-thread.ts), or on the main loop where that cannot be (delivery-runner.ts). A lane (a target, or one export's callback) sends one push at a
 * time and the next only when that one is delivered or dead: order per target is kept,
 * and a receiver that is down holds its own lane only. Failures (an error, no answer
 * within the timeout, a non-2xx status) are retried with exponential backoff (with
 * jitter); a push is dead after `maxAttempts` tries or `maxAgeMs` in the outbox. At most
 * `maxInFlight` POSTs are under way at once, over all lanes; a lane holds at most
 * `batch` rows in memory — its backlog stays on disk. With a pace (pace.ts, the delivery
 * thread's), every POST first waits for its turn at the pace's rate: a long backlog drains
 * as fast as the core can spare, not as fast as the receivers answer.
 *
 * At least once: a push is deleted from the outbox only after its 2xx; a crash between
 * the two sends it again, with the same body and event id.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { Post } from './http-post.js';
import type { Outbox, OutboxRow } from './outbox.js';
import type { Pace } from './pace.js';

/** What the delivery does with the outbox: the main thread's store, or the delivery thread's own connection (src/webhooks/thread-outbox.ts). */
export type DeliveryOutbox = Pick<Outbox, 'lanes' | 'head' | 'delivered' | 'retry' | 'kill'>;

export interface DeliveryOptions {
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxInFlight: number;
  /** Rows of a lane read from SQLite at a time. */
  readonly batch?: number;
}

/** Where and how a row goes; undefined when its lane has no target any more. */
export interface Destination {
  readonly url: string;
  readonly timeoutMs: number;
  headers(body: string, now: number, attempt: number): Record<string, string>;
}

/** What the delivery itself knows; the backlog is the outbox's (backlogStats in outbox.ts). */
export interface DeliveryProgress {
  readonly inFlight: number;
  readonly delivered: number;
  readonly failures: number;
}

interface Lane {
  buffer: OutboxRow[];
  lastId: number;
  running: boolean;
  /** The wait for the head's next try: on the injected clock, so a test moves it (a receiver down for minutes in no real time). */
  timer: TimerHandle | undefined;
}

export class Delivery {
  private readonly lanes = new Map<string, Lane>();
  private readonly waiting: Array<() => void> = [];
  private inFlight = 0;
  private stopped = false;
  private delivered = 0;
  private failures = 0;
  private readonly running = new Set<Promise<void>>();
  private readonly batch: number;
  private readonly log: Logger;

  constructor(
    private readonly outbox: DeliveryOutbox,
    private readonly destinationOf: (row: OutboxRow) => Destination | undefined,
    private readonly post: Post,
    private readonly options: DeliveryOptions,
    private readonly clock: Clock,
    log: Logger,
    private readonly random: () => number = Math.random,
    private readonly pace?: Pick<Pace, 'take' | 'stop'>,
  ) {
    this.batch = options.batch ?? 64;
    this.log = log.child({ module: 'webhooks' });
  }

  /** Starts every lane that has pushes waiting (those a stop or a crash left). */
  start(): void {
    for (const lane of this.outbox.lanes()) this.wake(lane);
  }

  /** A lane has new rows. */
  wake(lane: string): void {
    if (this.stopped) return;
    const state = this.laneOf(lane);
    if (state.running) return;
    if (state.timer !== undefined) {
      this.clock.clearTimer(state.timer);
      state.timer = undefined;
    }
    const run = this.run(lane, state).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** What the lane holds in memory is stale (its oldest rows were made dead, or dead rows were sent again): read it again. */
  reread(lane: string): void {
    const state = this.lanes.get(lane);
    if (state !== undefined) {
      state.buffer = [];
      state.lastId = 0;
    }
    this.wake(lane);
  }

  /** A lane whose target is gone. */
  forget(lane: string): void {
    const state = this.lanes.get(lane);
    this.clock.clearTimer(state?.timer);
    this.lanes.delete(lane);
  }

  progress(): DeliveryProgress {
    return { inFlight: this.inFlight, delivered: this.delivered, failures: this.failures };
  }

  /** No new sends; waits (up to `timeoutMs`) for those under way. What was not delivered stays in the outbox. */
  async stop(timeoutMs = 2000): Promise<void> {
    this.stopped = true;
    this.pace?.stop();
    for (const state of this.lanes.values()) this.clock.clearTimer(state.timer);
    for (const wake of this.waiting.splice(0)) wake();
    await Promise.race([Promise.all([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private laneOf(lane: string): Lane {
    let state = this.lanes.get(lane);
    if (state === undefined) this.lanes.set(lane, (state = { buffer: [], lastId: 0, running: false, timer: undefined }));
    return state;
  }

  private async run(lane: string, state: Lane): Promise<void> {
    state.running = true;
    try {
      while (!this.stopped && this.lanes.get(lane) === state) {
        if (state.buffer.length === 0) {
          state.buffer = this.outbox.head(lane, state.lastId, this.batch);
          if (state.buffer.length === 0) {
            state.lastId = 0;
            return;
          }
          state.lastId = state.buffer.at(-1)!.id;
        }
        const row = state.buffer[0]!;
        const now = this.clock.now();
        if (now - row.createdAt > this.options.maxAgeMs) {
          this.dead(lane, state, row, `older than ${Math.round(this.options.maxAgeMs / 1000)} s`);
          continue;
        }
        if (row.nextAt > now) {
          state.timer = this.clock.setTimer(row.nextAt - now, () => {
            state.timer = undefined;
            this.wake(lane);
          });
          return;
        }
        const destination = this.destinationOf(row);
        if (destination === undefined) return;
        if (this.pace !== undefined) {
          await this.pace.take();
          if (this.stopped) return;
        }
        await this.acquire();
        if (this.stopped) {
          this.release();
          return;
        }
        const attempt = row.attempts + 1;
        let result;
        try {
          result = await this.post(destination.url, row.body, destination.headers(row.body, this.clock.now(), attempt), destination.timeoutMs);
        } finally {
          this.release();
        }
        // The lane was read again meanwhile (rows made dead, re-sent): its buffer is new.
        if (state.buffer[0] !== row) continue;
        state.buffer.shift();
        if (result.ok) {
          this.delivered++;
          this.outbox.delivered(row);
          continue;
        }
        this.failures++;
        if (attempt >= this.options.maxAttempts) {
          this.dead(lane, state, { ...row, attempts: attempt }, `${attempt} attempts, the last: ${result.error ?? 'failed'}`);
          continue;
        }
        const nextAt = this.clock.now() + this.backoff(attempt);
        this.outbox.retry(row.id, attempt, nextAt, result.error ?? 'failed');
        state.buffer.unshift({ ...row, attempts: attempt, nextAt, lastError: result.error ?? 'failed' });
        if (attempt === 1 || attempt % 10 === 0) this.log.warn({ lane, event: row.event, eventId: row.eventId, attempt, error: result.error, retryInMs: nextAt - this.clock.now() }, 'push not delivered; it will be sent again');
      }
    } catch (err) {
      // The store closed under a send finishing after the stop: the row stays in the outbox.
      if (!this.stopped) this.log.error({ err, lane }, 'delivery of a lane failed');
    } finally {
      state.running = false;
    }
  }

  private dead(lane: string, state: Lane, row: OutboxRow, reason: string): void {
    if (state.buffer[0] === row || state.buffer[0]?.id === row.id) state.buffer.shift();
    this.outbox.kill(lane, row.id, reason, this.clock.now(), row.attempts);
    this.log.warn({ lane, event: row.event, eventId: row.eventId, reason }, 'push is dead: it is kept for the admin API to list and send again');
  }

  /** initialDelayMs × 2^(attempt-1), at most maxDelayMs, less up to half of it at random. */
  private backoff(attempt: number): number {
    const full = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(full * (0.5 + this.random() * 0.5));
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inFlight++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.inFlight--;
    const next = this.waiting.shift();
    if (next !== undefined) next();
  }
}
