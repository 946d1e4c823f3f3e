// A call's phase table (call-model.ts): every (phase × move) against an expected table
// written out here, the way agent-machine.test.ts walks the agent machine. A refused move
// answers false and leaves the phase where it was.
import { describe, expect, it } from 'vitest';
import { CALL_MOVES, Call, type CallMove, type CallPhase } from '../../../src/core/calls/call-model.js';
import { restoreCall, snapshotOf } from '../../../src/core/calls/call-snapshot.js';

const PHASES: readonly CallPhase[] = ['setup', 'queue', 'ringing', 'talking', 'ivr', 'grade', 'ended'];
const MOVES: readonly CallMove[] = ['enqueue', 'offer', 'bridge', 'to-ivr', 'from-ivr', 'grade', 'end'];

// '-' is a refused move.
type Cell = CallPhase | '-';
const _ = '-';
const EXPECTED: Record<CallPhase, Record<CallMove, Cell>> = {
  //        enqueue  offer      bridge     to-ivr  from-ivr  grade    end
  setup:   row('queue', _,         'talking', _,      _,        _,       'ended'),
  queue:   row('queue', 'ringing', 'talking', 'ivr',  _,        _,       'ended'),
  ringing: row('queue', _,         'talking', _,      _,        _,       'ended'),
  talking: row('queue', _,         'talking', 'ivr',  _,        'grade', 'ended'),
  ivr:     row(_,       _,         _,         _,      'setup',  _,       'ended'),
  grade:   row(_,       _,         _,         _,      _,        _,       'ended'),
  ended:   row(_,       _,         _,         _,      _,        _,       _),
};

function row(...cells: Cell[]): Record<CallMove, Cell> {
  return Object.fromEntries(MOVES.map((m, i) => [m, cells[i]!])) as Record<CallMove, Cell>;
}

const callIn = (phase: CallPhase): Call => new Call('c1', 'inbound', 'acc', 'node1', 1_000, phase);

describe('call phases: every (phase × move)', () => {
  for (const phase of PHASES) {
    for (const move of MOVES) {
      const expected = EXPECTED[phase][move];
      it(`${phase} × ${move} → ${expected}`, () => {
        const call = callIn(phase);
        const moved = call.move(move);
        expect(moved).toBe(expected !== _);
        expect(call.phase).toBe(expected === _ ? phase : expected);
        expect(call.ended).toBe(call.phase === 'ended');
      });
    }
  }

  it('the table in call-model.ts is exactly the one above', () => {
    for (const phase of PHASES) {
      const allowed = Object.fromEntries(MOVES.filter((m) => EXPECTED[phase][m] !== _).map((m) => [m, EXPECTED[phase][m]]));
      expect(CALL_MOVES[phase]).toEqual(allowed);
    }
  });

  it('every phase is reached from setup by the moves of the table', () => {
    const reached = new Set<CallPhase>(['setup']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const phase of [...reached]) {
        for (const next of Object.values(CALL_MOVES[phase])) {
          if (!reached.has(next)) {
            reached.add(next);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...PHASES].sort());
  });
});

describe('the end', () => {
  it('is decided once: the phase it ended in is kept, the hang-up time is the first', () => {
    const call = callIn('ivr');
    expect(call.end(5_000)).toBe(true);
    expect(call.end(6_000)).toBe(false);
    expect([call.phase, call.endedIn, call.timeline.hangup]).toEqual(['ended', 'ivr', 5_000]);
  });

  it('a call back from the dialplan no longer counts as in it when it ends', () => {
    const call = callIn('talking');
    call.move('to-ivr');
    call.move('from-ivr');
    call.move('enqueue');
    call.end(2_000);
    expect(call.endedIn).toBe('queue');
  });
});

describe('a call saved at shutdown', () => {
  it('comes back in the phase it was saved in, and moves on by the table from there', () => {
    const call = callIn('setup');
    call.move('enqueue');
    call.move('offer');
    const back = restoreCall(snapshotOf(call));
    expect(back.phase).toBe('ringing');
    expect(back.move('grade')).toBe(false);
    expect(back.move('enqueue')).toBe(true);
    expect(back.phase).toBe('queue');
  });
});
