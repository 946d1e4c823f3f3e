/**
 * TCP framing of the agent protocol (spec §1): each message is followed by one NUL
 * byte. Never buffers more than maxBytes: a message that grows past it without its NUL
 * is reported once as oversize, and the caller closes the connection.
 */

export type NulFrame = { kind: 'message'; bytes: Buffer } | { kind: 'oversize' };

export class NulFramer {
  private chunks: Buffer[] = [];
  private length = 0;
  private failed = false;

  constructor(private readonly maxBytes: number) {}

  /** Bytes of an unfinished message held: never more than maxBytes. */
  get buffered(): number {
    return this.length;
  }

  push(chunk: Buffer): NulFrame[] {
    if (this.failed) return [];
    const out: NulFrame[] = [];
    let start = 0;
    for (let nul = chunk.indexOf(0); nul !== -1; nul = chunk.indexOf(0, start)) {
      const piece = chunk.subarray(start, nul);
      if (this.length + piece.length > this.maxBytes) return this.fail(out);
      this.chunks.push(piece);
      const bytes = this.chunks.length === 1 ? Buffer.from(this.chunks[0]!) : Buffer.concat(this.chunks, this.length + piece.length);
      this.chunks = [];
      this.length = 0;
      // Empty messages (NUL NUL) carry nothing to answer.
      if (bytes.length > 0) out.push({ kind: 'message', bytes });
      start = nul + 1;
    }
    const rest = chunk.subarray(start);
    if (this.length + rest.length > this.maxBytes) return this.fail(out);
    if (rest.length > 0) {
      this.chunks.push(Buffer.from(rest));
      this.length += rest.length;
    }
    return out;
  }

  private fail(out: NulFrame[]): NulFrame[] {
    this.failed = true;
    this.chunks = [];
    this.length = 0;
    out.push({ kind: 'oversize' });
    return out;
  }
}
