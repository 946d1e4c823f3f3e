/**
 * The wallboard's two charts' data. Calls per 15 minutes today: each queue's
 * `offered_by_quarter` (the customers that came to it in each quarter hour of the server's
 * day, 96 counts), added over the queues shown. Customers waiting over the last hour: the
 * page samples the queues' waiting count as the figures change and at least every few
 * seconds, and keeps an hour of it. Pure.
 */

export const QUARTERS_PER_DAY = 96;
export const HOUR_MS = 3_600_000;

/** `offered_by_quarter` read back: 96 counts, a missing or unreadable one as 0. */
export function quarters(text: string | undefined): number[] {
  const parts = (text ?? '').split(',');
  return Array.from({ length: QUARTERS_PER_DAY }, (_, i) => {
    const n = Number(parts[i]);
    return Number.isInteger(n) && n > 0 ? n : 0;
  });
}

/** The quarters of several queues added up. */
export function sumQuarters(series: readonly (readonly number[])[]): number[] {
  const total = new Array<number>(QUARTERS_PER_DAY).fill(0);
  for (const s of series) for (let i = 0; i < QUARTERS_PER_DAY; i++) total[i]! += s[i] ?? 0;
  return total;
}

/** The quarter hour of a server time `yyyy-MM-dd HH:mm:ss`, or undefined. */
export function quarterOf(serverTime: string): number | undefined {
  const m = /^\d{4}-\d{2}-\d{2} (\d{2}):(\d{2}):\d{2}$/.exec(serverTime);
  return m === null ? undefined : Number(m[1]) * 4 + Math.floor(Number(m[2]) / 15);
}

export interface Sample {
  readonly at: number;
  readonly waiting: number;
}

/** Adds a sample and forgets those older than an hour before it (one just before the hour stays: the line starts at its value). */
export function addSample(samples: readonly Sample[], sample: Sample): Sample[] {
  const from = sample.at - HOUR_MS;
  const kept = samples.filter((s) => s.at <= sample.at);
  let first = kept.findIndex((s) => s.at >= from);
  if (first === -1) first = kept.length;
  return [...kept.slice(Math.max(0, first - 1)), sample];
}
