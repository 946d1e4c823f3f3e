// The leave workflow (seed 002: DoApplyChangeStatus, tsbCancelApplication, DoApplyApproval,
// DoGet/SetAgentGroupStatusMaxNum, DoGetChangeStatusApplyList), with its codes -68 … -80.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../helpers/test-server.js';

let s: TestServer;
let clock: ManualClock;
const clients: AgentClient[] = [];

async function boot(options: TestServerOptions = {}): Promise<void> {
  clock = new ManualClock();
  // Long heartbeats so that moving time by minutes does not declare connections dead.
  s = await startTestServer({
    clock,
    ...options,
    config: { agent: { heartbeatIntervalSeconds: 3600 }, leave: { applyTimeoutSeconds: 60, approvalTimeoutSeconds: 120 }, ...options.config },
  });
}
beforeEach(() => boot());
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await s.close();
});

async function agent(id: string): Promise<AgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(c);
  expect((await c.signIn(id)).body['retCode']).toBe('0');
  await c.event('AgentStatusChangeEvent');
  return c;
}

const LEAVE = { targetStatus: '7' };
const code = async (c: AgentClient, cmd: string, id: string, fields: Record<string, string> = {}) =>
  (await c.request(cmd, id, fields)).body['retCode'];
/** What the database holds once the steps taken so far in this turn are committed (engine/end-of-turn.ts). */
const stateOf = (id: number) => {
  s.server.engine.flush();
  return (s.server.db.prepare('SELECT state FROM leave_applications WHERE id = ?').get(id) as { state: string }).state;
};

describe('apply and approve', () => {
  it('applicant and approvers hear the application and the decision; the applicant goes on leave, and back', async () => {
    const approver = await agent('1101');
    const applicant = await agent('1001');
    expect(await code(applicant, 'applychangestatus', '1001', LEAVE)).toBe('0');
    expect((await applicant.event('ApplyChangeStatusEvent')).body).toMatchObject({ agentID: '1001', retCode: '0' });
    const distributed = await approver.event('ApplyChangeStatusDistributeEvent');
    expect(distributed.body).toMatchObject({
      AgentID: '1101',
      apply_agentid: '1001',
      targetStatus: '7',
      apply_agentName: 'Zhang Wei',
      apply_agent_groupID: '1',
      apply_agent_groupName: 'Sales 销售组',
      applyType: '1',
      retCode: '0',
    });
    expect(distributed.body['apply_time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect((await applicant.event('ApplyChangeStatusDistributeEvent')).body['AgentID']).toBe('1001');

    await approver.request('getchangestatusapplylist', '1101', LEAVE);
    const list = await approver.event('GetChangeStatusApplyListEvent');
    expect(list.body['apply_agent_list']).toEqual({ item: [expect.objectContaining({ apply_agentid: '1001', apply_state: 'pending' })] });

    expect(await code(approver, 'applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE })).toBe('0');
    for (const c of [approver, applicant]) {
      const decision = await c.event('ApproveChangeStatusDistributeEvent');
      expect(decision.body).toMatchObject({ apply_agentid: '1001', apply_agent_groupID: '1', targetStatus: '7', approveResult: '1', retCode: '0' });
    }
    const change = await applicant.waitFor((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['new_status'] === '7');
    expect(change.body['old_status']).toBe('0');
    expect(stateOf(1)).toBe('active');
    await applicant.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    expect(stateOf(1)).toBe('ended');
  });

  it('a rejection leaves the status alone; deciding it again answers -75', async () => {
    const approver = await agent('1101');
    const applicant = await agent('1001');
    await applicant.request('applychangestatus', '1001', LEAVE);
    expect(await code(approver, 'applyapproval', '1101', { apply_agent_id: '1001', passFlag: '0', ...LEAVE })).toBe('0');
    expect((await applicant.event('ApproveChangeStatusDistributeEvent')).body['approveResult']).toBe('0');
    expect(s.server.engine.agents.statusOf('1001')).toBe(0);
    expect(stateOf(1)).toBe('rejected');
    expect(await code(approver, 'applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE })).toBe('-75');
  });

  it('approved during a call: the leave starts when the call ends', async () => {
    const approver = await agent('1101');
    const applicant = await agent('1001');
    await applicant.request('applychangestatus', '1001', LEAVE);
    const { engine } = s.server;
    engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'OFFER' }, causedBy: 'system', operation: 'call' });
    await approver.request('applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE });
    expect(engine.agents.statusOf('1001')).toBe(AgentStatus.RING);
    expect(stateOf(1)).toBe('approved');
    engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 15 }, causedBy: 'system', operation: 'call' });
    expect(engine.agents.statusOf('1001')).toBe(AgentStatus.LEAVE);
    expect(stateOf(1)).toBe('active');
  });

  it('answers -70 to a second application and -24 to one from an agent already on leave', async () => {
    await agent('1101');
    const a = await agent('1001');
    expect(await code(a, 'applychangestatus', '1001', LEAVE)).toBe('0');
    expect(await code(a, 'applychangestatus', '1001', LEAVE)).toBe('-70');
    const b = await agent('1002');
    await b.request('setagentdefinestatus', '1002', LEAVE);
    expect(await code(b, 'applychangestatus', '1002', LEAVE)).toBe('-24');
  });

  it('answers -71 when no approver of the group is online', async () => {
    const a = await agent('1001');
    expect(await code(a, 'applychangestatus', '1001', LEAVE)).toBe('-71');
    // A supervisor of other groups does not count.
    const support = await agent('1017');
    await agent('1101');
    expect(await code(support, 'applychangestatus', '1017', LEAVE)).toBe('-71');
  });

  it('answers -69 when the group threshold is reached (group 3 allows 1)', async () => {
    await agent('1901');
    const a = await agent('1017');
    const b = await agent('1018');
    expect(await code(a, 'applychangestatus', '1017', LEAVE)).toBe('0');
    expect(await code(b, 'applychangestatus', '1018', LEAVE)).toBe('-69');
  });

  it.each([
    ['-15', {}],
    ['-16', { targetStatus: '6' }],
    ['-16', { targetStatus: 'x' }],
  ])('answers %s for targetStatus %j', async (c, fields) => {
    await agent('1101');
    const a = await agent('1001');
    expect(await code(a, 'applychangestatus', '1001', fields)).toBe(c);
  });
});

describe('an agent in no group', () => {
  it('answers -68', async () => {
    await s.close();
    await boot({ prepare: (db) => db.prepare("UPDATE agents SET group_id = NULL WHERE agent_id = '1024'").run() });
    await agent('1901');
    const a = await agent('1024');
    expect(await code(a, 'applychangestatus', '1024', LEAVE)).toBe('-68');
  });
});

describe('cancel', () => {
  it('cancelapply withdraws it (approvers hear); deciding it afterwards answers -76', async () => {
    const approver = await agent('1101');
    const a = await agent('1001');
    expect(await code(a, 'cancelapply', '1001', LEAVE)).toBe('-76');
    await a.request('applychangestatus', '1001', LEAVE);
    expect(await code(a, 'cancelapply', '1001', LEAVE)).toBe('0');
    expect((await approver.event('ApplyChangeStatusCancelEvent')).body).toMatchObject({ apply_agentid: '1001', targetStatus: '7', retCode: '0' });
    expect((await a.event('ApplyChangeStatusCancelEvent')).body['apply_agentid']).toBe('1001');
    expect(await code(approver, 'applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE })).toBe('-76');
  });

  it('signing out cancels a pending application', async () => {
    const approver = await agent('1101');
    const a = await agent('1001');
    await a.request('applychangestatus', '1001', LEAVE);
    await a.request('signout', '1001');
    await approver.event('ApplyChangeStatusCancelEvent');
    expect(stateOf(1)).toBe('cancelled');
  });
});

describe('approval codes', () => {
  it.each([
    ['-73', '1101', { passFlag: '1', ...LEAVE }],
    ['-74', '1101', { apply_agent_id: '1001', ...LEAVE }],
    ['-15', '1101', { apply_agent_id: '1001', passFlag: '1' }],
    ['-16', '1101', { apply_agent_id: '1001', passFlag: '1', targetStatus: '6' }],
    ['-59', '1101', { apply_agent_id: '1001', passFlag: '2', ...LEAVE }],
    ['-76', '1101', { apply_agent_id: '1002', passFlag: '1', ...LEAVE }],
    ['-21', '1002', { apply_agent_id: '1001', passFlag: '1', ...LEAVE }],
    ['-21', '1101', { apply_agent_id: '1017', passFlag: '1', ...LEAVE }],
  ])('answers %s from %s for %j', async (c, by, fields) => {
    const approver = await agent(by);
    await agent('1901');
    const a = await agent('1001');
    await a.request('applychangestatus', '1001', LEAVE);
    const support = await agent('1017');
    await support.request('applychangestatus', '1017', LEAVE);
    expect(await code(approver, 'applyapproval', by, fields)).toBe(c);
  });
});

describe('timeouts', () => {
  it('an application not decided in time expires (timeoutType 1); deciding it then answers -80', async () => {
    const approver = await agent('1101');
    const a = await agent('1001');
    await a.request('applychangestatus', '1001', LEAVE);
    clock.advance(60_000);
    for (const c of [a, approver]) {
      const timeout = (await c.event('ApproveChangeStatusTimeoutDistributeEvent')).body;
      expect(timeout).toMatchObject({
        apply_agentid: '1001',
        apply_agent_groupID: '1',
        targetStatus: '7',
        timeoutType: '1',
      });
      // One spelling for one field, the seed's, in every leave event.
      expect(Object.keys(timeout).filter((k) => k.toLowerCase() === 'apply_agent_groupid')).toEqual(['apply_agent_groupID']);
    }
    expect(await code(approver, 'applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE })).toBe('-80');
  });

  it('an approved leave the agent cannot start in time lapses (timeoutType 2)', async () => {
    const approver = await agent('1101');
    const a = await agent('1001');
    await a.request('applychangestatus', '1001', LEAVE);
    const { engine } = s.server;
    engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'OFFER' }, causedBy: 'system', operation: 'call' });
    engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'ANSWER' }, causedBy: 'system', operation: 'call' });
    await approver.request('applyapproval', '1101', { apply_agent_id: '1001', passFlag: '1', ...LEAVE });
    clock.advance(120_000);
    expect((await a.event('ApproveChangeStatusTimeoutDistributeEvent')).body['timeoutType']).toBe('2');
    expect(stateOf(1)).toBe('lapsed');
    engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 15 }, causedBy: 'system', operation: 'call' });
    expect(engine.agents.statusOf('1001')).toBe(AgentStatus.ACW);
  });
});

describe('group thresholds', () => {
  it('get by names and by ids; -1 means no limit', async () => {
    const c = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
    clients.push(c);
    await c.signIn('1101');
    await c.request('getagentgroupstatusmaxnum', '1101', { targetAgentGroupNameLstStr: 'Sales 销售组', targetAgentGroupIdLstStr: '2,3', ...LEAVE });
    const e = await c.event('GetAgentGroupStatusMaxNumEvent');
    expect(e.body).toMatchObject({
      agentGroupNameLstStr: 'Sales 销售组,Service 客服组,Support 技术支持组',
      dicAgentGroupStatusMaxNum: { 'Sales 销售组': '2', 'Service 客服组': '3', 'Support 技术支持组': '1' },
      dicAgentGroupIdStatusMaxNum: { '1': '2', '2': '3', '3': '1' },
    });
  });

  it('set needs the right, changes the threshold in SQLite, and is enforced', async () => {
    const sup = await agent('1101');
    expect(await code(sup, 'setagentgroupstatusmaxnum', '1101', { targetAgentGroupIdLstStr: '3', maxNum: '2', ...LEAVE })).toBe('-21');
    const admin = await agent('1901');
    expect(await code(admin, 'setagentgroupstatusmaxnum', '1901', { targetAgentGroupIdLstStr: '3', maxNum: '0', ...LEAVE })).toBe('0');
    expect((await admin.event('GetAgentGroupStatusMaxNumEvent')).body['dicAgentGroupIdStatusMaxNum']).toEqual({ item: [{ '#text': '0', '@key': '3' }] });
    expect(s.server.db.prepare("SELECT max_num FROM group_status_thresholds WHERE group_id = '3' AND status = 7").get()).toEqual({ max_num: 0 });
    const a = await agent('1017');
    expect(await code(a, 'applychangestatus', '1017', LEAVE)).toBe('-69');
    await admin.request('setagentgroupstatusmaxnum', '1901', { targetAgentGroupIdLstStr: '3', maxNum: '-1', ...LEAVE });
    expect(await code(a, 'applychangestatus', '1017', LEAVE)).toBe('0');
  });

  it.each([
    ['-45', {}],
    ['-46', { targetAgentGroupIdLstStr: ' , ' }],
    ['-61', { targetAgentGroupIdLstStr: '99' }],
    ['-61', { targetAgentGroupNameLstStr: 'Nobody' }],
    ['-77', { targetAgentGroupNameLstStr: 'Sales 销售组, ' }],
    ['-78', { targetAgentGroupIdLstStr: '1', maxNum: 'ten' }],
    ['-78', { targetAgentGroupIdLstStr: '1', maxNum: '-5' }],
    ['-78', { targetAgentGroupIdLstStr: '1', maxNum: '' }],
    ['-15', { targetAgentGroupIdLstStr: '1', targetStatus: '' }],
    ['-16', { targetAgentGroupIdLstStr: '1', targetStatus: '6' }],
  ])('set answers %s for %j', async (c, fields) => {
    const admin = await agent('1901');
    expect(await code(admin, 'setagentgroupstatusmaxnum', '1901', { ...LEAVE, maxNum: '3', ...fields })).toBe(c);
  });
});
