/**
 * Seed 001's authentication: with a WEBKEY configured (api.webKey), a request carries
 * `Authorization: md5(WEBKEY + 'YYYY-MM-DD')`, the date being today's in the configured
 * time zone. The key changes at midnight; the two systems' clocks never agree to the
 * second, so within WEB_KEY_SKEW_MS of midnight the other day's key is accepted too.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DayClock } from '../time-format.js';

export const WEB_KEY_SKEW_MS = 5 * 60_000;

export type WebKeyCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** md5(webKey + day) in lower-case hex, as `md5sum` prints it. */
export function webKeyFor(webKey: string, day: string): string {
  return createHash('md5').update(webKey + day, 'utf8').digest('hex');
}

/** The days whose key is good at `now`: today, and yesterday or tomorrow near midnight. */
export function acceptedDays(now: number, days: DayClock): string[] {
  return [...new Set([days.dayOf(now), days.dayOf(now - WEB_KEY_SKEW_MS), days.dayOf(now + WEB_KEY_SKEW_MS)])];
}

export function checkWebKey(authorization: string | undefined, webKey: string, now: number, days: DayClock): WebKeyCheck {
  const today = days.dayOf(now);
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, reason: `Authorization header missing: send md5(WEBKEY + '${today}')` };
  }
  // md5sum prints lower case; some tools print upper case. Both are the same digest.
  const given = Buffer.from(authorization.trim().toLowerCase(), 'utf8');
  let match = false;
  for (const day of acceptedDays(now, days)) {
    const expected = Buffer.from(webKeyFor(webKey, day), 'utf8');
    // Every candidate is compared, in constant time, so the timing tells nothing about the key.
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  return match ? { ok: true } : { ok: false, reason: `Authorization is not md5(WEBKEY + '${today}')` };
}
