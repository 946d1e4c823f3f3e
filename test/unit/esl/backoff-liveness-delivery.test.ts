/** Backoff delays, the liveness monitor and the delivery queue, on a manual clock. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { Backoff } from '../../../src/esl/backoff.js';
import { BehindGauge } from '../../../src/esl/behind-gauge.js';
import { DeliveryQueue } from '../../../src/esl/delivery-queue.js';
import { LivenessMonitor } from '../../../src/esl/liveness.js';
import { captureLog } from '../../helpers/capture-log.js';

describe('Backoff', () => {
  it('doubles from 200 ms to 5 s; jitter only ever shortens', () => {
    const none = new Backoff(undefined, () => 0);
    expect(Array.from({ length: 8 }, () => none.next())).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    const most = new Backoff(undefined, () => 1);
    expect(Array.from({ length: 3 }, () => most.next())).toEqual([160, 320, 640]);
    none.reset();
    expect(none.next()).toBe(200);
    expect(none.attempts).toBe(1);
  });
});

describe('LivenessMonitor', () => {
  function monitor(answer: boolean) {
    const clock = new ManualClock(0);
    let last = 0;
    const probes: number[] = [];
    const dead: string[] = [];
    const m = new LivenessMonitor(clock, { idleMs: 5_000, probeTimeoutMs: 3_000 }, {
      lastActivity: () => last,
      probe: async (timeout) => {
        probes.push(clock.now());
        if (answer) last = clock.now();
        expect(timeout).toBe(3_000);
        return answer;
      },
      dead: (reason) => dead.push(reason),
    });
    return { clock, m, probes, dead, touch: () => (last = clock.now()) };
  }

  it('probes only after a full quiet period, counted from the last byte', async () => {
    const { clock, m, probes, touch } = monitor(true);
    m.start();
    clock.advance(3_000);
    touch();
    clock.advance(4_999);
    expect(probes).toEqual([]);
    clock.advance(1);
    await Promise.resolve();
    expect(probes).toEqual([8_000]);
    m.stop();
    clock.advance(60_000);
    expect(probes).toEqual([8_000]);
  });

  it('declares the link dead when a probe is not answered', async () => {
    const { clock, m, dead } = monitor(false);
    m.start();
    clock.advance(5_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toContain('no reply to the liveness probe');
  });
});

describe('DeliveryQueue', () => {
  it('delivers in order, awaiting an async consumer, while pushes return at once', async () => {
    const { log } = captureLog();
    const seen: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new DeliveryQueue<number>(async (n) => {
      if (n === 0) await gate;
      seen.push(n);
    }, { log, name: 't', warnAt: 10 });
    for (let i = 0; i < 100; i++) q.push(i);
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([]);
    expect(q.depth).toBe(99);
    release();
    while (seen.length < 100) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(q.highWater).toBe(100);
  });

  it('logs the backlog at each power of ten and when it catches up', async () => {
    const logs = captureLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new DeliveryQueue<number>(() => gate, { log: logs.log, name: 'core', warnAt: 10 });
    for (let i = 0; i < 150; i++) q.push(i);
    expect(logs.entries('consumer is behind; buffering in memory').map((e) => e['depth'])).toEqual([10, 100]);
    release();
    while (q.delivered < 150) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(logs.entries('consumer caught up')).toHaveLength(1);
  });

  it('yields to I/O and timers after about 2 ms of a slow synchronous consumer, not only every 256 items', async () => {
    const { log } = captureLog();
    let delivered = 0;
    let atTimer!: Promise<number>;
    const q = new DeliveryQueue<number>((n) => {
      // A timer set while the queue drains runs at its first yield.
      if (n === 0) atTimer = new Promise((r) => setTimeout(() => r(delivered), 0));
      const until = performance.now() + 1;
      while (performance.now() < until); // a consumer that costs 1 ms per item
      delivered++;
    }, { log, name: 't' });
    for (let i = 0; i < 40; i++) q.push(i);
    while (q.delivered < 40) await new Promise((r) => setImmediate(r));
    // Two or three items of 1 ms make a slice; a 10 ms slice would have let ten go first.
    expect(await atTimer).toBeGreaterThanOrEqual(1);
    expect(await atTimer).toBeLessThanOrEqual(4);
  });

  it('skips an item whose consumer throws and goes on', async () => {
    const { log } = captureLog();
    const seen: number[] = [];
    const q = new DeliveryQueue<number>((n) => {
      if (n === 1) throw new Error('boom');
      seen.push(n);
    }, { log, name: 't' });
    [0, 1, 2].forEach((n) => q.push(n));
    while (seen.length < 2) await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([0, 2]);
    expect(q.failed).toBe(1);
  });

  it('asks the producer to stop at its limit, once, and says when the backlog is down to a tenth', async () => {
    const logs = captureLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const q: DeliveryQueue<number> = new DeliveryQueue<number>((n) => (n === 0 ? gate : undefined), {
      log: logs.log,
      name: 'core',
      limit: 100,
      onFull: (depth) => {
        calls.push(`full at ${depth}`);
        q.push(-1); // the owner's reaction may queue one more item (a node-down) before push returns
      },
      onDrained: () => calls.push(`drained at ${q.depth}`),
    });
    for (let i = 0; i < 150; i++) q.push(i);
    expect(calls).toEqual(['full at 100']);
    expect(q.isFull).toBe(true);
    expect(q.depth).toBe(151);
    expect(q.dropped).toBe(0);
    release();
    while (q.delivered < 151) await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['full at 100', 'drained at 10']);
    expect(q.isFull).toBe(false);
    expect(q.fullTimes).toBe(1);
    expect(logs.entries('consumer is too far behind; asking the producer to stop')).toHaveLength(1);
  });

  it('refuses items past twice its limit, counting and logging them, when the producer does not stop', async () => {
    const logs = captureLog();
    const q = new DeliveryQueue<number>(() => new Promise<void>(() => undefined), { log: logs.log, name: 'core', limit: 50 });
    for (let i = 0; i < 130; i++) q.push(i);
    expect(q.depth).toBe(100);
    expect(q.dropped).toBe(30);
    // The stuck consumer takes the first item: one more fits.
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 10; i++) q.push(i);
    expect(q.depth).toBe(100);
    expect(q.dropped).toBe(39);
    expect(logs.entries('backlog past twice its limit; items dropped')).toHaveLength(1);
  });

  it('says once when its consumer falls behind (by depth or by the age of the oldest item) and once when it has caught up', async () => {
    const logs = captureLog();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const changes: string[] = [];
    const q = new DeliveryQueue<number>((n) => (n === 0 ? gate : undefined), {
      log: logs.log,
      name: 'core',
      behind: { limits: { enterAgeMs: 60_000, leaveAgeMs: 30_000, enterDepth: 20, leaveDepth: 5 }, onChange: (on, depth) => changes.push(`${on ? 'behind' : 'caught up'} at ${depth}`) },
    });
    for (let i = 0; i < 40; i++) q.push(i);
    expect(changes).toEqual(['behind at 20']);
    expect(q.isBehind).toBe(true);
    expect(q.oldestAgeMs).toBeGreaterThanOrEqual(0);
    release();
    while (q.delivered < 40) await new Promise((r) => setImmediate(r));
    expect(changes).toEqual(['behind at 20', 'caught up at 5']);
    expect(q.behindTimes).toBe(1);
    expect(q.oldestAgeMs).toBe(0);
  });
});

describe('BehindGauge', () => {
  const limits = { enterAgeMs: 2_000, leaveAgeMs: 500, enterDepth: 100, leaveDepth: 10 };

  it('enters on either threshold and leaves only below both (hysteresis)', () => {
    const g = new BehindGauge(limits);
    expect(g.update(99, 1_999)).toBeUndefined();
    expect(g.update(5, 2_000)).toBe(true);
    // Between the thresholds nothing changes, however often it is asked.
    expect(g.update(50, 1_000)).toBeUndefined();
    expect(g.update(5, 501)).toBeUndefined();
    expect(g.update(11, 100)).toBeUndefined();
    expect(g.update(10, 500)).toBe(false);
    expect(g.update(99, 1_999)).toBeUndefined();
    expect(g.update(100, 0)).toBe(true);
    expect(g.times).toBe(2);
  });
});
