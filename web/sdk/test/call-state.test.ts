// The client-side Agent_State and CallStatus (seed §3.2.5), derived from the events each
// party of a call receives, in the order docs/protocol.md §4 gives them.
import { describe, expect, it } from 'vitest';
import { AgentState as S, CallStatus, INITIAL_CALL_STATE, agentStateName, nextCallState, type CallInput, type CallState } from '../src/call-state.js';

const SELF = '1001';
const ev = (eventType: string, fields: Record<string, unknown> = {}): CallInput => ({
  kind: 'event',
  event: { eventType, agentID: SELF, time: '2026-11-21 10:00:00', ...fields },
  self: SELF,
});
const status = (from: number, to: number, agent = SELF) => ev('AgentStatusChangeEvent', { agent_num: agent, old_status: String(from), new_status: String(to) });
const accepted = (cmdType: string): CallInput => ({ kind: 'accepted', cmdType });
const signedIn: CallInput = { kind: 'signed-in', resumed: false };
const makeStr = (callId: string) => `customer_num=051287654321#callcenter_num=4008001000#relation_uuid=${callId}#`;

/** Runs the inputs from a fresh sign-in; returns the state names after each, and the last state. */
function run(...inputs: CallInput[]): { trail: string[]; last: CallState } {
  let s = nextCallState(INITIAL_CALL_STATE, signedIn);
  const trail: string[] = [];
  for (const input of inputs) {
    s = nextCallState(s, input);
    trail.push(agentStateName(s.state).replace('AGENT_STATUS_', ''));
  }
  return { trail, last: s };
}

describe('Agent_State', () => {
  it('starts UNKNOWN, SIGNIN at sign-in, OFFLINE when signed out or kicked out', () => {
    expect(INITIAL_CALL_STATE.state).toBe(S.AGENT_STATUS_UNKNOWN);
    expect(nextCallState(INITIAL_CALL_STATE, signedIn).state).toBe(S.AGENT_STATUS_SIGNIN);
    expect(run(ev('SignOutEvent')).trail).toEqual(['OFFLINE']);
    expect(run(ev('KickOutEvent')).trail).toEqual(['OFFLINE']);
    expect(run(status(0, -1)).trail).toEqual(['OFFLINE']);
    expect(nextCallState(INITIAL_CALL_STATE, { kind: 'offline' }).state).toBe(S.AGENT_STATUS_OFFLINE);
  });

  it('a queue call: CAMP_ON while it rings, TALKING_CUSTOMER when bridged, IDLE after; a call in with its cuID', () => {
    const states: CallState[] = [];
    let s = nextCallState(INITIAL_CALL_STATE, signedIn);
    for (const input of [status(0, 1), ev('CallInEvent', { callerID: '051287654321', makeStr: makeStr('call-1') }), status(1, 2), ev('BridgeEvent')]) {
      s = nextCallState(s, input);
      states.push(s);
    }
    expect(states.map((x) => x.state)).toEqual([S.AGENT_STATUS_CAMP_ON, S.AGENT_STATUS_CAMP_ON, S.AGENT_STATUS_CAMP_ON, S.AGENT_STATUS_TALKING_CUSTOMER]);
    expect(s).toMatchObject({ callStatus: CallStatus.CALL_IN, callId: 'call-1' });
    s = nextCallState(s, ev('HangupEvent', { hangupReason: 'NORMAL_CLEARING', retCode: 0 }));
    expect(s).toMatchObject({ state: S.AGENT_STATUS_IDLE, callStatus: CallStatus.NO_CALL, callId: '' });
    expect(nextCallState(s, status(2, 4)).state).toBe(S.AGENT_STATUS_IDLE);
  });

  it('a callout: CAMP_ON while the own phone rings, ANSWER_CALLEE while the customer’s rings, BRIDGE_CALLEE when answered; a call out', () => {
    const { trail, last } = run(status(0, 10), ev('CallOutRingEvent', { makeStr: makeStr('out-1') }), status(10, 2), ev('BridgeEvent'));
    expect(trail).toEqual(['CAMP_ON', 'ANSWER_CALLEE', 'ANSWER_CALLEE', 'BRIDGE_CALLEE']);
    expect(last).toMatchObject({ callStatus: CallStatus.CALL_OUT, callId: 'out-1' });
    // A customer that never rang (or never answered): the hang-up ends it.
    expect(run(status(0, 10), ev('HangupEvent', { retCode: -57 }), status(10, 0)).last).toMatchObject({ state: S.AGENT_STATUS_IDLE, callStatus: CallStatus.NO_CALL });
  });

  it('the consulting agent: CONSULTING, TALKING_CONSULT when the consultee answers, back to the customer when it hangs up', () => {
    const inbound = [status(0, 1), ev('CallInEvent', { makeStr: makeStr('c') }), ev('BridgeEvent')];
    expect(run(...inbound, accepted('consult'), ev('BridgeEvent'), ev('ConsulteeHangupEvent', { agentid: SELF }), ev('BridgeEvent')).trail.slice(3)).toEqual([
      'CONSULTING',
      'TALKING_CONSULT',
      'TALKING_CUSTOMER',
      'TALKING_CUSTOMER',
    ]);
    // On the agent's own callout it goes back to BRIDGE_CALLEE.
    const outbound = [status(0, 10), ev('CallOutRingEvent'), ev('BridgeEvent')];
    expect(run(...outbound, accepted('consult'), ev('ConsulteeHangupEvent')).trail.slice(3)).toEqual(['CONSULTING', 'BRIDGE_CALLEE']);
    // Handing the customer over ends the call for the consulting agent.
    expect(run(...inbound, accepted('consult'), ev('BridgeEvent'), accepted('consulttransfer'), ev('HangupEvent')).last.state).toBe(S.AGENT_STATUS_IDLE);
    // The switch could not set the consult up (ServerResponse after the response).
    expect(run(...inbound, accepted('consult'), ev('ServerResponse', { cmdType: 'consult', retCode: -60 })).last.state).toBe(S.AGENT_STATUS_TALKING_CUSTOMER);
  });

  it('the consulted agent: CAMP_ON, ANSWER_CONSULT, then TALKING_CUSTOMER when the customer is handed over', () => {
    expect(run(status(0, 5), status(5, 1), ev('ConsultCallInEvent', { consulterAgentNum: '1002', makeStr: makeStr('c') }), status(1, 2), ev('BridgeEvent'), ev('BridgeEvent')).trail).toEqual([
      'CAMP_ON',
      'CAMP_ON',
      'CAMP_ON',
      'CAMP_ON',
      'ANSWER_CONSULT',
      'TALKING_CUSTOMER',
    ]);
    // The consulting agent stops the consult: the consultee's leg ends.
    expect(run(ev('ConsultCallInEvent'), ev('BridgeEvent'), ev('HangupEvent'), status(2, 0)).trail).toEqual(['CAMP_ON', 'ANSWER_CONSULT', 'IDLE', 'IDLE']);
  });

  it('three-way: THREEWAYTING for the inviting agent until the third party leaves; TALKING_THREEWAY for the third party', () => {
    const inbound = [ev('CallInEvent'), ev('BridgeEvent')];
    expect(run(...inbound, accepted('threeway'), ev('ThreeWayeeHangupEvent', { agentid: SELF })).trail.slice(2)).toEqual(['THREEWAYTING', 'TALKING_CUSTOMER']);
    expect(run(status(0, 5), ev('ThreeWayCallRingEvent', { callerID: '8002' }), ev('BridgeEvent'), ev('HangupEvent')).trail).toEqual([
      'CAMP_ON',
      'CAMP_ON',
      'TALKING_THREEWAY',
      'IDLE',
    ]);
    expect(run(status(0, 5), ev('ThreeWayCallRingEvent')).last.callStatus).toBe(CallStatus.CALL_IN);
  });

  it('internal calls: TALKING_INTERNAL on both ends; the caller’s is a call out, the callee’s a call in', () => {
    const caller = run(status(0, 10), ev('InternalCall_CallInEvent', { agentid: SELF, callerid: SELF }), status(10, 2), ev('BridgeEvent'));
    expect(caller.trail).toEqual(['CAMP_ON', 'CAMP_ON', 'CAMP_ON', 'TALKING_INTERNAL']);
    expect(caller.last.callStatus).toBe(CallStatus.CALL_OUT);
    const callee = run(status(0, 5), status(5, 1), ev('InternalCallerRingEvent', { agentid: SELF, callerid: '1003' }), ev('BridgeEvent'));
    expect(callee.trail).toEqual(['CAMP_ON', 'CAMP_ON', 'CAMP_ON', 'TALKING_INTERNAL']);
    expect(callee.last.callStatus).toBe(CallStatus.CALL_IN);
  });

  it('a blind transfer to the agent rings as a customer call', () => {
    expect(run(status(0, 5), ev('TransferBlindCallInEvent', { consulterAgentNum: '1002', makeStr: makeStr('t') }), ev('BridgeEvent')).last).toMatchObject({
      state: S.AGENT_STATUS_TALKING_CUSTOMER,
      callStatus: CallStatus.CALL_IN,
      callId: 't',
    });
  });

  it('supervisor features: ringing, then TALKING_EAVESDROP / _WHISPER / _BARGEIN', () => {
    expect(run(ev('EavesdropCallRingEvent', { desAgentID: '1002' }), ev('BridgeEvent')).trail).toEqual(['CAMP_ON', 'TALKING_EAVESDROP']);
    expect(run(ev('WhisperEvent', { retCode: 0 })).trail).toEqual(['TALKING_WHISPER']);
    expect(run(ev('BargeinEvent', { retCode: 0 })).trail).toEqual(['TALKING_BARGEIN']);
    expect(run(ev('BargeinEvent', { retCode: -24 })).trail).toEqual(['SIGNIN']);
  });

  it('the loop-back test is a call out', () => {
    expect(run(status(6, 5), ev('CheckExtenEvent', { agentid: SELF }), ev('HangupEvent'), status(5, 6)).last).toMatchObject({ state: S.AGENT_STATUS_IDLE, callStatus: CallStatus.NO_CALL });
    expect(run(status(6, 5), ev('CheckExtenEvent')).last).toMatchObject({ state: S.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.CALL_OUT });
  });

  it('another agent’s status changes (a supervisor hears them) do not touch the own state', () => {
    expect(run(ev('CallInEvent'), ev('BridgeEvent'), status(0, 1, '1002'), status(2, 4, '1002')).trail.slice(2)).toEqual(['TALKING_CUSTOMER', 'TALKING_CUSTOMER']);
  });

  it('a resumed session keeps its call; a status between calls after the resume ends a call that ended meanwhile', () => {
    const talking = run(ev('CallInEvent', { makeStr: makeStr('r') }), ev('BridgeEvent')).last;
    const resumed = nextCallState(talking, { kind: 'signed-in', resumed: true });
    expect(resumed).toBe(talking);
    // The server's AgentStatusChangeEvent after a resume has old = new.
    expect(nextCallState(resumed, status(2, 2))).toBe(resumed);
    expect(nextCallState(resumed, status(4, 4))).toMatchObject({ state: S.AGENT_STATUS_IDLE, callStatus: CallStatus.NO_CALL, callId: '' });
    // A new session (the grace time was over) starts without a call.
    expect(nextCallState(talking, signedIn)).toMatchObject({ state: S.AGENT_STATUS_SIGNIN, callStatus: CallStatus.NO_CALL });
  });

  it('events of no call leave the state alone', () => {
    const s = nextCallState(INITIAL_CALL_STATE, signedIn);
    for (const type of ['GetQueueListEvent', 'AddCustomerToQueueEvent', 'RecordStart', 'SignInEvent', 'WarnAgentResigninEvent']) expect(nextCallState(s, ev(type))).toBe(s);
    expect(nextCallState(s, accepted('hold'))).toBe(s);
  });
});
