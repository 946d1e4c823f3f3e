// Seed 001 authentication over real HTTP: with api.webKey set, /coocenter-api/ wants
// Authorization: md5(WEBKEY + 'YYYY-MM-DD'), today in the configured time zone.
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webKeyFor } from '../../../src/api/web-key.js';
import { ManualClock } from '../../../src/clock.js';
import { HttpApi } from '../../helpers/http-api.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const WEB_KEY = 'test-web-key-1';
let s: TestServer;
let api: HttpApi;

beforeAll(async () => {
  // 2026-11-21 10:00 in Asia/Shanghai, the default time zone.
  s = await startTestServer({ clock: new ManualClock(Date.UTC(2026, 10, 21, 2, 0, 0)), config: { api: { webKey: WEB_KEY } } });
  api = HttpApi.on(s.server.httpPort);
});
afterAll(() => s.close());

/** What a business system computes: md5sum of the key and the date, computed here on its own. */
const todays = createHash('md5').update(`${WEB_KEY}2026-11-21`).digest('hex');

describe('with api.webKey set', () => {
  it("accepts today's key", async () => {
    const r = await api.get('/coocenter-api/queues/queue-info', { authorization: todays });
    expect(r.status).toBe(200);
    expect(r.body['status']).toBe('success');
    expect((await api.with({ authorization: todays }).form('POST', '/coocenter-api/blacklist/create', { number: '123456' })).status).toBe(200);
  });

  it.each([
    ['missing', undefined, "Authorization header missing: send md5(WEBKEY + '2026-11-21')"],
    ['of yesterday', webKeyFor(WEB_KEY, '2026-11-20'), "Authorization is not md5(WEBKEY + '2026-11-21')"],
    ['of another key', webKeyFor('another-web-key', '2026-11-21'), "Authorization is not md5(WEBKEY + '2026-11-21')"],
    ['the key itself', WEB_KEY, "Authorization is not md5(WEBKEY + '2026-11-21')"],
  ])('refuses a key %s with 401 and a reason', async (_what, authorization, message) => {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    const r = await api.get('/coocenter-api/blacklist/index', headers);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ status: 'error', message });
  });

  it('changes nothing for a refused request, and hides which paths exist', async () => {
    const wrong = { authorization: webKeyFor(WEB_KEY, '2026-11-20') };
    expect((await api.with(wrong).form('POST', '/coocenter-api/blacklist/create', { number: '654321' })).status).toBe(401);
    expect(s.server.engine.lists.isBlacklisted('20000153', '654321')).toBe(false);
    expect((await api.get('/coocenter-api/no-such-thing')).status).toBe(401);
    expect((await api.get('/coocenter-api/no-such-thing', { authorization: todays })).status).toBe(404);
  });

  it('does not warn of an open API at start', () => {
    expect(s.logs.map((l) => String(l['msg']))).not.toContainEqual(expect.stringContaining('no WEB key set'));
  });

  it('leaves the other endpoints alone: /health and the statistics API (which wants a Guid)', async () => {
    expect((await api.get('/health')).status).toBe(200);
    expect((await api.get('/agentgateway/resource/calldata/1001/statistics')).body['retcode']).toBe('100-006');
  });
});

describe('with no api.webKey (a fresh install)', () => {
  // A client on another address: this machine's first non-loopback IPv4 address.
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ config: { http: { host: '0.0.0.0' } } });
  });
  afterAll(() => open.close());

  it('answers this host without a key, and says so once at start', async () => {
    expect((await HttpApi.on(open.server.httpPort).get('/coocenter-api/queues/queue-info')).status).toBe(200);
    expect(open.logs.filter((l) => String(l['msg']).startsWith('no WEB key set'))).toHaveLength(1);
  });

  it.runIf(external !== undefined)('refuses another host with 401 and a reason, and changes nothing', async () => {
    const remote = new HttpApi(`http://${external}:${open.server.httpPort}`);
    const r = await remote.form('POST', '/coocenter-api/blacklist/create', { number: '654321' });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ status: 'error', message: 'api.webKey is not set: the API answers requests from this host only' });
    expect(open.server.engine.lists.isBlacklisted('20000153', '654321')).toBe(false);
  });
});
