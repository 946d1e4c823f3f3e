// The selective JSON event decode (src/esl/header-selection.ts) against JSON.parse: for
// every JSON event of the real captures and for random flat objects of strings, the headers
// it keeps are exactly JSON.parse's restricted to the selection, and the body is the same;
// whatever is not a flat object of strings as FreeSWITCH writes it is left to JSON.parse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeFrameReading } from '../../../src/esl/event.js';
import { HeaderSelection } from '../../../src/esl/header-selection.js';
import { captureFrames } from '../../helpers/capture-events.js';
import { captureNames } from '../../helpers/esl-captures.js';

const NAMES = ['Event-Name', 'Unique-ID', 'Caller-Caller-ID-Name', 'variable_polylink_call', 'variable_DP_MATCH', 'Job-UUID', 'realm', 'a', 'k"q', 'sl\\'];

/** JSON.parse's object restricted to `names`, a value that is not a string as its JSON text (event.ts). */
function restricted(all: Record<string, unknown>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (Object.hasOwn(all, n) && n !== '_body') out[n] = typeof all[n] === 'string' ? (all[n] as string) : JSON.stringify(all[n]);
  return out;
}

describe('the selective JSON event decode', () => {
  it('gives JSON.parse’s values of the selected headers for every JSON event of the captures', () => {
    const selection = new HeaderSelection(NAMES);
    let events = 0;
    for (const name of captureNames()) {
      for (const frame of captureFrames(name)) {
        if (frame.headers['Content-Type'] !== 'text/event-json') continue;
        const full = decodeFrame(frame);
        const selected = decodeFrameReading(frame, selection);
        expect(full.kind).toBe('event');
        expect(selected.kind).toBe('event');
        if (full.kind !== 'event' || selected.kind !== 'event') continue;
        expect(selected.event.headers).toEqual(restricted(full.event.headers, NAMES));
        expect(selected.event.name).toBe(full.event.name);
        expect(selected.event.body).toBe(full.event.body);
        // The scan itself took it (no fall-back to JSON.parse): FreeSWITCH's JSON is what it expects.
        expect(selection.scan(frame.body!.toString('latin1'))).toBeDefined();
        events++;
      }
    }
    expect(events).toBeGreaterThan(50);
  });

  it('agrees with JSON.parse on random flat objects of strings and arrays of strings (escapes, quotes, backslashes, unicode, _body)', () => {
    const key = fc.oneof(fc.constantFrom(...NAMES, '_body'), fc.string({ maxLength: 8 }));
    const chars = fc.string({ maxLength: 12, unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0001', ',', ':', '[', ']', '{', '}'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
    const value = fc.oneof({ weight: 4, arbitrary: chars }, { weight: 1, arbitrary: fc.array(chars, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (pairs) => {
        const object = Object.fromEntries(pairs);
        const text = JSON.stringify(object);
        const selection = new HeaderSelection(NAMES);
        const scanned = selection.scan(text);
        if (typeof object['_body'] !== 'string' && object['_body'] !== undefined) {
          // A _body that is not a string is left to the whole decode.
          expect(scanned).toBeUndefined();
          return;
        }
        // A key written with an escape (FreeSWITCH's never are) may be left to it too; else the scan takes the event.
        if (scanned === undefined && Object.keys(object).some((k) => JSON.stringify(k).includes('\\'))) return;
        expect(scanned).toBeDefined();
        expect(scanned!.headers).toEqual(restricted(object, NAMES));
        expect(scanned!.body).toBe(object['_body']);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves to JSON.parse what FreeSWITCH does not write: white space, values that are not strings, trailing bytes', () => {
    const selection = new HeaderSelection(NAMES);
    for (const text of ['{ "a":"1"}', '{"a": "1"}', '{"a":1}', '{"a":"1","b":null}', '{"a":"1"} ', '{"a":"1"}x', '["a"]', '{"a":"1"', '', '{"a":"1",}']) {
      expect(selection.scan(text), text).toBeUndefined();
    }
    expect(selection.scan('{}')).toEqual({ headers: {}, body: undefined });
  });

  it('still decodes such an event whole, and a broken one as malformed', () => {
    const selection = new HeaderSelection(NAMES);
    const frame = (body: string) => ({ headers: { 'Content-Type': 'text/event-json' }, body: Buffer.from(body) });
    const spaced = decodeFrameReading(frame('{"Event-Name": "HEARTBEAT", "n": 3}'), selection);
    expect(spaced).toMatchObject({ kind: 'event', event: { name: 'HEARTBEAT', headers: { 'Event-Name': 'HEARTBEAT', n: '3' } } });
    expect(decodeFrameReading(frame('{"Event-Name":"X'), selection).kind).toBe('malformed');
  });
});
