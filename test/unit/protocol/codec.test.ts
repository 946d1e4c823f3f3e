import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentEvent } from '../../../src/core/agent-event.js';
import { jsonCodec } from '../../../src/protocol/json-codec.js';
import { xmlCodec } from '../../../src/protocol/xml-codec.js';
import { EVENTS, RESPONSES, TIME } from './golden-cases.js';

const FIXTURES = resolve(import.meta.dirname, '..', '..', 'fixtures', 'protocol');
const golden = (name: string) => readFileSync(join(FIXTURES, name), 'utf8').trimEnd();

describe('encoding matches the golden files byte for byte', () => {
  for (const [name, response] of Object.entries(RESPONSES)) {
    it(`${name} (XML and JSON)`, () => {
      expect(xmlCodec.encodeResponse(response)).toBe(golden(`${name}.xml`));
      expect(jsonCodec.encodeResponse(response)).toBe(golden(`${name}.json`));
    });
  }
  for (const [name, event] of Object.entries(EVENTS)) {
    it(`${name} (XML and JSON)`, () => {
      expect(xmlCodec.encodeEvent('1001', TIME, event)).toBe(golden(`${name}.xml`));
      expect(jsonCodec.encodeEvent('1001', TIME, event)).toBe(golden(`${name}.json`));
    });
  }
});

describe('an event encoded for several recipients (its fields encoded once per format)', () => {
  for (const [name, event] of Object.entries(EVENTS)) {
    it(`${name}: each copy is the golden file with its own agentID`, () => {
      for (const agentID of ['1001', '2002', 'a&b', '1001']) {
        expect(xmlCodec.encodeEvent(agentID, TIME, event)).toBe(golden(`${name}.xml`).replace('<agentID>1001</agentID>', `<agentID>${agentID.replace('&', '&amp;')}</agentID>`));
        expect(jsonCodec.encodeEvent(agentID, TIME, event)).toBe(golden(`${name}.json`).replace('"agentID":"1001"', `"agentID":${JSON.stringify(agentID)}`));
      }
    });
  }

  it('JSON: fields that JavaScript would move or that name an envelope member come out as a whole object would have them', () => {
    const event = agentEvent('OddEvent', 0, { b: 'x', '7': 'seven', time: 'theirs', agentID: 'dropped', m: new Map([['k', 'v']]) });
    const whole = (agentID: string): string => {
      const body: Record<string, unknown> = { eventType: 'OddEvent', agentID, time: TIME };
      Object.assign(body, { b: 'x', '7': 'seven', time: 'theirs', m: { k: 'v' } });
      return JSON.stringify({ event: body });
    };
    expect(jsonCodec.encodeEvent('1001', TIME, event)).toBe(whole('1001'));
    expect(jsonCodec.encodeEvent('2002', TIME, event)).toBe(whole('2002'));
    expect(jsonCodec.encodeEvent('1001', TIME, agentEvent('EmptyEvent', 0))).toBe(JSON.stringify({ event: { eventType: 'EmptyEvent', agentID: '1001', time: TIME } }));
  });
});

describe('decoding requests', () => {
  it('keeps every value as written: leading zeros and + kept, trimmed, entities decoded', () => {
    const decoded = xmlCodec.decode(golden('request-callout.xml'));
    expect(decoded).toEqual({
      ok: true,
      request: {
        cmdType: 'callout',
        agentID: '1001',
        seq: '42',
        fields: { calledID: '013800138000', displayNum: '+8640080010000', customerForeignId: 'A&B <7> 中文', empty: '' },
        nonText: new Set(),
      },
    });
  });

  it('never turns values into numbers or booleans', () => {
    const r = xmlCodec.decode('<request><cmdType>x</cmdType><agentID>0012</agentID><a>007</a><b>1e3</b><c>true</c><d>0x1F</d></request>');
    expect(r.ok && r.request).toMatchObject({ agentID: '0012', fields: { a: '007', b: '1e3', c: 'true', d: '0x1F' } });
  });

  it('a JSON request reads the same as its XML twin', () => {
    const x = xmlCodec.decode('<request><cmdType>signin</cmdType><agentID>1001</agentID><agentPwd> pw </agentPwd></request>');
    const j = jsonCodec.decode('{"request":{"cmdType":"signin","agentID":"1001","agentPwd":" pw "}}');
    expect(j).toEqual(x);
  });

  it('marks fields that are not text', () => {
    const r = xmlCodec.decode('<request><cmdType>x</cmdType><agentID>1</agentID><a><b>1</b></a><c>1</c><c>2</c></request>');
    expect(r.ok && [...r.request.nonText]).toEqual(['a', 'c']);
  });

  it('drops a seq longer than 64 characters instead of echoing it', () => {
    const r = xmlCodec.decode(`<request><cmdType>x</cmdType><agentID>1</agentID><seq>${'9'.repeat(65)}</seq></request>`);
    expect(r.ok && r.request.seq).toBeUndefined();
  });

  it.each([
    [-1, ''],
    [-1, '<request'],
    [-1, '<!DOCTYPE r SYSTEM "file:///etc/passwd"><request/>'],
    [-1, `<request>${'<x>'.repeat(8)}${'</x>'.repeat(8)}</request>`],
    [-2, '<response><cmdType>x</cmdType><agentID>1</agentID></response>'],
    [-3, '<request><agentID>1</agentID></request>'],
    [-4, '<request><cmdType>x</cmdType></request>'],
  ])('answers %i for %j', (code, text) => {
    const r = xmlCodec.decode(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('accepts nesting of exactly 8', () => {
    expect(xmlCodec.decode(`<request><cmdType>x</cmdType><agentID>1</agentID>${'<x>'.repeat(7)}${'</x>'.repeat(7)}</request>`).ok).toBe(true);
  });
});
