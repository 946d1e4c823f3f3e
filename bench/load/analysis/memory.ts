/**
 * polylink's memory and CPU from its probe's samples: peaks, a series to plot, and for a
 * soak the growth after warm-up — the first minute after warm-up against the last minute
 * of the load (heap: the lowest heap used in each minute, what the collector leaves;
 * RSS: the highest).
 */
import type { ProbeSample } from '../monitor.js';

export interface MemoryFigures {
  readonly rssMaxMB: number | undefined;
  readonly heapUsedMaxMB: number | undefined;
  readonly rssEndMB: number | undefined;
  /** polylink's CPU over the samples: seconds, and cores (seconds per second of wall time). */
  readonly cpuSeconds: number;
  readonly cores: number | undefined;
  readonly utilisationMean: number | undefined;
  readonly delayP99MaxMs: number | undefined;
  readonly delayMaxMs: number | undefined;
  /** Every 5th sample: [seconds since the first, RSS MB, heap used MB]. */
  readonly series: Array<[number, number, number]>;
  readonly growth: { readonly heapPct: number; readonly rssPct: number; readonly baseline: readonly [number, number]; readonly final: readonly [number, number] } | undefined;
}

export function memoryFigures(samples: readonly ProbeSample[], loadFromMs: number, loadToMs: number, warmUpMs: number): MemoryFigures {
  const max = (f: (s: ProbeSample) => number): number | undefined => (samples.length === 0 ? undefined : Math.max(...samples.map(f)));
  const t0 = samples[0]?.t ?? 0;
  const cpuSeconds = samples.reduce((n, s) => n + s.cpuSeconds, 0);
  const span = samples.length > 1 ? (samples.at(-1)!.t - t0) / 1000 + 1 : undefined;
  return {
    rssMaxMB: max((s) => s.rssMB),
    heapUsedMaxMB: max((s) => s.heapUsedMB),
    rssEndMB: samples.at(-1)?.rssMB,
    cpuSeconds,
    cores: span === undefined ? undefined : cpuSeconds / span,
    utilisationMean: samples.length === 0 ? undefined : samples.reduce((n, s) => n + s.utilisation, 0) / samples.length,
    delayP99MaxMs: max((s) => s.delayP99Ms),
    delayMaxMs: max((s) => s.delayMaxMs),
    series: samples.filter((_, i) => i % 5 === 0).map((s) => [Math.round((s.t - t0) / 1000), round(s.rssMB), round(s.heapUsedMB)]),
    growth: growth(samples, loadFromMs + warmUpMs, loadToMs),
  };
}

function growth(samples: readonly ProbeSample[], fromMs: number, toMs: number): MemoryFigures['growth'] {
  const MINUTE = 60_000;
  if (toMs - fromMs < 2 * MINUTE) return undefined;
  const baseline = samples.filter((s) => s.t >= fromMs && s.t < fromMs + MINUTE);
  const final = samples.filter((s) => s.t > toMs - MINUTE && s.t <= toMs);
  if (baseline.length === 0 || final.length === 0) return undefined;
  const heap = (list: readonly ProbeSample[]): number => Math.min(...list.map((s) => s.heapUsedMB));
  const rss = (list: readonly ProbeSample[]): number => Math.max(...list.map((s) => s.rssMB));
  return {
    heapPct: ((heap(final) - heap(baseline)) / heap(baseline)) * 100,
    rssPct: ((rss(final) - rss(baseline)) / rss(baseline)) * 100,
    baseline: [round(heap(baseline)), round(rss(baseline))],
    final: [round(heap(final)), round(rss(final))],
  };
}

const round = (v: number): number => Math.round(v * 10) / 10;
