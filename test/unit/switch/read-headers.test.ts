// The ESL client decodes only the headers polylink names (READ_HEADERS, subscription.ts):
// a header read by the event mapper or the sequence monitor and missing from the list would
// read as absent. Over every event of every capture (JSON and plain), this records each
// header those read and checks it is named, and checks that an event cut down to the named
// headers maps and is observed exactly as the whole event is.
import { describe, expect, it } from 'vitest';
import type { EslEvent } from '../../../src/esl/event.js';
import { mapEslEvent, type MapContext } from '../../../src/switch/freeswitch/event-mapper.js';
import { SequenceMonitor } from '../../../src/switch/freeswitch/sequence-monitor.js';
import { READ_HEADERS } from '../../../src/switch/freeswitch/subscription.js';
import { captureEvents } from '../../helpers/capture-events.js';
import { captureNames } from '../../helpers/esl-captures.js';

const context: MapContext = {
  node: 'fs1',
  now: 42,
  // Every job is taken for an originate of ours, so BACKGROUND_JOB's headers are read too.
  originateJob: () => ({ uuid: 'u-1', vars: { call: 'c-1' } }),
};

/** The event with only the headers the ESL client would decode (READ_HEADERS and its own). */
function cutDown(event: EslEvent): EslEvent {
  const keep = new Set([...READ_HEADERS, 'Event-Name', 'Event-Subclass', 'Job-UUID']);
  return { ...event, headers: Object.fromEntries(Object.entries(event.headers).filter(([k]) => keep.has(k))) };
}

describe('the headers polylink reads of a switch event', () => {
  it('are all named in READ_HEADERS, over every event of every capture', () => {
    const read = new Set<string>();
    const monitor = new SequenceMonitor(2_000);
    let events = 0;
    for (const name of captureNames()) {
      for (const event of captureEvents(name)) {
        const headers = new Proxy(event.headers, {
          get(target, key, receiver) {
            if (typeof key === 'string') read.add(key);
            return Reflect.get(target, key, receiver) as unknown;
          },
        });
        const watched = { ...event, headers };
        mapEslEvent(watched, context);
        monitor.observe(watched, 0);
        events++;
      }
    }
    expect(events).toBeGreaterThan(200);
    expect([...read].filter((h) => !READ_HEADERS.includes(h)).sort()).toEqual([]);
  });

  it('map and are observed the same cut down to READ_HEADERS as whole', () => {
    for (const name of captureNames()) {
      const whole = new SequenceMonitor(2_000);
      const cut = new SequenceMonitor(2_000);
      captureEvents(name).forEach((event, i) => {
        expect(mapEslEvent(cutDown(event), context), `${name} event ${i}`).toEqual(mapEslEvent(event, context));
        expect(cut.observe(cutDown(event), i)).toEqual(whole.observe(event, i));
      });
      expect(cut.counters).toEqual(whole.counters);
    }
  });
});
