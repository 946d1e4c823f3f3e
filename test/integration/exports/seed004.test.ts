// Seed 004 end to end: a scripted day in the operation log and the CDRs, the request signed
// with auth-v2 over real HTTP, the answer at once, the callback caught by a local server
// (its own auth-v2 checked as the app would), the zip fetched and opened, its rows checked;
// every bad request and bad signature refused with its code; the file gone after its retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { ManualClock } from '../../../src/clock.js';
import { authorize, AuthV2Verifier } from '../../../src/exports/auth-v2.js';
import type { Db } from '../../../src/store/database.js';
import { listenOutbound } from '../../helpers/outbound-http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { WebhookReceiver, type Received } from '../../helpers/webhook-receiver.js';
import { eventually } from '../../helpers/eventually.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const APP = { ak: 'app1', sk: 'app1-secret-key-0001', accountId: '20000153' };
const OTHER = { ak: 'app2', sk: 'app2-secret-key-0002', accountId: '30000000' };
const QUERY = '/CCFS/resource/ccfs/queryAgentOprInfoData';
const DOWNLOAD = '/CCFS/resource/ccfs/downloadAgentOprInfoFile';
// Times of the scripted day, 2024-03-05 in Asia/Shanghai (UTC+8).
const t = (hms: string): number => Date.parse(`2024-03-05T${hms}+08:00`);

/** 1001's and 1002's day: sign-ins, states, an inbound call, a forced status, a rung-out offer, sign-outs. */
function scriptDay(db: Db): void {
  const op = db.prepare(`INSERT INTO agent_operation_log (account_id, agent_id, operation, old_status, new_status, caused_by, reason, exten, remote, at)
    VALUES ('20000153', ?, ?, ?, ?, ?, NULL, ?, NULL, ?)`);
  const rows: Array<[string, string, number, number, string, string, string]> = [
    ['1001', 'signin', -1, 0, '1001', '8001', '09:00:00'],
    ['1001', 'status', 0, 6, '1001', '8001', '09:30:00'],
    ['1001', 'status', 6, 0, '1001', '8001', '09:45:00'],
    ['1001', 'offer', 0, 1, 'system', '8001', '10:00:00'],
    ['1001', 'bridge', 1, 2, 'system', '8001', '10:00:05'],
    ['1001', 'call-end', 2, 4, 'system', '8001', '10:05:00'],
    ['1001', 'wrap-up-end', 4, 0, 'system', '8001', '10:05:15'],
    ['1001', 'force-status', 0, 6, '1101', '8001', '12:00:00'],
    ['1001', 'signout', 6, -1, '1001', '8001', '18:00:00'],
    ['1002', 'signin', -1, 0, '1002', '8002', '09:10:00'],
    ['1002', 'offer', 0, 1, 'system', '8002', '10:59:50'],
    ['1002', 'no-answer', 1, 6, 'system', '8002', '11:00:10'],
    ['1002', 'signout', 6, -1, 'system', '8002', '17:00:00'],
  ];
  for (const [agent, operation, from, to, by, exten, at] of rows) op.run(agent, operation, from, to, by, exten, t(at));
  // The next day's first change ends nothing of this period's (the period stops at 23:59:59).
  op.run('1002', 'signin', -1, 0, '1002', '8002', Date.parse('2024-03-06T08:00:00+08:00'));
  db.prepare(`INSERT INTO cdr (call_id, account_id, call_type, status, cdr_state, customer_number, agent_id, agent_exten, queue_num, start_time, bridge_time, hangup_time, end_time, total_seconds, hangup_side, created_at)
    VALUES ('c0ffee00-0000-4000-8000-000000000001', '20000153', 'incoming', 'ANSWER', 'bridged', '051287654321', '1001', '8001', '630', ?, ?, ?, ?, 302, 'customer', ?)`)
    .run(t('09:59:58'), t('10:00:05'), t('10:05:00'), t('10:05:00'), t('10:05:00'));
  db.prepare(`INSERT INTO cdr (call_id, account_id, call_type, status, cdr_state, customer_number, agent_id, start_time, hangup_time, end_time, total_seconds, created_at)
    VALUES ('c0ffee00-0000-4000-8000-000000000002', '20000153', 'incoming', 'AGENT_NO_ANSWER', 'queue', '13800138000', '1002', ?, ?, ?, 30, ?)`)
    .run(t('10:59:45'), t('11:00:15'), t('11:00:15'), t('11:00:15'));
}

let s: TestServer;
let http: ReturnType<typeof listenOutbound>;
let callbacks: WebhookReceiver;
const clock = new ManualClock(t('20:00:00'));

beforeAll(async () => {
  callbacks = await WebhookReceiver.start();
  s = await startTestServer({
    clock,
    prepare: scriptDay,
    config: { exports: { apps: [APP, OTHER], retentionHours: 72 } as never, webhooks: { initialDelayMs: 20, maxDelayMs: 50 } as never },
  });
  http = listenOutbound(s.server);
}, 30_000);

afterAll(async () => {
  await s?.close();
  await callbacks?.close();
});

interface Answer {
  status: number;
  json: Record<string, unknown>;
  bytes: Buffer;
}

/** A request as an app sends it: signed over method, path, content-length, content-type and host, and the body. */
async function call(method: 'GET' | 'POST', url: string, body: unknown, app = APP, sign: (auth: string) => string = (a) => a): Promise<Answer> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const host = `127.0.0.1:${http.port}`;
  const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), host } : { host };
  const auth = authorize(app, { method, url, headers, body: text }, clock.now(), Object.keys(headers).sort());
  const res = await fetch(`http://${host}${url}`, { method, headers: { ...headers, authorization: sign(auth) }, ...(method === 'POST' ? { body: text } : {}) });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(bytes.toString()) as Record<string, unknown>;
  } catch {
    // a file
  }
  return { status: res.status, json, bytes };
}

const request = (msg: Record<string, unknown> = {}) => ({
  request: { version: '2.0' },
  msgBody: { beginTime: '2024-03-05 00:00:00', endTime: '2024-03-05 23:59:59', callBackURL: callbacks.url, ...msg },
});

function unzip(bytes: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err || zip === undefined) return reject(err);
      const files = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || stream === undefined) return reject(e);
          let text = '';
          stream.setEncoding('utf8');
          stream.on('data', (c: string) => (text += c));
          stream.on('end', () => {
            files.set(entry.fileName, text);
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

/** A CSV line's columns (no field of the scripted day needs quoting). */
const columns = (line: string) => line.split(',');

describe('seed 004 export', () => {
  let fileName = '';
  let callback: Received;

  it('answers at once with a responseId, POSTs the signed callback, and serves the zip to the app', async () => {
    const answer = await call('POST', QUERY, request());
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ resultCode: '0', resultDesc: 'success', resultData: { responseId: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const responseId = (answer.json['resultData'] as { responseId: string }).responseId;
    await eventually(() => callbacks.received.length > 0, 10_000);
    callback = callbacks.received[0]!;
    fileName = `20240305_${responseId}.zip`;
    expect(callback.body).toEqual({ request: { version: '2.0' }, msgBody: { responseId, fileName, agentOprInfoFileName: fileName } });
    // The callback is signed as the requests are: the app checks it with its own key.
    const verifier = new AuthV2Verifier({ apps: [APP], maxSkewMs: 900_000 });
    expect(verifier.verify({ method: 'POST', url: callback.path, headers: callback.headers, body: callback.raw }, clock.now())).toMatchObject({ ok: true });
    expect(String(callback.headers['authorization'])).toMatch(/^auth-v2\/app1\/2024-03-05T12:00:00Z\/content-length;content-type;host\/[0-9a-f]{64}$/);
    const file = await call('GET', `${DOWNLOAD}?agentOprInfoFileName=${fileName}`, undefined);
    expect(file.status).toBe(200);
    const files = await unzip(file.bytes);
    expect([...files.keys()]).toHaveLength(1);
    expect([...files.keys()][0]).toMatch(/^20240305200000000\d{3}_agentOprInfo_1\.csv$/);
    const lines = [...files.values()][0]!.split('\r\n').filter((l) => l !== '');
    // id, developer_id, account_id, agent_id, service_no, skill_id, call_id, begin, end, op_type, op_object, op_cause, media_type, vdn, cc, agent_type, phone_no, callIn_out, location, logon_sn, skillInfo_sn
    const view = lines.map((l) => {
      const c = columns(l);
      expect(c).toHaveLength(21);
      expect(c[1]).toBe('app1');
      expect(c[2]).toBe('20000153');
      return [c[3], c[9], c[7]!.slice(11), c[8]!.slice(11), c[10], c[11], c[16], c[17], c[6]].join(' ');
    });
    expect(view).toEqual([
      '1001 1 09:00:00 09:00:00 1001  8001  ',
      '1001 2 09:00:00 09:30:00 1001  8001  ',
      '1001 3 09:30:00 09:45:00 1001 1 8001  ',
      '1001 2 09:45:00 10:00:00 1001  8001  ',
      '1001 100 10:00:00 10:00:05 system  8001  ',
      '1001 101 10:05:00 10:05:15 system  8001  ',
      '1001 2 10:05:15 12:00:00 system  8001  ',
      '1001 3 12:00:00 18:00:00 1101 3 8001  ',
      '1001 0 18:00:00 18:00:00 1001 258 8001  ',
      '1002 1 09:10:00 09:10:00 1002  8002  ',
      '1002 2 09:10:00 10:59:50 1002  8002  ',
      '1002 100 10:59:50 11:00:10 system  8002  ',
      '1002 3 11:00:10 17:00:00 system 2 8002  ',
      '1002 0 17:00:00 17:00:00 system 256 8002  ',
      // The call 1001 talked on, from its CDR (the offer 1002 let ring out was not a call handled).
      '1001 4 10:00:05 10:05:00 customer 0 051287654321 呼入 c0ffee00-0000-4000-8000-000000000001',
    ]);
    expect(lines[0]!.startsWith(',') ).toBe(false);
    expect(columns(lines[0]!)[7]).toBe('2024-03-05 09:00:00');
    // logon_sn: the sign-in's row in the log, on every line of that session.
    expect(new Set(lines.slice(0, 9).map((l) => columns(l)[19])).size).toBe(1);
  });

  it('reads one agent when agentId is given; an app of another tenant reads nothing of this one', async () => {
    const answer = await call('POST', QUERY, request({ agentId: '1002', accountId: '20000153' }));
    const responseId = (answer.json['resultData'] as { responseId: string }).responseId;
    await eventually(() => callbacks.received.some((r) => (r.body['msgBody'] as Record<string, unknown>)['responseId'] === responseId), 10_000);
    const cb = callbacks.received.find((r) => (r.body['msgBody'] as Record<string, unknown>)['responseId'] === responseId)!;
    expect(cb.body['msgBody']).toMatchObject({ accountId: '20000153' });
    const file = await call('GET', `${DOWNLOAD}?agentOprInfoFileName=20240305_${responseId}.zip`, undefined);
    const lines = [...(await unzip(file.bytes)).values()][0]!.split('\r\n').filter((l) => l !== '');
    expect(new Set(lines.map((l) => columns(l)[3]))).toEqual(new Set(['1002']));
    expect(lines).toHaveLength(5);
    // Another app may not fetch it, nor ask for this tenant.
    expect((await call('GET', `${DOWNLOAD}?agentOprInfoFileName=20240305_${responseId}.zip`, undefined, OTHER)).json).toMatchObject({ resultCode: '0300104' });
    const foreign = await call('POST', QUERY, request({ accountId: '20000153' }), OTHER);
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ resultCode: '0300103' });
    // The CC-FS's POST form of the download serves the same file.
    const posted = await call('POST', DOWNLOAD, { request: { version: '2.0' }, msgBody: { agentOprInfoFileName: `20240305_${responseId}.zip` } });
    expect(posted.status).toBe(200);
    expect(posted.bytes.equals(file.bytes)).toBe(true);
  });

  it('refuses every bad field with the seed’s code, answered at once', async () => {
    const cases: Array<[unknown, string]> = [
      [{ request: { version: '2.0' } }, '0300007'],
      [{ ...request(), request: { version: '1.0' } }, '0300006'],
      [request({ beginTime: undefined }), '0300001'],
      [request({ endTime: '' }), '0300002'],
      [request({ beginTime: '2024-03-05T00:00:00' }), '0300004'],
      [request({ endTime: '2024-03-04 00:00:00' }), '0300101'],
      [request({ endTime: '2024-03-09 00:00:00' }), '0300102'],
      [request({ agentId: 'x'.repeat(21) }), '0300003'],
      [request({ callBackURL: 'mailto:x@y' }), '0300004'],
      [request({ callBackURL: undefined }), '0300001'],
    ];
    for (const [body, code] of cases) {
      const answer = await call('POST', QUERY, body);
      expect(answer.status, code).toBe(200);
      expect(answer.json['resultCode'], JSON.stringify(body)).toBe(code);
      expect(typeof answer.json['resultDesc']).toBe('string');
    }
    expect((await call('GET', `${DOWNLOAD}?agentOprInfoFileName=../../etc/passwd`, undefined)).json).toMatchObject({ resultCode: '0300004' });
    expect((await call('GET', DOWNLOAD, undefined)).json).toMatchObject({ resultCode: '0300001' });
    expect((await call('GET', `${DOWNLOAD}?agentOprInfoFileName=20240305_${'0'.repeat(32)}.zip`, undefined)).status).toBe(404);
  });

  it('refuses a missing, wrong, stale or replayed signature with 401', async () => {
    const host = `127.0.0.1:${http.port}`;
    const bare = await fetch(`http://${host}${QUERY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request()) });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ resultCode: '0300105', resultDesc: 'authentication failed: no Authorization header' });
    const wrong = await call('POST', QUERY, request(), APP, (a) => a.replace(/[0-9a-f]{4}$/, '0000'));
    expect(wrong.status).toBe(401);
    const unknown = await call('POST', QUERY, request(), { ...APP, ak: 'nobody' });
    expect(unknown.json['resultDesc']).toMatch(/unknown app key/);
    const stale = await call('POST', QUERY, request(), APP, (a) => a.replace('2024-03-05T12:00:00Z', '2024-03-05T11:00:00Z'));
    expect(stale.status).toBe(401);
    expect(stale.json['resultDesc']).toMatch(/more than 900 s away/);
    // The same request twice: the second is a replay.
    clock.advance(1000);
    const body = request({ agentId: '1001' });
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), host };
    const authorization = authorize(APP, { method: 'POST', url: QUERY, headers, body: text }, clock.now());
    const first = await fetch(`http://${host}${QUERY}`, { method: 'POST', headers: { ...headers, authorization }, body: text });
    expect(first.status).toBe(200);
    const again = await fetch(`http://${host}${QUERY}`, { method: 'POST', headers: { ...headers, authorization }, body: text });
    expect(again.status).toBe(401);
    expect(((await again.json()) as Record<string, unknown>)['resultDesc']).toMatch(/replay/);
    // A body changed after signing.
    const tampered = await fetch(`http://${host}${QUERY}`, { method: 'POST', headers: { ...headers, authorization: authorize(APP, { method: 'POST', url: QUERY, headers, body: text }, clock.now() + 1000) }, body: text.replace('1001', '1002') });
    expect(tampered.status).toBe(401);
  });

  it('removes the file after its retention; it is no longer served', async () => {
    const path = join(s.dir, 'exports', fileName);
    expect(existsSync(path)).toBe(true);
    clock.advance(73 * 3_600_000);
    await s.server.outbound!.exports.sweep();
    expect(existsSync(path)).toBe(false);
    expect((await call('GET', `${DOWNLOAD}?agentOprInfoFileName=${fileName}`, undefined)).status).toBe(404);
  });
});
