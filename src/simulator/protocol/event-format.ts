/**
 * Serializes a SwitchEvent the three ways mod_event_socket does, and wraps it in its
 * frame. Event frames put Content-Length BEFORE Content-Type (all captures); the
 * other frame kinds are built in frames.ts.
 */
import type { SwitchEvent } from '../events/switch-event.js';

export type EventFormat = 'plain' | 'json' | 'xml';

/** switch_event_serialize: header lines, then either a blank line or the inner body. */
export function serializePlain(event: SwitchEvent): string {
  let out = '';
  for (const block of event.blocks) out += block.plain();
  if (event.body !== undefined) {
    return out + 'Content-Length: ' + Buffer.byteLength(event.body) + '\n\n' + event.body;
  }
  return out + '\n';
}

/** switch_event_serialize_json: one object, no trailing newline; the body as "_body" after a Content-Length member. */
export function serializeJson(event: SwitchEvent): string {
  let out = '{';
  let first = true;
  for (const block of event.blocks) {
    if (block.size === 0) continue;
    if (!first) out += ',';
    out += block.json();
    first = false;
  }
  if (event.body !== undefined) {
    out += ',"Content-Length":' + JSON.stringify(String(Buffer.byteLength(event.body)));
    out += ',"_body":' + JSON.stringify(event.body);
  }
  return out + '}';
}

/** switch_event_xmlize as serialized by switch_xml_toxml (capture a3). */
export function serializeXml(event: SwitchEvent): string {
  let out = '<event>\n  <headers>\n';
  for (const block of event.blocks) out += block.xml();
  out += '  </headers>\n';
  if (event.body !== undefined) {
    out += '  <Content-Length>' + Buffer.byteLength(event.body) + '</Content-Length>\n';
    out += '  <body>' + escapeXmlText(event.body) + '  </body>\n';
  }
  return out + '</event>\n';
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CONTENT_TYPE: Record<EventFormat, string> = {
  plain: 'text/event-plain',
  json: 'text/event-json',
  xml: 'text/event-xml',
};

export function serializeEvent(event: SwitchEvent, format: EventFormat): string {
  switch (format) {
    case 'plain':
      return serializePlain(event);
    case 'json':
      return serializeJson(event);
    case 'xml':
      return serializeXml(event);
  }
}

/** The whole frame: `Content-Length: N\nContent-Type: text/event-<format>\n\n<body>`. */
export function eventFrame(event: SwitchEvent, format: EventFormat): string {
  const body = serializeEvent(event, format);
  return 'Content-Length: ' + Buffer.byteLength(body) + '\nContent-Type: ' + CONTENT_TYPE[format] + '\n\n' + body;
}
