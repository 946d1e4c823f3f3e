/**
 * Hands items to a consumer in order without ever making the producer wait.
 *
 * FreeSWITCH queues at most 100,000 events per listener and, once 500 more could not
 * be queued, drops the listener (mod_event_socket MAX_QUEUE_LEN / MAX_MISSED). So the
 * socket must be read as fast as bytes come, whatever the consumer does: the reader
 * pushes here and returns at once; a drain loop calls the consumer one item at a
 * time, awaiting it when it returns a promise, so the consumer still sees items in
 * order. A slow consumer makes this queue grow in memory (counted and logged), never
 * the socket stall.
 *
 * Before that, the queue says when its consumer falls behind and when it has caught up
 * (`behind`: the age of the oldest undelivered item or the depth, with hysteresis,
 * behind-gauge.ts), so the owner can shed work while the backlog is still short.
 *
 * The growth is bounded: when the backlog reaches `limit`, `onFull` tells the owner to
 * stop the producer (the switch layer disconnects from FreeSWITCH, which is visible
 * to the consumer as node-down and repaired by the reconcile after the reconnect),
 * and `onDrained` says when the backlog is down to `resumeAt` again. The queue itself
 * never drops what the owner's reaction leaves to come (a node-down per node); only
 * past twice the limit, which an owner that reacts to onFull never reaches, are items
 * refused — counted in `dropped` and logged at error, never silently.
 */
import type { Logger } from 'pino';
import { BehindGauge, type BehindLimits } from './behind-gauge.js';

export type Consumer<T> = (item: T) => void | Promise<void>;

export interface DeliveryQueueOptions {
  readonly log: Logger;
  /** Names the queue in logs. */
  readonly name: string;
  /** Log a warning each time the backlog reaches this, ten times this, … */
  readonly warnAt?: number;
  /** The backlog at which `onFull` is called (DEFAULT_BACKLOG_LIMIT). */
  readonly limit?: number;
  /** The backlog at which a full queue calls `onDrained` (a tenth of the limit). */
  readonly resumeAt?: number;
  /** The backlog reached the limit: stop the producer. Called once until onDrained. */
  onFull?(depth: number): void;
  /** A full backlog drained to `resumeAt`: the producer may start again. */
  onDrained?(): void;
  /** When the consumer counts as behind, and who hears each change (called once per change). */
  readonly behind?: { readonly limits: BehindLimits; onChange(behind: boolean, depth: number, oldestAgeMs: number): void };
}

/**
 * 100,000 switch events: what FreeSWITCH itself holds for a listener before it drops it
 * (mod_event_socket.c: MAX_QUEUE_LEN 100000, the listener's event_queue; past MAX_MISSED
 * more events kill_listener). A polylink this far behind is where FreeSWITCH would have
 * cut it off had it stopped reading, so disconnecting here adds no loss the switch would
 * not have caused; short of it, polylink keeps reading and sheds work instead (the
 * `behind` state). ~30 s of the large scenario's events and ~40 MB of heap
 * (bench/esl-limits.ts: ~4 MB per 10,000).
 */
export const DEFAULT_BACKLOG_LIMIT = 100_000;

/** Items delivered in one go before yielding to I/O (a synchronous consumer must not starve reads). */
const BATCH = 256;
/**
 * …and no longer than this in one go: under load one switch event can cost the core a
 * few milliseconds (a queue event to a hundred agents), and 256 of them in a row held
 * the event loop for over half a second, timers and sockets waiting. Everything else
 * polylink serves waits for the slice to end: an HTTP request (seed 000's statistics,
 * polled 1,000 times a second in issue 12, must answer within 5 ms at p99) or an agent's
 * command arriving during a 10 ms slice waited up to 10 ms before it was read. A yield
 * costs one turn of the event loop (tens of microseconds), at most 500 a second here.
 */
const SLICE_MS = 2;

export class DeliveryQueue<T> {
  private items: T[] = [];
  /** When each item was pushed (performance.now()), beside `items`: the age of the oldest. */
  private times: number[] = [];
  private head = 0;
  private draining = false;
  private closed = false;
  private nextWarning: number;
  private warned = false;
  private deliveredCount = 0;
  private failedCount = 0;
  private highWaterMark = 0;
  private droppedCount = 0;
  private full = false;
  private fullCount = 0;
  private readonly limit: number;
  private readonly resumeAt: number;
  private readonly hardLimit: number;
  private readonly log: Logger;
  private readonly warnAt: number;
  private readonly name: string;
  private readonly gauge: BehindGauge | undefined;

  constructor(
    private readonly consumer: Consumer<T>,
    private readonly options: DeliveryQueueOptions,
  ) {
    this.limit = options.limit ?? DEFAULT_BACKLOG_LIMIT;
    this.resumeAt = Math.min(options.resumeAt ?? Math.floor(this.limit / 10), this.limit - 1);
    this.hardLimit = this.limit * 2;
    this.log = options.log;
    this.warnAt = options.warnAt ?? 1_000;
    this.nextWarning = this.warnAt;
    this.name = options.name;
    this.gauge = options.behind === undefined ? undefined : new BehindGauge(options.behind.limits);
  }

  /** Items waiting for the consumer. */
  get depth(): number {
    return this.items.length - this.head;
  }

  get highWater(): number {
    return this.highWaterMark;
  }

  get delivered(): number {
    return this.deliveredCount;
  }

  /** Items whose consumer call threw or rejected (logged, then skipped). */
  get failed(): number {
    return this.failedCount;
  }

  /** Items refused past twice the limit (the owner did not stop the producer). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Between reaching the limit and draining to resumeAt. */
  get isFull(): boolean {
    return this.full;
  }

  /** Times the backlog reached the limit. */
  get fullTimes(): number {
    return this.fullCount;
  }

  /** How long the oldest undelivered item has waited (0: none waits). */
  get oldestAgeMs(): number {
    return this.head < this.items.length ? performance.now() - (this.times[this.head] as number) : 0;
  }

  /** Whether the consumer is behind now (always false without the `behind` option). */
  get isBehind(): boolean {
    return this.gauge?.isBehind ?? false;
  }

  /** Times the consumer fell behind. */
  get behindTimes(): number {
    return this.gauge?.times ?? 0;
  }

  /** Queues an item; returns at once. */
  push(item: T): void {
    if (this.closed) return;
    if (this.depth >= this.hardLimit) {
      if (this.droppedCount++ === 0 || this.droppedCount % 10_000 === 0) {
        this.log.error({ queue: this.name, depth: this.depth, dropped: this.droppedCount }, 'backlog past twice its limit; items dropped');
      }
      return;
    }
    const now = performance.now();
    this.items.push(item);
    this.times.push(now);
    const depth = this.depth;
    if (depth > this.highWaterMark) this.highWaterMark = depth;
    if (!this.full && depth >= this.limit) {
      // Set first: the owner's reaction may push again (a node-down) before this returns.
      this.full = true;
      this.fullCount++;
      this.log.error({ queue: this.name, depth, limit: this.limit }, 'consumer is too far behind; asking the producer to stop');
      this.options.onFull?.(depth);
    }
    if (depth >= this.nextWarning) {
      this.log.warn({ queue: this.name, depth }, 'consumer is behind; buffering in memory');
      this.warned = true;
      this.nextWarning *= 10;
    }
    this.checkBehind(now);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Drops what is queued and delivers nothing more. */
  close(): void {
    this.closed = true;
    this.items = [];
    this.times = [];
    this.head = 0;
  }

  private async drain(): Promise<void> {
    let sinceYield = 0;
    let sliceStart = performance.now();
    while (!this.closed && this.head < this.items.length) {
      const item = this.items[this.head] as T;
      this.items[this.head] = undefined as T; // let it be collected while the backlog drains
      this.head++;
      try {
        const pending = this.consumer(item);
        if (pending !== undefined && typeof (pending as Promise<void>).then === 'function') {
          await pending;
          sinceYield = 0;
          sliceStart = performance.now();
        } else if (++sinceYield >= BATCH || performance.now() - sliceStart >= SLICE_MS) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        this.deliveredCount++;
      } catch (err) {
        this.failedCount++;
        this.log.error({ err, queue: this.name }, 'consumer failed on an item; skipped');
      }
      this.compact();
      if (this.full && this.depth <= this.resumeAt) this.drained();
      if (this.gauge !== undefined) this.checkBehind(performance.now());
    }
    this.draining = false;
    if (this.warned && this.depth === 0) {
      this.warned = false;
      this.nextWarning = this.warnAt;
      this.log.info({ queue: this.name, highWater: this.highWaterMark }, 'consumer caught up');
    }
  }

  private drained(): void {
    this.full = false;
    this.log.info({ queue: this.name, depth: this.depth }, 'backlog drained; the producer may start again');
    this.options.onDrained?.();
  }

  /** Tells the owner when the consumer falls behind or catches up (the age of the oldest item or the depth). */
  private checkBehind(now: number): void {
    const gauge = this.gauge;
    if (gauge === undefined || this.closed) return;
    const depth = this.depth;
    const age = depth === 0 ? 0 : now - (this.times[this.head] as number);
    const changed = gauge.update(depth, age);
    if (changed !== undefined) this.options.behind?.onChange(changed, depth, Math.round(age));
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.times = [];
      this.head = 0;
    } else if (this.head >= 4_096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
