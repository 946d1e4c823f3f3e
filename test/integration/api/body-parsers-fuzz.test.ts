// Issue 15, attacks 2: the HTTP body parsers of polylink's port (fastify's JSON parser for
// the admin API, the registered form parser for seed 001) under arbitrary bodies, content
// types and chunking, over real sockets to the running server. Every request gets an answer
// with a status — 2xx or a 4xx with a reason in the family's shape, never a 500 or a
// dropped connection — and the server stays up.
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../src/transport/http-server.js';
import { FUZZ, pieces } from '../../helpers/fuzz.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const ADMIN_KEY = 'admin-key-for-the-fuzz-test';
let s: TestServer;
let port: number;
/** One kept-alive connection at a time: a request that leaves it unusable shows as a hang of the next. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  s = await startTestServer({ config: { api: { webKey: null, adminKey: ADMIN_KEY } } });
  port = s.server.httpPort;
});
afterAll(async () => {
  agent.destroy();
  await s?.close();
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
    const headers: http.OutgoingHttpHeaders = {
      ...(path.startsWith('/admin/') ? { authorization: `Bearer ${ADMIN_KEY}` } : {}),
      ...(type !== undefined ? { 'content-type': type } : {}),
      ...(chunked ? {} : { 'content-length': length }),
    };
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

/** The reason in each family's answer shape: the admin API's `message`, seed 001's `message`. */
const reasonOf = (body: string): unknown => (JSON.parse(body) as { message?: unknown }).message;

describe('every body gets a status with a reason, never a 500 or a reset', () => {
  // A JSON route (the admin API's blacklist) and a form route (seed 001's blacklist/create).
  for (const path of ['/admin/blacklist', '/coocenter-api/blacklist/create']) {
    it(path, async () => {
      await fc.assert(
        fc.asyncProperty(types, bodies, cutsOf, fc.boolean(), async (type, body, lengths, chunked) => {
          const answer = await post(path, type, pieces(body, lengths), chunked);
          expect(answer.status).toBeGreaterThanOrEqual(200);
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 400) expect(String(reasonOf(answer.body)).length).toBeGreaterThan(0);
          if (body.length > MAX_BODY_BYTES && answer.status !== 415) expect(answer.status).toBe(413);
          expect(Object.prototype).not.toHaveProperty('polluted');
        }),
        { ...FUZZ, numRuns: 150, timeout: 5000 },
      );
    });
  }
});
