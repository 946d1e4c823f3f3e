/**
 * `yyyy-MM-dd HH:mm:ss` in the configured time zone (spec §2: event `time`). Formatting
 * through Intl is slow, so the text of the current second is cached.
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
  let cachedSecond = NaN;
  let cachedText = '';
  return (ms: number): string => {
    const second = Math.floor(ms / 1000);
    if (second === cachedSecond) return cachedText;
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(ms)) parts[p.type] = p.value;
    cachedSecond = second;
    cachedText = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
    return cachedText;
  };
}
