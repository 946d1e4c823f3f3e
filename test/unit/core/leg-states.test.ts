// A leg's state table and its one end reason (call-model.ts): the moves the switch's
// events make, what they cannot make, and how a leg's end is read once, when it ends.
import { describe, expect, it } from 'vitest';
import { Leg } from '../../../src/core/calls/call-model.js';

const leg = () => new Leg('u1', 'offer', '8001', 0, '1001');

describe('moves', () => {
  it('dialing → ringing → answered → bridged → answered → ended, each at most once', () => {
    const l = leg();
    expect(l.ring(1)).toBe(true);
    expect(l.ring(2)).toBe(false);
    expect(l.answer(3)).toBe(true);
    expect(l.answer(4)).toBe(false);
    expect(l.bridge('u2', 5)).toBe(true);
    expect([l.state, l.bridgedTo, l.bridgedAt]).toEqual(['bridged', 'u2', 5]);
    l.unbridge();
    expect([l.state, l.bridgedTo]).toEqual(['answered', undefined]);
    expect(l.end('NORMAL_CLEARING', 6)).toBe(true);
    expect(l.end('NORMAL_CLEARING', 7)).toBe(false);
    expect([l.state, l.endedAt, l.ringAt, l.answeredAt]).toEqual(['ended', 6, 1, 3]);
  });

  it('a ringing reported after the answer, and anything after the end, change nothing', () => {
    const l = leg();
    l.answer(1);
    expect(l.ring(2)).toBe(false);
    l.end('NORMAL_CLEARING', 3);
    expect([l.answer(4), l.bridge('u2', 4), l.ring(4)]).toEqual([false, false, false]);
    expect(l.bridgedTo).toBeUndefined();
  });

  it('a bridge reported before the answer still lets the answer count', () => {
    const l = leg();
    l.bridge('u2', 1);
    expect(l.answer(2)).toBe(true);
    expect(l.state).toBe('bridged');
  });
});

describe('the end reason', () => {
  const endOf = (setup: (l: Leg) => void, cause: string): string | undefined => {
    const l = leg();
    setup(l);
    l.end(cause, 9);
    return l.endReason;
  };

  it('what polylink asked for decides first, the most specific request winning', () => {
    expect(endOf((l) => l.askToEnd('kill'), 'NO_ANSWER')).toBe('cancelled');
    expect(endOf((l) => (l.askToEnd('kill'), l.askToEnd('release')), 'ORIGINATOR_CANCEL')).toBe('released');
    expect(endOf((l) => (l.askToEnd('withdraw'), l.askToEnd('kill')), 'ORIGINATOR_CANCEL')).toBe('withdrawn');
  });

  it('then the switch: shutdown, a hang-up after the answer, a refusal, a cancel, or no reaching the phone', () => {
    expect(endOf((l) => l.answer(1), 'SYSTEM_SHUTDOWN')).toBe('switch-shutdown');
    expect(endOf((l) => l.answer(1), 'NORMAL_CLEARING')).toBe('hung-up');
    expect(endOf((l) => l.ring(1), 'NO_ANSWER')).toBe('refused');
    expect(endOf((l) => l.ring(1), 'USER_BUSY')).toBe('refused');
    expect(endOf((l) => l.ring(1), 'ORIGINATOR_CANCEL')).toBe('originator-cancel');
    expect(endOf(() => undefined, 'USER_NOT_REGISTERED')).toBe('unreachable');
    expect(endOf(() => undefined, 'NORMAL_CIRCUIT_CONGESTION')).toBe('unreachable');
  });

  it('only the first request asks the switch', () => {
    const l = leg();
    expect(l.askToEnd('kill')).toBe(true);
    expect(l.askToEnd('release')).toBe(false);
    expect(l.endRequest).toBe('release');
  });
});
