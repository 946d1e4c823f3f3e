/**
 * Typed decoding of frames: a Content-Type dispatch to a tagged union. Framing lives in
 * framer.ts; correlating replies with commands lives in the connection.
 */
import { type EslFrame, parseHeaderBlock } from './framer.js';
import { decodeEslValue } from './url-decode.js';

/** A FreeSWITCH event with its headers decoded (plain: URL-decoded; json: as parsed). */
export interface EslEvent {
  readonly name: string;
  /** `Event-Subclass` of CUSTOM events, e.g. `sofia::register`. */
  readonly subclass: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Inner body (e.g. a BACKGROUND_JOB's command output). */
  readonly body: string | undefined;
}

export type EslMessage =
  | { kind: 'auth-request' }
  /** `command/reply`: the result is in the Reply-Text header, not in a body. */
  | { kind: 'command-reply'; replyText: string; headers: Record<string, string> }
  /** `api/response`: the result is the body. */
  | { kind: 'api-response'; body: string }
  | { kind: 'event'; event: EslEvent }
  | { kind: 'disconnect-notice'; body: string; headers: Record<string, string> }
  | { kind: 'rude-rejection'; body: string }
  | { kind: 'unknown'; contentType: string; headers: Record<string, string>; body: string | undefined }
  /** A frame whose body could not be decoded; the stream itself stays in sync. */
  | { kind: 'malformed'; contentType: string; reason: string };

export function decodeFrame(frame: EslFrame): EslMessage {
  const contentType = frame.headers['Content-Type'] ?? '';
  switch (contentType) {
    case 'auth/request':
      return { kind: 'auth-request' };
    case 'command/reply':
      return { kind: 'command-reply', replyText: frame.headers['Reply-Text'] ?? '', headers: frame.headers };
    case 'api/response':
      return { kind: 'api-response', body: bodyText(frame) };
    case 'text/event-json':
      return decodeJsonEvent(bodyText(frame));
    case 'text/event-plain':
      return { kind: 'event', event: decodePlainEvent(bodyText(frame)) };
    case 'text/disconnect-notice':
      return { kind: 'disconnect-notice', body: bodyText(frame), headers: frame.headers };
    case 'text/rude-rejection':
      return { kind: 'rude-rejection', body: bodyText(frame) };
    default:
      return { kind: 'unknown', contentType, headers: frame.headers, body: frame.body?.toString('utf8') };
  }
}

function bodyText(frame: EslFrame): string {
  return frame.body === undefined ? '' : frame.body.toString('utf8');
}

function decodeJsonEvent(text: string): EslMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { kind: 'malformed', contentType: 'text/event-json', reason: (err as Error).message };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { kind: 'malformed', contentType: 'text/event-json', reason: 'body is not a JSON object' };
  }
  const headers: Record<string, string> = {};
  let body: string | undefined;
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    // The inner body of BACKGROUND_JOB (and friends) travels as "_body".
    if (key === '_body') body = String(value);
    else headers[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return { kind: 'event', event: makeEvent(headers, body) };
}

/**
 * A plain event body is URL-encoded `Name: value` lines, a blank line, and — when the
 * event has a body of its own — that body, announced by an inner Content-Length.
 */
export function decodePlainEvent(text: string): EslEvent {
  const split = text.indexOf('\n\n');
  const headerPart = split === -1 ? text : text.slice(0, split);
  const raw = parseHeaderBlock(headerPart);
  const headers: Record<string, string> = {};
  for (const name in raw) headers[name] = decodeEslValue(raw[name] as string);
  let body: string | undefined;
  if (split !== -1 && headers['Content-Length'] !== undefined) {
    body = text.slice(split + 2);
  }
  return makeEvent(headers, body);
}

function makeEvent(headers: Record<string, string>, body: string | undefined): EslEvent {
  return {
    name: headers['Event-Name'] ?? '',
    subclass: headers['Event-Subclass'],
    headers,
    body,
  };
}
