// The enable-table of the agent bar's buttons: for each situation the SDK can be in, the
// buttons whose command the server would accept (docs/protocol.md §4) and no others.
import { describe, expect, it } from 'vitest';
import { AgentState, CallStatus } from '../../sdk/src/index.js';
import { BUTTONS, enabledButtons, keypadKind, maySignOut, transferKind, type BarSituation, type ButtonName } from '../src/buttons.js';

const S = AgentState;
const base: BarSituation = {
  online: true,
  agentState: S.AGENT_STATUS_IDLE,
  callStatus: CallStatus.NO_CALL,
  agentStatus: 0,
  rights: undefined,
  internalCallStates: [0, 4, 6, 8],
  applying: false,
  leavingConference: false,
};

const on = (changes: Partial<BarSituation>): ButtonName[] => {
  const enabled = enabledButtons({ ...base, ...changes });
  return BUTTONS.filter((b) => enabled[b]);
};

describe('enabledButtons', () => {
  it.each<[string, Partial<BarSituation>, ButtonName[]]>([
    ['signed in, idle', { agentState: S.AGENT_STATUS_SIGNIN }, ['tsbKeyPad', 'tsbCallAgent', 'tsbCallOut', 'tsddbAfterHangup']],
    ['idle after a call', {}, ['tsbKeyPad', 'tsbCallAgent', 'tsbCallOut', 'tsddbAfterHangup']],
    ['call-out mode', { agentStatus: 8 }, ['tsbKeyPad', 'tsbCallAgent', 'tsbCallOut', 'tsddbAfterHangup']],
    ['busy: internal calls only', { agentStatus: 6 }, ['tsbCallAgent', 'tsddbAfterHangup']],
    ['after-call work', { agentStatus: 4 }, ['tsbCallAgent', 'tsddbAfterHangup']],
    ['leave (not an internal call state)', { agentStatus: 7 }, ['tsddbAfterHangup']],
    ['a custom not-ready state', { agentStatus: 100 }, ['tsddbAfterHangup']],
    ['a queue call rings', { agentState: S.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.CALL_IN, agentStatus: 1 }, ['tsbAnswer', 'tsbHangUp', 'tsddbAfterHangup']],
    ['a call is set up for the agent (reserved)', { agentState: S.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.CALL_IN, agentStatus: 5 }, ['tsbHangUp', 'tsddbAfterHangup']],
    ['its own phone rings for its callout', { agentState: S.AGENT_STATUS_CAMP_ON, callStatus: CallStatus.CALL_OUT, agentStatus: 10 }, ['tsbHangUp', 'tsddbAfterHangup']],
    [
      'talking with a customer',
      { agentState: S.AGENT_STATUS_TALKING_CUSTOMER, callStatus: CallStatus.CALL_IN, agentStatus: 2 },
      ['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsbTransfer', 'tsbConsult', 'tsbThreeWay', 'tsbGrade', 'tsddbAfterHangup'],
    ],
    [
      'its callout answered',
      { agentState: S.AGENT_STATUS_BRIDGE_CALLEE, callStatus: CallStatus.CALL_OUT, agentStatus: 2 },
      ['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsbTransfer', 'tsbConsult', 'tsbThreeWay', 'tsbGrade', 'tsddbAfterHangup'],
    ],
    ['its callout: the customer’s phone rings', { agentState: S.AGENT_STATUS_ANSWER_CALLEE, callStatus: CallStatus.CALL_OUT, agentStatus: 10 }, ['tsbHangUp', 'tsddbAfterHangup']],
    ['holding the customer', { agentState: S.AGENT_STATUS_TALKING_CUSTOMER, callStatus: CallStatus.CALL_IN, agentStatus: 3 }, ['tsbHangUp', 'tsbStopHold', 'tsddbAfterHangup']],
    ['muted', { agentState: S.AGENT_STATUS_TALKING_CUSTOMER, callStatus: CallStatus.CALL_IN, agentStatus: 11 }, ['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup']],
    ['consulting, the consultee’s phone rings', { agentState: S.AGENT_STATUS_CONSULTING, callStatus: CallStatus.CALL_IN, agentStatus: 2 }, ['tsbHangUp', 'tsbStopConsult', 'tsddbAfterHangup']],
    [
      'consulting, the consultee answered',
      { agentState: S.AGENT_STATUS_TALKING_CONSULT, callStatus: CallStatus.CALL_IN, agentStatus: 2 },
      ['tsbHangUp', 'tsbKeyPad', 'tsbTransfer', 'tsbStopConsult', 'tsddbAfterHangup'],
    ],
    ['consulted by another agent', { agentState: S.AGENT_STATUS_ANSWER_CONSULT, callStatus: CallStatus.CALL_IN, agentStatus: 2 }, ['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup']],
    ['a three-way call it set up', { agentState: S.AGENT_STATUS_THREEWAYTING, callStatus: CallStatus.CALL_IN, agentStatus: 2 }, ['tsbHangUp', 'tsbKeyPad', 'tsbThreeWayCancel', 'tsddbAfterHangup']],
    ['the third party of a three-way call', { agentState: S.AGENT_STATUS_TALKING_THREEWAY, callStatus: CallStatus.CALL_IN, agentStatus: 2 }, ['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup']],
    ['an internal call it made', { agentState: S.AGENT_STATUS_TALKING_INTERNAL, callStatus: CallStatus.CALL_OUT, agentStatus: 2 }, ['tsbHangUp', 'tsbHold', 'tsbKeyPad', 'tsddbAfterHangup']],
    ['an internal call it took (holding is the caller’s)', { agentState: S.AGENT_STATUS_TALKING_INTERNAL, callStatus: CallStatus.CALL_IN, agentStatus: 2 }, ['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup']],
    [
      'the third party left, the agent and the customer not bridged again yet: still in the conference',
      { agentState: S.AGENT_STATUS_TALKING_CUSTOMER, callStatus: CallStatus.CALL_IN, agentStatus: 2, leavingConference: true },
      ['tsbHangUp', 'tsbKeyPad', 'tsddbAfterHangup'],
    ],
    ['a leave application open', { agentStatus: 6, applying: true }, ['tsbCallAgent', 'tsbCancelApplication', 'tsddbAfterHangup']],
    ['reconnecting', { online: false, agentState: S.AGENT_STATUS_TALKING_CUSTOMER, agentStatus: 2, applying: true }, []],
    ['signed out', { online: false, agentState: S.AGENT_STATUS_OFFLINE, agentStatus: -1 }, []],
  ])('%s', (_what, situation, expected) => {
    expect(on(situation)).toEqual(expected);
  });

  it('follows calls.internalCallStates', () => {
    expect(on({ agentStatus: 6, internalCallStates: [0] })).not.toContain('tsbCallAgent');
    expect(on({ agentStatus: 7, internalCallStates: [7] })).toContain('tsbCallAgent');
  });

  it('leaves out what the role may not do', () => {
    const talking = { agentState: S.AGENT_STATUS_TALKING_CUSTOMER, callStatus: CallStatus.CALL_IN, agentStatus: 2 } as const;
    // The keypad needs no right (senddtmf, as answer and hangup).
    expect(on({ ...talking, rights: new Set(['consult']) })).toEqual(['tsbHangUp', 'tsbKeyPad', 'tsbConsult', 'tsddbAfterHangup']);
    expect(on({ rights: new Set() })).toEqual(['tsddbAfterHangup']);
    expect(on({ agentState: S.AGENT_STATUS_TALKING_CONSULT, agentStatus: 2, rights: new Set(['consult']) })).toContain('tsbTransfer');
  });
});

describe('transferKind, keypadKind and maySignOut', () => {
  it('the keypad sends tones when someone answered is on the line, else dials out', () => {
    expect(keypadKind({ agentState: S.AGENT_STATUS_TALKING_CUSTOMER, agentStatus: 2 })).toBe('tones');
    expect(keypadKind({ agentState: S.AGENT_STATUS_TALKING_CUSTOMER, agentStatus: 11 })).toBe('tones');
    expect(keypadKind({ agentState: S.AGENT_STATUS_TALKING_CUSTOMER, agentStatus: 3 })).toBe('dial');
    expect(keypadKind({ agentState: S.AGENT_STATUS_CONSULTING, agentStatus: 2 })).toBe('dial');
    expect(keypadKind({ agentState: S.AGENT_STATUS_IDLE, agentStatus: 0 })).toBe('dial');
  });

  it('Transfer hands the customer over during an answered consult, else asks where to', () => {
    expect(transferKind(S.AGENT_STATUS_TALKING_CONSULT)).toBe('consult-transfer');
    expect(transferKind(S.AGENT_STATUS_TALKING_CUSTOMER)).toBe('dialog');
  });

  it('signing out waits for the call to end', () => {
    expect(maySignOut({ online: true, agentState: S.AGENT_STATUS_IDLE })).toBe(true);
    expect(maySignOut({ online: true, agentState: S.AGENT_STATUS_CAMP_ON })).toBe(false);
    expect(maySignOut({ online: false, agentState: S.AGENT_STATUS_IDLE })).toBe(false);
  });
});
