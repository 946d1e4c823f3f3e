/**
 * The process while the load runs: polylink's event-loop delay (monitorEventLoopDelay),
 * how busy its thread was (event-loop utilisation), CPU of the whole process (every
 * thread), and memory (RSS of the process, V8 heap of polylink's thread).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface Memory {
  readonly rssMB: number;
  readonly heapUsedMB: number;
  /** The V8 heap polylink's thread holds from the system (used or not). */
  readonly heapTotalMB: number;
  /** Memory outside the V8 heap held by JS objects (Buffers, sockets' pending writes). */
  readonly externalMB: number;
}

export interface LoopFigures {
  /** Event-loop delay: how late the 1 ms sampling timer fired (the histogram holds whole intervals, the 1 ms is taken off). */
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  /** Share of wall time polylink's thread was running code (0–1). */
  readonly utilisation: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly peakRssMB: number;
}

const MB = 1024 * 1024;
/** A sample every millisecond, so that short stalls show in the percentiles. */
const RESOLUTION_MS = 1;

/** Memory now; after a full collection when node runs with --expose-gc (and `collect`), so that it is what is kept. */
export function memoryNow(collect = true): Memory {
  if (collect) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMB: m.rss / MB, heapUsedMB: m.heapUsed / MB, heapTotalMB: m.heapTotal / MB, externalMB: m.external / MB };
}

export class LoopMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private utilisation = performance.eventLoopUtilization();
  private cpu = process.cpuUsage();
  private began = 0;
  private peakRss = 0;
  private sampler: NodeJS.Timeout | undefined;

  start(): void {
    this.delay.reset();
    this.delay.enable();
    this.utilisation = performance.eventLoopUtilization();
    this.cpu = process.cpuUsage();
    this.began = performance.now();
    this.peakRss = process.memoryUsage.rss();
    this.sampler = setInterval(() => (this.peakRss = Math.max(this.peakRss, process.memoryUsage.rss())), 500);
  }

  stop(): LoopFigures {
    this.delay.disable();
    clearInterval(this.sampler);
    const cpu = process.cpuUsage(this.cpu);
    // The histogram records the interval between samples (resolution included): the delay is what exceeds it.
    const late = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    return {
      delayP50Ms: late(this.delay.percentile(50)),
      delayP99Ms: late(this.delay.percentile(99)),
      delayMaxMs: late(this.delay.max),
      utilisation: performance.eventLoopUtilization(this.utilisation).utilization,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      wallSeconds: (performance.now() - this.began) / 1000,
      peakRssMB: Math.max(this.peakRss, process.memoryUsage.rss()) / MB,
    };
  }
}
