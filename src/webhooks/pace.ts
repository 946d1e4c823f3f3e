/**
 * How fast the delivery thread may POST, adapted to the core's headroom. Every second the
 * main thread tells the thread how loaded its event loop was (CoreLoad in core-load.ts:
 * its utilisation and its delay over the last second, and how many pushes it wrote); the
 * pace is a rate in pushes per second between a floor and a ceiling: halved (down to the
 * floor) after a second the core was busy, raised by half (up to the ceiling) after a
 * second it was not. The floor is `floorPerSecond` over the pushes written in the last
 * second: however busy the core, a backlog shrinks by at least that much a second
 * (issue 13: ≥ 1,000 pushes/s), whatever the calls write meanwhile. A second without a
 * report counts as busy: a main thread too busy to report is the busiest.
 *
 * Why: a drain of a long backlog at full speed (the thread, its receivers, SQLite's
 * deletes and their WAL on a 2-core machine) took the CPU the core's calls needed
 * (bench/README.md, the webhooks benchmark). Above the floor the drain takes what the
 * core spares.
 *
 * The rate is enforced as a token bucket over all lanes (each lane still sends one push
 * at a time, in order): a POST takes a token; tokens come back at the rate, at most
 * BURST_SECONDS of them saved. On the injected clock, so a test moves time.
 */
import type { Clock, TimerHandle } from '../clock.js';

export interface PaceOptions {
  /** Pushes per second the delivery keeps to, beyond those written meanwhile, whatever the core's load (0: no pacing at all). */
  readonly floorPerSecond: number;
  /** Pushes per second at most, however idle the core (never less than the floor). */
  readonly ceilingPerSecond: number;
  /** The core is busy in a second its event loop was busy at least this fraction of it … */
  readonly busyUtilisation: number;
  /** … or its timers were this late (the loop's delay, mean over the second). */
  readonly busyDelayMs: number;
}

/** What the main thread reports of its event loop, once a second. */
export interface CoreLoadReport {
  /** Fraction of the last second the event loop was busy (performance.eventLoopUtilization). */
  readonly utilisation: number;
  /** How late its timers were, mean over the last second (monitorEventLoopDelay less its resolution). */
  readonly delayMs: number;
  /** Pushes written into the outbox in the last second. */
  readonly written: number;
}

/** A report older than this counts as a busy second. */
const REPORT_LATE_MS = 2500;
/** Tokens saved at most: this many seconds of the rate (a short burst after an idle spell). */
const BURST_SECONDS = 0.05;
const RAISE = 1.5;
const LOWER = 0.5;

export class Pace {
  private rate: number;
  /** Pushes written in the last reported second: the floor is above them. */
  private written = 0;
  private tokens = 0;
  private filledAt: number;
  private lastReportAt: number;
  private readonly waiting: Array<() => void> = [];
  private timer: TimerHandle | undefined;
  private lateTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly options: PaceOptions,
    private readonly clock: Clock,
  ) {
    // Starts at the floor: the core's headroom is not known before its first report.
    this.rate = options.floorPerSecond;
    this.filledAt = clock.now();
    this.lastReportAt = clock.now();
    if (this.enabled) this.watchReports();
  }

  /** False when the floor is 0: pushes go as fast as the receivers answer. */
  get enabled(): boolean {
    return this.options.floorPerSecond > 0;
  }

  /** Pushes per second allowed now. */
  perSecond(): number {
    return this.enabled ? this.rate : Infinity;
  }

  /** The main thread's report of the last second. */
  heard(load: CoreLoadReport): void {
    this.lastReportAt = this.clock.now();
    this.written = load.written;
    const busy = load.utilisation >= this.options.busyUtilisation || load.delayMs >= this.options.busyDelayMs;
    this.adjust(busy);
  }

  /** Resolves when a push may go (at once when a token is there). */
  take(): Promise<void> {
    if (!this.enabled || this.stopped) return Promise.resolve();
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.schedule();
    return turn;
  }

  /** Lets every waiting push go (the delivery is stopping) and stops the timers. */
  stop(): void {
    this.stopped = true;
    this.clock.clearTimer(this.timer);
    this.clock.clearTimer(this.lateTimer);
    for (const go of this.waiting.splice(0)) go();
  }

  private adjust(busy: boolean): void {
    const floor = this.options.floorPerSecond + this.written;
    const ceiling = Math.max(floor, this.options.ceilingPerSecond);
    this.refill();
    this.rate = Math.min(ceiling, Math.max(floor, busy ? this.rate * LOWER : this.rate * RAISE));
  }

  /** A second without a report is a busy one. */
  private watchReports(): void {
    this.lateTimer = this.clock.setTimer(1000, () => {
      if (this.stopped) return;
      if (this.clock.now() - this.lastReportAt > REPORT_LATE_MS) this.adjust(true);
      this.watchReports();
    });
  }

  private refill(): void {
    const now = this.clock.now();
    const burst = Math.max(1, this.rate * BURST_SECONDS);
    this.tokens = Math.min(burst, this.tokens + ((now - this.filledAt) / 1000) * this.rate);
    this.filledAt = now;
  }

  /** Wakes the waiting pushes as tokens come back. */
  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    const missing = Math.max(0, 1 - this.tokens);
    // Node's timers fire at 1 ms at best: wait at least that, and let the tokens of the wait go together.
    const ms = Math.max(1, Math.ceil((missing * 1000) / this.rate));
    this.timer = this.clock.setTimer(ms, () => {
      this.timer = undefined;
      this.refill();
      while (this.waiting.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
