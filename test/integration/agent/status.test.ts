// setagentdefinestatus, getagentdefinestatus, forcechangestatus, ACW, and who hears
// AgentStatusChangeEvent (spec §4, §5; seed 002 §3.2.5).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import type { AgentInput } from '../../../src/core/agent-machine.js';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
let clock: ManualClock;
const clients: AgentClient[] = [];

beforeEach(async () => {
  clock = new ManualClock();
  s = await startTestServer({ clock });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await s.close();
});

async function agent(id: string, fields: Record<string, string> = {}): Promise<AgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(c);
  expect((await c.signIn(id, fields)).body['retCode']).toBe('0');
  await c.event('AgentStatusChangeEvent');
  return c;
}

/** Moves an agent through call inputs as the call core will (no switch in this issue). */
function callInput(agentId: string, ...inputs: AgentInput[]): void {
  const { engine } = s.server;
  for (const input of inputs) {
    const outcome = engine.handle({ type: 'agent-input', agentId, input, causedBy: 'system', operation: 'call' });
    expect(outcome?.code).toBe(0);
  }
}

describe('setagentdefinestatus', () => {
  it.each([
    ['-15', ''],
    ['-16', 'busy'],
    ['-16', '150'],
    ['-16', '9'],
    ['-16', '12345'],
    ['-17', '2'],
    ['-17', '4'],
    ['-17', '-1'],
    ['-17', '1'],
  ])('answers %s for targetStatus %j and changes nothing', async (code, target) => {
    const c = await agent('1001');
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: target })).body['retCode']).toBe(code);
    expect(s.server.engine.agents.statusOf('1001')).toBe(0);
  });

  it('changes the status; the agent and the supervisors monitoring its group hear it, others do not', async () => {
    const sup = await agent('1101'); // monitors groups 1, 2
    const admin = await agent('1901'); // monitors all
    const other = await agent('1017'); // group 3, a plain agent
    const c = await agent('1001'); // group 1
    const at = { sup: sup.received.length, admin: admin.received.length, other: other.received.length, c: c.received.length };
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '6' })).body['retCode']).toBe('0');
    for (const [who, client] of [['c', c], ['sup', sup], ['admin', admin]] as const) {
      const e = await client.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['new_status'] === '6', at[who]);
      expect(e.body).toMatchObject({ agent_num: '1001', old_status: '0', new_status: '6', is_bind_exten: '1' });
    }
    await other.request('heartbeat', '1017');
    expect(other.received.slice(at.other).some((m) => m.body['agent_num'] === '1001')).toBe(false);
    // A group-3 agent's change reaches the admin, not the group-1/2 supervisor.
    const supAt = sup.received.length;
    await other.request('setagentdefinestatus', '1017', { targetStatus: '6' });
    await admin.waitFor((m) => m.body['agent_num'] === '1017');
    await sup.request('heartbeat', '1101');
    expect(sup.received.slice(supAt).some((m) => m.body['agent_num'] === '1017')).toBe(false);
  });

  it('custom statuses and RESTORE (999)', async () => {
    const c = await agent('1001');
    await c.request('setagentdefinestatus', '1001', { targetStatus: '100' });
    expect(s.server.engine.agents.statusOf('1001')).toBe(100);
    await c.request('setagentdefinestatus', '1001', { targetStatus: '6' });
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '999' })).body['retCode']).toBe('0');
    expect(s.server.engine.agents.statusOf('1001')).toBe(100);
    const rows = s.server.db.prepare("SELECT operation, old_status, new_status, caused_by FROM agent_operation_log WHERE agent_id = '1001' AND operation = 'status'").all();
    expect(rows).toEqual([
      { operation: 'status', old_status: 0, new_status: 100, caused_by: '1001' },
      { operation: 'status', old_status: 100, new_status: 6, caused_by: '1001' },
      { operation: 'status', old_status: 6, new_status: 100, caused_by: '1001' },
    ]);
  });

  it('RESTORE with nothing to return to answers -17', async () => {
    const c = await agent('1001');
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '999' })).body['retCode']).toBe('-17');
  });

  it('a change asked for during a call is kept and applied when the call ends', async () => {
    const c = await agent('1001');
    callInput('1001', { type: 'OFFER' }, { type: 'ANSWER' });
    const at = c.received.length;
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '6' })).body['retCode']).toBe('0');
    expect(s.server.engine.agents.statusOf('1001')).toBe(AgentStatus.TALKING);
    callInput('1001', { type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 15 });
    const e = await c.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['old_status'] === '2', at);
    expect(e.body['new_status']).toBe('6');
  });

  it('after a customer call: ACW for the wrap-up time, then IDLE', async () => {
    const c = await agent('1001');
    callInput('1001', { type: 'OFFER' }, { type: 'ANSWER' }, { type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 15 });
    expect(s.server.engine.agents.statusOf('1001')).toBe(AgentStatus.ACW);
    clock.advance(14_999);
    expect(s.server.engine.agents.statusOf('1001')).toBe(AgentStatus.ACW);
    clock.advance(1);
    const e = await c.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['old_status'] === '4');
    expect(e.body['new_status']).toBe('0');
  });

  it('isNeedApproval 0 with status 7 makes a leave application instead', async () => {
    await agent('1101');
    const c = await agent('1001');
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '7', isNeedApproval: '0' })).body['retCode']).toBe('0');
    await c.event('ApplyChangeStatusEvent');
    expect(s.server.engine.agents.statusOf('1001')).toBe(0);
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '6', isNeedApproval: '2' })).body['retCode']).toBe('-59');
  });
});

describe('leave.requireApproval', () => {
  it('refuses LEAVE by hand (-17) and at sign-in (-14)', async () => {
    await s.close();
    s = await startTestServer({ clock, config: { leave: { requireApproval: true } } });
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    clients.push(c);
    expect((await c.signIn('1001', { initStatus: '7' })).body['retCode']).toBe('-14');
    await c.signIn('1001');
    expect((await c.request('setagentdefinestatus', '1001', { targetStatus: '7' })).body['retCode']).toBe('-17');
  });
});

describe('getagentdefinestatus', () => {
  it("lists the deployment's custom statuses", async () => {
    const c = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
    clients.push(c);
    await c.signIn('1001');
    await c.request('getagentdefinestatus', '1001');
    const e = await c.event('GetAgentDefineStatusEvent');
    expect(e.body['define_status']).toEqual({ '100': 'Training 培训', '101': 'Meeting 会议', '102': 'Lunch 用餐' });
    expect(e.body['define_status_list']).toEqual([
      { status: '100', name: 'Training 培训', kind: 'rest' },
      { status: '101', name: 'Meeting 会议', kind: 'busy' },
      { status: '102', name: 'Lunch 用餐', kind: 'rest' },
    ]);
  });
});

describe('forcechangestatus', () => {
  it('the target gets WarnAgentForceChangeStatusEvent then its AgentStatusChangeEvent; the log says who', async () => {
    const sup = await agent('1101');
    const c = await agent('1001');
    const at = c.received.length;
    expect((await sup.request('forcechangestatus', '1101', { strAgentID: '1001', status: '6' })).body['retCode']).toBe('0');
    const warn = await c.event('WarnAgentForceChangeStatusEvent', at);
    expect(warn.body['executorAgentID']).toBe('1101');
    const change = await c.event('AgentStatusChangeEvent', at);
    expect(c.received.indexOf(warn)).toBeLessThan(c.received.indexOf(change));
    expect(change.body).toMatchObject({ old_status: '0', new_status: '6' });
    const row = s.server.db.prepare("SELECT operation, caused_by FROM agent_operation_log WHERE agent_id = '1001' ORDER BY id DESC LIMIT 1").get();
    expect(row).toEqual({ operation: 'force-status', caused_by: '1101' });
  });

  it('status -1 signs the target out', async () => {
    const sup = await agent('1101');
    const c = await agent('1001');
    await sup.request('forcechangestatus', '1101', { strAgentID: '1001', status: '-1' });
    await c.event('SignOutEvent');
    expect((await c.request('heartbeat', '1001')).body['retCode']).toBe('-23');
  });

  it.each<[string, string, Record<string, string>, string]>([
    ['-21', '1001', { strAgentID: '1002', status: '6' }, 'an agent without the right'],
    ['-21', '1101', { strAgentID: '1017', status: '6' }, 'a target outside the supervisor’s groups'],
    ['-49', '1101', { strAgentID: '1003', status: '6' }, 'a target that is not signed in'],
    ['-49', '1101', { strAgentID: '4242', status: '6' }, 'a target that does not exist'],
    ['-15', '1101', { strAgentID: '1002', status: '' }, 'an empty status'],
    ['-16', '1101', { strAgentID: '1002', status: '2' }, 'a status that cannot be set'],
    ['-16', '1101', { strAgentID: '1002', status: '150' }, 'an unknown custom status'],
    ['-59', '1101', { status: '6' }, 'no target'],
  ])('answers %s from %s for %j (%s)', async (code, by, fields) => {
    const sup = await agent(by);
    await agent('1002');
    await agent('1017');
    expect((await sup.request('forcechangestatus', by, fields)).body['retCode']).toBe(code);
  });

  it('answers -67 when the target is on a call', async () => {
    const sup = await agent('1101');
    await agent('1001');
    callInput('1001', { type: 'OFFER' });
    expect((await sup.request('forcechangestatus', '1101', { strAgentID: '1001', status: '6' })).body['retCode']).toBe('-67');
    expect((await sup.request('forcechangestatus', '1101', { strAgentID: '1001', status: '-1' })).body['retCode']).toBe('-67');
  });
});

describe('signout during a call', () => {
  it('answers -24; after a dropped connection the grace ends with the call', async () => {
    const sup = await agent('1101');
    const c = await agent('1001');
    callInput('1001', { type: 'OFFER' }, { type: 'ANSWER' });
    expect((await c.request('signout', '1001')).body['retCode']).toBe('-24');
    c.close();
    await eventually(() => s.server.engine.agents.session('1001')?.connectionId === undefined);
    for (let i = 0; i < 3; i++) {
      clock.advance(30_000);
      await sup.request('heartbeat', '1101');
    }
    // Grace over, but the call goes on: still signed in, on the call.
    expect(s.server.engine.agents.statusOf('1001')).toBe(AgentStatus.TALKING);
    callInput('1001', { type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 15 });
    await sup.waitFor((m) => m.body['agent_num'] === '1001' && m.body['new_status'] === '-1');
  });
});
