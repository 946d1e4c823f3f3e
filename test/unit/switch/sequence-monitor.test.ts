import { describe, expect, it } from 'vitest';
import type { EslEvent } from '../../../src/esl/event.js';
import { SequenceMonitor } from '../../../src/switch/freeswitch/sequence-monitor.js';
import { captureEvents } from '../../helpers/capture-events.js';
import { captureNames } from '../../helpers/esl-captures.js';

const CORE = 'e3fc0155-d36e-41b5-82a1-40b741527370';

function create(sessionId: number, sequence: number, core = CORE): EslEvent {
  const headers = { 'Event-Name': 'CHANNEL_CREATE', 'Core-UUID': core, 'Event-Sequence': String(sequence), variable_session_id: String(sessionId) };
  return { name: 'CHANNEL_CREATE', subclass: undefined, headers, body: undefined };
}

describe('SequenceMonitor', () => {
  it('raises no false alarm on real traffic, although Event-Sequence skips and reorders; a restart only where the switch restarted', () => {
    // The captures come from more than one run of the switch (d2, k and m were made after
    // FreeSWITCH had been restarted): a restart between two runs is real. Captures are fed
    // run by run, each capture as its own connection.
    const runs = new Map<string, string[]>();
    for (const name of captureNames()) {
      const core = captureEvents(name).find((e) => e.headers['Core-UUID'] !== undefined)?.headers['Core-UUID'];
      if (core === undefined) continue; // no event at all (a2)
      runs.set(core, [...(runs.get(core) ?? []), name]);
    }
    expect(runs.size).toBeGreaterThan(1);
    const monitor = new SequenceMonitor(2_000);
    let now = 0;
    const resyncs: string[] = [];
    for (const names of runs.values()) {
      for (const name of names) {
        monitor.newSession();
        for (const event of captureEvents(name)) {
          const reason = monitor.observe(event, (now += 1));
          if (reason) resyncs.push(`${name}: ${reason}`);
        }
        const reason = monitor.check((now += 10_000));
        if (reason) resyncs.push(`${name}: ${reason} (after)`);
      }
    }
    // Nothing within a run; at the first event of each later run, its new Core-UUID.
    expect(resyncs).toEqual([...runs.values()].slice(1).map((names) => `${names[0]}: switch-restarted`));
    expect(monitor.counters.restarts).toBe(runs.size - 1);
    expect(monitor.counters.lostCreates).toBe(0);
    // What a naive "gap means loss" rule would have fired on:
    expect(monitor.counters.sequenceSkipped).toBeGreaterThan(100);
    expect(monitor.counters.outOfOrder).toBeGreaterThan(10);
  });

  it('reports a CHANNEL_CREATE that never arrives, once its grace period is over', () => {
    const monitor = new SequenceMonitor(2_000);
    expect(monitor.observe(create(10, 100), 0)).toBeUndefined();
    expect(monitor.observe(create(12, 140), 5)).toBeUndefined(); // 11 is missing
    expect(monitor.nextDeadline).toBe(2_005);
    expect(monitor.check(2_004)).toBeUndefined();
    expect(monitor.check(2_005)).toBe('events-lost');
    expect(monitor.counters.lostCreates).toBe(1);
    expect(monitor.check(9_999)).toBeUndefined();
  });

  it('forgives a CHANNEL_CREATE that arrives late, within the grace period', () => {
    const monitor = new SequenceMonitor(2_000);
    monitor.observe(create(10, 100), 0);
    monitor.observe(create(12, 140), 5);
    expect(monitor.observe(create(11, 120), 50)).toBeUndefined();
    expect(monitor.check(60_000)).toBeUndefined();
    expect(monitor.counters.outOfOrder).toBe(1);
  });

  it('reports a restart when Core-UUID changes, across sessions', () => {
    const monitor = new SequenceMonitor();
    monitor.observe(create(10, 100), 0);
    monitor.newSession();
    expect(monitor.observe(create(1, 5, '0b0b0b0b-0000-4000-8000-000000000000'), 10)).toBe('switch-restarted');
    expect(monitor.counters.restarts).toBe(1);
  });

  it('counts a huge burst as lost without tracking each id', () => {
    const monitor = new SequenceMonitor();
    monitor.observe(create(1, 1), 0);
    expect(monitor.observe(create(50_000, 2), 1)).toBe('events-lost');
    expect(monitor.counters.lostCreates).toBe(49_998);
    expect(monitor.nextDeadline).toBeUndefined();
  });
});
