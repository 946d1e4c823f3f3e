// The delivery thread's pace on a test clock: it starts at its floor, a second the core
// was busy halves it (never below the floor), a calm one raises it by half (never above
// the ceiling), a second without a report counts as busy, and POSTs go at the rate.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { Pace, type PaceOptions } from '../../../src/webhooks/pace.js';

const OPTIONS: PaceOptions = { floorPerSecond: 100, ceilingPerSecond: 1000, busyUtilisation: 0.9, busyDelayMs: 20 };
const CALM = { utilisation: 0.3, delayMs: 1, written: 0 };
const BUSY_LOOP = { utilisation: 0.95, delayMs: 1, written: 0 };
const LATE_TIMERS = { utilisation: 0.5, delayMs: 25, written: 0 };

/** Takes `n` turns and counts those granted as the clock moves `stepMs` at a time for `ms`. */
async function granted(pace: Pace, clock: ManualClock, n: number, ms: number, stepMs = 1): Promise<number> {
  let got = 0;
  for (let i = 0; i < n; i++) void pace.take().then(() => got++);
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    await Promise.resolve();
  }
  await Promise.resolve();
  return got;
}

describe('Pace', () => {
  it('starts at its floor and follows the core: halved when busy, raised by half when calm, within its bounds', () => {
    const clock = new ManualClock();
    const pace = new Pace(OPTIONS, clock);
    expect(pace.perSecond()).toBe(100);
    pace.heard(CALM);
    expect(pace.perSecond()).toBe(150);
    for (let i = 0; i < 10; i++) pace.heard(CALM);
    expect(pace.perSecond()).toBe(1000);
    pace.heard(BUSY_LOOP);
    expect(pace.perSecond()).toBe(500);
    pace.heard(LATE_TIMERS);
    expect(pace.perSecond()).toBe(250);
    pace.heard(BUSY_LOOP);
    pace.heard(BUSY_LOOP);
    expect(pace.perSecond()).toBe(100);
    pace.stop();
  });

  it('keeps its floor above the pushes being written: a backlog shrinks by the floor however busy the core', () => {
    const clock = new ManualClock();
    const pace = new Pace(OPTIONS, clock);
    pace.heard({ ...BUSY_LOOP, written: 450 });
    expect(pace.perSecond()).toBe(550);
    pace.heard({ ...BUSY_LOOP, written: 2000 });
    // Above the ceiling too: a floor the calls' own pushes set wins.
    expect(pace.perSecond()).toBe(2100);
    pace.heard({ ...CALM, written: 2000 });
    expect(pace.perSecond()).toBe(2100);
    pace.heard({ ...BUSY_LOOP, written: 0 });
    expect(pace.perSecond()).toBe(1000);
    pace.stop();
  });

  it('counts a second without a report as a busy one', () => {
    const clock = new ManualClock();
    const pace = new Pace(OPTIONS, clock);
    for (let i = 0; i < 10; i++) pace.heard(CALM);
    expect(pace.perSecond()).toBe(1000);
    clock.advance(2000);
    expect(pace.perSecond()).toBe(1000);
    clock.advance(1000);
    expect(pace.perSecond()).toBe(500);
    clock.advance(1000);
    expect(pace.perSecond()).toBe(250);
    pace.heard(CALM);
    clock.advance(1000);
    expect(pace.perSecond()).toBe(375);
    pace.stop();
  });

  it('lets POSTs go at its rate, in the order they asked', async () => {
    const clock = new ManualClock();
    const pace = new Pace(OPTIONS, clock);
    const order: number[] = [];
    for (let i = 0; i < 30; i++) void pace.take().then(() => order.push(i));
    await Promise.resolve();
    // Nothing saved at the start: the first turn comes 10 ms in at 100/s.
    expect(order).toEqual([]);
    for (let t = 0; t < 200; t++) {
      clock.advance(1);
      await Promise.resolve();
    }
    expect(order.length).toBeGreaterThanOrEqual(19);
    expect(order.length).toBeLessThanOrEqual(20);
    expect(order).toEqual(Array.from({ length: order.length }, (_, i) => i));
    pace.stop();
    await Promise.resolve();
    expect(order).toHaveLength(30);
  });

  it('goes faster once the core is calm', async () => {
    const clock = new ManualClock();
    const pace = new Pace(OPTIONS, clock);
    const atFloor = await granted(pace, clock, 1000, 1000);
    pace.stop();
    const fast = new Pace(OPTIONS, clock);
    for (let i = 0; i < 10; i++) fast.heard(CALM);
    const atCeiling = await granted(fast, clock, 2000, 1000);
    fast.stop();
    expect(atFloor).toBeGreaterThanOrEqual(99);
    expect(atFloor).toBeLessThanOrEqual(101);
    expect(atCeiling).toBeGreaterThanOrEqual(990);
    expect(atCeiling).toBeLessThanOrEqual(1001);
  });

  it('does not pace at all with a floor of 0', async () => {
    const clock = new ManualClock();
    const pace = new Pace({ ...OPTIONS, floorPerSecond: 0 }, clock);
    expect(pace.enabled).toBe(false);
    expect(pace.perSecond()).toBe(Infinity);
    let got = 0;
    for (let i = 0; i < 500; i++) void pace.take().then(() => got++);
    await Promise.resolve();
    expect(got).toBe(500);
    expect(clock.pending).toBe(0);
  });
});
