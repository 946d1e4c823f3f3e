/**
 * Builds ESL frames the way FreeSWITCH 1.10 writes them (see the captures): event
 * frames put Content-Length before Content-Type, api/response the other way round;
 * plain event bodies are URL-encoded `Name: value` lines and a blank line, with an
 * inner Content-Length and body for events that carry one; JSON bodies have no
 * trailing newline and carry an inner body as `_body`.
 */
import type { EslFrame } from '../../src/esl/framer.js';

export type EventHeaders = Readonly<Record<string, string>>;

export function authRequest(): Buffer {
  return Buffer.from('Content-Type: auth/request\n\n');
}

export function commandReply(text: string, headers: EventHeaders = {}): Buffer {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  return Buffer.from(`Content-Type: command/reply\nReply-Text: ${text}\n${extra}\n`);
}

export function apiResponse(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${bytes.length}\n\n`), bytes]);
}

export function disconnectNotice(body = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n'): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: text/disconnect-notice\nContent-Length: ${bytes.length}\n\n`), bytes]);
}

export function rudeRejection(body = 'Access Denied, go away.\n'): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: text/rude-rejection\nContent-Length: ${bytes.length}\n\n`), bytes]);
}

export function plainEvent(headers: EventHeaders, body?: string): Buffer {
  let text = '';
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${encodeURIComponent(value)}\n`;
  if (body !== undefined) text += `Content-Length: ${Buffer.byteLength(body)}\n\n${body}`;
  else text += '\n';
  return frameEvent('text/event-plain', Buffer.from(text, 'utf8'));
}

export function jsonEvent(headers: EventHeaders, body?: string): Buffer {
  const object: Record<string, string> = { ...headers };
  if (body !== undefined) {
    object['Content-Length'] = String(Buffer.byteLength(body));
    object['_body'] = body;
  }
  return frameEvent('text/event-json', Buffer.from(JSON.stringify(object), 'utf8'));
}

/**
 * Headers of a CUSTOM event of about `bytes` of JSON, made of many headers like a
 * channel's variables, so that reading it whole costs what a real event of that size
 * would (one huge value of a single character parses far faster than any real event).
 */
export function bulkEventHeaders(bytes: number, subclass: string, coreUuid: string): Record<string, string> {
  const headers: Record<string, string> = { 'Event-Name': 'CUSTOM', 'Event-Subclass': subclass, 'Core-UUID': coreUuid };
  for (let i = 0, size = 0; size < bytes; i++) {
    const name = `variable_sip_h_X-Bulk-${i}`;
    const value = `<sip:${1000 + (i % 9000)}@10.0.${i % 256}.${(i * 7) % 256}:5060;transport=udp>;tag=${((i * 2654435761) % 4294967296).toString(16)}`;
    headers[name] = value;
    size += name.length + value.length + 6;
  }
  return headers;
}

function frameEvent(contentType: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\nContent-Type: ${contentType}\n\n`), body]);
}

/** A frame back to its exact wire bytes (header order is kept by the framer). */
export function frameBytes(frame: EslFrame): Buffer {
  const head = Object.entries(frame.headers)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${head}\n`, 'utf8'), frame.body ?? Buffer.alloc(0)]);
}
