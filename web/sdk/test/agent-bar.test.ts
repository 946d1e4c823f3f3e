// AgentBar's own logic against a fake socket the test answers as the server would, with a
// ManualClock: what it sends, how it settles, its events, the heartbeat, reconnecting with
// resume. The same client against the real server: test/integration/sdk/agent-bar.test.ts.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { COMMANDS } from '../../../src/protocol/command-table.js';
import { AgentBar, AgentState, CallStatus, type AgentBarEventName, type AgentBarOptions } from '../src/index.js';
import { fakeWebSocket, type FakeSocket } from './fake-socket.js';
import { rejection } from './rejection.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(options: AgentBarOptions = {}) {
  const ws = fakeWebSocket();
  const clock = new ManualClock();
  // random 1: the reconnect delays are exactly minDelayMs × 2ⁿ.
  const bar = new AgentBar({ WebSocket: ws.WebSocket, clock, random: () => 1, reconnect: { minDelayMs: 100, maxDelayMs: 1000 }, ...options });
  bar.AgentID = '1001';
  bar.AgentPwd = '1001pw';
  bar.AgentExten = '8001';
  bar.ServerIP = 'cti.example.com';
  bar.ServerPort = 8080;
  const heard: { name: string; payload: unknown }[] = [];
  const listen = (...names: AgentBarEventName[]) => {
    for (const name of names) bar.on(name, (payload) => heard.push({ name, payload }));
  };
  return { ws, clock, bar, heard, listen };
}

/** The server's side of a sign-in on `socket`: the response, then the client's own lookup of its name and group. */
async function answerSignIn(socket: FakeSocket, resumed = 'no'): Promise<void> {
  socket.respond({ heartbeatInterval: '20', guid: 'guid-1', resumed });
  await flush();
  const lookup = socket.respond();
  expect(lookup).toMatchObject({ cmdType: 'getonlineagent', numType: '1', specificNum: '1001' });
  socket.event('GetAgentOnlineEvent', {
    agent_online: [{ agentNum: '1001', agentName: 'Zhang Wei', agentgroup_num: '1', agentgroup_name: 'Sales 销售组', roleNum: '1', agentStatus: '0' }],
  });
  await flush();
}

async function signedIn(t: ReturnType<typeof setup>): Promise<FakeSocket> {
  const connecting = t.bar.DoConnect();
  t.ws.last().open();
  await connecting;
  const signing = t.bar.DoSignIn();
  await answerSignIn(t.ws.last());
  await signing;
  return t.ws.last();
}


describe('connecting', () => {
  it('opens ws://ServerIP:ServerPort/agent asking for cti.json (wss:// with Secure)', async () => {
    const t = setup();
    const connecting = t.bar.DoConnect();
    expect(t.ws.last()).toMatchObject({ url: 'ws://cti.example.com:8080/agent', protocols: 'cti.json' });
    t.ws.last().open();
    await connecting;
    expect(t.bar.Connected).toBe(true);
    const u = setup();
    u.bar.Secure = true;
    u.bar.ServerIP = '::1';
    void u.bar.DoConnect();
    expect(u.ws.last().url).toBe('wss://[::1]:8080/agent');
  });

  it('a server that refuses, or does not speak cti.json, is a network error (-1002)', async () => {
    const t = setup();
    const refused = t.bar.DoConnect();
    t.ws.last().drop(1006);
    expect(await rejection(refused)).toMatchObject({ retCode: -1002, reasonZh: '网络异常错误!' });
    const xml = t.bar.DoConnect();
    t.ws.last().open('cti.xml');
    expect((await rejection(xml)).message).toContain('cti.json');
    expect(t.ws.last().closedWith).toBeDefined();
  });

  it('a Do… method without a connection fails at once with -1001', async () => {
    const t = setup();
    expect(await rejection(t.bar.DoHangUp())).toMatchObject({ retCode: -1001, cmdType: 'hangup', reasonZh: '与网络断开连接!' });
  });
});

describe('signing in', () => {
  it('sends the seed’s fields, takes the server’s heartbeat interval and guid, and fills the agent’s name, group and role', async () => {
    const t = setup();
    t.listen('SignInResponse', 'GetAgentOnlineEvent', 'AgentStateChangeEvent');
    t.bar.AgentStatus = '6';
    const socket = await signedIn(t);
    expect(socket.sent[0]).toEqual({
      cmdType: 'signin',
      agentID: '1001',
      seq: socket.sent[0]!.seq,
      agentPwd: '1001pw',
      bindExten: 'yes',
      agentExten: '8001',
      initStatus: '6',
      extenIsOutbound: 'no',
    });
    expect(t.bar).toMatchObject({ SignedIn: true, HeartBeatTimeout: 20, Guid: 'guid-1', AgentName: 'Zhang Wei', AgentGroupID: '1', AgentGroupName: 'Sales 销售组', RoleID: '1' });
    expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_SIGNIN);
    // The client's own lookup is not the page's: its result is not raised.
    expect(t.heard.map((h) => h.name)).toEqual(['SignInResponse', 'AgentStateChangeEvent']);
    expect(t.heard[0]!.payload).toMatchObject({ eventType: 'SignInResponse', AgentID: '1001', retCode: 0, Reason: 'OK' });
  });

  it('without an extension: bindExten no and no agentExten', async () => {
    const t = setup();
    t.bar.BindExten = false;
    const socket = await signedIn(t);
    expect(socket.sent[0]).toMatchObject({ bindExten: 'no' });
    expect(socket.sent[0]).not.toHaveProperty('agentExten');
  });

  it('a refused sign-in rejects with the code and both texts, and raises SignInResponse and ServerResponse', async () => {
    const t = setup();
    t.listen('SignInResponse', 'ServerResponse');
    const connecting = t.bar.DoConnect();
    t.ws.last().open();
    await connecting;
    const signing = t.bar.DoSignIn();
    t.ws.last().respond({ retCode: -53, reason: 'Wrong password' });
    expect(await rejection(signing)).toMatchObject({ retCode: -53, reason: 'Wrong password', reasonZh: '登陆密码错误', cmdType: 'signin' });
    expect(t.heard.map((h) => [h.name, (h.payload as { retCode: number }).retCode])).toEqual([
      ['SignInResponse', -53],
      ['ServerResponse', -53],
    ]);
    expect(t.bar.SignedIn).toBe(false);
  });
});

/** [what is called, the call, cmdType, fields, result event of a query] */
const METHODS: [string, (b: AgentBar) => Promise<unknown>, string, Record<string, string>, string?][] = [
  ['DoSetAgentDefineStatus', (b) => b.DoSetAgentDefineStatus(6), 'setagentdefinestatus', { targetStatus: '6' }],
  ['DoSetAgentDefineStatus with approval', (b) => b.DoSetAgentDefineStatus(7, 0), 'setagentdefinestatus', { targetStatus: '7', isNeedApproval: '0' }],
  ['DoGetAgentDefineStatus', (b) => b.DoGetAgentDefineStatus(), 'getagentdefinestatus', {}, 'GetAgentDefineStatusEvent'],
  ['DoSetAgentStateAfterHangup', (b) => b.DoSetAgentStateAfterHangup(6), 'setagentstateafterhangup', { AgentStateAfterHangup: '6' }],
  ['DoForceChangeStatusEvent', (b) => b.DoForceChangeStatusEvent('1002', 6), 'forcechangestatus', { strAgentID: '1002', status: '6' }],
  ['DoChangePassword', (b) => b.DoChangePassword('1001pw', 'n3w-secret'), 'changepassword', { oldPwd: '1001pw', newPwd: 'n3w-secret' }],
  ['DoUnlockAgent', (b) => b.DoUnlockAgent('1003'), 'unlockagent', { strAgentID: '1003' }],
  ['DoApplyChangeStatus', (b) => b.DoApplyChangeStatus(), 'applychangestatus', { targetStatus: '7' }],
  ['DoCancelApplication', (b) => b.DoCancelApplication(), 'cancelapply', { targetStatus: '7' }],
  ['DoApplyApproval', (b) => b.DoApplyApproval('1002', 7, 1), 'applyapproval', { apply_agent_id: '1002', targetStatus: '7', passFlag: '1' }],
  [
    'DoGetAgentGroupStatusMaxNum',
    (b) => b.DoGetAgentGroupStatusMaxNum('Sales 销售组', '1'),
    'getagentgroupstatusmaxnum',
    { targetAgentGroupNameLstStr: 'Sales 销售组', targetAgentGroupIdLstStr: '1', targetStatus: '7' },
    'GetAgentGroupStatusMaxNumEvent',
  ],
  [
    'DoSetAgentGroupStatusMaxNum',
    (b) => b.DoSetAgentGroupStatusMaxNum('', '1,2', 7, 3),
    'setagentgroupstatusmaxnum',
    { targetAgentGroupNameLstStr: '', targetAgentGroupIdLstStr: '1,2', targetStatus: '7', maxNum: '3' },
    'GetAgentGroupStatusMaxNumEvent',
  ],
  ['DoGetChangeStatusApplyList', (b) => b.DoGetChangeStatusApplyList(), 'getchangestatusapplylist', { targetStatus: '7' }, 'GetChangeStatusApplyListEvent'],
  ['DoCallOut', (b) => b.DoCallOut('013800138000'), 'callout', { calledID: '013800138000' }],
  ['DoCallOut with a display number', (b) => b.DoCallOut('013800138000', '4008001000'), 'callout', { calledID: '013800138000', displayNum: '4008001000' }],
  [
    'DoCallOutForeignId',
    (b) => b.DoCallOutForeignId('+8613800138000', '', 'crm-42'),
    'callout',
    { calledID: '+8613800138000', customerForeignId: 'crm-42' },
  ],
  ['DoCallAgent', (b) => b.DoCallAgent('1002'), 'callagent', { agentNum: '1002' }],
  ['DoAnswer', (b) => b.DoAnswer(), 'answer', {}],
  ['DoHangUp', (b) => b.DoHangUp(), 'hangup', {}],
  ['DoHold', (b) => b.DoHold(), 'hold', {}],
  ['DoStopHold', (b) => b.DoStopHold(), 'stophold', {}],
  ['DoMute', (b) => b.DoMute(), 'mute', {}],
  ['DoStopMute', (b) => b.DoStopMute(), 'stopmute', {}],
  ['DoConsult', (b) => b.DoConsult('1002', false), 'consult', { destAgentID: '1002', trdIsOutbound: 'no' }],
  ['DoStopConsult', (b) => b.DoStopConsult(), 'stopconsult', {}],
  ['DoConsultTransfer', (b) => b.DoConsultTransfer(), 'consulttransfer', {}],
  ['DoThreeWay', (b) => b.DoThreeWay('013900139000', true), 'threeway', { trdAgentNum: '013900139000', trdIsOutbound: 'yes' }],
  ['DoThreeWayCancel', (b) => b.DoThreeWayCancel(), 'threewaycancel', {}],
  ['DoTransferAgent', (b) => b.DoTransferAgent('1002'), 'transferagent', { destAgentID: '1002', strOutBoundFlag: 'no' }],
  ['DoTransferIvr', (b) => b.DoTransferIvr('7001'), 'transferivr', { ivrNum: '7001' }],
  ['DoTransferQueue', (b) => b.DoTransferQueue('630'), 'transferqueue', { queueNum: '630' }],
  ['DoTransferIvrProfile', (b) => b.DoTransferIvrProfile('8001'), 'transferivrprofile', { ivrProfileNum: '8001' }],
  ['DoGrade', (b) => b.DoGrade('zh'), 'grade', { language: 'zh' }],
  ['DoCheck', (b) => b.DoCheck(), 'check', {}],
  ['DoListen', (b) => b.DoListen('1002'), 'listen', { destAgentID: '1002' }],
  ['DoWhisper', (b) => b.DoWhisper('1002'), 'whisper', { destAgentID: '1002' }],
  ['DoBargein', (b) => b.DoBargein('1002'), 'bargein', { strAgentID: '1002' }],
  ['DoForceHangup', (b) => b.DoForceHangup('1002'), 'forcehangup', { strAgentID: '1002' }],
  ['DoRop', (b) => b.DoRop('1002'), 'rop', { destAgentID: '1002' }],
  ['DoGetOnlineAgent', (b) => b.DoGetOnlineAgent('', 3), 'getonlineagent', { specificNum: '', numType: '3' }, 'GetAgentOnlineEvent'],
  ['DoGetAccessNumbers', (b) => b.DoGetAccessNumbers(), 'getaccessnumbers', {}, 'GetAccessNumberEvent'],
  ['DoGetIvrList', (b) => b.DoGetIvrList(), 'getivrlist', {}, 'GetIvrListEvent'],
  ['DoGetQueueList', (b) => b.DoGetQueueList(), 'getqueuelist', {}, 'GetQueueListEvent'],
  ['DoGetIvrProfileList', (b) => b.DoGetIvrProfileList(), 'getivrprofilelist', {}, 'GetIvrProfileListEvent'],
  ['DoGetDefinedRoleRights', (b) => b.DoGetDefinedRoleRights(), 'getdefinedrolerights', {}, 'GetDefinedRoleRightsEvent'],
  ['DoGetAgentGroupList', (b) => b.DoGetAgentGroupList('all'), 'getagentgrouplist', { scope: 'all' }, 'GetAllAgentGroupListEvent'],
  ['DoGetAgentsOfQueue', (b) => b.DoGetAgentsOfQueue('630'), 'getagentsofqueue', { QueueNum: '630' }, 'GetAgentsOfQueueEvent'],
  ['DoGetAgentsOfAgentGroup', (b) => b.DoGetAgentsOfAgentGroup('1'), 'getagentsofagentgroup', { AgentGroupNum: '1' }, 'GetAgentsOfAgentGroupEvent'],
  ['DoGetAgentsMonitorInfo', (b) => b.DoGetAgentsMonitorInfo('1001,1002'), 'getagentsmonitorinfo', { AgentsStr: '1001,1002' }, 'GetAgentsMonitorInfoEvent'],
  ['DoGetDetailCallInfo', (b) => b.DoGetDetailCallInfo('1002'), 'getdetailcallinfo', { AgentNum: '1002' }, 'GetDetailCallInfoEvent'],
  ['DoGetCustomerOfQueue', (b) => b.DoGetCustomerOfQueue('630,631'), 'getcustomerofqueue', { QueueNum: '630,631' }, 'GetCustomerOfQueueEvent'],
  ['DoGetCustomerOfMyQueue', (b) => b.DoGetCustomerOfMyQueue(), 'getcustomerofmyqueue', {}, 'GetCustomerOfMyQueueEvent'],
  ['DoGetQueueStatis', (b) => b.DoGetQueueStatis('630'), 'getqueuestatis', { queue_num: '630' }, 'GetQueueStatisLstEvent'],
  ['DoGetAllQueueStatis', (b) => b.DoGetAllQueueStatis(), 'getallqueuestatis', {}, 'GetAllQueueStatisEvent'],
  ['DoGetReportStatisInfo', (b) => b.DoGetReportStatisInfo(), 'getreportstatisinfo', {}, 'GetReportStatisInfoEvent'],
  ['DoGetAgentWebSiteInfo', (b) => b.DoGetAgentWebSiteInfo(), 'getagentwebsiteinfo', {}, 'GetWebSiteInfoEvent'],
  ['DoHeartBeat', (b) => b.DoHeartBeat(), 'heartbeat', {}],
  ['DoSignOut', (b) => b.DoSignOut(), 'signout', {}],
];

describe('Do… methods', () => {
  it('each sends its cmdType with the seed’s fields, as text, and resolves with the response (a query with its result)', async () => {
    const t = setup();
    const socket = await signedIn(t);
    for (const [what, call, cmdType, fields, resultEvent] of METHODS) {
      const done = call(t.bar);
      const { seq, agentID, cmdType: sent, ...rest } = socket.unanswered[0]!;
      expect([what, sent, agentID, rest]).toEqual([what, cmdType, '1001', fields]);
      socket.respond();
      if (resultEvent !== undefined) socket.event(resultEvent, { marker: what });
      const response = (await done) as { seq: string; result?: { marker: string } };
      expect(response.seq).toBe(seq);
      if (resultEvent !== undefined) expect(response.result?.marker).toBe(what);
    }
  });

  it('every command polylink serves has its method (rop, the seed\'s Rop, as DoRop)', () => {
    const covered = new Set(['signin', ...METHODS.map(([, , cmdType]) => cmdType)]);
    expect([...COMMANDS.keys()].filter((c) => !covered.has(c))).toEqual([]);
  });

  it('a query raises its result event by the seed’s name, and its JS… form for pages of the old bridge', async () => {
    const t = setup();
    t.listen('GetQueueListEvent', 'JSGetQueueListEvent');
    const socket = await signedIn(t);
    const asking = t.bar.DoGetQueueList();
    socket.respond();
    socket.event('GetQueueListEvent', { queue_list: { '630': 'Sales hotline 销售热线' } });
    expect((await asking).result.queue_list).toEqual({ '630': 'Sales hotline 销售热线' });
    expect(t.heard.map((h) => h.name)).toEqual(['GetQueueListEvent', 'JSGetQueueListEvent']);
    expect(JSON.parse(t.heard[1]!.payload as string)).toEqual({ queue_list: { '630': 'Sales hotline 销售热线' } });
  });

  it('responses settle their own requests when several are in flight; one without seq (-85) fails the oldest', async () => {
    const t = setup();
    const socket = await signedIn(t);
    const hold = t.bar.DoHold();
    const mute = t.bar.DoMute();
    socket.refuseByRate();
    socket.respond();
    expect((await rejection(hold)).retCode).toBe(-85);
    expect((await mute).cmdType).toBe('mute');
  });

  it('DoSetAgentStateAfterHangup and DoChangePassword keep what the server accepted', async () => {
    const t = setup();
    const socket = await signedIn(t);
    const after = t.bar.DoSetAgentStateAfterHangup(6);
    socket.respond();
    await after;
    const refused = t.bar.DoChangePassword('wrong', 'n3w-secret');
    socket.respond({ retCode: -84, reason: 'Old password is wrong' });
    expect(await rejection(refused)).toMatchObject({ retCode: -84, reasonZh: '旧密码错误!' });
    expect(t.bar).toMatchObject({ AgentStateAfterHangup: '6', AgentPwd: '1001pw' });
  });
});

describe('state from events', () => {
  it('AgentStatus follows the agent’s own status; Agent_State, GetCallStatus and cuID follow its call', async () => {
    const t = setup();
    t.listen('AgentStateChangeEvent', 'CallInEvent');
    const socket = await signedIn(t);
    socket.event('AgentStatusChangeEvent', { agent_num: '1002', old_status: '0', new_status: '6' });
    expect(t.bar.AgentStatus).toBe('0');
    socket.event('AgentStatusChangeEvent', { agent_num: '1001', old_status: '0', new_status: '1' });
    // Listeners see the new state already.
    t.bar.on('CallInEvent', () => t.heard.push({ name: 'state at CallInEvent', payload: [t.bar.AgentState, t.bar.GetCallStatus()] }));
    socket.event('CallInEvent', { callerID: '051287654321', makeStr: 'customer_num=051287654321#relation_uuid=call-7#', callType: 'CTI_CALL_TYPE_COMMON_CALL_IN' });
    expect(t.bar).toMatchObject({ AgentStatus: '1', cuID: 'call-7' });
    socket.event('AgentStatusChangeEvent', { agent_num: '1001', old_status: '1', new_status: '2' });
    socket.event('BridgeEvent');
    expect([t.bar.AgentState, t.bar.GetCallStatus()]).toEqual([AgentState.AGENT_STATUS_TALKING_CUSTOMER, CallStatus.CALL_IN]);
    socket.event('HangupEvent', { hangupReason: 'NORMAL_CLEARING', retCode: 0 });
    expect([t.bar.AgentState, t.bar.GetCallStatus(), t.bar.cuID]).toEqual([AgentState.AGENT_STATUS_IDLE, CallStatus.NO_CALL, '']);
    expect(t.heard.filter((h) => h.name !== 'AgentStateChangeEvent').map((h) => [h.name, h.payload])).toEqual([
      ['CallInEvent', expect.objectContaining({ callerID: '051287654321' })],
      ['state at CallInEvent', [AgentState.AGENT_STATUS_CAMP_ON, CallStatus.CALL_IN]],
    ]);
    expect(t.heard.filter((h) => h.name === 'AgentStateChangeEvent').map((h) => h.payload)).toEqual([
      expect.objectContaining({ oldState: AgentState.AGENT_STATUS_UNKNOWN, newState: AgentState.AGENT_STATUS_SIGNIN }),
      expect.objectContaining({ oldState: AgentState.AGENT_STATUS_SIGNIN, newState: AgentState.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.NO_CALL }),
      expect.objectContaining({ newState: AgentState.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.CALL_IN }),
      expect.objectContaining({ newState: AgentState.AGENT_STATUS_TALKING_CUSTOMER }),
      expect.objectContaining({ newState: AgentState.AGENT_STATUS_IDLE, callStatus: CallStatus.NO_CALL }),
    ]);
  });

  it('an accepted consult moves the agent to CONSULTING; a refused one does not', async () => {
    const t = setup();
    const socket = await signedIn(t);
    socket.event('CallInEvent');
    socket.event('BridgeEvent');
    const refused = t.bar.DoConsult('1002', false);
    socket.respond({ retCode: -32, reason: 'Called agent status does not allow this' });
    await rejection(refused);
    expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_TALKING_CUSTOMER);
    const consult = t.bar.DoConsult('1002', false);
    socket.respond();
    await consult;
    expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_CONSULTING);
  });
});

describe('heartbeat and resume', () => {
  it('beats every HeartBeatTimeout seconds without raising events', async () => {
    const t = setup();
    t.listen('ServerResponse', 'SignInResponse');
    const socket = await signedIn(t);
    const before = socket.sent.length;
    t.clock.advance(19_999);
    expect(socket.sent.length).toBe(before);
    t.clock.advance(1);
    expect(socket.unanswered.map((r) => r.cmdType)).toEqual(['heartbeat']);
    socket.respond();
    t.clock.advance(20_000);
    socket.refuseByRate();
    await flush();
    expect(socket.sent.slice(before).map((r) => r.cmdType)).toEqual(['heartbeat', 'heartbeat']);
    expect(t.heard.map((h) => h.name)).toEqual(['SignInResponse']);
  });

  it('an unanswered request means a dead link: the client connects again and resumes the session, state and call kept', async () => {
    const t = setup({ responseTimeoutMs: 5000 });
    t.listen('SockDisconnectEvent', 'SockReconnectEvent', 'SignInResponse');
    const first = await signedIn(t);
    first.event('CallInEvent', { makeStr: 'relation_uuid=call-9#' });
    first.event('BridgeEvent');
    first.event('AgentStatusChangeEvent', { agent_num: '1001', old_status: '1', new_status: '2' });
    const hold = t.bar.DoHold();
    t.clock.advance(5000);
    expect(await rejection(hold)).toMatchObject({ retCode: -1002 });
    expect(first.closedWith).toBeDefined();
    expect(t.bar).toMatchObject({ SignedIn: false, Reconnecting: true, AgentState: AgentState.AGENT_STATUS_TALKING_CUSTOMER });
    t.clock.advance(99);
    expect(t.ws.sockets).toHaveLength(1);
    t.clock.advance(1);
    const second = t.ws.last();
    expect(second).not.toBe(first);
    second.open();
    await flush();
    // While talking, the state to sign in with is the one the agent first signed in with (the server ignores it on a resume).
    expect(second.sent[0]).toMatchObject({ cmdType: 'signin', agentPwd: '1001pw', agentExten: '8001', initStatus: '0' });
    await answerSignIn(second, 'yes');
    second.event('AgentStatusChangeEvent', { agent_num: '1001', old_status: '2', new_status: '2' });
    expect(t.bar).toMatchObject({ SignedIn: true, Reconnecting: false, AgentStatus: '2', AgentState: AgentState.AGENT_STATUS_TALKING_CUSTOMER, cuID: 'call-9' });
    expect(t.heard.map((h) => h.name)).toEqual(['SignInResponse', 'SockDisconnectEvent', 'SignInResponse', 'SockReconnectEvent']);
    expect(t.heard[1]!.payload).toMatchObject({ retCode: -1001, Reason: 'no answer within 5000 ms' });
    expect(t.heard[3]!.payload).toMatchObject({ resumed: true, retCode: 0 });
    // Events from the old socket count no more.
    first.event('HangupEvent');
    expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_TALKING_CUSTOMER);
  });

  it('a dropped connection: attempts back off to maxDelayMs; a new session (grace over) signs in with the state the agent was in', async () => {
    const t = setup();
    t.listen('SockReconnectEvent');
    const first = await signedIn(t);
    first.event('AgentStatusChangeEvent', { agent_num: '1001', old_status: '0', new_status: '6' });
    first.drop();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const count = t.ws.sockets.length;
      let waited = 0;
      while (t.ws.sockets.length === count) {
        t.clock.advance(10);
        waited += 10;
      }
      delays.push(waited);
      if (attempt < 5) {
        t.ws.last().drop();
        await flush();
      }
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    t.ws.last().open();
    await flush();
    expect(t.ws.last().sent[0]).toMatchObject({ cmdType: 'signin', initStatus: '6' });
    await answerSignIn(t.ws.last(), 'no');
    expect(t.heard.map((h) => h.payload)).toEqual([expect.objectContaining({ resumed: false, retCode: 0 })]);
    expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_SIGNIN);
  });

  it('a sign-in the server refuses on reconnecting ends it: OFFLINE, no more attempts', async () => {
    const t = setup();
    t.listen('SockReconnectEvent');
    const first = await signedIn(t);
    first.drop();
    t.clock.advance(100);
    t.ws.last().open();
    await flush();
    t.ws.last().respond({ retCode: -53, reason: 'Wrong password' });
    await flush();
    expect(t.heard.map((h) => h.payload)).toEqual([expect.objectContaining({ resumed: false, retCode: -53, Reason: 'Wrong password' })]);
    expect(t.bar).toMatchObject({ SignedIn: false, Reconnecting: false, Connected: false, AgentState: AgentState.AGENT_STATUS_OFFLINE });
    t.clock.advance(60_000);
    expect(t.ws.sockets).toHaveLength(2);
    expect(t.clock.pending).toBe(0);
  });

  it('kicked out (another sign-in took the agent) or signed out: the closed connection is not resumed', async () => {
    for (const end of ['KickOutEvent', 'SignOutEvent']) {
      const t = setup();
      t.listen('SockDisconnectEvent');
      const socket = await signedIn(t);
      socket.event(end, { AgentID: '1001', retCode: end === 'KickOutEvent' ? -6 : 0, Reason: 'x' });
      expect(t.bar.AgentState).toBe(AgentState.AGENT_STATUS_OFFLINE);
      socket.drop(1000);
      t.clock.advance(60_000);
      expect(t.ws.sockets).toHaveLength(1);
      expect(t.heard).toHaveLength(1);
      expect(t.clock.pending).toBe(0);
    }
  });

  it('DoDisconnect fails the requests waiting with -1001, stops the heartbeat and does not reconnect', async () => {
    const t = setup();
    const socket = await signedIn(t);
    const hold = t.bar.DoHold();
    t.bar.DoDisconnect();
    expect(await rejection(hold)).toMatchObject({ retCode: -1001, cmdType: 'hold' });
    expect(socket.closedWith).toEqual({ code: 1000, reason: 'DoDisconnect' });
    expect(t.bar).toMatchObject({ Connected: false, SignedIn: false, AgentState: AgentState.AGENT_STATUS_OFFLINE });
    expect(t.clock.pending).toBe(0);
    t.clock.advance(60_000);
    expect(t.ws.sockets).toHaveLength(1);
  });

  it('after DoChangePassword a resume signs in with the new password', async () => {
    const t = setup();
    const first = await signedIn(t);
    const changing = t.bar.DoChangePassword('1001pw', 'n3w-secret');
    first.respond();
    await changing;
    first.drop();
    t.clock.advance(100);
    t.ws.last().open();
    await flush();
    expect(t.ws.last().sent[0]).toMatchObject({ cmdType: 'signin', agentPwd: 'n3w-secret' });
  });
});
