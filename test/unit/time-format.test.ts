import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTimeFormat } from '../../src/time-format.js';

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
