/**
 * The agent protocol in JSON (WebSocket subprotocol `cti.json`, spec §1): one object
 * with one key named like the XML root. `retCode` is a number; every other scalar is
 * text, exactly as in XML; lists are arrays, dictionaries are objects.
 */
import { isOutcomeText, type AgentEvent, type FieldValue } from '../core/agent-event.js';
import { checkEnvelope, isReservedName } from './envelope-check.js';
import { ErrorCode, reasonOf } from './error-codes.js';
import { MAX_DETAIL_LENGTH, type AgentResponse, type Codec, type DecodeResult } from './message.js';
import { prescanJson } from './json-prescan.js';

const unreadable = (detail: string): DecodeResult => ({ ok: false, error: { code: ErrorCode.XML_PARSE_ERROR, detail: detail.slice(0, MAX_DETAIL_LENGTH) } });

export const jsonCodec: Codec = {
  name: 'json',

  decode(text: string): DecodeResult {
    const refused = prescanJson(text);
    if (refused !== undefined) return unreadable(refused);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return unreadable((err as Error).message);
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return unreadable('not a JSON object');
    const roots = Object.keys(doc);
    if (roots.length !== 1) return unreadable('an object with exactly one key is expected');
    const root = roots[0]!;
    const body = (doc as Record<string, unknown>)[root];
    const fields: Record<string, string> = {};
    const nonText = new Set<string>();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      if (root === 'request') return unreadable('"request" must hold an object');
    } else {
      for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
        if (isReservedName(name)) return unreadable(`the field name ${name} is not accepted`);
        // Numbers and booleans are taken as their text; JSON numbers cannot carry a leading 0,
        // so clients should send phone numbers as strings.
        if (typeof value === 'string') fields[name] = value.trim();
        else if (typeof value === 'number' || typeof value === 'boolean') fields[name] = String(value);
        else nonText.add(name);
      }
    }
    return checkEnvelope(root, fields, nonText);
  },

  encodeResponse(r: AgentResponse): string {
    const body: Record<string, unknown> = { cmdType: r.cmdType, agentID: r.agentID };
    if (r.seq !== undefined) body['seq'] = r.seq;
    body['retCode'] = r.retCode;
    body['reason'] = r.reason;
    if (r.extra !== undefined) Object.assign(body, r.extra);
    return JSON.stringify({ response: body });
  },

  encodeEvent(agentID: string, time: string, event: AgentEvent): string {
    let rest = bodies.get(event);
    if (rest === undefined) bodies.set(event, (rest = encodeFields(event)));
    if (rest === null) {
      const body: Record<string, unknown> = { eventType: event.eventType, agentID, time };
      for (const [k, v] of Object.entries(event.fields)) {
        if (k === 'agentID') continue;
        body[k] = jsonValue(v);
      }
      return JSON.stringify({ event: body });
    }
    return `{"event":{"eventType":${JSON.stringify(event.eventType)},"agentID":${JSON.stringify(agentID)},"time":${JSON.stringify(time)}${rest}`;
  },
};

/**
 * An event's fields, encoded once: the same event object goes to its agent and to every
 * supervisor watching it (an AgentStatusChangeEvent, a queue event), and only the
 * envelope's agentID differs between the copies. Events are never changed once built;
 * an entry goes with its event. null: the fields cannot be encoded apart (below).
 */
const bodies = new WeakMap<AgentEvent, string | null>();

/**
 * The text after the envelope's `time`, byte for byte what JSON.stringify gives for the
 * whole event — unless a field would move within the object (a name like an array index
 * goes first in a JavaScript object) or replace an envelope member: then null, and the
 * event is encoded whole for each recipient.
 */
function encodeFields(event: AgentEvent): string | null {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event.fields)) {
    if (k === 'agentID') continue;
    if (k === 'eventType' || k === 'time' || /^(0|[1-9]\d*)$/.test(k)) return null;
    fields[k] = jsonValue(v);
  }
  const text = JSON.stringify(fields);
  return (text === '{}' ? '' : `,${text.slice(1, -1)}`) + '}}';
}

function jsonValue(v: FieldValue): unknown {
  if (v instanceof Map) return Object.fromEntries(v);
  if (isOutcomeText(v)) return reasonOf(v.outcomeText);
  return v;
}
