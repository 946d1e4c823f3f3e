/**
 * Sends a file as an HTTP answer: its type, a weak ETag (304 when the client has it), and
 * — where asked for — byte ranges, so that a browser's audio player can seek in a
 * recording (RFC 9110 §14: one range `bytes=a-b`, `a-` or `-n`; 206 with Content-Range;
 * 416 when it lies past the end; several ranges are answered with the whole file, which
 * the RFC allows).
 */
import { createReadStream } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface FileToSend {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly type: string;
}

export interface SendOptions {
  readonly cacheControl: string;
  /** Answer `Range` requests (recordings); pages are sent whole. */
  readonly ranges: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export function sendFile(request: FastifyRequest, reply: FastifyReply, file: FileToSend, options: SendOptions): FastifyReply {
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  reply.headers({
    'content-type': file.type,
    'cache-control': options.cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
    ...(options.ranges ? { 'accept-ranges': 'bytes' } : {}),
    ...options.headers,
  });
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = options.ranges && (ifRange === undefined || ifRange === etag) ? rangeOf(request.headers.range, file.size) : undefined;
  if (range === 'unsatisfiable') {
    return reply.code(416).header('content-range', `bytes */${file.size}`).type('text/plain; charset=utf-8').send(`range not satisfiable: the file has ${file.size} bytes`);
  }
  const [start, end] = range ?? [0, file.size - 1];
  const length = Math.max(0, end - start + 1);
  reply.header('content-length', length);
  if (range !== undefined) reply.code(206).header('content-range', `bytes ${start}-${end}/${file.size}`);
  if (length === 0) return reply.send();
  // HEAD too: fastify's HEAD route keeps the length and drops the stream unread.
  return reply.send(createReadStream(file.path, { start, end }));
}

/** The one byte range asked for: [first, last] inclusive, undefined for the whole file. */
export function rangeOf(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Not a single byte range (several ranges, another unit): the whole file, as if none was asked.
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const first = Number(m[1]);
  // A last byte before the first is not a range at all: ignored, as RFC 9110 §14.2 says.
  if (m[2] !== '' && Number(m[2]) < first) return undefined;
  if (first >= size) return 'unsatisfiable';
  return [first, m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
}
