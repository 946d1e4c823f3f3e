// Seed 001 queue endpoints over real HTTP, with the ACD really offering calls: queue-info,
// agent-login / agent-logout (membership at run time), agent-pause (one queue only).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { HttpApi } from '../../helpers/http-api.js';

let f: CallFixture;
let api: HttpApi;
beforeEach(async () => {
  f = await startCallFixture();
  api = HttpApi.on(f.s.server.httpPort);
});
afterEach(() => f.close());

const SALES_LINE = '4008001000'; // queue 630
const SERVICE_LINE = '4008002000'; // queue 631

const queueInfo = async () => {
  const r = await api.get('/coocenter-api/queues/queue-info');
  expect(r.status).toBe(200);
  return r.body['data'] as Record<string, { name: string; paused: string; penalty: string; agent: string }[]>;
};
const membership = (queueNum: string, agentId: string) =>
  f.s.server.db.prepare('SELECT level, penalty FROM queue_members WHERE queue_num = ? AND agent_id = ?').get(queueNum, agentId);
const pauseRow = (queueNum: string, agentId: string) =>
  f.s.server.db.prepare('SELECT reason FROM queue_pauses WHERE queue_num = ? AND agent_id = ?').get(queueNum, agentId) as { reason: string | null } | undefined;
/** A phone of no agent's, registered: polylink knows it once the registration event has reached it. */
async function phoneOn(extension: string): Promise<void> {
  f.sim.addUser(extension);
  f.sim.register(extension);
  await eventually(() => f.s.server.switch.port.isRegistered(extension));
}
const waiting = (queueNum: string) => f.s.server.engine.queues.waitingCount(queueNum);

describe('GET /coocenter-api/queues/queue-info', () => {
  it('lists every queue of the tenant with its members as the seed shows them, plus the agent id', async () => {
    const r = await api.get('/coocenter-api/queues/queue-info');
    expect(r.status).toBe(200);
    expect(r.body['status']).toBe('success');
    expect(r.body['message']).toBe('Queue status will follow');
    const data = r.body['data'] as Record<string, unknown[]>;
    expect(Object.keys(data).sort()).toEqual(['630', '631', '632']);
    const sales = ['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008', '1101'];
    expect(data['630']).toEqual(sales.map((id) => ({ name: `sip/${Number(id) + 7000}`, paused: '0', penalty: '0', agent: id })));
    expect(data['632']).toHaveLength(8);
  });

  it('names a signed-in agent by the extension it is on now', async () => {
    await phoneOn('8555');
    await f.agent('1002', { agentExten: '8555' });
    expect((await queueInfo())['630']).toContainEqual({ name: 'sip/8555', paused: '0', penalty: '0', agent: '1002' });
  });
});

describe('POST /coocenter-api/queues/agent-login and agent-logout', () => {
  it('an agent joins a queue: it is listed, kept in queue_members, and offered the call already waiting there', async () => {
    const b = await f.agent('1017'); // a member of 632 only
    const customer = f.sim.placeCall({ from: '13900001111', to: SALES_LINE });
    await eventually(() => waiting('630') === 1);
    expect(b.events('CallInEvent')).toHaveLength(0);
    expect(membership('630', '1017')).toBeUndefined();

    const r = await api.form('POST', '/coocenter-api/queues/agent-login', { extension: '8017', queue: '630' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'success', message: 'login extension success', queue: '630', agent: '1017', changed: true });
    expect((await b.event('CallInEvent')).body['callerID']).toBe('13900001111');
    expect(membership('630', '1017')).toEqual({ level: 1, penalty: 0 });
    expect(f.s.logs).toContainEqual(expect.objectContaining({ msg: 'changed through the API', path: '/coocenter-api/queues/agent-login', queue: '630', agent: '1017' }));
    expect((await queueInfo())['630']).toContainEqual({ name: 'sip/8017', paused: '0', penalty: '0', agent: '1017' });

    const again = await api.form('POST', '/coocenter-api/queues/agent-login', { extension: '8017', queue: '630' });
    expect(again.body).toMatchObject({ status: 'success', changed: false });
    expect((await queueInfo())['630']!.filter((m) => m.agent === '1017')).toHaveLength(1);
    customer.hangup();
  });

  it('an agent leaves a queue (JSON body, by agent id): gone from the list and from SQLite, no longer offered its calls', async () => {
    const a = await f.agent('1001');
    const r = await api.json('POST', '/coocenter-api/queues/agent-logout', { agent: '1001', queue: 630 });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'success', message: 'logout extension success', queue: '630', agent: '1001', changed: true });
    expect((await queueInfo())['630']!.map((m) => m.agent)).not.toContain('1001');
    expect(membership('630', '1001')).toBeUndefined();

    const customer = f.sim.placeCall({ from: '13900002222', to: SALES_LINE });
    await eventually(() => waiting('630') === 1);
    expect(a.events('CallInEvent')).toHaveLength(0);
    expect((await api.form('POST', '/coocenter-api/queues/agent-logout', { extension: '8001', queue: '630' })).body).toMatchObject({ changed: false });

    // And back: offered the waiting call at once.
    await api.form('POST', '/coocenter-api/queues/agent-login', { extension: '8001', queue: '630' });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('13900002222');
    customer.hangup();
  });

  it('an extension stands for the agent signed in on it, before the agent whose default extension it is', async () => {
    await phoneOn('8555');
    await f.agent('1018', { agentExten: '8555' });
    const r = await api.form('POST', '/coocenter-api/queues/agent-login', { extension: '8555', queue: '631' });
    expect(r.body).toMatchObject({ status: 'success', agent: '1018', changed: true });
    expect(membership('631', '1018')).toBeDefined();
  });
});

describe('POST /coocenter-api/queues/agent-pause', () => {
  it('a paused member is not offered that queue’s calls and keeps its status; unpaused it is offered the waiting call', async () => {
    const a = await f.agent('1001');
    const r = await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '8001', state: 'on', reason: 'coaching' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'success', message: 'pause member success', queue: '630', agent: '1001', paused: true, changed: true });
    expect(pauseRow('630', '1001')).toEqual({ reason: 'coaching' });
    expect((await queueInfo())['630']).toContainEqual({ name: 'sip/8001', paused: '1', penalty: '0', agent: '1001' });

    const customer = f.sim.placeCall({ from: '13900003333', to: SALES_LINE });
    await eventually(() => waiting('630') === 1);
    expect(a.events('CallInEvent')).toHaveLength(0);
    expect(f.statusOf('1001')).toBe(0);

    const off = await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '8001', state: 'off' });
    expect(off.body).toEqual({ status: 'success', message: 'unpause member success', queue: '630', agent: '1001', paused: false, changed: true });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('13900003333');
    expect(pauseRow('630', '1001')).toBeUndefined();
    customer.hangup();
  });

  it('pauses in that one queue only: the agent still takes calls of another queue', async () => {
    const a = await f.agent('1001');
    await api.form('POST', '/coocenter-api/queues/agent-login', { agent: '1001', queue: '631' });
    await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '1001', state: 'on' });
    const customer = f.sim.placeCall({ from: '13900004444', to: SERVICE_LINE });
    expect((await a.event('CallInEvent')).body['callerID']).toBe('13900004444');
    expect(f.s.server.engine.queues.isPaused('630', '1001')).toBe(true);
    customer.hangup();
  });

  it('pausing twice changes nothing the second time; leaving the queue ends the pause, in SQLite too', async () => {
    await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '8002', state: 'on' });
    expect((await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '8002', state: 'on' })).body).toMatchObject({ changed: false });
    expect(pauseRow('630', '1002')).toEqual({ reason: null });
    await api.form('POST', '/coocenter-api/queues/agent-logout', { extension: '8002', queue: '630' });
    expect(pauseRow('630', '1002')).toBeUndefined();
    await api.form('POST', '/coocenter-api/queues/agent-login', { extension: '8002', queue: '630' });
    expect((await queueInfo())['630']).toContainEqual({ name: 'sip/8002', paused: '0', penalty: '0', agent: '1002' });
  });

  it('409 for an agent that is not a member of the queue', async () => {
    const r = await api.form('POST', '/coocenter-api/queues/agent-pause', { queue: '630', member: '8017', state: 'on' });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ status: 'error', message: 'agent 1017 is not a member of queue 630' });
    expect(pauseRow('630', '1017')).toBeUndefined();
  });
});
