import { describe, expect, it } from 'vitest';
import { NulFramer } from '../../../src/protocol/nul-framer.js';

const texts = (frames: ReturnType<NulFramer['push']>) => frames.map((f) => (f.kind === 'message' ? f.bytes.toString() : '<oversize>'));

describe('NulFramer', () => {
  it('splits on NUL, across and within chunks', () => {
    const f = new NulFramer(100);
    expect(texts(f.push(Buffer.from('ab\0c')))).toEqual(['ab']);
    expect(texts(f.push(Buffer.from('d\0\0e\0')))).toEqual(['cd', 'e']);
    expect(texts(f.push(Buffer.from('f')))).toEqual([]);
  });

  it('reports a message over the limit once and then ignores the rest', () => {
    const f = new NulFramer(10);
    expect(texts(f.push(Buffer.from('0123456789')))).toEqual([]);
    expect(texts(f.push(Buffer.from('x')))).toEqual(['<oversize>']);
    expect(texts(f.push(Buffer.from('\0ok\0')))).toEqual([]);
  });

  it('a message of exactly the limit passes', () => {
    expect(texts(new NulFramer(4).push(Buffer.from('abcd\0')))).toEqual(['abcd']);
    expect(texts(new NulFramer(4).push(Buffer.from('abcde\0')))).toEqual(['<oversize>']);
  });
});
