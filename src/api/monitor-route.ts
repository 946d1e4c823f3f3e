/**
 * Seed 001's `GET monitor/{filePath}`: a recording, from calls.recordingsDir and from
 * nowhere else. `filePath` is the recording's path under that folder (the CDR's
 * record_file without the folder: `20261121/<call id>.wav`). Absolute paths, `..`, any
 * encoding of them and symbolic links leading out of the folder are refused (safe-path.ts);
 * Range requests are answered so a browser's player can seek (file-reply.ts).
 */
import { extname, resolve } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendFile } from './file-reply.js';
import { HttpError } from './http-error.js';
import { decodeSegments, fileUnder } from './safe-path.js';

export const MONITOR_PATH = 'monitor/';

const AUDIO_TYPES: Readonly<Record<string, string>> = {
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.webm': 'audio/webm',
};

/** Answers a recording request; `prefix` is the part of the path before the file's (/coocenter-api/monitor/). */
export async function sendRecording(request: FastifyRequest, reply: FastifyReply, recordingsDir: string, prefix: string): Promise<FastifyReply> {
  // The raw path: the router's own decoding of the wildcard must not hide an encoded climb.
  const raw = (request.raw.url ?? '').split('?')[0]!;
  const filePath = raw.startsWith(prefix) ? raw.slice(prefix.length) : '';
  if (filePath === '') throw new HttpError(400, 'filePath is required: the recording under calls.recordingsDir, e.g. 20261121/<call id>.wav');
  if (filePath.startsWith('/')) throw new HttpError(400, 'filePath must be relative to calls.recordingsDir, not an absolute path');
  const segments = decodeSegments(filePath);
  if (segments === undefined) throw new HttpError(400, 'filePath must stay inside calls.recordingsDir: no "..", dot files, encoded slashes or control characters');
  const file = await fileUnder(resolve(recordingsDir), segments, false);
  if (file === undefined || file.directory) throw new HttpError(404, `no recording ${segments.join('/')}`);
  const type = AUDIO_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  return sendFile(request, reply, { ...file, type }, { cacheControl: 'private, no-cache', ranges: true });
}
