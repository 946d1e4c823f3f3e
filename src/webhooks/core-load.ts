/**
 * The main thread's event-loop load, sampled for the delivery thread's pace (pace.ts):
 * every `everyMs` the fraction of the time the loop was busy
 * (performance.eventLoopUtilization, the difference between two readings) and how late
 * its timers were (monitorEventLoopDelay's mean, less its sampling resolution, which the
 * histogram counts in), and how many pushes were written into the outbox meanwhile (the
 * outbox store's running count). Node's own counters: nothing runs per event, and the interval
 * timer does not keep the process alive.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import type { CoreLoadReport } from './pace.js';

const RESOLUTION_MS = 10;

export class CoreLoad {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private last: EventLoopUtilization = performance.eventLoopUtilization();
  private timer: NodeJS.Timeout | undefined;
  private writtenBefore = 0;
  private sampledAt = 0;

  constructor(
    private readonly everyMs: number,
    /** Pushes written into the outbox since the start, a running count. */
    private readonly written: () => number,
    private readonly report: (load: CoreLoadReport) => void,
  ) {}

  start(): void {
    if (this.timer !== undefined) return;
    this.delay.enable();
    this.last = performance.eventLoopUtilization();
    this.writtenBefore = this.written();
    this.sampledAt = performance.now();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.delay.disable();
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
    const mean = this.delay.count > 0 ? this.delay.mean / 1e6 : 0;
    this.delay.reset();
    const written = this.written();
    // Over the time that passed, not the interval asked: a busy loop runs its timers late.
    const at = performance.now();
    const perSecond = ((written - this.writtenBefore) * 1000) / Math.max(1, at - this.sampledAt);
    this.writtenBefore = written;
    this.sampledAt = at;
    this.report({ utilisation, delayMs: Math.max(0, mean - RESOLUTION_MS), written: Math.round(perSecond) });
  }
}
