// Seed 001 authentication: Authorization = md5(WEBKEY + 'YYYY-MM-DD'), today in the
// configured zone, the neighbouring day's key accepted within WEB_KEY_SKEW_MS of midnight.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acceptedDays, checkWebKey, WEB_KEY_SKEW_MS, webKeyFor } from '../../../src/api/web-key.js';
import { createDayClock } from '../../../src/time-format.js';

const days = createDayClock('Asia/Shanghai');
const KEY = 'asjdfjklkasdf';
/** 2026-11-21 in Shanghai (UTC+8) at the given local hour and minute. */
const shanghai = (hour: number, minute = 0) => Date.UTC(2026, 10, 21, hour - 8, minute);

describe('webKeyFor', () => {
  it('is md5sum of the key and the date, in lower-case hex', () => {
    // echo -n 'asjdfjklkasdf2026-11-21' | md5sum
    expect(webKeyFor(KEY, '2026-11-21')).toBe(createHash('md5').update('asjdfjklkasdf2026-11-21').digest('hex'));
    expect(webKeyFor(KEY, '2026-11-21')).toMatch(/^[0-9a-f]{32}$/);
    expect(webKeyFor(KEY, '2026-11-21')).not.toBe(webKeyFor(KEY, '2026-11-22'));
  });
});

describe('acceptedDays', () => {
  it('is today alone in the middle of the day, in the configured zone', () => {
    expect(acceptedDays(shanghai(10), days)).toEqual(['2026-11-21']);
    // 02:00 UTC on the 21st is 10:00 in Shanghai but still the 20th in New York.
    expect(acceptedDays(shanghai(10), createDayClock('America/New_York'))).toEqual(['2026-11-20']);
  });

  it('adds yesterday just after midnight and tomorrow just before it', () => {
    expect(acceptedDays(shanghai(0, 2), days)).toEqual(['2026-11-21', '2026-11-20']);
    expect(acceptedDays(shanghai(23, 58), days)).toEqual(['2026-11-21', '2026-11-22']);
    expect(acceptedDays(shanghai(0) + WEB_KEY_SKEW_MS + 1, days)).toEqual(['2026-11-21']);
    expect(acceptedDays(shanghai(24) - WEB_KEY_SKEW_MS - 1, days)).toEqual(['2026-11-21']);
  });
});

describe('checkWebKey', () => {
  const now = shanghai(10);

  it("accepts today's key, in either case and with surrounding spaces", () => {
    const key = webKeyFor(KEY, '2026-11-21');
    expect(checkWebKey(key, KEY, now, days)).toEqual({ ok: true });
    expect(checkWebKey(key.toUpperCase(), KEY, now, days)).toEqual({ ok: true });
    expect(checkWebKey(` ${key} `, KEY, now, days)).toEqual({ ok: true });
  });

  it.each([
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
    ["yesterday's at ten in the morning", webKeyFor(KEY, '2026-11-20'), 'is not'],
    ['of another key', webKeyFor('another-key', '2026-11-21'), 'is not'],
    ['the key itself', KEY, 'is not'],
    ['a prefix of the right digest', webKeyFor(KEY, '2026-11-21').slice(0, 31), 'is not'],
    ['the digest with a Bearer scheme', `Bearer ${webKeyFor(KEY, '2026-11-21')}`, 'is not'],
  ])('refuses a key %s with a reason naming the date', (_what, header, says) => {
    const check = checkWebKey(header, KEY, now, days);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reason).toContain(says);
    expect(check.reason).toContain('2026-11-21');
    expect(check.reason).not.toContain(KEY);
  });

  it("accepts the neighbouring day's key only near midnight", () => {
    expect(checkWebKey(webKeyFor(KEY, '2026-11-20'), KEY, shanghai(0, 3), days).ok).toBe(true);
    expect(checkWebKey(webKeyFor(KEY, '2026-11-22'), KEY, shanghai(23, 57), days).ok).toBe(true);
    expect(checkWebKey(webKeyFor(KEY, '2026-11-22'), KEY, shanghai(0, 3), days).ok).toBe(false);
    expect(checkWebKey(webKeyFor(KEY, '2026-11-20'), KEY, shanghai(23, 57), days).ok).toBe(false);
  });
});
