/**
 * The agent state machine as data: a table of (state × input) → rule, and a pure
 * `transition` that applies it. No I/O, no clock of its own: the caller passes `now`
 * and carries out the returned effects (start or cancel the wrap-up timer).
 *
 * A status change an agent asks for while on a call is not refused and not lost: it is
 * kept as `pending` and applied when the call ends (spec: "A state change asked for
 * during a call is not lost").
 */
import { AgentStatus, isCustomStatusNumber, isSelectableStatus } from './agent-status.js';
import { Outcome } from './outcomes.js';

export interface AgentMachineState {
  readonly status: number;
  /** When the status last changed (ms). */
  readonly since: number;
  /** The selectable state RESTORE returns to. */
  readonly restore: number | undefined;
  /** A status asked for during a call, applied when the call ends. */
  readonly pending: number | undefined;
  /** The selectable state the agent was in when its current call began. */
  readonly beforeCall: number | undefined;
}

export type AgentInput =
  | { type: 'SIGN_IN'; initStatus: number }
  | { type: 'SIGN_OUT' }
  /** The agent's own request (setagentdefinestatus); target already validated, RESTORE allowed. */
  | { type: 'SET_STATUS'; target: number }
  /** A supervisor's forcechangestatus; target validated; OFFLINE signs the agent out. */
  | { type: 'FORCE_STATUS'; target: number }
  /** Chosen for a call whose leg is being set up. */
  | { type: 'RESERVE' }
  /** The reservation was given up before the phone rang. */
  | { type: 'RELEASE' }
  /** The agent's phone rings with a call offered to it. */
  | { type: 'OFFER' }
  /** The agent starts a manual outbound call. */
  | { type: 'DIAL' }
  /** The agent is now talking (answered an offer, or the dialled party answered). */
  | { type: 'ANSWER' }
  | { type: 'HOLD' }
  | { type: 'UNHOLD' }
  | { type: 'MUTE' }
  | { type: 'UNMUTE' }
  /**
   * The agent's call ended. `talked`: the agent was connected to someone. `internal`:
   * agent-to-agent. `afterHangup`: AgentStateAfterHangup (null: ACW after customer calls).
   */
  | { type: 'CALL_END'; talked: boolean; internal: boolean; afterHangup: number | null; wrapUpSeconds: number }
  /** The agent let an offered call ring out; `status` is where such agents go (BUSY by default). */
  | { type: 'NO_ANSWER'; status: number }
  /** The wrap-up time is over. */
  | { type: 'WRAP_UP_END' };

export type AgentInputType = AgentInput['type'];

export type MachineEffect = { type: 'start-wrap-up'; seconds: number } | { type: 'cancel-wrap-up' };

export type TransitionResult =
  | {
      ok: true;
      state: AgentMachineState;
      /** True when `status` changed (an AgentStatusChangeEvent is due). */
      changed: boolean;
      /** True when the request was kept for the end of the call. */
      deferred: boolean;
      effects: MachineEffect[];
    }
  | { ok: false; code: number };

/** The rows of the table: custom statuses share one row. */
export type StateKey =
  | 'OFFLINE'
  | 'IDLE'
  | 'BUSY'
  | 'LEAVE'
  | 'CALL_OUT'
  | 'CUSTOM'
  | 'ACW'
  | 'CAMP_ON'
  | 'RING'
  | 'CALLING_OUT'
  | 'TALKING'
  | 'HOLD'
  | 'MUTE';

export const STATE_KEYS: readonly StateKey[] = [
  'OFFLINE', 'IDLE', 'BUSY', 'LEAVE', 'CALL_OUT', 'CUSTOM', 'ACW', 'CAMP_ON', 'RING', 'CALLING_OUT', 'TALKING', 'HOLD', 'MUTE',
];

export const INPUT_TYPES: readonly AgentInputType[] = [
  'SIGN_IN', 'SIGN_OUT', 'SET_STATUS', 'FORCE_STATUS', 'RESERVE', 'RELEASE', 'OFFER', 'DIAL', 'ANSWER',
  'HOLD', 'UNHOLD', 'MUTE', 'UNMUTE', 'CALL_END', 'NO_ANSWER', 'WRAP_UP_END',
];

export function stateKey(status: number): StateKey {
  switch (status) {
    case AgentStatus.OFFLINE: return 'OFFLINE';
    case AgentStatus.IDLE: return 'IDLE';
    case AgentStatus.BUSY: return 'BUSY';
    case AgentStatus.LEAVE: return 'LEAVE';
    case AgentStatus.CALL_OUT: return 'CALL_OUT';
    case AgentStatus.ACW: return 'ACW';
    case AgentStatus.CAMP_ON: return 'CAMP_ON';
    case AgentStatus.RING: return 'RING';
    case AgentStatus.CALLING_OUT: return 'CALLING_OUT';
    case AgentStatus.TALKING: return 'TALKING';
    case AgentStatus.HOLD: return 'HOLD';
    case AgentStatus.MUTE: return 'MUTE';
    default:
      if (isCustomStatusNumber(status)) return 'CUSTOM';
      throw new Error(`no machine state for status ${status}`);
  }
}

/**
 * What a rule does:
 * - `go`: move to the state computed from the current state and the input;
 * - `keep`: accepted, nothing changes (a stale or repeated notification);
 * - `defer`: remember the requested status until the call ends;
 * - `refuse`: answer the error code, change nothing.
 */
type Rule =
  | { do: 'go'; to: Target }
  | { do: 'keep' }
  | { do: 'defer' }
  | { do: 'refuse'; code: number };

type Target =
  | 'init' // SIGN_IN's initStatus
  | 'target' // SET/FORCE_STATUS's target
  | 'offline'
  | 'camp_on'
  | 'ring'
  | 'calling_out'
  | 'talking'
  | 'hold'
  | 'mute'
  | 'before_call' // back to where the agent was before the call began
  | 'after_call' // CALL_END's outcome (pending, ACW, AgentStateAfterHangup …)
  | 'no_answer' // NO_ANSWER's status
  | 'after_wrap_up'; // pending, else the agent's mode (IDLE, or CALL_OUT for outbound agents)

const go = (to: Target): Rule => ({ do: 'go', to });
const keep: Rule = { do: 'keep' };
const defer: Rule = { do: 'defer' };
const refuse = (code: number): Rule => ({ do: 'refuse', code });

const NOT_SIGNED_IN = refuse(Outcome.NOT_SIGNED_IN);
const WRONG_STATE = refuse(Outcome.AGENT_STATE_ERROR);
const ALREADY_SIGNED_IN = refuse(Outcome.DUPLICATE_SIGNIN);
const CANNOT_FORCE = refuse(Outcome.TARGET_STATUS_CANNOT_BE_FORCED);

/** Rows shared by the states an agent rests in between calls. */
function restingRow(dialAllowed: boolean): Record<AgentInputType, Rule> {
  return {
    SIGN_IN: ALREADY_SIGNED_IN,
    SIGN_OUT: go('offline'),
    SET_STATUS: go('target'),
    FORCE_STATUS: go('target'),
    RESERVE: go('camp_on'),
    RELEASE: keep,
    OFFER: go('ring'),
    DIAL: dialAllowed ? go('calling_out') : WRONG_STATE,
    ANSWER: WRONG_STATE,
    HOLD: WRONG_STATE,
    UNHOLD: WRONG_STATE,
    MUTE: WRONG_STATE,
    UNMUTE: WRONG_STATE,
    CALL_END: keep,
    NO_ANSWER: keep,
    WRAP_UP_END: keep,
  };
}

/** Rows shared by the states of a call in progress. */
function callRow(overrides: Partial<Record<AgentInputType, Rule>>): Record<AgentInputType, Rule> {
  return {
    SIGN_IN: ALREADY_SIGNED_IN,
    SIGN_OUT: WRONG_STATE,
    SET_STATUS: defer,
    FORCE_STATUS: CANNOT_FORCE,
    RESERVE: WRONG_STATE,
    RELEASE: keep,
    OFFER: WRONG_STATE,
    DIAL: WRONG_STATE,
    ANSWER: keep,
    HOLD: WRONG_STATE,
    UNHOLD: WRONG_STATE,
    MUTE: WRONG_STATE,
    UNMUTE: WRONG_STATE,
    CALL_END: go('after_call'),
    NO_ANSWER: keep,
    WRAP_UP_END: keep,
    ...overrides,
  };
}

export const TRANSITIONS: Readonly<Record<StateKey, Readonly<Record<AgentInputType, Rule>>>> = {
  OFFLINE: {
    SIGN_IN: go('init'),
    SIGN_OUT: NOT_SIGNED_IN,
    SET_STATUS: NOT_SIGNED_IN,
    FORCE_STATUS: refuse(Outcome.TARGET_AGENT_NOT_FOUND),
    RESERVE: NOT_SIGNED_IN,
    RELEASE: keep,
    OFFER: NOT_SIGNED_IN,
    DIAL: NOT_SIGNED_IN,
    ANSWER: NOT_SIGNED_IN,
    HOLD: NOT_SIGNED_IN,
    UNHOLD: NOT_SIGNED_IN,
    MUTE: NOT_SIGNED_IN,
    UNMUTE: NOT_SIGNED_IN,
    CALL_END: keep,
    NO_ANSWER: keep,
    WRAP_UP_END: keep,
  },
  // Manual callout is allowed in IDLE or CALL_OUT only (seed 002 §3.2.5).
  IDLE: restingRow(true),
  CALL_OUT: restingRow(true),
  BUSY: restingRow(false),
  LEAVE: restingRow(false),
  CUSTOM: restingRow(false),
  ACW: { ...restingRow(false), WRAP_UP_END: go('after_wrap_up') },
  CAMP_ON: callRow({ RELEASE: go('before_call'), OFFER: go('ring'), CALL_END: go('before_call'), SIGN_OUT: WRONG_STATE }),
  RING: callRow({ ANSWER: go('talking'), NO_ANSWER: go('no_answer') }),
  CALLING_OUT: callRow({ ANSWER: go('talking') }),
  TALKING: callRow({ HOLD: go('hold'), MUTE: go('mute') }),
  HOLD: callRow({ HOLD: keep, UNHOLD: go('talking') }),
  MUTE: callRow({ MUTE: keep, UNMUTE: go('talking') }),
};

export const OFFLINE_STATE: AgentMachineState = {
  status: AgentStatus.OFFLINE,
  since: 0,
  restore: undefined,
  pending: undefined,
  beforeCall: undefined,
};

export function transition(state: AgentMachineState, input: AgentInput, now: number): TransitionResult {
  const rule = TRANSITIONS[stateKey(state.status)][input.type];
  switch (rule.do) {
    case 'refuse':
      return { ok: false, code: rule.code };
    case 'keep':
      return { ok: true, state, changed: false, deferred: false, effects: [] };
    case 'defer': {
      if (input.type !== 'SET_STATUS') throw new Error(`defer rule for ${input.type}`);
      const wanted = input.target === AgentStatus.RESTORE ? (state.beforeCall ?? state.restore) : input.target;
      if (wanted === undefined) return { ok: false, code: Outcome.CANNOT_SWITCH_TO_TARGET_STATUS };
      return { ok: true, state: { ...state, pending: wanted }, changed: false, deferred: true, effects: [] };
    }
    case 'go':
      return goTo(state, input, rule.to, now);
  }
}

function goTo(state: AgentMachineState, input: AgentInput, to: Target, now: number): TransitionResult {
  const effects: MachineEffect[] = [];
  let next: number;
  let beforeCall = state.beforeCall;
  let pending = state.pending;
  switch (to) {
    case 'init':
      if (input.type !== 'SIGN_IN') throw new Error('init without SIGN_IN');
      return changed(
        { status: input.initStatus, since: now, restore: undefined, pending: undefined, beforeCall: undefined },
        state,
        effects,
      );
    case 'offline':
      next = AgentStatus.OFFLINE;
      break;
    case 'target': {
      if (input.type !== 'SET_STATUS' && input.type !== 'FORCE_STATUS') throw new Error('target without a status input');
      if (input.target === AgentStatus.RESTORE) {
        if (state.restore === undefined) return { ok: false, code: Outcome.CANNOT_SWITCH_TO_TARGET_STATUS };
        next = state.restore;
      } else {
        next = input.target;
      }
      break;
    }
    case 'camp_on':
      beforeCall = state.status === AgentStatus.ACW ? afterWrapUpMode(state) : state.status;
      next = AgentStatus.CAMP_ON;
      break;
    case 'ring':
      if (state.status !== AgentStatus.CAMP_ON) {
        beforeCall = state.status === AgentStatus.ACW ? afterWrapUpMode(state) : state.status;
      }
      next = AgentStatus.RING;
      break;
    case 'calling_out':
      beforeCall = state.status;
      next = AgentStatus.CALLING_OUT;
      break;
    case 'talking':
      next = AgentStatus.TALKING;
      break;
    case 'hold':
      next = AgentStatus.HOLD;
      break;
    case 'mute':
      next = AgentStatus.MUTE;
      break;
    case 'before_call':
      next = pending ?? beforeCall ?? AgentStatus.IDLE;
      pending = undefined;
      beforeCall = undefined;
      break;
    case 'no_answer':
      if (input.type !== 'NO_ANSWER') throw new Error('no_answer without NO_ANSWER');
      next = pending ?? input.status;
      pending = undefined;
      beforeCall = undefined;
      break;
    case 'after_call': {
      if (input.type !== 'CALL_END') throw new Error('after_call without CALL_END');
      const outcome = afterCall(state, input);
      next = outcome.status;
      if (outcome.wrapUpSeconds !== undefined) effects.push({ type: 'start-wrap-up', seconds: outcome.wrapUpSeconds });
      pending = undefined;
      // ACW still needs to know where to return; any other outcome ends the call's story.
      if (next !== AgentStatus.ACW) beforeCall = undefined;
      break;
    }
    case 'after_wrap_up':
      next = pending ?? afterWrapUpMode(state);
      pending = undefined;
      beforeCall = undefined;
      break;
  }
  if (state.status === AgentStatus.ACW && next !== AgentStatus.ACW && to !== 'after_wrap_up') {
    effects.push({ type: 'cancel-wrap-up' });
  }
  const restore = isRestingChoice(state.status) && isRestingChoice(next) && next !== state.status ? state.status : state.restore;
  if (next === state.status && pending === state.pending && beforeCall === state.beforeCall) {
    return { ok: true, state, changed: false, deferred: false, effects };
  }
  return changed({ status: next, since: next === state.status ? state.since : now, restore, pending, beforeCall }, state, effects);
}

function changed(next: AgentMachineState, prev: AgentMachineState, effects: MachineEffect[]): TransitionResult {
  return { ok: true, state: next, changed: next.status !== prev.status, deferred: false, effects };
}

/** Where an agent goes when its call ends (seed 002: AgentStateAfterHangup). */
function afterCall(
  state: AgentMachineState,
  input: Extract<AgentInput, { type: 'CALL_END' }>,
): { status: number; wrapUpSeconds?: number } {
  if (state.pending !== undefined) return { status: state.pending };
  const before = state.beforeCall ?? AgentStatus.IDLE;
  // A call that never connected (rang out, was cancelled, the dialled party did not answer)
  // leaves the agent where it was.
  if (!input.talked) return { status: before };
  if (input.afterHangup !== null) return { status: input.afterHangup };
  if (input.internal) {
    // "After an internal call straight to IDLE" — unless the agent had chosen a not-ready
    // state before taking it; then it returns there rather than receiving queue calls.
    return { status: before === AgentStatus.ACW ? AgentStatus.IDLE : before };
  }
  if (input.wrapUpSeconds <= 0) return { status: modeOf(before) };
  return { status: AgentStatus.ACW, wrapUpSeconds: input.wrapUpSeconds };
}

/** After wrap-up an outbound-mode agent returns to CALL_OUT, everyone else to IDLE. */
function afterWrapUpMode(state: AgentMachineState): number {
  return modeOf(state.beforeCall ?? AgentStatus.IDLE);
}

function modeOf(before: number): number {
  return before === AgentStatus.CALL_OUT ? AgentStatus.CALL_OUT : AgentStatus.IDLE;
}

/** RESTORE remembers moves between the states an agent picks by hand. */
function isRestingChoice(status: number): boolean {
  return isSelectableStatus(status);
}
