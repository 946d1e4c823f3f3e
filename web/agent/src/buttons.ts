/**
 * Which of the agent bar's buttons (seed 002 §3.2.3, DoClickAgentBarButtonByName) the agent
 * may press now: a pure function of what the SDK knows — Agent_State and GetCallStatus (what
 * the agent does on the phone), the server's Agent_Status, the role's rights — mirroring the
 * server's own checks (docs/protocol.md §4, "Calls"), so that a button is enabled only when
 * its command would be accepted.
 */
import { AgentState, AgentStatus, CallStatus, type AgentStateValue, type CallStatusValue } from '../../sdk/src/index.js';

/** The seed's button names, in the bar's order. */
export const BUTTONS = [
  'tsbAnswer',
  'tsbHangUp',
  'tsbHold',
  'tsbStopHold',
  'tsbKeyPad',
  'tsbCallAgent',
  'tsbCallOut',
  'tsbTransfer',
  'tsbConsult',
  'tsbStopConsult',
  'tsbThreeWay',
  'tsbThreeWayCancel',
  'tsbGrade',
  'tsbCancelApplication',
  'tsddbAfterHangup',
] as const;
export type ButtonName = (typeof BUTTONS)[number];

export interface BarSituation {
  /** Signed in and connected (not waiting for a reconnect). */
  readonly online: boolean;
  readonly agentState: AgentStateValue;
  readonly callStatus: CallStatusValue;
  /** The server's Agent_Status of the agent. */
  readonly agentStatus: number;
  /** The role's rights (getdefinedrolerights); undefined while not known: the server still checks. */
  readonly rights: ReadonlySet<string> | undefined;
  /** calls.internalCallStates: where an internal call may be made. */
  readonly internalCallStates: readonly number[];
  /** The agent's own leave application is open. */
  readonly applying: boolean;
  /**
   * The third party of the agent's three-way call has left (ThreeWayeeHangupEvent) and the
   * agent and the customer are not bridged again yet (the BridgeEvent that follows): until
   * then they are still in the conference, where the server refuses hold, consult, another
   * three-way, the transfers and grade (-24; src/core/calls/three-way.ts backToBridge).
   */
  readonly leavingConference: boolean;
}

const S = AgentState;

/** Talking with someone the keypad's tones can reach (src/core/calls/keypad.ts): not while a consultee still rings, nor as a supervisor. */
const KEYPAD_STATES: ReadonlySet<AgentStateValue> = new Set([
  S.AGENT_STATUS_TALKING_CUSTOMER,
  S.AGENT_STATUS_BRIDGE_CALLEE,
  S.AGENT_STATUS_TALKING_CONSULT,
  S.AGENT_STATUS_ANSWER_CONSULT,
  S.AGENT_STATUS_THREEWAYTING,
  S.AGENT_STATUS_TALKING_THREEWAY,
  S.AGENT_STATUS_TALKING_INTERNAL,
]);

/** What the keypad does now: dial a number to call out (no call), or send DTMF tones into the call. */
export function keypadKind(s: Pick<BarSituation, 'agentState' | 'agentStatus'>): 'dial' | 'tones' {
  return (s.agentStatus === AgentStatus.TALKING || s.agentStatus === AgentStatus.MUTE) && KEYPAD_STATES.has(s.agentState) ? 'tones' : 'dial';
}

/** No call: what the agent may start one from. */
function callFree(state: AgentStateValue): boolean {
  return state === S.AGENT_STATUS_SIGNIN || state === S.AGENT_STATUS_IDLE;
}

export function enabledButtons(s: BarSituation): Record<ButtonName, boolean> {
  const may = (right: string) => s.rights === undefined || s.rights.has(right);
  const free = s.online && callFree(s.agentState);
  const talking = s.online && s.agentStatus === AgentStatus.TALKING;
  // Consult, three-way, the transfers and grade: on a customer call the agent serves, talking.
  const servingCustomer = talking && !s.leavingConference && (s.agentState === S.AGENT_STATUS_TALKING_CUSTOMER || s.agentState === S.AGENT_STATUS_BRIDGE_CALLEE);
  // Holding an internal call is the caller's.
  const internalCaller = talking && s.agentState === S.AGENT_STATUS_TALKING_INTERNAL && s.callStatus === CallStatus.CALL_OUT;
  const callOut = free && (s.agentStatus === AgentStatus.IDLE || s.agentStatus === AgentStatus.CALL_OUT) && may('callout');
  return {
    tsbAnswer: s.online && s.agentStatus === AgentStatus.RING,
    tsbHangUp: s.online && !callFree(s.agentState) && s.agentState !== S.AGENT_STATUS_OFFLINE && s.agentState !== S.AGENT_STATUS_UNKNOWN,
    tsbHold: (servingCustomer || internalCaller) && may('hold'),
    tsbStopHold: s.online && s.agentStatus === AgentStatus.HOLD && may('hold'),
    // The keypad (seed 拨号盘) dials out when there is no call, and sends DTMF tones into one (senddtmf).
    tsbKeyPad: callOut || (s.online && keypadKind(s) === 'tones'),
    tsbCallAgent: free && s.internalCallStates.includes(s.agentStatus) && may('callagent'),
    tsbCallOut: callOut,
    // During an answered consult, Transfer hands the customer to the consulted party.
    tsbTransfer: (servingCustomer && may('transfer')) || (s.online && s.agentState === S.AGENT_STATUS_TALKING_CONSULT && may('consult')),
    tsbConsult: servingCustomer && may('consult'),
    tsbStopConsult: s.online && (s.agentState === S.AGENT_STATUS_CONSULTING || s.agentState === S.AGENT_STATUS_TALKING_CONSULT) && may('consult'),
    tsbThreeWay: servingCustomer && may('threeway'),
    tsbThreeWayCancel: s.online && s.agentState === S.AGENT_STATUS_THREEWAYTING && may('threeway'),
    tsbGrade: servingCustomer && may('grade'),
    tsbCancelApplication: s.online && s.applying,
    tsddbAfterHangup: s.online,
  };
}

/** What Transfer does now: open the transfer dialog, or hand the customer to the consulted party. */
export function transferKind(state: AgentStateValue): 'dialog' | 'consult-transfer' {
  return state === S.AGENT_STATUS_TALKING_CONSULT ? 'consult-transfer' : 'dialog';
}

/** Whether the agent may sign out: not on a call. */
export function maySignOut(s: Pick<BarSituation, 'online' | 'agentState'>): boolean {
  return s.online && callFree(s.agentState);
}
