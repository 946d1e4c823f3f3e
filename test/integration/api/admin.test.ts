// The admin API over real HTTP: off without api.adminKey, a bearer key otherwise; the
// organisation and the customer lists read and changed while the server runs, checked as
// `polylink import` checks a file (its messages), written to SQLite and in effect at once
// (a warned agent, a new member offered a waiting customer, a new password).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { HttpApi } from '../../helpers/http-api.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const KEY = 'admin-key-0123456789abcdef';
let s: TestServer;
let off: TestServer;
let api: HttpApi;
const clients: TcpAgentClient[] = [];

beforeAll(async () => {
  s = await startTestServer({ config: { api: { webKey: null, adminKey: KEY }, simulator: { port: 0, phoneAnswerAfterMs: 60, customerAnswerAfterMs: 60 } } });
  off = await startTestServer();
  api = HttpApi.on(s.server.httpPort, { authorization: `Bearer ${KEY}` });
}, 60_000);
afterAll(async () => {
  await s?.close();
  await off?.close();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function signIn(id: string, fields: Record<string, string> = {}): Promise<TcpAgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(c);
  const r = await c.signIn(id, fields);
  expect(r.body['retCode'], `sign-in of ${id}`).toBe('0');
  return c;
}

const row = (sql: string, ...args: unknown[]) => s.server.db.prepare(sql).get(...args) as Record<string, unknown> | undefined;

describe('authentication', () => {
  it('is off (404) without api.adminKey', async () => {
    const r = await HttpApi.on(off.server.httpPort, { authorization: `Bearer ${KEY}` }).get('/admin/agents');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'not-found', message: 'the admin API is off: set api.adminKey to turn it on' });
  });

  it.each([
    ['no Authorization', {}, 'Authorization header missing: send Authorization: Bearer <api.adminKey>'],
    ['a wrong key', { authorization: 'Bearer wrong-key-0123456789' }, 'the bearer token is not api.adminKey'],
    ['another scheme', { authorization: `Basic ${Buffer.from(`admin:${KEY}`).toString('base64')}` }, 'Authorization must be Bearer <api.adminKey>'],
  ])('refuses %s with 401 before reading anything, even the body or a path that does not exist', async (_what, headers, message) => {
    for (const [method, path, body] of [['GET', '/admin/agents', undefined], ['POST', '/admin/agents', '{not json'], ['GET', '/admin/nothing-here', undefined]] as const) {
      const r = await new HttpApi(api.base, headers).send(method, path, body, { 'content-type': 'application/json' });
      expect([r.status, r.body], `${method} ${path}`).toEqual([401, { error: 'unauthorized', message }]);
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
    }
  });
});

describe('agents', () => {
  it('lists a page at a time, never with a password', async () => {
    const all = await api.get('/admin/agents');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 27, offset: 0, limit: 100 });
    const items = all.body['items'] as Record<string, unknown>[];
    expect(items[0]).toEqual({ accountId: '20000153', id: '1001', name: 'Zhang Wei', role: '1', group: '1', enabled: true, exten: '8001', afterHangupStatus: null, wrapUpSeconds: 15, record: false, ctiAnswer: true });
    expect(items.some((a) => 'password' in a)).toBe(false);
    const page = await api.get('/admin/agents?offset=5&limit=3');
    expect((page.body['items'] as { id: string }[]).map((a) => a.id)).toEqual(['1006', '1007', '1008']);
    expect(page.body).toMatchObject({ total: 27, offset: 5, limit: 3 });
    expect((await api.get('/admin/agents?limit=501')).status).toBe(400);
  });

  it('creates an agent whose password is stored as a scrypt hash and works at once', async () => {
    const r = await api.json('POST', '/admin/agents', { id: '1030', name: 'New Hire', password: 'first-pass-1', role: '1', group: '1', exten: '8030' });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ accountId: '20000153', id: '1030', name: 'New Hire', role: '1', group: '1', enabled: true, exten: '8030', afterHangupStatus: null, wrapUpSeconds: 15, record: false, ctiAnswer: false });
    expect(String(row('SELECT password_hash FROM agents WHERE agent_id = ?', '1030')?.['password_hash'])).toMatch(/^scrypt\$/);
    await signIn('1030', { agentPwd: 'first-pass-1', bindExten: 'no' });
    expect((await api.json('POST', '/admin/agents', { id: '1030', name: 'Again', password: 'first-pass-1', role: '1' })).body).toEqual({ error: 'conflict', message: 'agent 1030 exists: change it with PATCH' });
  });

  it.each([
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', exten: 'abc' }, 'exten', 'exten: "abc" does not match /^[0-9]{1,20}$/'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '9' }, 'role', 'role: unknown role "9"'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', group: '7' }, 'group', 'group: unknown group "7"'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', wrapUpSeconds: 4000 }, 'wrapUpSeconds', 'wrapUpSeconds: must be a whole number from 0 to 3600'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', afterHangupStatus: 5 }, 'afterHangupStatus', 'afterHangupStatus: must be 0, 6, 7, 8 or a configured custom status'],
    [{ id: '99', name: 'X', password: 'pass-word-1', role: '1' }, 'id', 'id: "99" does not match /^[1-9][0-9]{2,5}$/'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', colour: 'red' }, 'colour', 'colour: unknown key'],
    [{ id: '1031', name: 'X', password: 'pass-word-1', role: '1', wrapUpSeconds: 'soon' }, 'wrapUpSeconds', 'wrapUpSeconds: must be integer'],
    [{ id: '1031', name: 'X', role: '1' }, 'password', 'password: is required (set only, never read back: stored as a scrypt hash)'],
    [{ id: '1031', name: 'X', password: 'ab', role: '1' }, 'password', 'password: must be 6 to 128 characters long'],
  ])('refuses %j with 400 naming the field, in the words of polylink import', async (body, field, message) => {
    const r = await api.json('POST', '/admin/agents', body);
    expect([r.status, r.body]).toEqual([400, { error: 'bad-request', field, message }]);
    expect(row('SELECT agent_id FROM agents WHERE agent_id = ?', body.id)).toBeUndefined();
  });

  it('changes a signed-in agent: in effect at once, stored, and the agent is told to sign in again', async () => {
    const c = await signIn('1002');
    const untouched = await signIn('1003');
    const r = await api.json('PATCH', '/admin/agents/1002', { name: 'Wang Fang (lead)', wrapUpSeconds: 40, group: null });
    expect(r.body).toMatchObject({ id: '1002', name: 'Wang Fang (lead)', wrapUpSeconds: 40, group: null });
    await c.event('WarnAgentResigninEvent', 0, 5000);
    expect(s.server.engine.services.org.agent('1002')).toMatchObject({ name: 'Wang Fang (lead)', wrapUpSeconds: 40, groupId: null });
    expect(row('SELECT name, wrap_up_seconds, group_id FROM agents WHERE agent_id = ?', '1002')).toEqual({ name: 'Wang Fang (lead)', wrap_up_seconds: 40, group_id: null });
    expect(untouched.events('WarnAgentResigninEvent')).toEqual([]);
    // The same change again changes nothing: no one is warned twice.
    await api.json('PATCH', '/admin/agents/1002', { wrapUpSeconds: 40 });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.events('WarnAgentResigninEvent')).toHaveLength(1);
    expect((await api.json('PATCH', '/admin/agents/1002', { id: '1003' })).body).toEqual({ error: 'bad-request', field: 'id', message: 'id: cannot be changed (it is 1002)' });
  });

  it('sets a password, never reads it back: the new one signs in, the old one does not', async () => {
    expect((await api.json('PATCH', '/admin/agents/1004', { password: 'brand-new-pass' })).body).not.toHaveProperty('password');
    const old = await TcpAgentClient.connect(s.server.tcpPort);
    clients.push(old);
    expect((await old.signIn('1004')).body['retCode']).toBe('-53');
    await signIn('1004', { agentPwd: 'brand-new-pass' });
    expect(JSON.stringify((await api.get('/admin/agents/1004')).body)).not.toContain('brand-new-pass');
  });

  it('deletes an agent that is signed out (its memberships with it), not one that is signed in', async () => {
    await signIn('1006');
    expect((await api.send('DELETE', '/admin/agents/1006', undefined)).body).toEqual({ error: 'conflict', message: 'agent 1006 is signed in: sign it out first' });
    expect((await api.send('DELETE', '/admin/agents/1007', undefined)).status).toBe(204);
    expect((await api.get('/admin/agents/1007')).body).toEqual({ error: 'not-found', message: 'no agent 1007' });
    expect(row('SELECT agent_id FROM agents WHERE agent_id = ?', '1007')).toBeUndefined();
    expect(s.server.engine.services.org.membersOfQueue('630').map((m) => m.agentId)).not.toContain('1007');
    expect(row("SELECT agent_id FROM queue_members WHERE queue_num = '630' AND agent_id = '1007'")).toBeUndefined();
  });
});

describe('the rest of the organisation', () => {
  it('groups, roles and their rights, custom statuses: created, read, changed, deleted', async () => {
    expect((await api.json('POST', '/admin/groups', { id: '9', name: 'Night shift', leaveThreshold: 2 })).status).toBe(201);
    expect((await api.json('PATCH', '/admin/groups/9', { leaveThreshold: null })).body).toEqual({ accountId: '20000153', id: '9', name: 'Night shift', leaveThreshold: null });
    expect((await api.json('POST', '/admin/groups', { id: '10', name: 'Night shift' })).body).toMatchObject({ error: 'conflict', message: expect.stringContaining('groups: duplicate name "Night shift"') });
    const role = await api.json('POST', '/admin/roles', { id: '9', name: 'Night lead', rights: ['monitor', 'listen'], monitorGroups: ['9'] });
    expect(role.body).toEqual({ accountId: '20000153', id: '9', name: 'Night lead', rights: ['monitor', 'listen'], monitorGroups: ['9'] });
    expect(s.server.engine.services.org.role('9')?.rights).toEqual(new Set(['monitor', 'listen']));
    expect((await api.json('PATCH', '/admin/roles/9', { rights: ['monitor', 'fly'] })).body).toMatchObject({ error: 'bad-request', field: 'rights[1]', message: expect.stringContaining('rights[1]: unknown right "fly"') });
    // A group a role monitors cannot go: the role would name a group that is gone.
    expect((await api.send('DELETE', '/admin/groups/9', undefined)).body).toEqual({
      error: 'conflict',
      message: 'the change would leave the organisation invalid: roles[3].monitorGroups[0] (9): unknown group "9"',
    });
    expect((await api.send('DELETE', '/admin/roles/9', undefined)).status).toBe(204);
    expect((await api.send('DELETE', '/admin/groups/9', undefined)).status).toBe(204);
    expect((await api.json('POST', '/admin/statuses', { status: 120, name: 'Training', kind: 'rest' })).status).toBe(201);
    expect((await api.get('/admin/statuses/120')).body).toEqual({ accountId: '20000153', status: 120, name: 'Training', kind: 'rest' });
    expect(s.server.engine.services.org.customStatus('20000153', 120)?.kind).toBe('rest');
    expect((await api.json('POST', '/admin/statuses', { status: 99, name: 'Too low' })).body).toEqual({ error: 'bad-request', field: 'status', message: 'status: must be a whole number from 100 to 998' });
    expect((await api.get('/admin/rights')).body).toEqual(expect.arrayContaining([{ code: 'monitor', en: 'Monitor agents and queues', zh: '监控' }]));
  });

  it('queues, IVRs, IVR profiles and access numbers; a reference to what does not exist is refused', async () => {
    expect((await api.json('POST', '/admin/queues', { num: '640', name: 'VIP', strategy: 'ring-all', members: ['1001'] })).body).toMatchObject({ error: 'bad-request', field: 'members[0]' });
    const q = await api.json('POST', '/admin/queues', { num: '640', name: 'VIP', strategy: 'ring-all', members: [{ agent: '1001', level: 1, penalty: 0 }] });
    expect(q.body).toMatchObject({ num: '640', strategy: 'ring-all', maxWaitSeconds: 300, members: [{ agent: '1001', level: 1, penalty: 0 }] });
    expect((await api.json('PATCH', '/admin/queues/640', { timeoutAction: 'queue' })).body).toEqual({ error: 'bad-request', field: 'timeoutTarget', message: 'timeoutTarget: is required when the action is queue' });
    expect((await api.json('POST', '/admin/ivrs', { num: '612', name: 'Holidays' })).status).toBe(201);
    expect((await api.json('POST', '/admin/ivr-profiles', { num: '702', name: 'Callback' })).status).toBe(201);
    const line = await api.json('POST', '/admin/access-numbers', { number: '4008003000', name: 'VIP line', queue: '640', default: true });
    expect(line.body).toEqual({ accountId: '20000153', number: '4008003000', name: 'VIP line', default: true, queue: '640', gateway: null });
    // The default moved: the old default is not one any more, in memory and in SQLite.
    expect(s.server.engine.services.org.accessNumber('4008001000')?.isDefault).toBe(false);
    expect(row("SELECT is_default FROM access_numbers WHERE number = '4008001000'")).toEqual({ is_default: 0 });
    expect((await api.send('DELETE', '/admin/queues/640', undefined)).body).toMatchObject({ error: 'conflict', message: expect.stringContaining('accessNumbers[') });
    expect((await api.json('PATCH', '/admin/access-numbers/4008001000', { default: true })).status).toBe(200);
    expect((await api.send('DELETE', '/admin/access-numbers/4008003000', undefined)).status).toBe(204);
    expect((await api.send('DELETE', '/admin/queues/640', undefined)).status).toBe(204);
    expect(row("SELECT queue_num FROM queues WHERE queue_num = '640'")).toBeUndefined();
  });

  it('a queue’s new member is offered a customer waiting there at once', async () => {
    const agent = await signIn('1001');
    const from = agent.received.length;
    // Queue 631 has no member signed in: the customer waits.
    s.server.switch.simulator!.placeCall({ from: '13700137001', to: '4008002000' });
    await eventually(() => s.server.engine.queues.waitingCount('631') === 1, 5000);
    const r = await api.json('PUT', '/admin/queues/631/members/1001', { level: 1, penalty: 3 });
    expect(r.body).toEqual({ agent: '1001', level: 1, penalty: 3, paused: false });
    expect((await agent.event('CallInEvent', from, 5000)).body['callerID']).toBe('13700137001');
    expect(row("SELECT level, penalty FROM queue_members WHERE queue_num = '631' AND agent_id = '1001'")).toEqual({ level: 1, penalty: 3 });
    const members = await api.get('/admin/queues/631/members?limit=2');
    expect(members.body).toMatchObject({ total: 10, limit: 2 });
    expect((await api.send('DELETE', '/admin/queues/631/members/1001', undefined)).status).toBe(204);
    expect((await api.send('DELETE', '/admin/queues/631/members/1001', undefined)).body).toEqual({ error: 'not-found', message: 'agent 1001 is not a member of queue 631' });
  });
});

describe('the customer lists', () => {
  it('the blacklist: added (and seen by seed 001), listed, taken off', async () => {
    expect((await api.json('POST', '/admin/blacklist', { number: '13800138001', reason: 'spam' })).status).toBe(201);
    expect((await api.json('POST', '/admin/blacklist', { number: '13800138001' })).body).toEqual({ error: 'conflict', message: '13800138001 is blacklisted already' });
    expect((await api.json('POST', '/admin/blacklist', { number: '138-0013' })).body).toEqual({ error: 'bad-request', field: 'number', message: 'number: "138-0013" does not match /^\\+?[0-9]{1,32}$/' });
    expect((await HttpApi.on(s.server.httpPort).get('/coocenter-api/blacklist/index')).body['data']).toContain('13800138001');
    expect(row("SELECT reason FROM blacklist WHERE number = '13800138001'")).toEqual({ reason: 'spam' });
    expect((await api.send('PATCH', '/admin/blacklist/13800138001', '{}', { 'content-type': 'application/json' })).status).toBe(405);
    expect((await api.send('DELETE', '/admin/blacklist/13800138001', undefined)).status).toBe(204);
    expect((await api.send('DELETE', '/admin/blacklist/13800138001', undefined)).status).toBe(404);
  });

  it('customers: a VIP grade and an exclusive agent, in effect for the ACD and stored', async () => {
    const r = await api.json('POST', '/admin/customers', { number: '13911112222', grade: 1, exclusiveAgent: '1003', fallbackSeconds: 10 });
    expect(r.body).toEqual({ accountId: '20000153', number: '13911112222', grade: 1, exclusiveAgent: '1003', fallbackSeconds: 10 });
    expect(s.server.engine.lists.customer('20000153', '13911112222')).toEqual({ grade: 1, exclusiveAgent: { agentId: '1003', fallbackSeconds: 10 } });
    expect((await api.json('PATCH', '/admin/customers/13911112222', { exclusiveAgent: null })).body).toMatchObject({ grade: 1, exclusiveAgent: null });
    expect(row("SELECT agent_id FROM exclusive_agents WHERE number = '13911112222'")).toBeUndefined();
    expect((await api.json('POST', '/admin/customers', { number: '13911113333', exclusiveAgent: '9999' })).body).toEqual({ error: 'bad-request', field: 'exclusiveAgent', message: 'exclusiveAgent: unknown agent "9999"' });
    expect((await api.send('DELETE', '/admin/customers/13911112222', undefined)).status).toBe(204);
    expect(row("SELECT grade FROM customer_grades WHERE number = '13911112222'")).toBeUndefined();
  });
});

describe('bad requests', () => {
  it.each([
    ['a body that is not JSON', 'POST', '/admin/groups', '{"id": ', { 'content-type': 'application/json' }, 400, 'the body is not valid JSON'],
    ['a JSON array', 'POST', '/admin/groups', '[]', { 'content-type': 'application/json' }, 400, 'the body must be a JSON object'],
    ['a form body', 'POST', '/admin/groups', 'id=9&name=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'send the body as application/json'],
    ['a body over 16 KB', 'POST', '/admin/groups', JSON.stringify({ id: '9', name: 'x'.repeat(17_000) }), { 'content-type': 'application/json' }, 413, 'the body is larger than 16384 bytes'],
    ['a method the path does not take', 'PUT', '/admin/agents', '{}', { 'content-type': 'application/json' }, 405, '/admin/agents takes GET, POST, not PUT'],
    ['a path that does not exist', 'GET', '/admin/phones', undefined, {}, 404, 'no endpoint /admin/phones'],
    ['an unknown agent', 'GET', '/admin/agents/4242', undefined, {}, 404, 'no agent 4242'],
    ['an unknown tenant', 'GET', '/admin/agents?accountId=nobody', undefined, {}, 404, 'no tenant nobody'],
  ])('%s: %s %s → %s with a reason', async (_what, method, path, body, headers, status, message) => {
    const r = await api.send(method, path, body, headers);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ message });
    if (status === 405) expect(r.headers.get('allow')).toBe('GET, POST');
  });
});
