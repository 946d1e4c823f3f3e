// Seed 000, queryCallStatisticsInfo: GET /agentgateway/resource/calldata/{agentid}/statistics
// with the Guid of the sign-in response; the 18 daily figures after real actions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { STAT_FIELDS } from '../../../src/core/records/daily-stats.js';
import { TcpAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { eventually } from '../../helpers/eventually.js';
import { HttpApi } from '../../helpers/http-api.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const path = (agentId: string) => `/agentgateway/resource/calldata/${agentId}/statistics`;

/** Every figure 0 but those given. */
const figures = (given: Partial<Record<(typeof STAT_FIELDS)[number], number>>) => Object.fromEntries(STAT_FIELDS.map((f) => [f, given[f] ?? 0]));

describe('on a clock the test moves', () => {
  let s: TestServer;
  let clock: ManualClock;
  let api: HttpApi;
  const clients: AgentClient[] = [];

  beforeEach(async () => {
    clock = new ManualClock();
    s = await startTestServer({ clock });
    api = HttpApi.on(s.server.httpPort);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await s.close();
  });

  /** Signs an agent in and returns its client and the guid of the sign-in response. */
  async function signIn(agentId: string): Promise<{ c: AgentClient; guid: string }> {
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    clients.push(c);
    const r = await c.signIn(agentId);
    expect(r.body['retCode']).toBe('0');
    await c.event('AgentStatusChangeEvent');
    return { c, guid: String(r.body['guid']) };
  }

  async function setStatus(c: AgentClient, agentId: string, status: string): Promise<void> {
    expect((await c.request('setagentdefinestatus', agentId, { targetStatus: status })).body['retCode']).toBe('0');
  }

  const statistics = (agentId: string, guid: string) => api.get(path(agentId), { guid, 'content-type': 'application/json; charset=UTF-8' });

  it('answers the seed’s body: all 18 fields, in its order, numbers as numbers, zero for a fresh day', async () => {
    const { guid } = await signIn('1001');
    const r = await statistics('1001', guid);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body).toEqual({ message: '', retcode: '0', result: figures({}) });
    expect(Object.keys(r.body['result'] as object)).toEqual([...STAT_FIELDS]);
  });

  it('counts a BUSY spell and a rest spell, the status the agent is in counted up to now', async () => {
    const { c, guid } = await signIn('1001');
    await setStatus(c, '1001', '6');
    clock.advance(40_000);
    // Still BUSY: the 40 s so far are in busytime already.
    expect((await statistics('1001', guid)).body['result']).toEqual(figures({ busynums: 1, busytime: 40 }));
    await setStatus(c, '1001', '0');
    clock.advance(20_000);
    expect((await statistics('1001', guid)).body['result']).toEqual(figures({ busynums: 1, busytime: 40 }));
    // 100 is the example organisation's "Training", a rest status.
    await setStatus(c, '1001', '100');
    clock.advance(15_000);
    expect((await statistics('1001', guid)).body['result']).toEqual(figures({ busynums: 1, busytime: 40, restnums: 1, resttime: 15 }));
    await setStatus(c, '1001', '6');
    clock.advance(5_000);
    expect((await statistics('1001', guid)).body['result']).toEqual(figures({ busynums: 2, busytime: 45, restnums: 1, resttime: 15 }));
  });

  it('lets a supervisor whose role monitors the agent’s group read it, signed in or not', async () => {
    const { c } = await signIn('1001');
    await setStatus(c, '1001', '6');
    clock.advance(30_000);
    const sup = await signIn('1101'); // role 2: monitor right, groups 1 and 2; 1001 is in group 1
    const r = await statistics('1001', sup.guid);
    expect(r.status).toBe(200);
    expect(r.body['result']).toEqual(figures({ busynums: 1, busytime: 30 }));
    // 1009 (group 2) is not signed in: today's figures, all zero.
    expect((await statistics('1009', sup.guid)).body).toEqual({ message: '', retcode: '0', result: figures({}) });
    // The admin's role monitors all groups.
    const admin = await signIn('1901');
    expect((await statistics('1017', admin.guid)).status).toBe(200);
  });

  it.each([
    ['a supervisor asks about a group its role does not monitor', '1101', '1017'],
    ['an agent asks about another agent of its own group', '1002', '1001'],
    ['an agent asks about a supervisor', '1001', '1101'],
  ])('403 with 100-006 when %s', async (_what, caller, target) => {
    const { guid } = await signIn(caller);
    const r = await statistics(target, guid);
    expect(r.status).toBe(403);
    expect(r.body['retcode']).toBe('100-006');
    expect(r.body['result']).toBeNull();
    expect(String(r.body['message'])).toContain(`agent ${caller}`);
  });

  it('401 with 100-006 without a Guid, with one nobody holds, and with the Guid of an agent who signed out', async () => {
    const { c, guid } = await signIn('1001');
    const missing = await api.get(path('1001'));
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ retcode: '100-006', result: null });
    expect(String(missing.body['message'])).toContain('Guid header missing');
    const unknown = await statistics('1001', '6f1c2a8e-0000-4000-8000-000000000000.AgentGateway1');
    expect(unknown.status).toBe(401);
    expect(unknown.body['retcode']).toBe('100-006');
    expect(String(unknown.body['message'])).toContain('not the token');
    expect((await c.request('signout', '1001')).body['retCode']).toBe('0');
    expect((await statistics('1001', guid)).status).toBe(401);
  });

  it.each(['100', '1000000', 'abc', '0101', '12a4', '%E4%B8%AD', '%ZZ', ''])('400 with 100-007 for agentid %j', async (agentId) => {
    const { guid } = await signIn('1001');
    const r = await statistics(agentId, guid);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ retcode: '100-007', result: null, message: 'agentid must be a whole number from 101 to 999999' });
  });

  it('404 with 100-007 for an agent id in range that is nobody', async () => {
    const { guid } = await signIn('1901');
    const r = await statistics('999998', guid);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ retcode: '100-007', message: 'no agent 999998' });
  });

  it.each(['POST', 'PUT', 'DELETE'])('405 with 100-007 and Allow: GET for %s', async (method) => {
    const { guid } = await signIn('1001');
    const r = await api.send(method, path('1001'), method === 'DELETE' ? undefined : '{}', { guid, 'content-type': 'application/json' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
    expect(r.body).toMatchObject({ retcode: '100-007', message: `only GET is supported, not ${method}` });
  });

  it('keeps serving after refusals', async () => {
    await api.get(path('x'));
    await api.send('POST', path('1001'), 'not json', { 'content-type': 'text/plain' });
    expect((await api.get('/health')).status).toBe(200);
  });
});

describe('after a real call', () => {
  let f: CallFixture;
  beforeEach(async () => {
    f = await startCallFixture();
  });
  afterEach(() => f.close());

  it('an agent’s callout shows as calloutnums 1 and its talk time, as the statistics core counts them', async () => {
    const a = await f.agent('1001');
    const guid = String(a.received.find((m) => m.body['cmdType'] === 'signin')!.body['guid']);
    const api = HttpApi.on(f.s.server.httpPort);
    const before = await api.get(path('1001'), { guid });
    expect((before.body['result'] as Record<string, number>)['calloutnums']).toBe(0);
    const from = a.received.length;
    expect((await a.request('callout', '1001', { calledID: '051287654321' })).body['retCode']).toBe('0');
    await a.event('BridgeEvent', from);
    await new Promise((r) => setTimeout(r, 1100));
    const customer = f.sim.channels().find((c) => String(c.name).includes('051287654321'))!;
    f.sim.hangup(customer.uuid, 'NORMAL_CLEARING');
    await a.event('HangupEvent', from);
    await eventually(() => f.statusOf('1001') === 4);
    const result = (await api.get(path('1001'), { guid })).body['result'] as Record<string, number>;
    expect(result['calloutnums']).toBe(1);
    expect(result['talktime']).toBeGreaterThanOrEqual(1);
    expect(result).toEqual(f.stats('1001'));
  });
});
