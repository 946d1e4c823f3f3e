/**
 * Where the wallboard's charts put their marks, as numbers: bars for counts per slot, a step
 * line for a level over time. The charts are SVG drawn from these (charts.ts); nothing here
 * touches the DOM, so the shapes are tested as data.
 */
import type { Sample } from './series.js';

export interface Box {
  readonly width: number;
  readonly height: number;
}

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
}

/** A scale's top: the maximum rounded up to a "nice" number (1, 2, 5 × 10ⁿ), at least 1. */
export function niceMax(max: number): number {
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** One bar per value, side by side, from the bottom; `gap` of each slot left empty. */
export function bars(values: readonly number[], box: Box, top = niceMax(Math.max(0, ...values)), gap = 0.2): Bar[] {
  const slot = box.width / Math.max(1, values.length);
  return values.map((value, i) => {
    const height = (Math.max(0, value) / top) * box.height;
    return { x: i * slot + (slot * gap) / 2, y: box.height - height, width: slot * (1 - gap), height, value };
  });
}

/**
 * The path of a level that holds until it changes, from `from` to `to` (ms): before the first
 * sample nothing is drawn, after the last the level holds up to `to`.
 */
export function stepPath(samples: readonly Sample[], from: number, to: number, box: Box, top: number): string {
  const x = (t: number) => ((Math.min(Math.max(t, from), to) - from) / (to - from)) * box.width;
  const y = (v: number) => box.height - (Math.max(0, v) / top) * box.height;
  const parts: string[] = [];
  let level: number | undefined;
  for (const s of samples) {
    if (s.at > to) break;
    if (level === undefined) parts.push(`M${round(x(s.at))},${round(y(s.waiting))}`);
    else parts.push(`H${round(x(s.at))}`, `V${round(y(s.waiting))}`);
    level = s.waiting;
  }
  if (level !== undefined) parts.push(`H${round(x(to))}`);
  return parts.join(' ');
}

const round = (n: number): number => Math.round(n * 10) / 10;
