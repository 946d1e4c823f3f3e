// Issue 15, attacks 2: the ESL framer (src/esl/framer.ts) under arbitrary input, through
// its public API only. Frames written as FreeSWITCH writes them come out whole and in
// order however TCP cuts the stream; arbitrary bytes give frames or EslFramingError
// (the connection is then dropped), nothing else, and the framer never holds more than
// one header block and one body.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { EslFramer, EslFramingError } from '../../../src/esl/framer.js';
import { cuts, FUZZ, pieces } from '../../helpers/fuzz.js';

const MAX_HEADER = 512;
const MAX_BODY = 1024;

const headerName = fc.stringMatching(/^[A-Z][A-Za-z0-9-]{0,15}$/).filter((n) => n !== 'Content-Length' && n !== 'Content-Type');
/** Header values as they travel: any text without line breaks (FreeSWITCH URL-encodes event headers). */
const headerValue = fc.string({ unit: 'grapheme', maxLength: 20 }).map((v) => v.replace(/[\r\n]/g, ''));
const body = fc.uint8Array({ maxLength: MAX_BODY }).map((a) => Buffer.from(a));

interface Frame {
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
  readonly bytes: Buffer;
}

/** A command reply, an api response with its body, or an event in the exact head mod_event_socket writes. */
const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 6 }).map((headers) => ({
    headers,
    body: undefined,
    bytes: Buffer.from(`${Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n`),
  })),
  fc.tuple(fc.dictionary(headerName, headerValue, { maxKeys: 4 }), body).map(([more, b]) => {
    const headers = { ...more, 'Content-Type': 'api/response', 'Content-Length': String(b.length) };
    return { headers, body: b, bytes: Buffer.concat([Buffer.from(`${Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n`), b]) };
  }),
  fc.tuple(fc.constantFrom('json', 'plain'), body).map(([format, b]) => {
    const headers = { 'Content-Length': String(b.length), 'Content-Type': `text/event-${format}` };
    return { headers, body: b, bytes: Buffer.concat([Buffer.from(`Content-Length: ${b.length}\nContent-Type: text/event-${format}\n\n`), b]) };
  }),
);

it('frames come out whole and in order however the stream is cut', () => {
  fc.assert(
    fc.property(fc.array(frame, { maxLength: 12 }), cuts, (frames, lengths) => {
      const framer = new EslFramer({ maxHeaderBytes: MAX_HEADER, maxBodyBytes: MAX_BODY });
      const out: { headers: Record<string, string>; body: string | undefined }[] = [];
      for (const piece of pieces(Buffer.concat(frames.map((f) => f.bytes)), lengths)) {
        for (const f of framer.pushAll(piece)) out.push({ headers: f.headers, body: f.body?.toString('latin1') });
      }
      expect(out).toEqual(frames.map((f) => ({ headers: f.headers, body: f.body?.toString('latin1') })));
      expect(framer.buffered).toBe(0);
    }),
    FUZZ,
  );
});

/** Bytes that look like ESL often enough to reach every branch: header lines, blank lines, lengths true and false. */
const eslLike = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      fc.constantFrom('\n', '\n\n', '\r\n', '\n\r\n', ': ', 'Content-Length: ', 'Content-Type: text/event-json\n\n', 'Reply-Text: +OK\n\n').map((t) => Buffer.from(t)),
      fc.integer({ min: 0, max: 4 * MAX_BODY }).map((n) => Buffer.from(`Content-Length: ${n}\n\n`)),
      fc.constantFrom('Content-Length: -1\n\n', 'Content-Length: 1e3\n\n', 'Content-Length: 99999999999999999999\n\n').map((t) => Buffer.from(t)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => Buffer.concat(parts));

it('arbitrary bytes give frames or EslFramingError, and the framer holds at most one header block and one body', () => {
  fc.assert(
    fc.property(eslLike, cuts, (bytes, lengths) => {
      const framer = new EslFramer({ maxHeaderBytes: MAX_HEADER, maxBodyBytes: MAX_BODY });
      const cut = pieces(bytes, lengths);
      const largest = Math.max(0, ...cut.map((p) => p.length));
      for (const piece of cut) {
        try {
          framer.pushAll(piece);
        } catch (err) {
          // The connection drops the stream here: nothing more is fed.
          expect(err).toBeInstanceOf(EslFramingError);
          return;
        }
        expect(framer.buffered).toBeLessThanOrEqual(MAX_HEADER + MAX_BODY + largest);
      }
    }),
    FUZZ,
  );
});
