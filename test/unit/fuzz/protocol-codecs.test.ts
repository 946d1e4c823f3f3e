// Issue 15, attacks 2: the agent protocol's XML and JSON codecs under arbitrary input.
// Whatever text arrives, decode answers — a request or one of the envelope codes -1 … -4 —
// without throwing or touching Object.prototype; and every request a bar can write comes
// back exactly as it was written, the same in XML and in JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../../src/protocol/json-codec.js';
import type { Codec, DecodeResult } from '../../../src/protocol/message.js';
import { xmlCodec } from '../../../src/protocol/xml-codec.js';
import { escapeXml } from '../../helpers/agent-client.js';
import { FUZZ } from '../../helpers/fuzz.js';

const ENVELOPE_CODES = [-1, -2, -3, -4];

function answers(codec: Codec, text: string): DecodeResult {
  const r = codec.decode(text);
  if (r.ok) {
    for (const v of Object.values(r.request.fields)) expect(typeof v).toBe('string');
  } else {
    expect(ENVELOPE_CODES).toContain(r.error.code);
    expect(r.error.detail.length).toBeLessThanOrEqual(200);
  }
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  return r;
}

/** Element names a request might carry, the dangerous ones among them. */
const name = fc.oneof(
  fc.constantFrom('request', 'cmdType', 'agentID', 'seq', 'calledID', '__proto__', 'constructor', 'prototype', 'polluted', 'item', 'a'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/),
);
/** Text with the pieces that trouble XML parsers: references good and bad, markup characters, control characters. */
const text = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('&amp;', '&lt;', '&#65;', '&#x4e2d;', '&#9999999;', '&#0;', '&#xD800;', '&lol;', '&', '<', '>', ']]>', '"', "'", '\u0001', '\t', '\r\n', ' '),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** XML-like documents: elements nested up to 12 deep with attributes, comments, CDATA, PIs and a DOCTYPE now and then. */
const { node } = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.constantFrom('<!-- c -->', '<![CDATA[<x>&amp;]]>', '<?pi x?>', '<!DOCTYPE r [<!ENTITY e "v">]>', '<!ENTITY e SYSTEM "file:///etc/passwd">'),
    fc
      .tuple(name, fc.array(fc.tuple(name, text), { maxLength: 3 }), fc.array(tie('node'), { maxLength: 4 }), fc.boolean())
      .map(([n, attrs, children, closed]) => `<${n}${attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${children.join('')}${closed ? `</${n}>` : ''}`),
  ),
}));

describe('XML codec', () => {
  it('answers any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (t) => void answers(xmlCodec, t)),
      FUZZ,
    );
  });

  it('answers any XML-like document, however nested and whatever it names', () => {
    fc.assert(
      fc.property(node, (doc) => void answers(xmlCodec, doc)),
      FUZZ,
    );
  });
});

describe('JSON codec', () => {
  it('answers any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (t) => void answers(jsonCodec, t)),
      FUZZ,
    );
  });

  it('answers any JSON value, however nested and whatever its keys', () => {
    const value = fc.jsonValue({ maxDepth: 12 });
    const doc = fc.oneof(value, fc.dictionary(name, value, { maxKeys: 3 }).map((body) => ({ request: body })));
    fc.assert(
      fc.property(doc, (v) => void answers(jsonCodec, JSON.stringify(v))),
      FUZZ,
    );
  });
});

describe('round trip', () => {
  const field = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,10}$/).filter((n) => !['cmdType', 'agentID', 'seq', 'constructor', 'prototype'].includes(n));
  /** What a bar may put in a value: any Unicode text XML can carry (no control characters but tab, CR, LF). */
  const value = fc.string({ unit: 'grapheme', maxLength: 40 }).map((v) => v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));
  const request = fc.record({
    cmdType: fc.stringMatching(/^[a-z]{1,16}$/),
    agentID: fc.stringMatching(/^[0-9]{1,8}$/),
    fields: fc.dictionary(field, value, { maxKeys: 8 }),
  });

  it('a request written in XML or JSON is read back as written (trimmed), the same in both', () => {
    fc.assert(
      fc.property(request, ({ cmdType, agentID, fields }) => {
        const xml = `<request><cmdType>${cmdType}</cmdType><agentID>${agentID}</agentID>${Object.entries(fields)
          .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
          .join('')}</request>`;
        const json = JSON.stringify({ request: { cmdType, agentID, ...fields } });
        const fromXml = xmlCodec.decode(xml);
        const fromJson = jsonCodec.decode(json);
        expect(fromXml.ok && fromXml.request).toMatchObject({ cmdType, agentID, fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.trim()])) });
        expect(fromJson).toEqual(fromXml);
      }),
      FUZZ,
    );
  });
});
