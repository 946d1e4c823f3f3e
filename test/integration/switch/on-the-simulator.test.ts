// polylink with no FreeSWITCH configured: it starts the built-in simulator, reaches it
// over ESL, knows the example organisation's extensions as registered, answers -11 for
// an extension that is not, and lets a person make a simulated customer call in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FreeSwitchSwitch } from '../../../src/switch/freeswitch/freeswitch-switch.js';
import type { SwitchEvent } from '../../../src/core/ports/switch-events.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
const events: SwitchEvent[] = [];
let base: string;

beforeAll(async () => {
  s = await startTestServer();
  s.server.switch.port.subscribe((e) => {
    events.push(e);
  });
  base = `http://127.0.0.1:${s.server.httpPort}`;
});
afterAll(() => s.close());

const post = (path: string, body: unknown) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('starting on the simulator', () => {
  it('says so before it says it is up', () => {
    const messages = s.logs.map((l) => String(l['msg']));
    const sim = messages.findIndex((m) => m.includes('running on the built-in FreeSWITCH simulator'));
    expect(sim).toBeGreaterThanOrEqual(0);
    expect(sim).toBeLessThan(messages.indexOf('polylink is up'));
  });

  it("registers every extension of the example organisation", () => {
    for (const agent of s.server.engine.services.org.allAgents()) {
      expect(s.server.switch.port.isRegistered(agent.defaultExten!), agent.defaultExten!).toBe(true);
    }
  });

  it('/health shows the simulator node connected', async () => {
    const health = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
    expect(health['switch']).toBe('simulator');
    expect(health['nodes']).toEqual([expect.objectContaining({ id: 'simulator', state: 'ready' })]);
  });
});

describe('-11 from the switch’s registrations', () => {
  it('signs in on a registered extension and refuses one the switch does not know', async () => {
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1003', { agentExten: '8999' })).body['retCode']).toBe('-11');
    expect((await c.signIn('1003', { agentExten: '8003' })).body['retCode']).toBe('0');
    c.close();
  });

  it('follows an unregistration and a new registration', async () => {
    expect((await post('/simulator/phones/8004/unregister', {})).status).toBe(200);
    await eventually(() => !s.server.switch.port.isRegistered('8004'));
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1004', { agentExten: '8004' })).body['retCode']).toBe('-11');
    await post('/simulator/phones/8004/register', {});
    await eventually(() => s.server.switch.port.isRegistered('8004'));
    expect((await c.signIn('1004', { agentExten: '8004' })).body['retCode']).toBe('0');
    c.close();
  });

  it('a phone that reboots (a new Call-ID) and clears its bindings with a third Call-ID is unregistered, as FreeSWITCH has it (capture k)', async () => {
    const sim = s.server.switch.simulator!;
    const seen = events.length;
    sim.register('8007', { callId: 'reboot-b@sim' });
    sim.unregister('8007', { callId: 'boot-c@sim' });
    await eventually(() => events.slice(seen).filter((e) => e.type === 'registration' && e.user === '8007').length === 2);
    expect(s.server.switch.port.isRegistered('8007')).toBe(false);
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1007', { agentExten: '8007' })).body['retCode']).toBe('-11');
    sim.register('8007', { callId: 'again-d@sim' });
    await eventually(() => s.server.switch.port.isRegistered('8007'));
    expect((await c.signIn('1007', { agentExten: '8007' })).body['retCode']).toBe('0');
    c.close();
  });

  it('a phone that registers just before a resync reads the table stays registered, though FreeSWITCH has not written it yet (the -11 race)', async () => {
    const sim = s.server.switch.simulator!;
    const node = (s.server.switch.port as FreeSwitchSwitch).node('simulator')!;
    await post('/simulator/phones/8006/unregister', {});
    await eventually(() => !s.server.switch.port.isRegistered('8006'));
    await node.reconciler.idle();
    // FreeSWITCH writes `show registrations`' table through its SQL queue, after the event.
    sim.setRegistrationsTableDelay(1_000);
    try {
      const seen = events.length;
      await post('/simulator/phones/8006/register', {});
      await eventually(() => events.slice(seen).some((e) => e.type === 'registration' && e.user === '8006'));
      node.reconciler.request('test: a resync right after the register');
      await node.reconciler.idle();
      const c = await TcpAgentClient.connect(s.server.tcpPort);
      expect((await c.signIn('1006', { agentExten: '8006' })).body['retCode']).toBe('0');
      c.close();
    } finally {
      sim.setRegistrationsTableDelay(0);
    }
  });

  it('does not check an outside number (extenIsOutbound)', async () => {
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1005', { agentExten: '13900139000', extenIsOutbound: 'yes' })).body['retCode']).toBe('0');
    c.close();
  });
});

describe('simulated customer calls', () => {
  it('POST /simulator/calls: the customer calls an access number and the dialplan parks it for polylink', async () => {
    const res = await post('/simulator/calls', { to: '4008002000', from: '02161234567' });
    expect(res.status).toBe(201);
    const { uuid } = (await res.json()) as { uuid: string };
    await eventually(() => events.some((e) => e.type === 'channel-parked' && e.uuid === uuid));
    const parked = events.find((e) => e.type === 'channel-parked' && e.uuid === uuid)!;
    expect(parked).toMatchObject({ vars: { accessNumber: '4008002000', queue: '631' }, callerNumber: '02161234567' });
    expect((await fetch(`${base}/simulator/calls/${uuid}`, { method: 'DELETE' })).status).toBe(200);
    await eventually(() => events.some((e) => e.type === 'channel-hangup' && e.uuid === uuid));
  });

  it.each([
    [{}, 'to is required'],
    [{ to: '4008001000; park' }, 'to must be'],
    [{ to: '4008001000', hangupAfterMs: -1 }, 'hangupAfterMs'],
  ])('refuses %j with 400 and a reason', async (body, reason) => {
    const res = await post('/simulator/calls', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(reason);
  });

  it('refuses a number the simulator does not route (404), naming the ones it does, and places no call', async () => {
    const res = await post('/simulator/calls', { to: '4008009999' });
    expect(res.status).toBe(404);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain('4008009999 is not a number the simulator routes');
    expect(error).toContain('4008001000');
    expect(error).toContain('610');
    expect(s.server.switch.simulator!.channels()).toEqual([]);
  });

  it('refuses a body that is not JSON (415 / 400) and an unknown phone behaviour', async () => {
    expect((await fetch(`${base}/simulator/calls`, { method: 'POST', body: 'to=1' })).status).toBe(415);
    expect((await fetch(`${base}/simulator/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{to' })).status).toBe(400);
    const res = await fetch(`${base}/simulator/phones/8001`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"kind":"explode"}' });
    expect(res.status).toBe(400);
  });
});

describe('simulator.maxSessions', () => {
  it('limits the channels the simulator carries, as FreeSWITCH max-sessions does', async () => {
    const small = await startTestServer({ config: { simulator: { maxSessions: 2 } } });
    try {
      const sim = small.server.switch.simulator!;
      for (const from of ['02161234501', '02161234502']) sim.placeCall({ from, to: '4008001000' });
      expect(sim.stats.channels).toBe(2);
      const reply = await small.server.switch.port.originate({
        target: { kind: 'extension', extension: '8001' },
        app: { kind: 'park' },
        callerIdNumber: '4008001000',
        timeoutSeconds: 5,
        call: '00000000-0000-4000-8000-000000000001',
        leg: 'agent',
      });
      expect(reply).toMatchObject({ ok: false, cause: 'SWITCH_CONGESTION' });
    } finally {
      await small.close();
    }
  });
});
