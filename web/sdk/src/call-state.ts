/**
 * The client-side state of seed 002 §3.2.5: Agent_State (what the agent is doing on the
 * phone, as the bar shows it) and CallStatus (GetCallStatus: no call, a call in, a call
 * out), derived from the server's events and the agent's own accepted requests. The
 * server's Agent_Status (AgentStatus) says whether the agent is free; Agent_State says
 * which of the bar's call features apply. A pure function of (state, input), so it is
 * tested without a socket.
 *
 * The seed names the states without defining them; polylink reads them so:
 * - SIGNIN: signed in, no call since; IDLE: no call (the last one has ended); OFFLINE:
 *   signed out, kicked out, or the session was lost; UNKNOWN: never signed in.
 * - CAMP_ON: a call is being set up for the agent or rings its phone (status 1 or 5, or
 *   one of the ring events) and nobody has answered yet.
 * - TALKING_CUSTOMER: talking with a customer who called in (or was handed over);
 *   ANSWER_CALLEE / BRIDGE_CALLEE: the agent's own callout — the customer's phone rings /
 *   the customer answered.
 * - CONSULTING / TALKING_CONSULT: the agent consults another (ringing / answered);
 *   ANSWER_CONSULT: the agent is the one consulted and talks with the consulter.
 * - THREEWAYTING: the agent invited a third party (polylink tells the inviting agent
 *   nothing more until the third party leaves); TALKING_THREEWAY: the agent is the third party.
 * - TALKING_INTERNAL: an agent-to-agent call; TALKING_EAVESDROP / _WHISPER / _BARGEIN: a
 *   supervisor listening, whispering, barging in.
 */
import { AgentStatus, isSelectableStatus } from '../../../src/core/agent-status.js';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import type { EventBody } from './wire.js';

/** Seed §3.2.5 `enum Agent_State`, in its order. */
export const AgentState = {
  AGENT_STATUS_UNKNOWN: 0,
  AGENT_STATUS_SIGNIN: 1,
  AGENT_STATUS_IDLE: 2,
  AGENT_STATUS_OFFLINE: 3,
  AGENT_STATUS_CONSULTING: 4,
  AGENT_STATUS_THREEWAYTING: 5,
  AGENT_STATUS_TALKING_CUSTOMER: 6,
  AGENT_STATUS_TALKING_CONSULT: 7,
  AGENT_STATUS_ANSWER_CONSULT: 8,
  AGENT_STATUS_TALKING_THREEWAY: 9,
  AGENT_STATUS_TALKING_INTERNAL: 10,
  AGENT_STATUS_TALKING_EAVESDROP: 11,
  AGENT_STATUS_TALKING_WHISPER: 12,
  AGENT_STATUS_TALKING_BARGEIN: 13,
  AGENT_STATUS_CAMP_ON: 14,
  AGENT_STATUS_ANSWER_CALLEE: 15,
  AGENT_STATUS_BRIDGE_CALLEE: 16,
} as const;
export type AgentStateValue = (typeof AgentState)[keyof typeof AgentState];

/** Seed §3.2.5 `enum CallStatus`. */
export const CallStatus = { NO_CALL: 0, CALL_IN: 1, CALL_OUT: 2 } as const;
export type CallStatusValue = (typeof CallStatus)[keyof typeof CallStatus];

/** The name of a state, e.g. for a log line: `AGENT_STATUS_TALKING_CUSTOMER`. */
export function agentStateName(state: AgentStateValue): keyof typeof AgentState {
  return (Object.keys(AgentState) as (keyof typeof AgentState)[]).find((k) => AgentState[k] === state)!;
}

/** What is ringing or being set up for the agent: it says what the next BridgeEvent means. */
type Offer = 'customer' | 'callout' | 'consult' | 'threeway' | 'internal' | 'eavesdrop' | 'whisper' | 'bargein';

export interface CallState {
  readonly state: AgentStateValue;
  readonly callStatus: CallStatusValue;
  readonly offer: Offer | null;
  /** Where a consult or a three-way call goes back to: the talk with the customer. */
  readonly withCustomer: AgentStateValue | null;
  /** The seed's cuID: the current call's id (makeStr's relation_uuid), or empty. */
  readonly callId: string;
}

export type CallInput =
  /** A sign-in was answered 0; `resumed` when it took up the session a lost connection left. */
  | { readonly kind: 'signed-in'; readonly resumed: boolean }
  /** Signed out, kicked out, or the session is gone. */
  | { readonly kind: 'offline' }
  /** One of the agent's own requests was answered 0. */
  | { readonly kind: 'accepted'; readonly cmdType: string }
  /** A server event for this connection; `self` is the agent signed in. */
  | { readonly kind: 'event'; readonly event: EventBody; readonly self: string };

const S = AgentState;

export const INITIAL_CALL_STATE: CallState = { state: S.AGENT_STATUS_UNKNOWN, callStatus: CallStatus.NO_CALL, offer: null, withCustomer: null, callId: '' };

const NO_CALL = { callStatus: CallStatus.NO_CALL, offer: null, withCustomer: null, callId: '' } as const;

/** States without a call: SIGNIN, IDLE, OFFLINE, UNKNOWN. */
function callFree(state: AgentStateValue): boolean {
  return state === S.AGENT_STATUS_SIGNIN || state === S.AGENT_STATUS_IDLE || state === S.AGENT_STATUS_OFFLINE || state === S.AGENT_STATUS_UNKNOWN;
}

const RINGS: Readonly<Record<string, { offer: Offer; callStatus: CallStatusValue }>> = {
  CallInEvent: { offer: 'customer', callStatus: CallStatus.CALL_IN },
  TransferBlindCallInEvent: { offer: 'customer', callStatus: CallStatus.CALL_IN },
  ConsultCallInEvent: { offer: 'consult', callStatus: CallStatus.CALL_IN },
  ThreeWayCallRingEvent: { offer: 'threeway', callStatus: CallStatus.CALL_IN },
  InternalCallerRingEvent: { offer: 'internal', callStatus: CallStatus.CALL_IN },
  // The caller of an internal call: its own phone rings first.
  InternalCall_CallInEvent: { offer: 'internal', callStatus: CallStatus.CALL_OUT },
  EavesdropCallRingEvent: { offer: 'eavesdrop', callStatus: CallStatus.CALL_IN },
  WhisperCallRingEvent: { offer: 'whisper', callStatus: CallStatus.CALL_IN },
  BargeinCallRingEvent: { offer: 'bargein', callStatus: CallStatus.CALL_IN },
};

/** What a BridgeEvent makes of an offer. */
const BRIDGED: Readonly<Record<Offer, AgentStateValue>> = {
  customer: S.AGENT_STATUS_TALKING_CUSTOMER,
  callout: S.AGENT_STATUS_BRIDGE_CALLEE,
  consult: S.AGENT_STATUS_ANSWER_CONSULT,
  threeway: S.AGENT_STATUS_TALKING_THREEWAY,
  internal: S.AGENT_STATUS_TALKING_INTERNAL,
  eavesdrop: S.AGENT_STATUS_TALKING_EAVESDROP,
  whisper: S.AGENT_STATUS_TALKING_WHISPER,
  bargein: S.AGENT_STATUS_TALKING_BARGEIN,
};

const SUPERVISING: Readonly<Record<string, AgentStateValue>> = {
  EavesdropEvent: S.AGENT_STATUS_TALKING_EAVESDROP,
  WhisperEvent: S.AGENT_STATUS_TALKING_WHISPER,
  BargeinEvent: S.AGENT_STATUS_TALKING_BARGEIN,
};

export function nextCallState(s: CallState, input: CallInput): CallState {
  switch (input.kind) {
    case 'signed-in':
      // A resumed session keeps its call; a new one starts with none.
      if (input.resumed && !callFree(s.state)) return s;
      return { state: S.AGENT_STATUS_SIGNIN, ...NO_CALL };
    case 'offline':
      return { state: S.AGENT_STATUS_OFFLINE, ...NO_CALL };
    case 'accepted':
      return accepted(s, input.cmdType);
    case 'event':
      return onEvent(s, input.event, input.self);
  }
}

function accepted(s: CallState, cmdType: string): CallState {
  const withCustomer = s.state === S.AGENT_STATUS_BRIDGE_CALLEE ? S.AGENT_STATUS_BRIDGE_CALLEE : S.AGENT_STATUS_TALKING_CUSTOMER;
  if (cmdType === 'consult') return { ...s, state: S.AGENT_STATUS_CONSULTING, withCustomer };
  if (cmdType === 'threeway') return { ...s, state: S.AGENT_STATUS_THREEWAYTING, withCustomer };
  return s;
}

/** The consult or three-way call is over: back to the customer. */
function backToCustomer(s: CallState): CallState {
  return { ...s, state: s.withCustomer ?? S.AGENT_STATUS_TALKING_CUSTOMER };
}

function onEvent(s: CallState, e: EventBody, self: string): CallState {
  const ring = RINGS[e.eventType];
  if (ring !== undefined) return { ...s, state: S.AGENT_STATUS_CAMP_ON, ...ring, callId: callIdOf(e) };
  switch (e.eventType) {
    case 'AgentStatusChangeEvent':
      return e['agent_num'] === self ? onOwnStatus(s, Number(e['new_status'])) : s;
    case 'CallOutRingEvent':
      return { ...s, state: S.AGENT_STATUS_ANSWER_CALLEE, offer: 'callout', callStatus: CallStatus.CALL_OUT, callId: callIdOf(e) };
    case 'CheckExtenEvent':
      return { ...s, callStatus: CallStatus.CALL_OUT };
    case 'BridgeEvent':
      return onBridge(s);
    case 'HangupEvent':
      return { state: S.AGENT_STATUS_IDLE, ...NO_CALL };
    case 'ConsulteeHangupEvent':
      return s.state === S.AGENT_STATUS_CONSULTING || s.state === S.AGENT_STATUS_TALKING_CONSULT ? backToCustomer(s) : s;
    case 'ThreeWayeeHangupEvent':
      return s.state === S.AGENT_STATUS_THREEWAYTING ? backToCustomer(s) : s;
    case 'ServerResponse': {
      // The switch could not set the consult or three-way call up after accepting it.
      const failed = e['cmdType'] === 'consult' ? S.AGENT_STATUS_CONSULTING : e['cmdType'] === 'threeway' ? S.AGENT_STATUS_THREEWAYTING : undefined;
      return failed !== undefined && s.state === failed ? backToCustomer(s) : s;
    }
    case 'SignOutEvent':
    case 'KickOutEvent':
      return { state: S.AGENT_STATUS_OFFLINE, ...NO_CALL };
    default: {
      const supervising = SUPERVISING[e.eventType];
      if (supervising !== undefined && e['retCode'] === 0) return { ...s, state: supervising, offer: null };
      return s;
    }
  }
}

function onOwnStatus(s: CallState, status: number): CallState {
  if (status === AgentStatus.OFFLINE) return { state: S.AGENT_STATUS_OFFLINE, ...NO_CALL };
  // A state between calls: whatever call there was is over (also the one a lost connection hid).
  if (isSelectableStatus(status) || status === AgentStatus.ACW) {
    return callFree(s.state) ? { ...s, ...NO_CALL } : { state: S.AGENT_STATUS_IDLE, ...NO_CALL };
  }
  // The agent's own phone rings first for a callout or an internal call it places.
  if (status === AgentStatus.CALLING_OUT) {
    return { ...s, state: callFree(s.state) ? S.AGENT_STATUS_CAMP_ON : s.state, callStatus: CallStatus.CALL_OUT, offer: s.offer ?? 'callout' };
  }
  if ((status === AgentStatus.RING || status === AgentStatus.CAMP_ON) && callFree(s.state)) return { ...s, state: S.AGENT_STATUS_CAMP_ON };
  return s;
}

function onBridge(s: CallState): CallState {
  switch (s.state) {
    case S.AGENT_STATUS_CONSULTING:
      return { ...s, state: S.AGENT_STATUS_TALKING_CONSULT };
    case S.AGENT_STATUS_ANSWER_CONSULT:
      // The consulter handed its customer over (or hung up): the consultee serves the call now.
      return { ...s, state: S.AGENT_STATUS_TALKING_CUSTOMER, offer: null, withCustomer: S.AGENT_STATUS_TALKING_CUSTOMER };
    case S.AGENT_STATUS_ANSWER_CALLEE:
      return { ...s, state: S.AGENT_STATUS_BRIDGE_CALLEE, offer: null, withCustomer: S.AGENT_STATUS_BRIDGE_CALLEE };
    default: {
      if (!callFree(s.state) && s.state !== S.AGENT_STATUS_CAMP_ON) return s;
      const state = BRIDGED[s.offer ?? 'customer'];
      const withCustomer = state === S.AGENT_STATUS_TALKING_CUSTOMER || state === S.AGENT_STATUS_BRIDGE_CALLEE ? state : null;
      return { ...s, state, offer: null, withCustomer };
    }
  }
}

function callIdOf(e: EventBody): string {
  const makeStr = e['makeStr'];
  return typeof makeStr === 'string' ? (decodeMakeStr(makeStr).get('relation_uuid') ?? '') : '';
}
