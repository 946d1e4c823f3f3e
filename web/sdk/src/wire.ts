/**
 * The cti.json framing (spec §1, §2): one JSON object per text frame, with one key named
 * like the XML root. Requests carry text only: JSON numbers would lose a phone number's
 * leading zero, so every field value is sent as a string.
 */

/** The subprotocol this client speaks. */
export const SUBPROTOCOL = 'cti.json';

export interface ResponseBody {
  readonly cmdType: string;
  readonly agentID: string;
  /** Echoed from the request; absent for a message the server could not read (-1, -2) or refused by rate (-85). */
  readonly seq?: string;
  readonly retCode: number;
  readonly reason: string;
  /** Extra fields of some responses (signin: heartbeatInterval, guid, resumed). */
  readonly [field: string]: unknown;
}

export interface EventBody {
  readonly eventType: string;
  /** The agent this connection is signed in as. */
  readonly agentID: string;
  /** `yyyy-MM-dd HH:mm:ss` in the server's time zone. */
  readonly time: string;
  readonly [field: string]: unknown;
}

export type Incoming =
  | { readonly kind: 'response'; readonly body: ResponseBody }
  | { readonly kind: 'event'; readonly body: EventBody }
  | { readonly kind: 'unreadable'; readonly detail: string };

export function encodeRequest(cmdType: string, agentID: string, seq: string, fields: Readonly<Record<string, string>>): string {
  return JSON.stringify({ request: { cmdType, agentID, seq, ...fields } });
}

export function decodeMessage(text: string): Incoming {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { kind: 'unreadable', detail: `not JSON: ${(err as Error).message}` };
  }
  if (!isObject(doc)) return { kind: 'unreadable', detail: 'not a JSON object' };
  const keys = Object.keys(doc);
  const root = keys.length === 1 ? keys[0] : undefined;
  const body = root === undefined ? undefined : doc[root];
  if (root === 'response' && isObject(body) && typeof body['retCode'] === 'number' && typeof body['cmdType'] === 'string') {
    return { kind: 'response', body: body as unknown as ResponseBody };
  }
  if (root === 'event' && isObject(body) && typeof body['eventType'] === 'string') {
    return { kind: 'event', body: body as unknown as EventBody };
  }
  return { kind: 'unreadable', detail: `not a response or an event: ${text.slice(0, 80)}` };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
