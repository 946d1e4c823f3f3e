/**
 * ESL framing: bytes in, frames out. Knows nothing of events or commands.
 *
 * A frame is a block of `Name: value` header lines ended by a blank line, then, when
 * the headers carry `Content-Length`, exactly that many bytes of body. FreeSWITCH
 * writes the frame in whatever pieces TCP gives it, so the blank line ending a header
 * block can be split across two reads (`…\n` | `\n…`), and so can a body.
 *
 * Frames are read straight out of each chunk; only a frame that a read cuts in two is
 * copied, and only that frame's bytes (not the rest of the chunk). Bodies handed to
 * `onFrame` are views, valid until it returns: the connection decodes them there, and
 * the bytes under them are reused by the next read.
 *
 * Size: the body length is known from Content-Length before a byte of the body has
 * arrived, so the limits are applied then, never after buffering. A body above its
 * Content-Type's limit (`bodyLimits`) is discarded as it streams by, without being
 * kept, and reported as a frame with `discarded` set; the stream stays in step because
 * Content-Length says exactly where the next frame starts. Content-Length above
 * `maxBodyBytes` is not taken as a frame at all: the stream is broken.
 */
export interface EslFrame {
  /** Header names as FreeSWITCH writes them (case kept); values as sent (not URL-decoded). */
  readonly headers: Record<string, string>;
  /**
   * The body when the frame had a Content-Length (and was not discarded), else
   * undefined. A view into the framer's or the caller's buffer, valid only until
   * `onFrame` returns: copy it to keep it (`pushAll` does).
   */
  readonly body: Buffer | undefined;
  /** The Content-Length of a body that was over its limit and discarded unread. */
  readonly discarded?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const EVENT_HEAD = Buffer.from('Content-Length: ', 'latin1');
const EVENT_TYPE = Buffer.from('\nContent-Type: text/event-', 'latin1');
/** The buffer holding a frame cut by a read starts at this and goes back to it after a big frame. */
const OWN_BYTES = 64 * 1024;

/** Why a byte stream cannot be framed: the connection must be dropped, not resynced. */
export class EslFramingError extends Error {
  override readonly name = 'EslFramingError';
}

export interface FramerOptions {
  /** A header block longer than this is treated as a broken stream. */
  maxHeaderBytes?: number;
  /** A Content-Length above this is treated as a broken stream. */
  maxBodyBytes?: number;
  /**
   * Content-Type → the longest body kept. A longer one (up to maxBodyBytes) is
   * discarded without being buffered and reported with `discarded`.
   */
  bodyLimits?: Readonly<Record<string, number>>;
}

type OnFrame = (frame: EslFrame) => void;

export class EslFramer {
  /** Holds the part of a frame that an earlier read ended in the middle of. */
  private own: Buffer;
  private ownLength = 0;
  /** Headers read, body still to come (partly in `own`). */
  private pending: { headers: Record<string, string>; bodyLength: number } | undefined;
  /** Bytes of a discarded body still to come. */
  private discarding = 0;
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly bodyLimits: Readonly<Record<string, number>>;

  constructor(options: FramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 64 * 1024;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
    this.bodyLimits = options.bodyLimits ?? {};
    this.own = Buffer.allocUnsafe(OWN_BYTES);
  }

  /** Bytes received but not yet part of a complete frame (a discarded body not counted). */
  get buffered(): number {
    return this.ownLength;
  }

  /**
   * Feeds bytes; calls `onFrame` for every frame they complete, in order. The chunk
   * is not kept: the caller may reuse it as soon as this returns. `onFrame` must not
   * throw (an exception leaves the rest of the chunk unread).
   */
  push(chunk: Buffer, onFrame: OnFrame): void {
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this.discarding > 0) {
        const k = Math.min(this.discarding, n - pos);
        this.discarding -= k;
        pos += k;
      } else if (this.pending !== undefined) {
        pos = this.body(chunk, pos, onFrame);
      } else if (this.ownLength === 0) {
        pos = this.headerInChunk(chunk, pos, onFrame);
      } else {
        pos = this.headerAcross(chunk, pos, onFrame);
      }
    }
  }

  /** Convenience for tests and tools: all frames completed by this chunk, bodies copied. */
  pushAll(chunk: Buffer): EslFrame[] {
    const out: EslFrame[] = [];
    this.push(chunk, (f) => out.push(f.body === undefined || f.body.length === 0 ? f : { ...f, body: Buffer.from(f.body) }));
    return out;
  }

  /** The body of the pending frame: straight from the chunk when it holds all of it, else gathered in `own`. */
  private body(chunk: Buffer, pos: number, onFrame: OnFrame): number {
    const { headers, bodyLength } = this.pending!;
    const available = chunk.length - pos;
    if (this.ownLength === 0 && available >= bodyLength) {
      this.pending = undefined;
      onFrame({ headers, body: chunk.subarray(pos, pos + bodyLength) });
      return pos + bodyLength;
    }
    const take = Math.min(bodyLength - this.ownLength, available);
    this.append(chunk, pos, pos + take, bodyLength);
    if (this.ownLength < bodyLength) return pos + take;
    this.pending = undefined;
    const body = this.own.subarray(0, bodyLength);
    this.ownLength = 0;
    onFrame({ headers, body });
    this.shrink();
    return pos + take;
  }

  /** A header block starting in this chunk. */
  private headerInChunk(chunk: Buffer, from: number, onFrame: OnFrame): number {
    let pos = from;
    // FreeSWITCH never sends blank lines between frames, but tolerate stray ones.
    while (pos < chunk.length && (chunk[pos] === LF || chunk[pos] === CR)) pos++;
    if (pos === chunk.length) return pos;
    const afterEvent = this.eventHead(chunk, pos, onFrame);
    if (afterEvent !== -1) return afterEvent;
    const blank = findBlankLine(chunk, pos);
    if (blank === undefined) {
      this.append(chunk, pos, chunk.length, 0);
      this.checkHeaderLength(this.ownLength);
      return chunk.length;
    }
    this.checkHeaderLength(blank.lineEnd - pos);
    return this.frameHeaders(parseHeaderBlock(chunk.toString('utf8', pos, blank.lineEnd)), chunk, blank.after, onFrame);
  }

  /**
   * The header block of an event, read without building it line by line: FreeSWITCH
   * writes it byte for byte the same every time (mod_event_socket.c, read_packet:
   * `"Content-Length: %d\nContent-Type: text/event-%s\n\n"`), and it comes before every
   * one of thousands of events a second. Returns -1 when the bytes are anything else
   * (or cut by the end of the chunk): the general path reads them then.
   */
  private eventHead(chunk: Buffer, pos: number, onFrame: OnFrame): number {
    const end = chunk.length;
    if (end - pos < EVENT_HEAD.length + 1 + EVENT_TYPE.length + 6) return -1;
    for (let i = 0; i < EVENT_HEAD.length; i++) if (chunk[pos + i] !== EVENT_HEAD[i]) return -1;
    const digitsAt = pos + EVENT_HEAD.length;
    let p = digitsAt;
    let bodyLength = 0;
    // 15 digits stay below Number.MAX_SAFE_INTEGER.
    while (p < end && p - digitsAt < 15) {
      const digit = (chunk[p] as number) - 48;
      if (digit < 0 || digit > 9) break;
      bodyLength = bodyLength * 10 + digit;
      p++;
    }
    const digitsEnd = p;
    if (p === digitsAt || end - p < EVENT_TYPE.length + 6) return -1;
    for (let i = 0; i < EVENT_TYPE.length; i++) if (chunk[p + i] !== EVENT_TYPE[i]) return -1;
    p += EVENT_TYPE.length;
    let contentType: string;
    if (chunk[p] === 0x6a && chunk[p + 1] === 0x73 && chunk[p + 2] === 0x6f && chunk[p + 3] === 0x6e) {
      contentType = 'text/event-json';
      p += 4;
    } else if (chunk[p] === 0x70 && chunk[p + 1] === 0x6c && chunk[p + 2] === 0x61 && chunk[p + 3] === 0x69 && chunk[p + 4] === 0x6e) {
      contentType = 'text/event-plain';
      p += 5;
    } else {
      return -1;
    }
    if (p + 1 >= end || chunk[p] !== LF || chunk[p + 1] !== LF) return -1;
    const headers: Record<string, string> = { 'Content-Length': chunk.toString('latin1', digitsAt, digitsEnd), 'Content-Type': contentType };
    return this.frameBody(headers, bodyLength, chunk, p + 2, onFrame);
  }

  /** The rest of a header block that an earlier read began (it is in `own`, with no blank line yet). */
  private headerAcross(chunk: Buffer, pos: number, onFrame: OnFrame): number {
    const after = blankLineAfter(this.own, this.ownLength, chunk, pos);
    const end = after === -1 ? chunk.length : after;
    this.append(chunk, pos, end, 0);
    this.checkHeaderLength(this.ownLength);
    if (after === -1) return end;
    // parseHeaderBlock skips the empty lines of the terminator.
    const headers = parseHeaderBlock(this.own.toString('utf8', 0, this.ownLength));
    this.ownLength = 0;
    return this.frameHeaders(headers, chunk, end, onFrame);
  }

  /** A complete header block; `pos` is where its body (if any) starts in `chunk`. Returns where reading goes on. */
  private frameHeaders(headers: Record<string, string>, chunk: Buffer, pos: number, onFrame: OnFrame): number {
    const lengthText = headers['Content-Length'];
    if (lengthText === undefined) {
      onFrame({ headers, body: undefined });
      return pos;
    }
    return this.frameBody(headers, parseLength(lengthText), chunk, pos, onFrame);
  }

  private frameBody(headers: Record<string, string>, bodyLength: number, chunk: Buffer, pos: number, onFrame: OnFrame): number {
    if (bodyLength > this.maxBodyBytes) {
      throw new EslFramingError(`body of ${bodyLength} bytes exceeds ${this.maxBodyBytes}`);
    }
    const limit = this.bodyLimits[headers['Content-Type'] ?? ''];
    if (limit !== undefined && bodyLength > limit) {
      this.discarding = bodyLength;
      onFrame({ headers, body: undefined, discarded: bodyLength });
      return pos;
    }
    if (chunk.length - pos >= bodyLength) {
      onFrame({ headers, body: bodyLength === 0 ? EMPTY : chunk.subarray(pos, pos + bodyLength) });
      return pos + bodyLength;
    }
    this.pending = { headers, bodyLength };
    return pos;
  }

  private checkHeaderLength(length: number): void {
    if (length > this.maxHeaderBytes) throw new EslFramingError(`header block exceeds ${this.maxHeaderBytes} bytes`);
  }

  /** Copies chunk[from, to) to the end of `own`; `expected` sizes it when the frame's length is known. */
  private append(chunk: Buffer, from: number, to: number, expected: number): void {
    const needed = this.ownLength + (to - from);
    if (needed > this.own.length) {
      let size = Math.max(expected, this.own.length * 2);
      while (size < needed) size *= 2;
      const grown = Buffer.allocUnsafe(size);
      this.own.copy(grown, 0, 0, this.ownLength);
      this.own = grown;
    }
    chunk.copy(this.own, this.ownLength, from, to);
    this.ownLength = needed;
  }

  /** After a big frame, give the memory back instead of holding it for the life of the connection. */
  private shrink(): void {
    if (this.own.length > OWN_BYTES * 4) this.own = Buffer.allocUnsafe(OWN_BYTES);
  }
}

/** Content-Length must be decimal digits (blanks around them allowed): anything else means the stream is broken. */
function parseLength(text: string): number {
  let i = 0;
  let end = text.length;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  while (end > i && isBlank(text.charCodeAt(end - 1))) end--;
  // 15 digits stay below Number.MAX_SAFE_INTEGER.
  if (end === i || end - i > 15) throw new EslFramingError(`bad Content-Length ${JSON.stringify(text)}`);
  let value = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) throw new EslFramingError(`bad Content-Length ${JSON.stringify(text)}`);
    value = value * 10 + digit;
  }
  return value;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Finds `\n\n` (or `\n\r\n`) in buf from `from`; undefined when the block is not complete in it. */
function findBlankLine(buf: Buffer, from: number): { lineEnd: number; after: number } | undefined {
  const end = buf.length;
  let i = buf.indexOf(LF, from);
  while (i !== -1) {
    const n1 = i + 1;
    if (n1 >= end) return undefined;
    if (buf[n1] === LF) return { lineEnd: i, after: n1 + 1 };
    if (buf[n1] === CR) {
      if (n1 + 1 >= end) return undefined;
      if (buf[n1 + 1] === LF) return { lineEnd: i, after: n1 + 2 };
    }
    i = buf.indexOf(LF, n1);
  }
  return undefined;
}

/**
 * Where the blank line ending a header block lies in `chunk` (the index just after
 * it), given that the block began in `own` (whose first `ownLength` bytes hold no
 * blank line yet, but may end with its first half); -1 when it is not in this chunk.
 */
function blankLineAfter(own: Buffer, ownLength: number, chunk: Buffer, pos: number): number {
  const last = own[ownLength - 1];
  const beforeLast = ownLength >= 2 ? own[ownLength - 2] : undefined;
  const c0 = chunk[pos];
  if (last === LF) {
    if (c0 === LF) return pos + 1;
    if (c0 === CR) {
      if (pos + 1 >= chunk.length) return -1;
      if (chunk[pos + 1] === LF) return pos + 2;
    }
  } else if (last === CR && beforeLast === LF && c0 === LF) {
    return pos + 1;
  }
  const found = findBlankLine(chunk, pos);
  return found === undefined ? -1 : found.after;
}

/**
 * `Name: value` lines; the value is everything after the first `: ` (it may hold colons).
 * The next colon is looked up once and reused until a line passes it, so lines without
 * one cost no rescan of the rest of the block.
 */
export function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let pos = 0;
  let colon = block.indexOf(':');
  while (pos < block.length && colon !== -1) {
    let eol = block.indexOf('\n', pos);
    if (eol === -1) eol = block.length;
    if (colon < pos) colon = block.indexOf(':', pos);
    if (colon === -1) break;
    let lineEnd = eol;
    if (lineEnd > pos && block.charCodeAt(lineEnd - 1) === CR) lineEnd--;
    if (colon > pos && colon < lineEnd) {
      const valueStart = block.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
      headers[block.slice(pos, colon)] = valueStart >= lineEnd ? '' : block.slice(valueStart, lineEnd);
    }
    pos = eol + 1;
  }
  return headers;
}
