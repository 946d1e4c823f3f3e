/** The envelope of the agent protocol (spec §2), independent of XML or JSON. */
import type { AgentEvent } from '../core/agent-event.js';

export interface AgentRequest {
  readonly cmdType: string;
  readonly agentID: string;
  /** Echoed in the response; at most 64 characters. */
  readonly seq: string | undefined;
  /** Every other field, as text, trimmed of surrounding white space only. */
  readonly fields: Readonly<Record<string, string>>;
  /** Fields that were present but not text (child elements, a list, a repeated element). */
  readonly nonText: ReadonlySet<string>;
}

export interface AgentResponse {
  readonly cmdType: string;
  readonly agentID: string;
  readonly seq: string | undefined;
  readonly retCode: number;
  readonly reason: string;
  /** Extra response fields (signin: heartbeatInterval, guid, resumed). */
  readonly extra?: Readonly<Record<string, string>>;
}

/** A message that is not a request we can read: it is answered with this code (-1 … -4). */
export interface UnreadableRequest {
  readonly code: number;
  /** What could be read of it, so the answer can echo it where the spec allows. */
  readonly cmdType?: string;
  readonly agentID?: string;
  readonly seq?: string;
  readonly detail: string;
}

export type DecodeResult = { readonly ok: true; readonly request: AgentRequest } | { readonly ok: false; readonly error: UnreadableRequest };

export interface Codec {
  readonly name: 'xml' | 'json';
  decode(text: string): DecodeResult;
  encodeResponse(response: AgentResponse): string;
  /** `agentID` is the agent the connection is signed in as; `time` is already formatted. */
  encodeEvent(agentID: string, time: string, event: AgentEvent): string;
}

export const MAX_SEQ_LENGTH = 64;
/** Spec §1: XML nested deeper than this counts as not well-formed. */
export const MAX_DEPTH = 8;

/*
 * What one message may hold, counted before it is parsed: a request is a flat list of
 * text fields, so these are far above any request and far below what makes a parse of
 * agent.maxMessageBytes slow (docs/reliability.md, attacks 1).
 */
/** XML tags, comments, CDATA sections and processing instructions; JSON objects, arrays and members. */
export const MAX_NODES = 512;
/** XML entity and character references (`&amp;`, `&#20013;`). */
export const MAX_REFERENCES = 1024;
/** XML attributes (requests have none; polylink ignores them). */
export const MAX_ATTRIBUTES = 32;
/** The longest `detail` kept of a refusal (it goes to the log). */
export const MAX_DETAIL_LENGTH = 200;
