import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';

describe('ManualClock', () => {
  it('fires timers in due order as time advances, ties in creation order', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimer(30, () => fired.push('c'));
    clock.setTimer(10, () => fired.push('a'));
    clock.setTimer(10, () => fired.push('b'));
    clock.advance(9);
    expect(fired).toEqual([]);
    clock.advance(21);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(30);
  });

  it('runs timers set by timers when they fall inside the advance', () => {
    const clock = new ManualClock(0);
    const times: number[] = [];
    clock.setTimer(5, () => {
      times.push(clock.now());
      clock.setTimer(5, () => times.push(clock.now()));
    });
    clock.advance(20);
    expect(times).toEqual([5, 10]);
  });

  it('does not fire a cleared timer', () => {
    const clock = new ManualClock(0);
    let fired = false;
    const t = clock.setTimer(5, () => (fired = true));
    clock.clearTimer(t);
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });
});

describe('ManualClock with many timers', () => {
  it('fires thousands of timers in due order, ties in creation order, skipping cancelled ones', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const handles = [];
    let seed = 1;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const dues: [number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const due = Math.floor(rand() * 1000);
      dues.push([due, i]);
      handles.push(clock.setTimer(due, () => fired.push(i)));
    }
    for (let i = 0; i < 5000; i += 7) clock.clearTimer(handles[i]);
    clock.advance(1000);
    const expected = dues.filter(([, i]) => i % 7 !== 0).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
    expect(fired).toEqual(expected);
    expect(clock.pending).toBe(0);
  });
});

describe('ManualClock.nextDue', () => {
  it('is the due time of the earliest live timer, past cancelled ones, and nothing once all fired', () => {
    const clock = new ManualClock(100);
    expect(clock.nextDue).toBeUndefined();
    const first = clock.setTimer(10, () => undefined);
    clock.setTimer(30, () => undefined);
    expect(clock.nextDue).toBe(110);
    clock.clearTimer(first);
    expect(clock.nextDue).toBe(130);
    clock.advance(30);
    expect(clock.nextDue).toBeUndefined();
    expect(clock.pending).toBe(0);
  });
});
