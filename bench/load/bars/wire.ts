/**
 * The agent protocol as the harness's bars speak it (docs/protocol.md): requests written
 * in XML (TCP, WebSocket cti.xml) or JSON (WebSocket cti.json), and the few fields a bar
 * needs read out of a message by searching the text — thousands of bars in one thread
 * cannot afford a parser per message, and every field read here is plain text (digits,
 * names, uuids) that neither format escapes.
 */

export type Format = 'xml' | 'json';

export function request(format: Format, fields: Readonly<Record<string, string>>): string {
  if (format === 'json') return JSON.stringify({ request: fields });
  let body = '';
  for (const [k, v] of Object.entries(fields)) body += `<${k}>${v}</${k}>`;
  return `<request>${body}</request>`;
}

export function isResponse(format: Format, text: string): boolean {
  return format === 'json' ? text.startsWith('{"response"') : text.startsWith('<response>');
}

/** A field's text: `<name>text</name>` in XML, `"name":"text"` (or a bare number) in JSON; the first one. */
export function field(format: Format, text: string, name: string, from = 0): string | undefined {
  if (format === 'xml') {
    const open = `<${name}>`;
    const i = text.indexOf(open, from);
    if (i === -1) return undefined;
    const j = text.indexOf(`</${name}>`, i + open.length);
    return j === -1 ? undefined : text.slice(i + open.length, j);
  }
  const key = `"${name}":`;
  const i = text.indexOf(key, from);
  if (i === -1) return undefined;
  const start = i + key.length;
  if (text[start] === '"') {
    const j = text.indexOf('"', start + 1);
    return j === -1 ? undefined : text.slice(start + 1, j);
  }
  let j = start;
  while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
  return text.slice(start, j);
}
