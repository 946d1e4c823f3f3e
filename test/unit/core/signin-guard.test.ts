// The sign-in guard's rules on a moving clock (no I/O): the window slides, locks end,
// and its tables stay bounded however many addresses fail.
import { describe, expect, it } from 'vitest';
import { SigninGuard } from '../../../src/core/signin-guard.js';

const MIN = 60_000;
const guard = (): SigninGuard => new SigninGuard({ failuresPerAddress: 3, windowMs: 10 * MIN, lockAfterAddresses: 3, lockMs: 15 * MIN });

describe('per address', () => {
  it('throttles at the limit and lets the address in again as failures leave the window', () => {
    const g = guard();
    expect(g.failed('1001', 'a', true, 0).addressThrottled).toBe(false);
    g.failed('1001', 'a', true, 1 * MIN);
    expect(g.failed('1002', 'a', false, 2 * MIN).addressThrottled).toBe(true);
    expect(g.refusal('1003', 'a', 3 * MIN)).toBe(-89);
    expect(g.refusal('1003', 'b', 3 * MIN)).toBe(0);
    // The first failure leaves the window at 10 min.
    expect(g.refusal('1003', 'a', 10 * MIN - 1)).toBe(-89);
    expect(g.refusal('1003', 'a', 10 * MIN)).toBe(0);
  });

  it('one address alone never locks an agent, however often it fails', () => {
    const g = guard();
    for (let i = 0; i < 100; i++) expect(g.failed('1001', 'a', true, i).locked).toBeUndefined();
    expect(g.lockOf('1001', 100)).toBeUndefined();
  });
});

describe('per agent', () => {
  it('locks after wrong passwords from enough addresses within the window; the lock ends by itself', () => {
    const g = guard();
    g.failed('1001', 'a', true, 0);
    g.failed('1001', 'b', true, 1 * MIN);
    // 'a' left the window: still two addresses.
    expect(g.failed('1001', 'c', true, 10 * MIN).locked).toBeUndefined();
    const lock = g.failed('1001', 'd', true, 10 * MIN + 1)?.locked;
    expect(lock).toEqual({ since: 10 * MIN + 1, until: 25 * MIN + 1, addresses: 3 });
    expect(g.refusal('1001', 'e', 11 * MIN)).toBe(-90);
    expect(g.refusal('1001', 'e', 25 * MIN + 1)).toBe(0);
  });

  it('unknown agent IDs and the right password do not count towards a lock', () => {
    const g = guard();
    for (const a of ['a', 'b', 'c']) expect(g.failed('9999', a, false, 0).locked).toBeUndefined();
    g.failed('1001', 'a', true, 0);
    g.failed('1001', 'b', true, 0);
    g.succeeded('1001');
    expect(g.failed('1001', 'c', true, 0).locked).toBeUndefined();
  });

  it('refusal and lockOf only read (the core’s query): what ended is dropped by the next change', () => {
    const g = guard();
    for (const a of ['a', 'b', 'c']) g.failed('1001', a, true, 0);
    g.failed('1002', 'a', true, 0);
    g.failed('1002', 'a', true, 0);
    expect(g.refusal('1001', 'a', 1)).toBe(-89);
    expect(g.refusal('1001', 'd', 1)).toBe(-90);
    const held = g.size;
    // The lock has ended and the failures have left the window: nothing refused, nothing changed.
    expect(g.refusal('1001', 'a', 30 * MIN)).toBe(0);
    expect(g.lockOf('1001', 30 * MIN)).toBeUndefined();
    expect(g.size).toBe(held);
    // A failure for 1001 drops its ended lock and starts its count again.
    expect(g.failed('1001', 'd', true, 30 * MIN).locked).toBeUndefined();
    expect(g.size).toBe(held + 1);
  });

  it('unlock lifts a lock and forgets the failures', () => {
    const g = guard();
    for (const a of ['a', 'b', 'c']) g.failed('1001', a, true, 0);
    expect(g.unlock('1001', 1)).toMatchObject({ addresses: 3 });
    expect(g.unlock('1001', 1)).toBeUndefined();
    expect(g.refusal('1001', 'z', 1)).toBe(0);
    expect(g.failed('1001', 'd', true, 2).locked).toBeUndefined();
  });
});

describe('memory', () => {
  it('100,000 failing addresses over a day leave the tables bounded by what is in the window', () => {
    const g = new SigninGuard({ failuresPerAddress: 20, windowMs: 10 * MIN, lockAfterAddresses: 5, lockMs: 15 * MIN });
    let largest = 0;
    for (let i = 0; i < 100_000; i++) {
      g.failed(String(100_000 + i), `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, false, i * 864);
      largest = Math.max(largest, g.size);
    }
    // One failure every 864 ms: ~700 addresses in any 10-minute window; the sweep runs at 10,000 entries.
    expect(largest).toBeLessThanOrEqual(10_000);
  });
});
