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
 */
import type { Logger } from 'pino';

export type Consumer<T> = (item: T) => void | Promise<void>;

export interface DeliveryQueueOptions {
  readonly log: Logger;
  /** Names the queue in logs. */
  readonly name: string;
  /** Log a warning each time the backlog reaches this, ten times this, … */
  readonly warnAt?: number;
}

/** Items delivered in one go before yielding to I/O (a synchronous consumer must not starve reads). */
const BATCH = 256;
/**
 * …and no longer than this in one go: under load one switch event can cost the core a
 * few milliseconds (a queue event to a hundred agents), and 256 of them in a row held
 * the event loop for over half a second, timers and sockets waiting.
 */
const SLICE_MS = 10;

export class DeliveryQueue<T> {
  private items: T[] = [];
  private head = 0;
  private draining = false;
  private closed = false;
  private nextWarning: number;
  private warned = false;
  private deliveredCount = 0;
  private failedCount = 0;
  private highWaterMark = 0;
  private readonly log: Logger;
  private readonly warnAt: number;
  private readonly name: string;

  constructor(
    private readonly consumer: Consumer<T>,
    options: DeliveryQueueOptions,
  ) {
    this.log = options.log;
    this.warnAt = options.warnAt ?? 1_000;
    this.nextWarning = this.warnAt;
    this.name = options.name;
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

  /** Queues an item; returns at once. */
  push(item: T): void {
    if (this.closed) return;
    this.items.push(item);
    const depth = this.depth;
    if (depth > this.highWaterMark) this.highWaterMark = depth;
    if (depth >= this.nextWarning) {
      this.log.warn({ queue: this.name, depth }, 'consumer is behind; buffering in memory');
      this.warned = true;
      this.nextWarning *= 10;
    }
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Drops what is queued and delivers nothing more. */
  close(): void {
    this.closed = true;
    this.items = [];
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
    }
    this.draining = false;
    if (this.warned && this.depth === 0) {
      this.warned = false;
      this.nextWarning = this.warnAt;
      this.log.info({ queue: this.name, highWater: this.highWaterMark }, 'consumer caught up');
    }
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4_096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
