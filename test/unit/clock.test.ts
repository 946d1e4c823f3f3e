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
