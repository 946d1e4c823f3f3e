// Seed 001 endpoints refuse every bad request with a 4xx and a reason, change nothing,
// and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { HttpApi } from '../../helpers/http-api.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
let api: HttpApi;
beforeAll(async () => {
  s = await startTestServer();
  api = HttpApi.on(s.server.httpPort);
});
afterAll(() => s.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };
const LOGIN = '/coocenter-api/queues/agent-login';
const PAUSE = '/coocenter-api/queues/agent-pause';
const CREATE = '/coocenter-api/blacklist/create';

type Case = [what: string, method: string, path: string, body: string | undefined, headers: Record<string, string>, status: number, reason: string];

const cases: Case[] = [
  ['an unknown queue', 'POST', LOGIN, 'extension=8001&queue=999', FORM, 404, 'no queue 999'],
  ['an unknown extension', 'POST', LOGIN, 'extension=8999&queue=630', FORM, 404, 'no agent with extension 8999'],
  ['an unknown agent id', 'POST', LOGIN, 'agent=9999&queue=630', FORM, 404, 'no agent 9999'],
  ['an extension and an agent that disagree', 'POST', LOGIN, 'extension=8001&agent=1002&queue=630', FORM, 400, "extension 8001 is agent 1001's, not agent 1002's"],
  ['no member at all', 'POST', LOGIN, 'queue=630', FORM, 400, 'extension or agent is required'],
  ['no queue', 'POST', LOGIN, 'extension=8001', FORM, 400, 'queue is required'],
  ['an extension that is not digits', 'POST', LOGIN, 'extension=80a1&queue=630', FORM, 400, 'extension must be an extension (digits)'],
  ['the seed’s fields run together', 'POST', PAUSE, 'queue=630member=808state=on', FORM, 400, 'separate fields with &'],
  ['a state other than on or off', 'POST', PAUSE, 'queue=630&member=8001&state=maybe', FORM, 400, 'state must be on (pause) or off (unpause)'],
  ['a reason with a control character', 'POST', PAUSE, 'queue=630&member=8001&state=on&reason=a%0Ab', FORM, 400, 'reason must be'],
  ['a field given twice', 'POST', PAUSE, 'queue=630&queue=631&member=8001&state=on', FORM, 400, 'queue is given twice'],
  ['a field in the query and the body', 'POST', `${PAUSE}?queue=630`, 'queue=630&member=8001&state=on', FORM, 400, 'queue is given twice'],
  ['a number with letters', 'POST', CREATE, 'number=abc', FORM, 400, 'number must be a phone number'],
  ['a number of 33 digits', 'POST', CREATE, `number=${'1'.repeat(33)}`, FORM, 400, 'number must be a phone number'],
  ['SQL in the number', 'POST', CREATE, "number=1'); DROP TABLE blacklist; --", FORM, 400, 'number must be a phone number'],
  ['SQL in the tenant', 'GET', "/coocenter-api/blacklist/index?accountId=x'%20OR%201=1", undefined, {}, 400, 'accountId must be a tenant id'],
  ['an unknown tenant', 'GET', '/coocenter-api/queues/queue-info?accountId=123', undefined, {}, 404, 'no tenant 123'],
  ['no number', 'DELETE', '/coocenter-api/blacklist/delete', undefined, {}, 400, 'number is required'],
  ['a text/plain body', 'POST', CREATE, 'number=123', { 'content-type': 'text/plain' }, 415, 'send the body as application/x-www-form-urlencoded or application/json'],
  ['a multipart body', 'POST', CREATE, '--x\r\ncontent-disposition: form-data; name="number"\r\n\r\n123\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }, 415, 'send the body as'],
  ['invalid JSON', 'POST', CREATE, '{"number": ', JSON_TYPE, 400, 'body is not valid JSON'],
  ['a JSON array', 'POST', CREATE, '["123"]', JSON_TYPE, 400, 'body must be a JSON object'],
  ['a nested JSON value', 'POST', CREATE, '{"number": {"$gt": ""}}', JSON_TYPE, 400, 'number must be a string or a number'],
  ['a body over 16 KB', 'POST', CREATE, `number=123&reason=${'x'.repeat(17 * 1024)}`, FORM, 413, 'body larger than 16384 bytes'],
  ['GET on agent-login', 'GET', LOGIN, undefined, {}, 405, `${LOGIN} takes POST, not GET`],
  ['PUT on blacklist/create', 'PUT', CREATE, 'number=123', FORM, 405, `${CREATE} takes POST, not PUT`],
  ['POST on blacklist/delete', 'POST', '/coocenter-api/blacklist/delete', 'number=123', FORM, 405, 'takes DELETE, not POST'],
  ['an endpoint no seed has', 'POST', '/coocenter-api/extensions/extenSpyAll', 'src=801&dst=806', FORM, 404, 'no endpoint /coocenter-api/extensions/extenSpyAll'],
];

describe('a bad request', () => {
  it.each(cases)('%s: %s %s → 4xx with a reason', async (_what, method, path, body, headers, status, reason) => {
    const r = await api.send(method, path, body, headers);
    expect(r.status).toBe(status);
    expect(r.body['status']).toBe('error');
    expect(String(r.body['message'])).toContain(reason);
    if (status === 405) expect(r.headers.get('allow')).toMatch(/^(GET|POST|DELETE)$/);
  });

  it('(with no api.webKey, polylink warned at start that the API takes requests from this host only)', () => {
    expect(s.logs).toContainEqual(expect.objectContaining({ level: 40, key: 'api.webKey', msg: 'no WEB key set: /coocenter-api/ answers requests from this host only, without Authorization' }));
  });

  it('changed nothing, and the server still answers', async () => {
    const { engine, db } = s.server;
    expect(engine.lists.blacklistOf('20000153')).toEqual(['13800000000']);
    expect((db.prepare('SELECT COUNT(*) AS n FROM blacklist').get() as { n: number }).n).toBe(1);
    expect((db.prepare("SELECT COUNT(*) AS n FROM queue_pauses").get() as { n: number }).n).toBe(0);
    expect(engine.services.org.membersOfQueue('630').map((m) => m.agentId)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1101']);
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    // The switch events waiting for the core, bounded (issue 16).
    expect(health.body).toMatchObject({ status: 'ok', switchEvents: { waiting: 0, limit: expect.any(Number), fullTimes: 0, full: false } });
    expect((await api.get('/coocenter-api/blacklist/index')).body).toEqual({ status: 'success', data: ['13800000000'] });
  });

  it('a member that is one agent’s extension and another agent’s id is refused as ambiguous', async () => {
    const sim = s.server.switch.simulator!;
    sim.addUser('1002');
    sim.register('1002');
    await eventually(() => s.server.switch.port.isRegistered('1002'));
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    try {
      expect((await c.signIn('1003', { agentExten: '1002' })).body['retCode']).toBe('0');
      const r = await api.form('POST', PAUSE, { queue: '630', member: '1002', state: 'on' });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ status: 'error', message: 'member 1002 is the extension of agent 1003 and the id of another agent: send extension= or agent=' });
      // Named unambiguously, each is who it says.
      expect((await api.form('POST', PAUSE, { queue: '630', agent: '1002', state: 'on' })).body).toMatchObject({ agent: '1002', changed: true });
      expect((await api.form('POST', PAUSE, { queue: '630', agent: '1002', state: 'off' })).body).toMatchObject({ agent: '1002', changed: true });
    } finally {
      c.close();
    }
  });

  it('a disabled agent cannot join a queue', async () => {
    const t = await startTestServer({ prepare: (db) => db.prepare("UPDATE agents SET enabled = 0 WHERE agent_id = '1017'").run() });
    try {
      const r = await HttpApi.on(t.server.httpPort).form('POST', LOGIN, { agent: '1017', queue: '630' });
      expect(r.status).toBe(409);
      expect(r.body).toEqual({ status: 'error', message: 'agent 1017 is disabled' });
    } finally {
      await t.close();
    }
  });
});
