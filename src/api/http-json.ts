/** JSON in and out for the HTTP API: a bounded body reader and answers with a reason. */
import type http from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  // Answered before the body was read to its end (a 413 part-way through, a 415 before
  // it): the rest of it still stands between this request and the next on the
  // connection. The connection is closed after the answer; without this, Node kept it
  // open and never answered the next request (test/integration/api/body-parsers-fuzz.test.ts).
  const unread = res.req !== undefined && !res.req.complete ? { connection: 'close' } : {};
  res.writeHead(status, { ...headers, ...unread, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON object body of at most `limit` bytes; a 4xx HttpError otherwise. */
export async function readJsonObject(req: http.IncomingMessage, limit = 16 * 1024): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  return body as Record<string, unknown>;
}
