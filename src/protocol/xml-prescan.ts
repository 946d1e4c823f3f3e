/**
 * One linear look at an XML message before fast-xml-parser's validator and parser see
 * it. Both walk the whole text, and their cost grows with what they build: 60 KB of
 * character references, attributes or tiny elements took them 20–50 ms. Here each
 * character is looked at once and nothing is built, so a message that holds more
 * markup, references, attributes or depth than a request ever needs is refused for
 * the price of a scan, and the parser only ever sees messages that are cheap to parse.
 *
 * It also refuses what XML 1.0 does not allow and the parser would let through: a
 * DOCTYPE or entity declaration (no entity is ever expanded), a reference to an entity
 * that is not one of the five predefined ones (WFC: Entity Declared), a character
 * reference to something that is not a character (`&#0;`, `&#xD800;`, `&#9999999;`;
 * WFC: Legal Character), and control characters.
 *
 * It is a count, not a validator: it trusts the validator to refuse what it lets
 * through that is still not well-formed.
 */
import { MAX_ATTRIBUTES, MAX_DEPTH, MAX_NODES, MAX_REFERENCES } from './message.js';

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const SEMICOLON = 0x3b;

/** The longest reference read (`&#x0010FFFF;`); a longer one is refused. */
const MAX_REFERENCE_LENGTH = 12;
const PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Why the message is refused before parsing, or undefined when the parser may have it. */
export function prescanXml(text: string): string | undefined {
  let nodes = 0;
  let references = 0;
  let attributes = 0;
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === AMP) {
      if (++references > MAX_REFERENCES) return `more than ${MAX_REFERENCES} entity or character references`;
      const bad = checkReference(text, i);
      if (bad !== undefined) return bad;
      i++;
      continue;
    }
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return 'control characters are not allowed in XML';
    if (c !== LT) {
      i++;
      continue;
    }
    if (++nodes > MAX_NODES) return `more than ${MAX_NODES} tags`;
    const next = text.charCodeAt(i + 1);
    if (next === BANG) {
      if (text.startsWith('<!--', i)) i = skipPast(text, i + 4, '-->');
      else if (text.startsWith('<![CDATA[', i)) i = skipPast(text, i + 9, ']]>');
      else return 'DOCTYPE and entity declarations are not accepted';
      continue;
    }
    if (next === QUESTION) {
      i = skipPast(text, i + 2, '?>');
      continue;
    }
    // A start, end or empty-element tag: to its '>', outside quoted attribute values.
    const closing = next === SLASH;
    let quote = 0;
    let previous = 0;
    let j = i + 1;
    for (; j < n; j++) {
      const t = text.charCodeAt(j);
      if (quote !== 0) {
        if (t === quote) quote = 0;
        else if (t === AMP) {
          if (++references > MAX_REFERENCES) return `more than ${MAX_REFERENCES} entity or character references`;
          const bad = checkReference(text, j);
          if (bad !== undefined) return bad;
        } else if (t < 0x20 && t !== 0x09 && t !== 0x0a && t !== 0x0d) return 'control characters are not allowed in XML';
        continue;
      }
      if (t === GT) break;
      if (t === DQUOTE || t === SQUOTE) quote = t;
      else if (t === EQUALS && ++attributes > MAX_ATTRIBUTES) return `more than ${MAX_ATTRIBUTES} attributes`;
      else if (t < 0x20 && t !== 0x09 && t !== 0x0a && t !== 0x0d) return 'control characters are not allowed in XML';
      if (t !== 0x20 && t !== 0x09 && t !== 0x0a && t !== 0x0d) previous = t;
    }
    if (closing) depth--;
    else if (previous !== SLASH && ++depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} elements`;
    i = j + 1;
  }
  return undefined;
}

/** Where the scan goes on after `end`; the end of the text when it is missing (the validator then refuses). */
function skipPast(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at === -1 ? text.length : at + end.length;
}

/** The reference starting at `at` ('&'): undefined when XML allows it without a DTD, else why not. */
function checkReference(text: string, at: number): string | undefined {
  let semicolon = -1;
  for (let k = at + 1, end = Math.min(text.length, at + MAX_REFERENCE_LENGTH); k < end; k++) {
    if (text.charCodeAt(k) === SEMICOLON) {
      semicolon = k;
      break;
    }
  }
  if (semicolon === -1) return "'&' must start a reference such as &amp;";
  const name = text.slice(at + 1, semicolon);
  if (name.charCodeAt(0) !== 0x23 /* # */) {
    return PREDEFINED.has(name) ? undefined : `entity &${name.slice(0, 10)}; is not declared (only amp, lt, gt, quot and apos are)`;
  }
  const hex = name.charCodeAt(1) === 0x78; /* x */
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) return `&${name}; is not a character reference`;
  const cp = parseInt(digits, hex ? 16 : 10);
  return isXmlChar(cp) ? undefined : `&${name}; does not refer to a character XML allows`;
}

/** XML 1.0 production Char. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}
