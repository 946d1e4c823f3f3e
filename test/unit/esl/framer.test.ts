import { describe, expect, it } from 'vitest';
import { EslFramer, EslFramingError, type EslFrame } from '../../../src/esl/framer.js';
import { decodeFrame } from '../../../src/esl/event.js';
import { captureNames, readCapture, readSummary } from '../../helpers/esl-captures.js';

/** Bodies are views valid only inside the callback (framer.ts): keep copies. */
function keep(frame: EslFrame): EslFrame {
  return frame.body === undefined ? frame : { ...frame, body: Buffer.from(frame.body) };
}

function frameAll(chunks: Iterable<Buffer>, framer = new EslFramer()): EslFrame[] {
  const out: EslFrame[] = [];
  for (const chunk of chunks) framer.push(chunk, (f) => out.push(keep(f)));
  expect(framer.buffered).toBe(0);
  return out;
}

function oneByteAtATime(buf: Buffer): Buffer[] {
  const bytes: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) bytes.push(buf.subarray(i, i + 1));
  return bytes;
}

/** Byte length of a frame as it was on the wire. */
function wireLength(frame: EslFrame): number {
  const head = Object.entries(frame.headers).map(([k, v]) => `${k}: ${v}\n`).join('');
  return Buffer.byteLength(head) + 1 + (frame.body?.length ?? 0);
}

function sameFrames(actual: EslFrame[], expected: EslFrame[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as EslFrame;
    const e = expected[i] as EslFrame;
    expect(a.headers).toEqual(e.headers);
    expect(a.body?.equals(e.body ?? Buffer.alloc(0)) ?? e.body === undefined).toBe(true);
  }
}

describe('EslFramer on real FreeSWITCH captures', () => {
  for (const name of captureNames()) {
    // The summaries' byte offsets predate the rewrite of install paths, so frames are
    // matched by order and name, and their wire lengths must add up to the file.
    it(`${name}: the frames of the summary, in order, covering every byte`, () => {
      const raw = readCapture(name);
      const frames = frameAll([raw]);
      const summary = readSummary(name);
      expect(frames.length).toBe(summary.length);
      let offset = 0;
      frames.forEach((frame, i) => {
        const line = summary[i]!;
        const msg = decodeFrame(frame);
        if (line.kind === 'event') {
          expect(msg.kind).toBe('event');
          if (msg.kind === 'event') {
            expect(msg.event.name).toBe(line.name);
            expect(msg.event.subclass).toBe(line.subclass);
          }
        } else {
          expect(frame.headers['Content-Type']).toBe(line.name);
        }
        offset += wireLength(frame);
      });
      expect(offset).toBe(raw.length);
    });
  }

  it('splitting a capture at every byte offset gives the same frames', () => {
    const raw = readCapture('a_connect_auth_api_bgapi');
    const whole = frameAll([raw]);
    for (let cut = 1; cut < raw.length; cut++) {
      sameFrames(frameAll([raw.subarray(0, cut), raw.subarray(cut)]), whole);
    }
  });

  it('splits at every offset around every frame and header boundary of every capture', () => {
    for (const name of captureNames()) {
      const raw = readCapture(name);
      const whole = frameAll([raw]);
      const starts = [0];
      for (const frame of whole) starts.push(starts.at(-1)! + wireLength(frame));
      // Each cut is tried on a window of two frames: the frame it falls in and the next.
      for (let k = 0; k < whole.length; k++) {
        const from = starts[k]!;
        const to = starts[Math.min(k + 2, whole.length)]!;
        const window = raw.subarray(from, to);
        const expected = whole.slice(k, k + 2);
        // Every place where a blank line sits: the cuts that break naive framers.
        for (let i = window.indexOf('\n\n'); i !== -1; i = window.indexOf('\n\n', i + 1)) {
          if (from + i >= starts[k + 1]!) break;
          for (let d = -2; d <= 3; d++) {
            const cut = i + d;
            if (cut > 0 && cut < window.length) {
              sameFrames(frameAll([window.subarray(0, cut), window.subarray(cut)]), expected);
            }
          }
        }
      }
    }
  });

  it('one byte at a time gives the same frames for every capture', () => {
    for (const name of captureNames()) {
      const raw = readCapture(name);
      const whole = frameAll([raw]);
      sameFrames(frameAll(oneByteAtATime(raw)), whole);
    }
  });

  it('random chunk sizes give the same frames', () => {
    const raw = readCapture('b_inbound_park_bridge_hangup_json');
    const whole = frameAll([raw]);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < raw.length; ) {
        const n = 1 + Math.floor(rand() * 9000);
        chunks.push(raw.subarray(i, i + n));
        i += n;
      }
      sameFrames(frameAll(chunks), whole);
    }
  });
});

describe('EslFramer on hostile input', () => {
  it('rejects a non-numeric Content-Length instead of guessing', () => {
    const framer = new EslFramer();
    expect(() => framer.pushAll(Buffer.from('Content-Type: api/response\nContent-Length: 12x\n\n'))).toThrow(EslFramingError);
  });

  it('rejects an endless header block', () => {
    const framer = new EslFramer({ maxHeaderBytes: 1024 });
    expect(() => framer.pushAll(Buffer.from('X: ' + 'a'.repeat(2000)))).toThrow(EslFramingError);
  });

  it('rejects an oversized body before buffering it', () => {
    const framer = new EslFramer({ maxBodyBytes: 100 });
    expect(() => framer.pushAll(Buffer.from('Content-Type: api/response\nContent-Length: 101\n\n'))).toThrow(EslFramingError);
  });

  it('keeps a body that itself contains blank lines intact', () => {
    const body = 'line one\n\nline three\n\n';
    const wire = `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}Content-Type: command/reply\nReply-Text: +OK\n\n`;
    const frames = new EslFramer().pushAll(Buffer.from(wire));
    expect(frames).toHaveLength(2);
    expect(frames[0]!.body!.toString()).toBe(body);
    expect(frames[1]!.headers['Reply-Text']).toBe('+OK');
  });

  it('counts Content-Length in bytes, not characters', () => {
    const body = '坐席1001';
    const wire = `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
    const frames = frameAll(oneByteAtATime(Buffer.from(wire)));
    expect(frames[0]!.body!.toString('utf8')).toBe(body);
  });

  it('reads header blocks ended by CRLF blank lines, cut anywhere', () => {
    const wire = Buffer.from('Content-Type: command/reply\r\nReply-Text: +OK\r\n\r\nContent-Type: api/response\r\nContent-Length: 2\r\n\r\nokContent-Type: command/reply\nReply-Text: -ERR\n\n');
    const whole = frameAll([wire]);
    expect(whole.map((f) => f.headers['Reply-Text'] ?? f.body?.toString())).toEqual(['+OK', 'ok', '-ERR']);
    for (let cut = 1; cut < wire.length; cut++) sameFrames(frameAll([wire.subarray(0, cut), wire.subarray(cut)]), whole);
    sameFrames(frameAll(oneByteAtATime(wire)), whole);
  });
});

describe('EslFramer body limits', () => {
  const event = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-json\n\n${body}`;
  const big = `{"Event-Name":"CUSTOM","big":"${'x'.repeat(5_000)}"}`;
  const small = '{"Event-Name":"HEARTBEAT"}';
  const limits = { bodyLimits: { 'text/event-json': 1_000 } };

  it('discards a body over its Content-Type limit without keeping it, and stays in step', () => {
    const wire = Buffer.from(event(small) + event(big) + event(small));
    const check = (frames: EslFrame[]) => {
      expect(frames.map((f) => f.discarded)).toEqual([undefined, Buffer.byteLength(big), undefined]);
      expect(frames[1]!.body).toBeUndefined();
      expect(frames[2]!.body!.toString()).toBe(small);
    };
    check(frameAll([wire], new EslFramer(limits)));
    check(frameAll(oneByteAtATime(wire), new EslFramer(limits)));
    for (let cut = 1; cut < wire.length; cut += 7) check(frameAll([wire.subarray(0, cut), wire.subarray(cut)], new EslFramer(limits)));
  });

  it('never buffers more of a discarded body than the header block before it', () => {
    const framer = new EslFramer(limits);
    const wire = Buffer.from(event(big) + event(small));
    let most = 0;
    const frames: EslFrame[] = [];
    for (const chunk of oneByteAtATime(wire)) {
      framer.push(chunk, (f) => frames.push(keep(f)));
      most = Math.max(most, framer.buffered);
    }
    expect(most).toBeLessThan(60);
    expect(frames).toHaveLength(2);
  });

  it('applies the limit to its Content-Type only', () => {
    const reply = `Content-Type: api/response\nContent-Length: ${big.length}\n\n${big}`;
    const frames = frameAll([Buffer.from(reply)], new EslFramer(limits));
    expect(frames[0]!.discarded).toBeUndefined();
    expect(frames[0]!.body!.toString()).toBe(big);
  });

  it('takes a Content-Length beyond maxBodyBytes as a broken stream even where bodies may be discarded', () => {
    const framer = new EslFramer({ ...limits, maxBodyBytes: 10_000 });
    expect(() => framer.pushAll(Buffer.from('Content-Length: 10001\nContent-Type: text/event-json\n\n'))).toThrow(EslFramingError);
  });

  it('pushAll keeps its own copies: later reads do not change earlier frames', () => {
    const framer = new EslFramer();
    const first = framer.pushAll(Buffer.from(event(small)));
    framer.pushAll(Buffer.from(event(big)));
    expect(first[0]!.body!.toString()).toBe(small);
  });
});
