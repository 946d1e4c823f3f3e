/**
 * The fields of a seed 001 request, from the query string and the body. The seed's curl
 * examples send `application/x-www-form-urlencoded`; JSON objects are accepted too, as
 * business systems often find them easier to build. Docs: docs/api.md ("Requests").
 */
import type http from 'node:http';
import { HttpError } from './http-json.js';

export const MAX_BODY_BYTES = 16 * 1024;

const FORM = /^application\/x-www-form-urlencoded\b/i;
const JSON_TYPE = /^application\/json\b/i;

/** Named values of one request, each given once; read with a pattern that says what it must be. */
export class RequestFields {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The value when given (an empty value counts as not given), else undefined; a 400 when it does not match. */
  optional(name: string, pattern: RegExp, what: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === '') return undefined;
    if (!pattern.test(value)) {
      // The seed's examples run fields together ("queue=630member=808"): say so rather than only "bad queue".
      const hint = value.includes('=') ? '; separate fields with & (queue=630&member=808&state=on)' : '';
      throw new HttpError(400, `${name} must be ${what} (got ${JSON.stringify(value.slice(0, 64))})${hint}`);
    }
    return value;
  }

  required(name: string, pattern: RegExp, what: string): string {
    const value = this.optional(name, pattern, what);
    if (value === undefined) throw new HttpError(400, `${name} is required: ${what}`);
    return value;
  }
}

/**
 * Reads the query string and (except for GET) a form or JSON body of at most
 * MAX_BODY_BYTES. A field given twice, in either place or in both, is refused: which
 * of two values was meant cannot be guessed.
 */
export async function readRequestFields(req: http.IncomingMessage, url: URL): Promise<RequestFields> {
  const values = new Map<string, string>();
  const put = (name: string, value: string): void => {
    if (values.has(name)) throw new HttpError(400, `${name} is given twice`);
    values.set(name, value);
  };
  for (const [name, value] of url.searchParams) put(name, value);
  if (req.method !== 'GET' && req.method !== 'HEAD' && hasBody(req)) {
    const type = req.headers['content-type'] ?? '';
    if (FORM.test(type)) {
      for (const [name, value] of new URLSearchParams(await readBody(req))) put(name, value);
    } else if (JSON_TYPE.test(type)) {
      for (const [name, value] of jsonFields(await readBody(req))) put(name, value);
    } else {
      throw new HttpError(415, 'send the body as application/x-www-form-urlencoded or application/json');
    }
  }
  return new RequestFields(values);
}

function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object's fields as text: numbers are allowed ({"queue": 630}), nothing nested. */
function jsonFields(text: string): [string, string][] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  return Object.entries(body).map(([name, value]): [string, string] => {
    if (typeof value === 'string') return [name, value];
    if (typeof value === 'number' && Number.isFinite(value)) return [name, String(value)];
    throw new HttpError(400, `${name} must be a string or a number`);
  });
}
