/**
 * Client → switch: a command is a first line, optional `Name: value` header lines and a
 * blank line; a `Content-Length` header announces a body that follows the blank line
 * (read_packet in mod_event_socket.c). Stray CR/LF before a command are skipped, as
 * FreeSWITCH does.
 */

export interface ClientCommand {
  /** The first line, CR stripped. */
  readonly line: string;
  /** Header names as sent; lookups are case-insensitive through `header()`. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string | undefined;
}

export function commandHeader(command: ClientCommand, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of command.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

export class CommandReader {
  private buf: Buffer = Buffer.alloc(0);
  private pendingHead: { line: string; headers: Array<[string, string]>; bodyLength: number } | undefined;

  constructor(private readonly maxBytes = 10 * 1024 * 1024) {}

  /** Feeds bytes; returns the commands they complete, in order. */
  push(chunk: Buffer): ClientCommand[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: ClientCommand[] = [];
    for (;;) {
      const cmd = this.next();
      if (cmd === undefined) break;
      out.push(cmd);
    }
    if (this.buf.length > this.maxBytes) throw new Error(`command exceeds ${this.maxBytes} bytes`);
    return out;
  }

  private next(): ClientCommand | undefined {
    if (this.pendingHead === undefined) {
      let start = 0;
      while (start < this.buf.length && (this.buf[start] === 0x0a || this.buf[start] === 0x0d)) start++;
      if (start > 0) this.buf = this.buf.subarray(start);
      const end = findBlankLine(this.buf);
      if (end === undefined) return undefined;
      const text = this.buf.toString('utf8', 0, end.headEnd);
      this.buf = this.buf.subarray(end.after);
      const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      const headers: Array<[string, string]> = [];
      let bodyLength = 0;
      for (const l of lines.slice(1)) {
        if (l.length === 0) continue;
        const colon = l.indexOf(':');
        if (colon <= 0) continue;
        const name = l.slice(0, colon);
        const value = l.slice(colon + 1).replace(/^ +/, '');
        headers.push([name, value]);
        if (name.toLowerCase() === 'content-length') bodyLength = Math.max(0, Number.parseInt(value, 10) || 0);
      }
      this.pendingHead = { line: lines[0] ?? '', headers, bodyLength };
    }
    const head = this.pendingHead;
    if (this.buf.length < head.bodyLength) return undefined;
    const body = head.bodyLength > 0 ? this.buf.toString('utf8', 0, head.bodyLength) : undefined;
    this.buf = this.buf.subarray(head.bodyLength);
    this.pendingHead = undefined;
    return { line: head.line, headers: head.headers, body };
  }
}

function findBlankLine(buf: Buffer): { headEnd: number; after: number } | undefined {
  let i = buf.indexOf(0x0a);
  while (i !== -1) {
    let j = i + 1;
    if (buf[j] === 0x0d) j++;
    if (j < buf.length && buf[j] === 0x0a) return { headEnd: i, after: j + 1 };
    i = buf.indexOf(0x0a, i + 1);
  }
  return undefined;
}
