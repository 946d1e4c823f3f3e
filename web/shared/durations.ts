/** Times as the pages show them, and the server's clock times read back. */

/** 0:07, 12:34, 1:02:03: seconds, whole, never negative. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * The server's `yyyy-MM-dd HH:mm:ss` (in its time zone, which the page does not know) as
 * milliseconds on a clock of that zone: two such times subtract to the seconds between
 * them, which is all the pages need of them. Undefined for anything else (an empty field).
 */
export function serverClockMs(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (m === null) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** Seconds from `earlier` to `later`, both server times; undefined when either is not one. */
export function serverSecondsBetween(earlier: string, later: string): number | undefined {
  const a = serverClockMs(earlier);
  const b = serverClockMs(later);
  return a === undefined || b === undefined ? undefined : Math.max(0, (b - a) / 1000);
}
