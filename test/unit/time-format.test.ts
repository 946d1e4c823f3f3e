import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDayClock, createTimeFormat } from '../../src/time-format.js';

// 2026-11-21 10:00:00 in Shanghai (UTC+8).
const TEN = Date.UTC(2026, 10, 21, 2, 0, 0);

describe('createTimeFormat', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes yyyy-MM-dd HH:mm:ss in the time zone', () => {
    const format = createTimeFormat('Asia/Shanghai');
    expect(format(TEN)).toBe('2026-11-21 10:00:00');
    expect(format(TEN + 999)).toBe('2026-11-21 10:00:00');
    expect(format(TEN + 61_000)).toBe('2026-11-21 10:01:01');
    expect(createTimeFormat('UTC')(TEN)).toBe('2026-11-21 02:00:00');
  });

  it('formats each of two seconds asked for in turn only once (a queue event: now, enter time, now …)', () => {
    const intl = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const format = createTimeFormat('Asia/Shanghai');
    const entered = TEN - 42_000;
    for (let i = 0; i < 100; i++) {
      expect(format(TEN + 500)).toBe('2026-11-21 10:00:00');
      expect(format(entered)).toBe('2026-11-21 09:59:18');
    }
    expect(intl).toHaveBeenCalledTimes(2);
    // A third second replaces the one cached longer ago; the other stays.
    expect(format(TEN + 1_000)).toBe('2026-11-21 10:00:01');
    expect(format(entered)).toBe('2026-11-21 09:59:18');
    expect(intl).toHaveBeenCalledTimes(3);
  });
});

describe('createDayClock', () => {
  afterEach(() => vi.restoreAllMocks());
  // Midnight of 2026-11-21 and of 2026-11-22 in Shanghai.
  const MIDNIGHT = Date.UTC(2026, 10, 20, 16, 0, 0);
  const NEXT_MIDNIGHT = MIDNIGHT + 86_400_000;

  it('says the day of an instant and where it starts and ends, to the millisecond', () => {
    const days = createDayClock('Asia/Shanghai');
    expect(days.dayOf(TEN)).toBe('2026-11-21');
    expect(days.startOfDay(TEN)).toBe(MIDNIGHT);
    expect(days.nextDayStart(TEN)).toBe(NEXT_MIDNIGHT);
    expect(days.dayOf(MIDNIGHT - 1)).toBe('2026-11-20');
    expect(days.dayOf(MIDNIGHT)).toBe('2026-11-21');
    expect(days.dayOf(NEXT_MIDNIGHT - 1)).toBe('2026-11-21');
    expect(days.dayOf(NEXT_MIDNIGHT)).toBe('2026-11-22');
    expect(days.startOfDay(NEXT_MIDNIGHT)).toBe(NEXT_MIDNIGHT);
  });

  it('works a day out once: asked about it again (statistics requests all day long), it formats nothing', () => {
    const days = createDayClock('Asia/Shanghai');
    days.startOfDay(TEN);
    const intl = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    for (let i = 0; i < 1000; i++) {
      expect(days.dayOf(TEN + i * 30_000)).toBe('2026-11-21');
      expect(days.startOfDay(TEN + i * 30_000)).toBe(MIDNIGHT);
    }
    expect(intl).not.toHaveBeenCalled();
  });

  it('moves on at midnight: the next day is worked out afresh, and yesterday and today asked in turn stay kept', () => {
    const days = createDayClock('Asia/Shanghai');
    expect(days.dayOf(NEXT_MIDNIGHT - 1)).toBe('2026-11-21');
    expect(days.dayOf(NEXT_MIDNIGHT)).toBe('2026-11-22');
    expect(days.startOfDay(NEXT_MIDNIGHT + 5000)).toBe(NEXT_MIDNIGHT);
    expect(days.nextDayStart(NEXT_MIDNIGHT)).toBe(NEXT_MIDNIGHT + 86_400_000);
    const intl = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    for (let i = 0; i < 100; i++) {
      expect(days.dayOf(NEXT_MIDNIGHT - 1 - i)).toBe('2026-11-21');
      expect(days.dayOf(NEXT_MIDNIGHT + i)).toBe('2026-11-22');
    }
    expect(intl).not.toHaveBeenCalled();
    // A third day replaces the one met longer ago (the 21st); the 22nd stays.
    expect(days.dayOf(NEXT_MIDNIGHT + 86_400_000)).toBe('2026-11-23');
    const calls = intl.mock.calls.length;
    expect(days.dayOf(NEXT_MIDNIGHT)).toBe('2026-11-22');
    expect(intl).toHaveBeenCalledTimes(calls);
    expect(days.dayOf(MIDNIGHT)).toBe('2026-11-21');
    expect(intl.mock.calls.length).toBeGreaterThan(calls);
  });

  it('keeps a 23-hour day (the spring DST change) whole', () => {
    const days = createDayClock('America/New_York');
    // 2026-03-08: EST (UTC-5) until 02:00, EDT (UTC-4) after; the next midnight is at 04:00 UTC.
    const start = Date.UTC(2026, 2, 8, 5, 0, 0);
    const next = Date.UTC(2026, 2, 9, 4, 0, 0);
    expect(days.startOfDay(start + 3_600_000)).toBe(start);
    expect(days.nextDayStart(start + 3_600_000)).toBe(next);
    expect(next - start).toBe(23 * 3_600_000);
    expect(days.dayOf(next - 1)).toBe('2026-03-08');
    expect(days.dayOf(next)).toBe('2026-03-09');
    expect(days.dayOf(start - 1)).toBe('2026-03-07');
  });
});
