/**
 * The agent protocol in XML (spec §2): one document per message. Parsed with
 * fast-xml-parser with entity and DOCTYPE processing off. Before it, one linear scan
 * (xml-prescan.ts) refuses a DOCTYPE (no entity expansion, no external entities),
 * references to undeclared entities or to non-characters, and messages holding more
 * tags, references, attributes or depth than a request needs — so the parser only
 * gets messages that are cheap to parse. The five predefined entities and character
 * references are decoded, by us, in leaf text.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isOutcomeText, type AgentEvent, type FieldValue } from '../core/agent-event.js';
import { checkEnvelope, isReservedName } from './envelope-check.js';
import { ErrorCode, reasonOf } from './error-codes.js';
import { MAX_DETAIL_LENGTH, type AgentResponse, type Codec, type DecodeResult } from './message.js';
import { prescanXml } from './xml-prescan.js';

/** fast-xml-parser's options (bench/attacks times the parser alone with them). */
export const XML_PARSER_OPTIONS = {
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  // Keep "0012" as text: numbers are never parsed (spec §2).
  numberParseOptions: { hex: false, leadingZeros: false, skipLike: /.*/ },
} as const;
const parser = new XMLParser(XML_PARSER_OPTIONS);

// The validator's messages can quote much of the input: the log gets their start.
const notWellFormed = (detail: string): DecodeResult => ({ ok: false, error: { code: ErrorCode.XML_PARSE_ERROR, detail: detail.slice(0, MAX_DETAIL_LENGTH) } });

export const xmlCodec: Codec = {
  name: 'xml',

  decode(text: string): DecodeResult {
    const refused = prescanXml(text);
    if (refused !== undefined) return notWellFormed(refused);
    const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
    if (valid !== true) return notWellFormed(valid.err.msg);
    let doc: unknown;
    try {
      doc = parser.parse(text);
    } catch (err) {
      return notWellFormed((err as Error).message);
    }
    if (doc === null || typeof doc !== 'object') return notWellFormed('no root element');
    const roots = Object.keys(doc);
    if (roots.length !== 1) return notWellFormed(roots.length === 0 ? 'no root element' : 'more than one root element');
    const root = roots[0]!;
    const body = (doc as Record<string, unknown>)[root];
    const fields: Record<string, string> = {};
    const nonText = new Set<string>();
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
        // fast-xml-parser refuses these names itself; this does not depend on it.
        if (isReservedName(name)) return notWellFormed(`the field name ${name} is not accepted`);
        if (typeof value === 'string') fields[name] = decodeEntities(value).trim();
        else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
        else nonText.add(name);
      }
    }
    return checkEnvelope(root, fields, nonText);
  },

  encodeResponse(r: AgentResponse): string {
    let out = `<response><cmdType>${esc(r.cmdType)}</cmdType><agentID>${esc(r.agentID)}</agentID>`;
    if (r.seq !== undefined) out += `<seq>${esc(r.seq)}</seq>`;
    out += `<retCode>${r.retCode}</retCode><reason>${esc(r.reason)}</reason>`;
    if (r.extra !== undefined) for (const [k, v] of Object.entries(r.extra)) out += element(k, v);
    return out + '</response>';
  },

  encodeEvent(agentID: string, time: string, event: AgentEvent): string {
    let body = bodies.get(event);
    if (body === undefined) {
      body = '';
      for (const [k, v] of Object.entries(event.fields)) {
        // An event's own agentID is always the recipient: the envelope already carries it.
        if (k === 'agentID') continue;
        body += element(k, v);
      }
      bodies.set(event, (body += '</event>'));
    }
    return `<event><eventType>${esc(event.eventType)}</eventType><agentID>${esc(agentID)}</agentID><time>${esc(time)}</time>${body}`;
  },
};

/**
 * An event's fields, encoded once: the same event object goes to its agent and to every
 * supervisor watching it (an AgentStatusChangeEvent, a queue event), and only the
 * envelope's agentID differs between the copies. Events are never changed once built;
 * an entry goes with its event.
 */
const bodies = new WeakMap<AgentEvent, string>();

function element(name: string, value: FieldValue): string {
  if (typeof value === 'string') return `<${name}>${esc(value)}</${name}>`;
  if (typeof value === 'number') return `<${name}>${value}</${name}>`;
  if (isOutcomeText(value)) return `<${name}>${esc(reasonOf(value.outcomeText))}</${name}>`;
  if (value instanceof Map) {
    let out = `<${name}>`;
    for (const [k, v] of value) out += `<item key="${escAttr(k)}">${esc(v)}</item>`;
    return out + `</${name}>`;
  }
  let out = `<${name}>`;
  for (const item of value as readonly (string | Readonly<Record<string, string>>)[]) {
    if (typeof item === 'string') {
      out += `<item>${esc(item)}</item>`;
    } else {
      out += '<item>';
      for (const [k, v] of Object.entries(item)) out += `<${k}>${esc(v)}</${k}>`;
      out += '</item>';
    }
  }
  return out + `</${name}>`;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;' };

export function esc(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!) : text;
}

function escAttr(text: string): string {
  return /[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (c) => ATTR_ESCAPES[c]!) : text;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The predefined entities and character references (the prescan refused any other); anything else stays as written. */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}
