/** Percentiles (nearest rank) of a list of samples. */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1]! };
}

/** Counts of event times (ms) per whole second since `from`, for seconds [0, seconds). */
export function perSecond(times: readonly number[], from: number, seconds: number): number[] {
  const counts = new Array<number>(Math.max(0, Math.ceil(seconds))).fill(0);
  for (const t of times) {
    const s = Math.floor((t - from) / 1000);
    if (s >= 0 && s < counts.length) counts[s]!++;
  }
  return counts;
}
