// Seed 001's GET monitor/{filePath} over real HTTP: recordings from calls.recordingsDir and
// from nowhere else (no climb out however it is written, no symbolic link out), the right
// type, and byte ranges so a browser's player can seek.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-recordings-');
let s: TestServer;
const AUDIO = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

/** A raw request: the path goes on the wire as written (fetch would normalise it). */
function request(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: s.server.httpPort, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const dir = tempDir();
  mkdirSync(join(dir, '20261121'));
  writeFileSync(join(dir, '20261121', 'call-1.wav'), AUDIO);
  writeFileSync(join(dir, '20261121', 'call-2.mp3'), 'ID3');
  writeFileSync(join(dir, '20261121', '.hidden.wav'), 'no');
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.wav'), 'root:x:0:0');
  symlinkSync(join(outside, 'secret.wav'), join(dir, '20261121', 'link.wav'));
  s = await startTestServer({ config: { calls: { recordingsDir: dir } } });
});
afterAll(() => s?.close());

const M = '/coocenter-api/monitor';

describe('a recording', () => {
  it('is served whole with its type, an ETag and Accept-Ranges', async () => {
    const r = await request('GET', `${M}/20261121/call-1.wav`);
    expect(r.status).toBe(200);
    expect(r.headers).toMatchObject({ 'content-type': 'audio/wav', 'accept-ranges': 'bytes', 'content-length': '1000' });
    expect(r.body.equals(AUDIO)).toBe(true);
    expect((await request('GET', `${M}/20261121/call-1.wav`, { 'if-none-match': r.headers.etag! })).status).toBe(304);
    expect((await request('GET', `${M}/20261121/call-2.mp3`)).headers['content-type']).toBe('audio/mpeg');
    const head = await request('HEAD', `${M}/20261121/call-1.wav`);
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, '1000', 0]);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=900-', 900, 999],
    ['bytes=-10', 990, 999],
    ['bytes=950-5000', 950, 999],
  ])('answers Range %s with 206 and those bytes', async (range, first, last) => {
    const r = await request('GET', `${M}/20261121/call-1.wav`, { range });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes ${first}-${last}/1000`);
    expect(r.headers['content-length']).toBe(String(last - first + 1));
    expect(r.body.equals(AUDIO.subarray(first, last + 1))).toBe(true);
  });

  it('answers a range past the end with 416 and the size; several ranges with the whole file', async () => {
    const past = await request('GET', `${M}/20261121/call-1.wav`, { range: 'bytes=1000-' });
    expect([past.status, past.headers['content-range']]).toEqual([416, 'bytes */1000']);
    const several = await request('GET', `${M}/20261121/call-1.wav`, { range: 'bytes=0-1,5-6' });
    expect([several.status, several.body.length]).toEqual([200, 1000]);
  });
});

describe('what is not a recording under calls.recordingsDir', () => {
  it.each([
    ['dot segments', `${M}/../../../../etc/passwd`, 400],
    ['encoded dot segments', `${M}/%2e%2e/%2e%2e/etc/passwd`, 400],
    ['an encoded slash climbing out', `${M}/..%2f..%2f..%2fetc%2fpasswd`, 400],
    ['an absolute path', `${M}//etc/passwd`, 400],
    ['an encoded absolute path', `${M}/%2Fetc%2Fpasswd`, 400],
    ['an encoded backslash', `${M}/20261121%5c..%5c..%5cpasswd`, 400],
    ['a NUL byte', `${M}/20261121/call-1.wav%00.mp3`, 400],
    ['a dot file', `${M}/20261121/.hidden.wav`, 400],
    ['no file at all', `${M}/`, 400],
    ['a symbolic link to a file outside', `${M}/20261121/link.wav`, 404],
    ['a file that is not there', `${M}/20261121/call-9.wav`, 404],
    ['a folder', `${M}/20261121`, 404],
  ])('refuses %s with a 4xx and a reason, in the seed’s shape', async (_what, path, status) => {
    const r = await request('GET', path);
    expect(r.status).toBe(status);
    expect(r.body.toString()).not.toContain('root:x');
    const body = JSON.parse(r.body.toString()) as Record<string, unknown>;
    expect(body['status']).toBe('error');
    expect(String(body['message']).length).toBeGreaterThan(10);
  });

  it('is read-only', async () => {
    const r = await request('DELETE', `${M}/20261121/call-1.wav`);
    expect(r.status).toBe(404);
    expect((await request('GET', `${M}/20261121/call-1.wav`)).status).toBe(200);
  });
});
