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

export function createDayClock(timeZone: string): DayClock {
  const format = createTimeFormat(timeZone);
  const dayOf = (ms: number): string => format(ms).slice(0, 10);
  /** The first instant in (lo, hi] that is on `day`, given lo is before it and hi on it or after. */
  const firstOf = (day: string, lo: number, hi: number): number => {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (dayOf(mid) >= day) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  // A day is 23 to 25 hours long (DST): 26 hours always reach past the neighbouring midnight.
  const SPAN = 26 * 3_600_000;
  return {
    dayOf,
    nextDayStart: (ms) => firstOf(dayAfter(dayOf(ms)), ms, ms + SPAN),
    startOfDay: (ms) => firstOf(dayOf(ms), ms - SPAN, ms),
  };
}

/** `yyyy-MM-dd` of the following calendar day (plain calendar arithmetic, no zone involved). */
function dayAfter(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
