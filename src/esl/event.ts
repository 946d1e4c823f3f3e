/**
 * Typed decoding of frames: a Content-Type dispatch to a tagged union. Framing lives in
 * framer.ts; correlating replies with commands lives in the connection.
 */
import { isAscii } from 'node:buffer';
import type { EslFrame } from './framer.js';
import type { HeaderSelection } from './header-selection.js';
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
  | { kind: 'malformed'; contentType: string; reason: string }
  /** A frame whose body was over its limit and was discarded unread (framer.ts); the stream stays in sync. */
  | { kind: 'discarded'; contentType: string; bytes: number };

/** Every header decoded; one argument, so that `frames.map(decodeFrame)` stays right. */
export function decodeFrame(frame: EslFrame): EslMessage {
  return decodeFrameReading(frame, undefined);
}

/**
 * `only`: the event headers the owner reads; a JSON event's other headers are not decoded
 * (header-selection.ts). Without it every header is.
 */
export function decodeFrameReading(frame: EslFrame, only: HeaderSelection | undefined): EslMessage {
  const contentType = frame.headers['Content-Type'] ?? '';
  if (frame.discarded !== undefined) return { kind: 'discarded', contentType, bytes: frame.discarded };
  switch (contentType) {
    case 'auth/request':
      return { kind: 'auth-request' };
    case 'command/reply':
      return { kind: 'command-reply', replyText: frame.headers['Reply-Text'] ?? '', headers: frame.headers };
    case 'api/response':
      return { kind: 'api-response', body: bodyText(frame) };
    case 'text/event-json': {
      const text = bodyText(frame);
      const selected = only?.scan(text);
      return selected === undefined ? decodeJsonEvent(text) : { kind: 'event', event: makeEvent(selected.headers, selected.body) };
    }
    case 'text/event-plain':
      return { kind: 'event', event: decodePlainEvent(bodyText(frame)) };
    case 'text/disconnect-notice':
      return { kind: 'disconnect-notice', body: bodyText(frame), headers: frame.headers };
    case 'text/rude-rejection':
      return { kind: 'rude-rejection', body: bodyText(frame) };
    default:
      return { kind: 'unknown', contentType, headers: frame.headers, body: frame.body === undefined ? undefined : bodyText(frame) };
  }
}

/**
 * The body as text. It is nearly always ASCII, and then Latin-1 decoding gives the same
 * string as UTF-8 for less work (a plain copy): a measurable share at 4 KB per event.
 */
function bodyText(frame: EslFrame): string {
  const body = frame.body;
  if (body === undefined) return '';
  return body.toString(isAscii(body) ? 'latin1' : 'utf8');
}

/**
 * A JSON event body is one object whose values FreeSWITCH always writes as strings,
 * with the event's own body (BACKGROUND_JOB output) under `_body`, and no trailing
 * newline. The parsed object is used as the header table as it is: copying 100-odd
 * keys into a fresh object cost half the decoding time. A value that is not a string
 * (never seen from FreeSWITCH) is replaced by its JSON text, so the table keeps its type.
 */
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
  const headers = parsed as Record<string, unknown>;
  let body: string | undefined;
  if (Object.hasOwn(headers, '_body')) {
    const inner = headers['_body'];
    body = typeof inner === 'string' ? inner : JSON.stringify(inner);
    delete headers['_body'];
  }
  for (const key in headers) {
    const value = headers[key];
    if (typeof value !== 'string') headers[key] = JSON.stringify(value);
  }
  return { kind: 'event', event: makeEvent(headers as Record<string, string>, body) };
}

/**
 * A plain event body is URL-encoded `Name: value` lines, a blank line, and — when the
 * event has a body of its own — that body, announced by an inner Content-Length.
 * One pass: each value is decoded as its line is read (only values holding a `%`
 * need decoding at all). The next colon is looked up once and reused until a line
 * passes it, so lines without one cost no rescan of the rest of the body.
 */
export function decodePlainEvent(text: string): EslEvent {
  const split = text.indexOf('\n\n');
  const end = split === -1 ? text.length : split;
  const headers: Record<string, string> = {};
  let pos = 0;
  let colon = text.indexOf(':');
  while (pos < end && colon !== -1) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > end) eol = end;
    if (colon < pos) colon = text.indexOf(':', pos);
    if (colon === -1) break;
    if (colon > pos && colon < eol) {
      let valueStart = colon + 1;
      if (text.charCodeAt(valueStart) === 32) valueStart++;
      let valueEnd = eol;
      if (valueEnd > valueStart && text.charCodeAt(valueEnd - 1) === 13) valueEnd--;
      const raw = text.slice(valueStart, valueEnd);
      headers[text.slice(pos, colon)] = raw.indexOf('%') === -1 ? raw : decodeEslValue(raw);
    }
    pos = eol + 1;
  }
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
