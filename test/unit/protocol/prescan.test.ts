// The counts taken before parsing (xml-prescan.ts, json-prescan.ts): each limit holds at
// its value and refuses one past it, and XML that 1.0 forbids is refused with -1.
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../../src/protocol/json-codec.js';
import { MAX_ATTRIBUTES, MAX_DEPTH, MAX_NODES, MAX_REFERENCES } from '../../../src/protocol/message.js';
import { xmlCodec } from '../../../src/protocol/xml-codec.js';

const xml = (inner: string, attrs = ''): string => `<request${attrs}><cmdType>heartbeat</cmdType><agentID>1001</agentID>${inner}</request>`;
const json = (inner: string): string => `{"request":{"cmdType":"heartbeat","agentID":"1001"${inner}}}`;

function refusal(decoded: ReturnType<typeof xmlCodec.decode>): string {
  if (decoded.ok) throw new Error('decoded, expected a refusal');
  expect(decoded.error.code).toBe(-1);
  return decoded.error.detail;
}

describe('XML: limits counted before parsing', () => {
  it('references: the limit passes, one more is refused', () => {
    const at = xmlCodec.decode(xml(`<x>${'&#20013;'.repeat(MAX_REFERENCES)}</x>`));
    expect(at.ok && at.request.fields['x']).toBe('中'.repeat(MAX_REFERENCES));
    expect(refusal(xmlCodec.decode(xml(`<x>${'&amp;'.repeat(MAX_REFERENCES + 1)}</x>`)))).toMatch(/references/);
  });

  it('references inside attribute values count too', () => {
    expect(refusal(xmlCodec.decode(xml('', ` a="${'&#65;'.repeat(MAX_REFERENCES + 1)}"`)))).toMatch(/references/);
  });

  it('tags: the limit passes, one more is refused (comments, CDATA and processing instructions count)', () => {
    // The envelope holds 6 tags; each field 2.
    const fields = (MAX_NODES - 6) / 2;
    expect(xmlCodec.decode(xml('<f>1</f>'.repeat(fields))).ok).toBe(true);
    expect(refusal(xmlCodec.decode(xml('<f>1</f>'.repeat(fields) + '<g/>')))).toMatch(/tags/);
    expect(refusal(xmlCodec.decode(xml('<!---->'.repeat(MAX_NODES))))).toMatch(/tags/);
    expect(refusal(xmlCodec.decode(xml(`<x>${'<![CDATA[a]]>'.repeat(MAX_NODES)}</x>`)))).toMatch(/tags/);
    expect(refusal(xmlCodec.decode(xml('<?pi?>'.repeat(MAX_NODES))))).toMatch(/tags/);
  });

  it('attributes: the limit passes, one more is refused', () => {
    const attrs = (n: number): string => Array.from({ length: n }, (_, i) => ` a${i}="1"`).join('');
    expect(xmlCodec.decode(xml('', attrs(MAX_ATTRIBUTES))).ok).toBe(true);
    expect(refusal(xmlCodec.decode(xml(`<x${attrs(MAX_ATTRIBUTES + 1)}>1</x>`)))).toMatch(/attributes/);
  });

  it('depth: refused before the validator sees 5,000 nested elements, or an unclosed pile of them', () => {
    expect(refusal(xmlCodec.decode(`<request>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</request>`))).toBe(`nested deeper than ${MAX_DEPTH} elements`);
    expect(refusal(xmlCodec.decode(`<request>${'<a>'.repeat(20_000)}`))).toBe(`nested deeper than ${MAX_DEPTH} elements`);
    // Empty elements and '>' inside attribute values do not nest.
    expect(xmlCodec.decode(xml(`${'<e/>'.repeat(20)}<x a="b>c">1</x>`)).ok).toBe(true);
  });
});

describe('XML: what 1.0 forbids is refused', () => {
  it.each([
    ['a DOCTYPE (XXE)', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request>&x;</request>', /DOCTYPE/],
    ['an entity declaration without a DOCTYPE', '<!ENTITY x "y"><request/>', /DOCTYPE/],
    ['an undeclared entity', xml('<x>&lol;</x>'), /not declared/],
    ['a bare ampersand', xml('<x>a & b</x>'), /reference/],
    ['a reference beyond Unicode', xml('<x>&#9999999;</x>'), /character XML allows/],
    ['a reference to NUL', xml('<x>&#0;</x>'), /character XML allows/],
    ['a reference to a control character', xml('<x>&#x1B;</x>'), /character XML allows/],
    ['a reference to a surrogate', xml('<x>&#xD800;</x>'), /character XML allows/],
    ['a character reference without digits', xml('<x>&#x;</x>'), /not a character reference/],
    ['a raw control character', xml('<x>a\u0007</x>'), /control characters/],
    ['a raw control character in an attribute', xml('', ' a="\u0001"'), /control characters/],
    ['__proto__ as a field', xml('<__proto__><polluted>1</polluted></__proto__>'), /__proto__/],
    ['constructor as a field', xml('<constructor>1</constructor>'), /constructor/],
  ])('%s', (_what, text, detail) => {
    expect(refusal(xmlCodec.decode(text))).toMatch(detail);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('decodes what it allows: tab, CR, LF, astral characters, the five entities', () => {
    const r = xmlCodec.decode(xml('<x>&#9;&#xA;&#x1F600;&lt;&gt;&amp;&quot;&apos;</x>'));
    expect(r.ok && r.request.fields['x']).toBe('😀<>&"\'');
  });

  it('a refusal quotes at most 200 characters of the message', () => {
    expect(refusal(xmlCodec.decode(xml(`<${'a'.repeat(60_000)}>1</b>`))).length).toBeLessThanOrEqual(200);
  });
});

describe('JSON: limits counted before parsing', () => {
  it('30,000 nested arrays are refused, not a stack overflow', () => {
    expect(refusal(jsonCodec.decode(json(`,"x":${'['.repeat(30_000)}${']'.repeat(30_000)}`)))).toBe(`nested deeper than ${MAX_DEPTH}`);
  });

  it('brackets inside strings do not count', () => {
    const r = jsonCodec.decode(json(`,"x":"${'[{'.repeat(100)}\\""`));
    expect(r.ok && r.request.fields['x']).toBe(`${'[{'.repeat(100)}"`);
  });

  it('values: the limit passes, one more is refused', () => {
    // The envelope: two objects and one comma; each further member one comma.
    const members = (n: number): string => Array.from({ length: n }, (_, i) => `,"k${i}":"1"`).join('');
    expect(jsonCodec.decode(json(members(MAX_NODES - 3))).ok).toBe(true);
    expect(refusal(jsonCodec.decode(json(members(MAX_NODES - 2))))).toMatch(/values/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('%s as a field is refused and pollutes nothing', (name) => {
    expect(refusal(jsonCodec.decode(json(`,"${name}":{"polluted":1}`)))).toMatch(name);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
