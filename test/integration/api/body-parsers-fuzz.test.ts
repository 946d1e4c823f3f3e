// Issue 15, attacks 2: the HTTP body parsers of today's API (src/api/http-json.ts,
// src/api/request-fields.ts) under arbitrary bodies, content types and chunking, over a
// real HTTP server and real sockets. Every request gets an answer with a status — 200 or
// the parser's 4xx, never a 500 or a dropped connection — and the server stays up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, readJsonObject, sendJson } from '../../../src/api/http-json.js';
import { MAX_BODY_BYTES, readRequestFields } from '../../../src/api/request-fields.js';
import { FUZZ, pieces } from '../../helpers/fuzz.js';

let server: http.Server;
let port: number;
/** One kept-alive connection at a time: a request that leaves it unusable shows as a hang of the next. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  // The routes' own pattern (coocenter-routes.ts, simulator-routes.ts): HttpError → its status, anything else → 500.
  server = http.createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname === '/json') sendJson(res, 200, { fields: Object.keys(await readJsonObject(req)).length });
        else sendJson(res, 200, { given: (await readRequestFields(req, url)).has('number') });
      } catch (err) {
        if (err instanceof HttpError) sendJson(res, err.status, { error: err.message });
        else sendJson(res, 500, { error: String(err) });
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agent.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends `parts` as the body, chunked (no Content-Length) or with its true length, on
 * a kept-alive connection; resolves with the answer. A server that answers before the
 * body is read (413, 415) closes the connection: writing the rest then fails, which is
 * not the server's fault once its answer is in.
 */
function post(path: string, type: string | undefined, parts: readonly Buffer[], chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const length = parts.reduce((n, p) => n + p.length, 0);
    const headers: http.OutgoingHttpHeaders = { ...(type !== undefined ? { 'content-type': type } : {}), ...(chunked ? {} : { 'content-length': length }) };
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    for (const p of parts) req.write(p);
    req.end();
  });
}

const types = fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'APPLICATION/JSON', 'multipart/form-data; boundary=x');
/** Bodies: arbitrary bytes, JSON values, forms, and now and then more than the 16 KB limit. */
const bodies = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  fc.jsonValue({ maxDepth: 6 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.double(), fc.constant(null)), { maxKeys: 6 }).map((o) => Buffer.from(JSON.stringify(o))),
  fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 })), { maxLength: 6 }).map((kv) => Buffer.from(new URLSearchParams(kv).toString())),
  fc.constantFrom('{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '__proto__[polluted]=1&number=1', '{"number":1e999}').map((t) => Buffer.from(t)),
  // Shown by its size when a run fails, not byte by byte.
  fc.integer({ min: MAX_BODY_BYTES - 8, max: 1024 * 1024 }).map((n) => Object.assign(Buffer.alloc(n, 'a'), { [fc.toStringMethod]: () => `Buffer.alloc(${n}, 'a')` })),
);
const cutsOf = fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 8 });

describe('every body gets a status with a reason, never a 500 or a reset', () => {
  for (const path of ['/json', '/fields']) {
    it(`${path === '/json' ? 'readJsonObject' : 'readRequestFields'}`, async () => {
      await fc.assert(
        fc.asyncProperty(types, bodies, cutsOf, fc.boolean(), async (type, body, lengths, chunked) => {
          const answer = await post(path, type, pieces(body, lengths), chunked);
          expect([200, 400, 413, 415]).toContain(answer.status);
          if (answer.status !== 200) expect((JSON.parse(answer.body) as { error: string }).error.length).toBeGreaterThan(0);
          if (body.length > MAX_BODY_BYTES && answer.status !== 415) expect(answer.status).toBe(413);
          expect(Object.prototype).not.toHaveProperty('polluted');
        }),
        { ...FUZZ, numRuns: 150, timeout: 5000 },
      );
    });
  }
});
