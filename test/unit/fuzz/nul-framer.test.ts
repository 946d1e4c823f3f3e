// Issue 15, attacks 2: the agent protocol's TCP framing under arbitrary input. Whatever
// bytes arrive, cut however TCP cuts them, the framer returns the messages between NULs
// in order, reports a message over its limit once, and never holds more than the limit.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { NulFramer } from '../../../src/protocol/nul-framer.js';
import { cuts, FUZZ, pieces } from '../../helpers/fuzz.js';

const LIMIT = 256;
/** A message's bytes: anything but NUL. */
const message = fc.uint8Array({ minLength: 0, maxLength: LIMIT + 40 }).map((a) => Buffer.from(a.map((b) => (b === 0 ? 1 : b))));

it('messages come out whole and in order; the first one over the limit ends the stream; the buffer stays under the limit', () => {
  fc.assert(
    fc.property(fc.array(message, { maxLength: 20 }), cuts, (messages, lengths) => {
      const framer = new NulFramer(LIMIT);
      const stream = Buffer.concat(messages.flatMap((m) => [m, Buffer.from([0])]));
      const out: string[] = [];
      for (const piece of pieces(stream, lengths)) {
        for (const f of framer.push(piece)) out.push(f.kind === 'message' ? f.bytes.toString('latin1') : '<oversize>');
        expect(framer.buffered).toBeLessThanOrEqual(LIMIT);
      }
      const expected: string[] = [];
      for (const m of messages) {
        if (m.length > LIMIT) {
          expected.push('<oversize>');
          break;
        }
        if (m.length > 0) expected.push(m.toString('latin1'));
      }
      expect(out).toEqual(expected);
    }),
    FUZZ,
  );
});

it('arbitrary bytes never throw and never grow the buffer past the limit', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), cuts, (bytes, lengths) => {
      const framer = new NulFramer(LIMIT);
      for (const piece of pieces(Buffer.from(bytes), lengths)) {
        for (const f of framer.push(piece)) if (f.kind === 'message') expect(f.bytes.length).toBeLessThanOrEqual(LIMIT);
        expect(framer.buffered).toBeLessThanOrEqual(LIMIT);
      }
    }),
    FUZZ,
  );
});
