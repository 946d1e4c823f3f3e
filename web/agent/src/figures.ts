/**
 * Today's own figures (seed 000's statistics), read from polylink's HTTP endpoint with the
 * session's Guid (docs/api.md): the 18 values.
 */
import { STAT_FIELDS } from '../../../src/core/records/daily-stats.js';

/** In the seed's order (queryCallStatisticsInfo's result). */
export const FIGURES = STAT_FIELDS;
export type Figure = (typeof FIGURES)[number];

/** Figures that are seconds (shown as durations); the others are counts. */
export const TIME_FIGURES: ReadonlySet<Figure> = new Set(['talktime', 'busytime', 'resttime', 'restouttime']);

export type FiguresResult = { readonly ok: true; readonly values: Readonly<Record<string, number>> } | { readonly ok: false; readonly reason: string };

export function statisticsPath(agentId: string): string {
  return `/agentgateway/resource/calldata/${encodeURIComponent(agentId)}/statistics`;
}

/** The endpoint's answer read: its result, or its message (seed 000's `{message, retcode, result}`). */
export function readStatistics(status: number, body: unknown): FiguresResult {
  const b = (body ?? {}) as { retcode?: unknown; message?: unknown; result?: unknown };
  if (status === 200 && b.retcode === '0' && b.result !== null && typeof b.result === 'object') return { ok: true, values: b.result as Record<string, number> };
  return { ok: false, reason: typeof b.message === 'string' && b.message !== '' ? b.message : `HTTP ${status}` };
}
