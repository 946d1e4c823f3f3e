/**
 * Notices steps of the wall clock while polylink runs. polylink's own clock does not follow
 * them (SystemClock, src/clock.ts): a step is said once, at warn, with how far the wall
 * clock now is from polylink's time, which /health shows too (`clockOffsetMs`).
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';

/** A change of the offset beyond this is a step, not the drift of a few ms between readings. */
export const CLOCK_STEP_MS = 1000;

/** Looks every `intervalMs`; returns the function that stops looking. */
export function watchClockSteps(clock: Clock, log: Logger, intervalMs = 5000): () => void {
  let offset = clock.wallNow() - clock.now();
  const timer = setInterval(() => {
    const now = clock.wallNow() - clock.now();
    if (Math.abs(now - offset) <= CLOCK_STEP_MS) return;
    log.warn(
      { stepMs: now - offset, clockOffsetMs: now },
      'the wall clock stepped: polylink keeps its own time (durations, timers and the order of records are unaffected); the times it records are off the wall clock by clockOffsetMs until a restart',
    );
    offset = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
