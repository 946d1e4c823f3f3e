/**
 * Says when polylink's event loop was held long, and what held it. Latency under load is
 * decided by the longest turns, not the average: a customer parked while the loop is busy
 * for half a second waits half a second whatever the p50. A timer every TICK_MS looks how
 * late it fires; when it is later than `thresholdMs` the loop ran something that long
 * without a break, and the line says what the loop carried since the previous tick (the
 * engine's TurnTally: switch events, core steps, rows, the SQLite commits' time, what was
 * sent after them and that time) and the garbage collections in that time
 * (PerformanceObserver 'gc'). What none of these explains is the rest: timers, socket reads
 * and writes outside the end of the turn, the ESL decoding.
 *
 * Cheap: one timer callback every TICK_MS and a handful of additions per step. Lines are
 * at most one per `quietMs`; the ones held back are counted in the next.
 */
import { PerformanceObserver, performance, constants } from 'node:perf_hooks';
import type { Logger } from '../log.js';
import type { TurnTally } from '../engine/turn-tally.js';

const TICK_MS = 10;

export interface TurnWatchOptions {
  /** A tick later than this is a long turn. */
  readonly thresholdMs: number;
  /** At most one line per this long. */
  readonly quietMs: number;
}

export const DEFAULT_TURN_WATCH: TurnWatchOptions = { thresholdMs: 100, quietMs: 1000 };

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** Starts watching; returns the function that stops. */
export function watchLongTurns(tally: TurnTally, log: Logger, options: TurnWatchOptions = DEFAULT_TURN_WATCH): () => void {
  let gcMs = 0;
  let gcCount = 0;
  let gcMaxMs = 0;
  let gcMaxKind = '';
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcCount++;
      if (entry.duration > gcMaxMs) {
        gcMaxMs = entry.duration;
        gcMaxKind = GC_KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let lastLine = -Infinity;
  let heldBack = 0;
  let worstHeldBackMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const lateMs = now - last - TICK_MS;
    last = now;
    const counts = tally.take();
    const gc = { gcMs: Math.round(gcMs), gcCount, gcMaxMs: Math.round(gcMaxMs), gcMaxKind };
    gcMs = 0;
    gcCount = 0;
    gcMaxMs = 0;
    gcMaxKind = '';
    if (lateMs < options.thresholdMs) return;
    if (now - lastLine < options.quietMs) {
      heldBack++;
      if (lateMs > worstHeldBackMs) worstHeldBackMs = lateMs;
      return;
    }
    lastLine = now;
    log.warn(
      { heldMs: Math.round(lateMs), ...counts, ...gc, ...(heldBack > 0 ? { heldBack, worstHeldBackMs: Math.round(worstHeldBackMs) } : {}) },
      'long turn: the event loop was held',
    );
    heldBack = 0;
    worstHeldBackMs = 0;
  }, TICK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}
