/**
 * `yyyy-MM-dd HH:mm:ss` in the configured time zone (spec §2: event `time`). Formatting
 * through Intl is slow, so the texts of the last two seconds asked for are cached: one
 * message often holds two times in turn (a queue event's current time and the
 * customer's enter time), and with a single slot each would push the other out.
 */
export type TimeFormat = (ms: number) => string;

export function createTimeFormat(timeZone: string): TimeFormat {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  // Two slots; a miss replaces the one filled longer ago.
  const seconds = [NaN, NaN];
  const texts = ['', ''];
  let older = 0;
  return (ms: number): string => {
    const second = Math.floor(ms / 1000);
    if (second === seconds[0]) return texts[0]!;
    if (second === seconds[1]) return texts[1]!;
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
    const text = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
    seconds[older] = second;
    texts[older] = text;
    older = 1 - older;
    return text;
  };
}

/** Calendar days in a time zone: the day of an instant, and where the next day begins. */
export interface DayClock {
  /** `yyyy-MM-dd` of the instant in the zone. */
  dayOf(ms: number): string;
  /** The first millisecond after `ms` that belongs to the next day (local midnight). */
  nextDayStart(ms: number): number;
  /** The first millisecond of the day `ms` is in. */
  startOfDay(ms: number): number;
}

/**
 * Days are asked about on every statistics request and every counted call, and finding a
 * day's bounds is a binary search of ~27 Intl formats: each day met is worked out once
 * and kept with its bounds [start, next). Two days are kept (a period that crosses
 * midnight, seed 001's key checked on both sides of it, asks about yesterday and today
 * in turn), the one met longer ago replaced. An instant inside kept bounds is on that
 * day whatever the zone's offset does within it (a DST change moves no day's bounds).
 */
export function createDayClock(timeZone: string): DayClock {
  const format = createTimeFormat(timeZone);
  const formatDay = (ms: number): string => format(ms).slice(0, 10);
  /** The first instant in (lo, hi] that is on `day`, given lo is before it and hi on it or after. */
  const firstOf = (day: string, lo: number, hi: number): number => {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (formatDay(mid) >= day) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  // A day is 23 to 25 hours long (DST): 26 hours always reach past the neighbouring midnight.
  const SPAN = 26 * 3_600_000;
  const kept: Array<{ day: string; start: number; next: number }> = [
    { day: '', start: NaN, next: NaN },
    { day: '', start: NaN, next: NaN },
  ];
  let older = 0;
  const boundsOf = (ms: number): { day: string; start: number; next: number } => {
    for (const k of kept) if (ms >= k.start && ms < k.next) return k;
    const day = formatDay(ms);
    const found = { day, start: firstOf(day, ms - SPAN, ms), next: firstOf(dayAfter(day), ms, ms + SPAN) };
    kept[older] = found;
    older = 1 - older;
    return found;
  };
  return {
    dayOf: (ms) => boundsOf(ms).day,
    nextDayStart: (ms) => boundsOf(ms).next,
    startOfDay: (ms) => boundsOf(ms).start,
  };
}

/** `yyyy-MM-dd` of the following calendar day (plain calendar arithmetic, no zone involved). */
function dayAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
