// Every route the HTTP port serves, taken from the server's own list of routes, refused
// over real HTTP as a careless or hostile client would be: without credentials, with a
// wrong key, with a malformed body, an oversize body, a method the path does not take.
// Each answer is a 4xx with a reason in its family's shape, never a 500, and the server
// goes on serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webKeyFor } from '../../../src/api/web-key.js';
import { createDayClock } from '../../../src/time-format.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const WEB_KEY = 'web-key-for-refusals';
const ADMIN_KEY = 'admin-key-0123456789abcdef';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { api: { webKey: WEB_KEY, adminKey: ADMIN_KEY } } });
});
afterAll(() => s?.close());

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A concrete path for a route: each parameter filled with a value of the right form. */
function pathOf(url: string): string {
  const values: Record<string, string> = { agentid: '1001', key: '1001', num: '630', agent: '1001', extension: '8001', uuid: '6f1c2a8e-3d4b-4c5a-9e8f-0a1b2c3d4e5f' };
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? 'x').replace(/\*$/, '20261121/x.wav');
}

/** The credentials a path's family asks for: right, wrong, or none. */
function credentials(path: string, kind: 'right' | 'wrong' | 'none'): Record<string, string> {
  if (kind === 'none') return {};
  if (path.startsWith('/coocenter-api/')) {
    const today = createDayClock(s.config.timeZone).dayOf(Date.now());
    return { authorization: kind === 'right' ? webKeyFor(WEB_KEY, today) : webKeyFor('not-the-key', today) };
  }
  if (path.startsWith('/admin/')) return { authorization: `Bearer ${kind === 'right' ? ADMIN_KEY : 'not-the-admin-key-0000'}` };
  if (path.startsWith('/agentgateway/')) return { guid: kind === 'right' ? 'no-such-guid' : 'wrong-guid' };
  return {};
}

interface Answer {
  readonly status: number;
  readonly reason: string;
}

async function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${s.server.httpPort}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let reason = '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    // seed 004 answers { resultCode, resultDesc }.
    reason = String(json['message'] ?? json['error'] ?? json['resultDesc'] ?? '');
  } catch {
    reason = text;
  }
  return { status: res.status, reason };
}

function routes(): { method: string; url: string; path: string }[] {
  return s.server.httpRoutes
    .filter((r) => !r.hidden && r.method !== 'HEAD' && !r.url.startsWith('/docs'))
    .map((r) => ({ method: r.method, url: r.url, path: pathOf(r.url) }));
}

function expectRefused(answer: Answer, what: string): void {
  expect(answer.status, what).toBeGreaterThanOrEqual(400);
  expect(answer.status, what).toBeLessThan(500);
  expect(answer.reason.length, `${what}: a reason`).toBeGreaterThan(5);
}

describe('every route', () => {
  it('without credentials, and with a wrong key, is refused 401 with a reason (the families that ask for one)', async () => {
    const guarded = routes().filter((r) => /^\/(coocenter-api|admin|agentgateway)\//.test(r.path));
    expect(guarded.length).toBeGreaterThan(40);
    for (const r of guarded) {
      for (const kind of ['none', 'wrong'] as const) {
        const answer = await send(r.method, r.path, { ...credentials(r.path, kind), 'content-type': 'application/json' }, r.method === 'GET' ? undefined : '{}');
        expect(answer.status, `${r.method} ${r.path} (${kind})`).toBe(401);
        expectRefused(answer, `${r.method} ${r.path} (${kind})`);
      }
    }
  });

  it('with a malformed body, and with one over the body limit (16 KB; 64 KB for seed 004’s signed bodies), is refused 400 / 413 with a reason', async () => {
    for (const r of routes().filter((x) => x.method !== 'GET' && !x.url.startsWith('/agentgateway/'))) {
      const headers = { ...credentials(r.path, 'right'), 'content-type': 'application/json' };
      const malformed = await send(r.method, r.path, headers, '{"number": "12');
      expectRefused(malformed, `${r.method} ${r.path} malformed`);
      expect([400, 404], `${r.method} ${r.path} malformed`).toContain(malformed.status);
      const oversize = await send(r.method, r.path, headers, JSON.stringify({ number: '1', reason: 'x'.repeat(65 * 1024) }));
      expectRefused(oversize, `${r.method} ${r.path} oversize`);
      expect([413, 404], `${r.method} ${r.path} oversize`).toContain(oversize.status);
    }
  });

  it('with a method its path does not take, is refused 404 or 405 with a reason', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const r of routes()) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method));
    for (const [path, methods] of byPath) {
      const wrong = METHODS.find((m) => !methods.has(m))!;
      const answer = await send(wrong, path, { ...credentials(path, 'right'), 'content-type': 'application/json' }, wrong === 'GET' ? undefined : '{}');
      expectRefused(answer, `${wrong} ${path}`);
      expect([404, 405], `${wrong} ${path}`).toContain(answer.status);
    }
  });

  it('never made the server fail: no 500 was logged, and it still answers', async () => {
    expect(s.logs.filter((l) => Number(l['level']) >= 50).map((l) => l['msg'])).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${s.server.httpPort}/health`)).status).toBe(200);
  });
});
