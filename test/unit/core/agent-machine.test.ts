import { describe, expect, it } from 'vitest';
import {
  INPUT_TYPES,
  OFFLINE_STATE,
  STATE_KEYS,
  transition,
  type AgentInput,
  type AgentInputType,
  type AgentMachineState,
  type StateKey,
} from '../../../src/core/agent-machine.js';
import { AgentStatus as S } from '../../../src/core/agent-status.js';

const NOW = 1_000_000;

/** A representative status for each row of the table. */
const STATUS_OF: Record<StateKey, number> = {
  OFFLINE: S.OFFLINE, IDLE: S.IDLE, BUSY: S.BUSY, LEAVE: S.LEAVE, CALL_OUT: S.CALL_OUT, CUSTOM: 101, ACW: S.ACW,
  CAMP_ON: S.CAMP_ON, RING: S.RING, CALLING_OUT: S.CALLING_OUT, TALKING: S.TALKING, HOLD: S.HOLD, MUTE: S.MUTE,
};

/** The sample input used for each column. */
const INPUT: Record<AgentInputType, AgentInput> = {
  SIGN_IN: { type: 'SIGN_IN', initStatus: S.BUSY },
  SIGN_OUT: { type: 'SIGN_OUT' },
  SET_STATUS: { type: 'SET_STATUS', target: 100 },
  FORCE_STATUS: { type: 'FORCE_STATUS', target: S.BUSY },
  RESERVE: { type: 'RESERVE' },
  RELEASE: { type: 'RELEASE' },
  OFFER: { type: 'OFFER' },
  DIAL: { type: 'DIAL' },
  ANSWER: { type: 'ANSWER' },
  HOLD: { type: 'HOLD' },
  UNHOLD: { type: 'UNHOLD' },
  MUTE: { type: 'MUTE' },
  UNMUTE: { type: 'UNMUTE' },
  CALL_END: { type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 30 },
  NO_ANSWER: { type: 'NO_ANSWER', status: S.BUSY },
  WRAP_UP_END: { type: 'WRAP_UP_END' },
};

// Expected outcome of every (state × input): a status it moves to, '=' (accepted, no
// change), 'defer' (kept for the end of the call), or an error code.
// Calls start from IDLE (beforeCall = IDLE); a customer call that was talked goes to ACW.
type Cell = number | '=' | 'defer';
const _ = '=';
const EXPECTED: Record<StateKey, Record<AgentInputType, Cell>> = {
  //          SIGN_IN SIGN_OUT  SET     FORCE   RESERVE    RELEASE OFFER   DIAL          ANSWER     HOLD    UNHOLD     MUTE    UNMUTE     CALL_END NO_ANSWER WRAP_UP_END
  OFFLINE:   row(S.BUSY, -23,   -23,    -49,    -23,       _,      -23,    -23,          -23,       -23,    -23,       -23,    -23,       _,       _,        _),
  IDLE:      row(-6,  S.OFFLINE, 100,   S.BUSY, S.CAMP_ON, _,      S.RING, S.CALLING_OUT, -24,      -24,    -24,       -24,    -24,       _,       _,        _),
  BUSY:      row(-6,  S.OFFLINE, 100,   _,      S.CAMP_ON, _,      S.RING, -24,          -24,       -24,    -24,       -24,    -24,       _,       _,        _),
  LEAVE:     row(-6,  S.OFFLINE, 100,   S.BUSY, S.CAMP_ON, _,      S.RING, -24,          -24,       -24,    -24,       -24,    -24,       _,       _,        _),
  CALL_OUT:  row(-6,  S.OFFLINE, 100,   S.BUSY, S.CAMP_ON, _,      S.RING, S.CALLING_OUT, -24,      -24,    -24,       -24,    -24,       _,       _,        _),
  CUSTOM:    row(-6,  S.OFFLINE, 100,   S.BUSY, S.CAMP_ON, _,      S.RING, -24,          -24,       -24,    -24,       -24,    -24,       _,       _,        _),
  ACW:       row(-6,  S.OFFLINE, 100,   S.BUSY, S.CAMP_ON, _,      S.RING, -24,          -24,       -24,    -24,       -24,    -24,       _,       _,        S.IDLE),
  CAMP_ON:   row(-6,  -24,      'defer', -67,   -24,       S.IDLE, S.RING, -24,          _,         -24,    -24,       -24,    -24,       S.IDLE,  _,        _),
  RING:      row(-6,  -24,      'defer', -67,   -24,       _,      -24,    -24,          S.TALKING, -24,    -24,       -24,    -24,       S.ACW,   S.BUSY,   _),
  CALLING_OUT: row(-6, -24,     'defer', -67,   -24,       _,      -24,    -24,          S.TALKING, -24,    -24,       -24,    -24,       S.ACW,   _,        _),
  TALKING:   row(-6,  -24,      'defer', -67,   -24,       _,      -24,    -24,          _,         S.HOLD, -24,       S.MUTE, -24,       S.ACW,   _,        _),
  HOLD:      row(-6,  -24,      'defer', -67,   -24,       _,      -24,    -24,          _,         _,      S.TALKING, -24,    -24,       S.ACW,   _,        _),
  MUTE:      row(-6,  -24,      'defer', -67,   -24,       _,      -24,    -24,          _,         -24,    -24,       _,      S.TALKING, S.ACW,   _,        _),
};

function row(...cells: Cell[]): Record<AgentInputType, Cell> {
  return Object.fromEntries(INPUT_TYPES.map((t, i) => [t, cells[i]!])) as Record<AgentInputType, Cell>;
}

function stateIn(key: StateKey): AgentMachineState {
  const status = STATUS_OF[key];
  const inCall = ['CAMP_ON', 'RING', 'CALLING_OUT', 'TALKING', 'HOLD', 'MUTE', 'ACW'].includes(key);
  return { status, since: 1, restore: S.IDLE, pending: undefined, beforeCall: inCall ? S.IDLE : undefined };
}

describe('agent state machine: every (state × input)', () => {
  for (const key of STATE_KEYS) {
    for (const type of INPUT_TYPES) {
      const expected = EXPECTED[key][type];
      it(`${key} × ${type} → ${expected}`, () => {
        const before = stateIn(key);
        const result = transition(before, INPUT[type], NOW);
        if (typeof expected === 'number' && expected < 0 && expected !== S.OFFLINE) {
          expect(result).toEqual({ ok: false, code: expected });
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        if (expected === '=') {
          expect(result.state.status).toBe(before.status);
          expect(result.changed).toBe(false);
        } else if (expected === 'defer') {
          expect(result.deferred).toBe(true);
          expect(result.state.status).toBe(before.status);
          expect(result.state.pending).toBe(100);
        } else {
          expect(result.state.status).toBe(expected);
          expect(result.changed).toBe(expected !== before.status);
          if (result.changed) expect(result.state.since).toBe(NOW);
        }
      });
    }
  }
  it('the table covers every state and input', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...STATE_KEYS].sort());
  });
});

describe('agent state machine: what happens around calls', () => {
  const idle: AgentMachineState = { ...OFFLINE_STATE, status: S.IDLE, since: 0 };
  const run = (state: AgentMachineState, ...inputs: AgentInput[]) => {
    let s = state;
    const effects: unknown[] = [];
    for (const input of inputs) {
      const r = transition(s, input, NOW);
      if (!r.ok) throw new Error(`refused ${input.type}: ${r.code}`);
      s = r.state;
      effects.push(...r.effects);
    }
    return { state: s, effects };
  };
  const end = (over: Partial<Extract<AgentInput, { type: 'CALL_END' }>> = {}): AgentInput => ({
    type: 'CALL_END', talked: true, internal: false, afterHangup: null, wrapUpSeconds: 20, ...over,
  });

  it('a customer call ends in ACW with a wrap-up timer, then IDLE', () => {
    const { state, effects } = run(idle, { type: 'OFFER' }, { type: 'ANSWER' }, end());
    expect(state.status).toBe(S.ACW);
    expect(effects).toEqual([{ type: 'start-wrap-up', seconds: 20 }]);
    expect(run(state, { type: 'WRAP_UP_END' }).state.status).toBe(S.IDLE);
  });

  it('AgentStateAfterHangup replaces ACW', () => {
    expect(run(idle, { type: 'OFFER' }, { type: 'ANSWER' }, end({ afterHangup: S.BUSY })).state.status).toBe(S.BUSY);
  });

  it('an internal call goes straight back to IDLE, without ACW', () => {
    const { state, effects } = run(idle, { type: 'OFFER' }, { type: 'ANSWER' }, end({ internal: true }));
    expect(state.status).toBe(S.IDLE);
    expect(effects).toEqual([]);
  });

  it('an internal call taken while BUSY returns to BUSY, not to queue calls', () => {
    const busy = { ...idle, status: S.BUSY };
    expect(run(busy, { type: 'OFFER' }, { type: 'ANSWER' }, end({ internal: true })).state.status).toBe(S.BUSY);
  });

  it('a call that never connected leaves the agent where it was', () => {
    expect(run(idle, { type: 'OFFER' }, end({ talked: false })).state.status).toBe(S.IDLE);
    const callout = { ...idle, status: S.CALL_OUT };
    expect(run(callout, { type: 'DIAL' }, end({ talked: false })).state.status).toBe(S.CALL_OUT);
  });

  it('an outbound-mode agent returns to CALL_OUT after wrap-up', () => {
    const callout = { ...idle, status: S.CALL_OUT };
    const { state } = run(callout, { type: 'DIAL' }, { type: 'ANSWER' }, end(), { type: 'WRAP_UP_END' });
    expect(state.status).toBe(S.CALL_OUT);
  });

  it('a status asked for during a call is applied when it ends, instead of ACW', () => {
    const { state } = run(idle, { type: 'OFFER' }, { type: 'ANSWER' }, { type: 'SET_STATUS', target: S.BUSY }, { type: 'HOLD' }, { type: 'UNHOLD' }, end());
    expect(state.status).toBe(S.BUSY);
    expect(state.pending).toBeUndefined();
  });

  it('a status asked for during ACW applies at once and cancels the wrap-up timer', () => {
    const acw = run(idle, { type: 'OFFER' }, { type: 'ANSWER' }, end()).state;
    const r = transition(acw, { type: 'SET_STATUS', target: S.BUSY }, NOW);
    expect(r.ok && r.state.status).toBe(S.BUSY);
    expect(r.ok && r.effects).toEqual([{ type: 'cancel-wrap-up' }]);
  });

  it('RESTORE returns to the state before, and refuses when there is none', () => {
    const busy = run(idle, { type: 'SET_STATUS', target: S.BUSY }).state;
    expect(busy.restore).toBe(S.IDLE);
    expect(run(busy, { type: 'SET_STATUS', target: S.RESTORE }).state.status).toBe(S.IDLE);
    const fresh = run(OFFLINE_STATE, { type: 'SIGN_IN', initStatus: S.IDLE }).state;
    expect(transition(fresh, { type: 'SET_STATUS', target: S.RESTORE }, NOW)).toEqual({ ok: false, code: -17 });
  });

  it('a ring that is not answered moves the agent to the no-answer status', () => {
    expect(run(idle, { type: 'OFFER' }, { type: 'NO_ANSWER', status: S.BUSY }).state.status).toBe(S.BUSY);
  });

  it('a reservation given up returns the agent to where it was', () => {
    expect(run({ ...idle, status: S.BUSY }, { type: 'RESERVE' }, { type: 'RELEASE' }).state.status).toBe(S.BUSY);
  });
});
