// The agent bar SDK (web/sdk) in Node against the real server: polylink on its simulator,
// the SDK on the `ws` package's WebSocket over real sockets to /agent (cti.json). Sign-in,
// states, a customer's call answered from the bar, a network blip the session survives,
// consult and transfer between two bars, typed errors.
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentBar, AgentState, CallStatus, decodeMakeStr, type AgentBarEvents, type AgentBarOptions } from '../../../web/sdk/src/index.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import type { ConfigOverrides } from '../../helpers/test-server.js';
import { eventually } from '../../helpers/eventually.js';
import { rejection } from '../../../web/sdk/test/rejection.js';

/** The sockets the SDK opened, newest last: the test cuts one as a network would. */
const opened: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    opened.push(this);
  }
}

let f: CallFixture;
const bars: AgentBar[] = [];

async function start(config: ConfigOverrides = {}): Promise<void> {
  f = await startCallFixture({ config });
}

afterEach(async () => {
  for (const b of bars.splice(0)) b.DoDisconnect();
  opened.length = 0;
  await f.close();
});

/** A bar for an agent of the example organisation (password `<id>pw`, its own extension). */
function bar(agentId: string, options: AgentBarOptions = {}): AgentBar {
  const b = new AgentBar({ WebSocket: TrackedWebSocket, reconnect: { minDelayMs: 50, maxDelayMs: 200 }, ...options });
  b.AgentID = agentId;
  b.AgentPwd = `${agentId}pw`;
  b.AgentExten = f.exten(agentId);
  b.ServerIP = '127.0.0.1';
  b.ServerPort = f.s.server.httpPort;
  bars.push(b);
  return b;
}

/** The next `name` event of `b` (listen before doing what causes it). */
function next<K extends keyof AgentBarEvents>(b: AgentBar, name: K, timeoutMs = 5000): Promise<AgentBarEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = b.once(name, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}


/** A customer calls the sales line (queue 630); `a` is offered the call. */
async function customerCalls(a: AgentBar) {
  const ringing = next(a, 'CallInEvent');
  const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
  const callIn = await ringing;
  return { customer, callIn, callId: decodeMakeStr(callIn.makeStr).get('relation_uuid')! };
}

describe('the SDK against polylink', () => {
  beforeEach(() => start());

  it('signs in, changes state, answers a customer’s call, survives a network blip with its call, holds, hangs up', async () => {
    // 1001's phone answers only when told to (ctiAnswer): the bar's DoAnswer does it.
    f.phone('1001', { kind: 'no-answer' });
    const a = bar('1001');
    const signedIn = await a.DoSignInWithConnect();
    expect(signedIn).toMatchObject({ cmdType: 'signin', retCode: 0, heartbeatInterval: '30', resumed: 'no' });
    expect(a).toMatchObject({ SignedIn: true, HeartBeatTimeout: 30, AgentState: AgentState.AGENT_STATUS_SIGNIN, AgentStatus: '0' });
    await eventually(() => a.AgentName === 'Zhang Wei');
    expect(a).toMatchObject({ AgentGroupID: '1', AgentGroupName: 'Sales 销售组', RoleID: '1', RoleName: 'Agent 坐席' });
    const guid = a.Guid;

    // Busy, then idle again: AgentStatus follows the server's AgentStatusChangeEvent.
    await a.DoSetAgentDefineStatus(6);
    await eventually(() => a.AgentStatus === '6');
    expect(f.statusOf('1001')).toBe(6);
    await a.DoSetAgentDefineStatus(0);
    await eventually(() => a.AgentStatus === '0');

    const { customer, callIn, callId } = await customerCalls(a);
    expect(callIn).toMatchObject({ callerID: '051287654321', callType: 'CTI_CALL_TYPE_COMMON_CALL_IN', agentID: '1001' });
    expect(a).toMatchObject({ AgentState: AgentState.AGENT_STATUS_CAMP_ON, cuID: callId });
    expect(a.GetCallStatus()).toBe(CallStatus.CALL_IN);
    const bridged = next(a, 'BridgeEvent');
    await a.DoAnswer();
    await bridged;
    await eventually(() => a.AgentStatus === '2');
    expect(a.AgentState).toBe(AgentState.AGENT_STATUS_TALKING_CUSTOMER);

    // The network drops the connection under the bar: it connects again and resumes the session.
    const lost = next(a, 'SockDisconnectEvent');
    const back = next(a, 'SockReconnectEvent');
    opened.at(-1)!.terminate();
    expect((await lost).retCode).toBe(-1001);
    expect((await back).resumed).toBe(true);
    expect(opened).toHaveLength(2);
    expect(a).toMatchObject({ SignedIn: true, Guid: guid, AgentStatus: '2', AgentState: AgentState.AGENT_STATUS_TALKING_CUSTOMER, cuID: callId });
    expect(f.statusOf('1001')).toBe(2);
    expect(customer.isUp).toBe(true);

    // The resumed session steers the same call.
    await a.DoHold();
    await eventually(() => a.AgentStatus === '3');
    await a.DoStopHold();
    await eventually(() => a.AgentStatus === '2');
    const hungUp = next(a, 'HangupEvent');
    await a.DoHangUp();
    expect(await hungUp).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: 0 });
    expect([a.AgentState, a.GetCallStatus(), a.cuID]).toEqual([AgentState.AGENT_STATUS_IDLE, CallStatus.NO_CALL, '']);
    await eventually(() => a.AgentStatus === '4');
    await eventually(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', agent_id: '1001' });
  });

  it('typed errors: a wrong password, a command the state does not allow, a right the role lacks', async () => {
    const b = bar('1002');
    b.AgentPwd = 'wrong';
    const response = next(b, 'SignInResponse');
    const refused = await rejection(b.DoSignInWithConnect());
    expect(refused).toMatchObject({ retCode: -53, reason: 'Wrong password', reasonZh: '登陆密码错误', cmdType: 'signin' });
    expect(await response).toMatchObject({ AgentID: '1002', retCode: -53, Reason: 'Wrong password' });
    expect(b.SignedIn).toBe(false);
    b.AgentPwd = '1002pw';
    await b.DoSignIn();
    expect(await rejection(b.DoHangUp())).toMatchObject({ retCode: -24, reasonZh: '座席状态错误' });
    expect(await rejection(b.DoListen('1001'))).toMatchObject({ retCode: -21, reason: 'Permission denied', reasonZh: '权限检查失败,请确认您是否有该权限' });
    expect(await rejection(b.DoTransferQueue('999'))).toMatchObject({ retCode: -24 });
  });

  it('queries resolve with their result event; the events and their JS… forms reach listeners', async () => {
    const a = bar('1101');
    await a.DoSignInWithConnect();
    const js = next(a, 'JSGetQueueListEvent');
    const queues = await a.DoGetQueueList();
    expect(queues.result.queue_list).toMatchObject({ '630': 'Sales hotline 销售热线' });
    expect(JSON.parse(await js)).toEqual({ queue_list: queues.result.queue_list });
    const statuses = await a.DoGetAgentDefineStatus();
    expect(statuses.result.define_status).toMatchObject({ '100': 'Training 培训', '101': 'Meeting 会议' });
    const online = await a.DoGetOnlineAgent('1101', 1);
    expect(online.result.agent_online[0]).toMatchObject({ agentNum: '1101', agentName: 'Qian Supervisor', flag: '0' });
    const statis = await a.DoGetQueueStatis('630');
    expect(statis.result.queue_statis_list[0]).toMatchObject({ queue_num: '630', agent_online_amount: '1' });
    expect(await rejection(a.DoGetCustomerOfQueue('nope'))).toMatchObject({ retCode: -42 });
  });

  it('a callout: CAMP_ON, ANSWER_CALLEE while the customer’s phone rings, BRIDGE_CALLEE when answered; a call out', async () => {
    const a = bar('1002');
    await a.DoSignInWithConnect();
    const ringing = next(a, 'CallOutRingEvent');
    const bridged = next(a, 'BridgeEvent');
    await a.DoCallOut('13900139000');
    expect((await ringing).customerNum).toBe('13900139000');
    await bridged;
    expect([a.AgentState, a.GetCallStatus()]).toEqual([AgentState.AGENT_STATUS_BRIDGE_CALLEE, CallStatus.CALL_OUT]);
    expect(a.cuID).not.toBe('');
    const hungUp = next(a, 'HangupEvent');
    await a.DoHangUp();
    await hungUp;
    expect(a.GetCallStatus()).toBe(CallStatus.NO_CALL);
  });

  it('consult and transfer between two bars: each side’s Agent_State follows the call', async () => {
    const a = bar('1001');
    const b = bar('1017');
    await a.DoSignInWithConnect();
    await b.DoSignInWithConnect();
    await customerCalls(a);
    await eventually(() => a.AgentState === AgentState.AGENT_STATUS_TALKING_CUSTOMER);
    const consulted = next(b, 'ConsultCallInEvent');
    const aBridged = next(a, 'BridgeEvent');
    await a.DoConsult('1017', false);
    expect(a.AgentState).toBe(AgentState.AGENT_STATUS_CONSULTING);
    expect(await consulted).toMatchObject({ consulterAgentNum: '1001', customerNum: '051287654321' });
    await aBridged;
    await eventually(() => b.AgentState === AgentState.AGENT_STATUS_ANSWER_CONSULT);
    expect(a.AgentState).toBe(AgentState.AGENT_STATUS_TALKING_CONSULT);
    const aHungUp = next(a, 'HangupEvent');
    const bTakesOver = next(b, 'BridgeEvent');
    await a.DoConsultTransfer();
    expect((await aHungUp).hangupReason).toBe('NO_ROUTE_DESTINATION');
    await bTakesOver;
    expect([a.AgentState, a.GetCallStatus()]).toEqual([AgentState.AGENT_STATUS_IDLE, CallStatus.NO_CALL]);
    expect([b.AgentState, b.GetCallStatus()]).toEqual([AgentState.AGENT_STATUS_TALKING_CUSTOMER, CallStatus.CALL_IN]);
    await b.DoHangUp();
    await eventually(() => b.AgentState === AgentState.AGENT_STATUS_IDLE);
  });

  it('kicked out by a sign-in elsewhere: the old bar goes offline and does not reconnect (no kicking back)', async () => {
    const first = bar('1003');
    await first.DoSignInWithConnect();
    const kicked = next(first, 'KickOutEvent');
    const second = bar('1003');
    expect((await second.DoSignInWithConnect()).resumed).toBe('yes');
    expect((await kicked).retCode).toBe(-6);
    await eventually(() => !first.Connected);
    await new Promise((r) => setTimeout(r, 400));
    expect(first).toMatchObject({ SignedIn: false, Reconnecting: false, AgentState: AgentState.AGENT_STATUS_OFFLINE });
    expect(second.SignedIn).toBe(true);
    await second.DoHeartBeat();
  });
});

describe('a blip longer than the resume grace', () => {
  // No grace: the server signs the agent out as soon as it sees the connection go.
  beforeEach(() => start({ agent: { resumeGraceSeconds: 0 } }));

  it('signs in to a new session, in the state the agent was in (busy stays busy)', async () => {
    // The first attempt comes well after the server has seen the connection go.
    const a = bar('1004', { reconnect: { minDelayMs: 1000, maxDelayMs: 1000 }, random: () => 1 });
    await a.DoSignInWithConnect();
    await a.DoSetAgentDefineStatus(6);
    await eventually(() => a.AgentStatus === '6');
    const back = next(a, 'SockReconnectEvent', 8000);
    opened.at(-1)!.terminate();
    await eventually(() => f.statusOf('1004') === -1, 3000);
    expect(await back).toMatchObject({ resumed: false, retCode: 0 });
    expect(a).toMatchObject({ SignedIn: true, AgentState: AgentState.AGENT_STATUS_SIGNIN });
    expect(f.statusOf('1004')).toBe(6);
  });
});
