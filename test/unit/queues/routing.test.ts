// Every strategy and the tiering rule, on plain data: idle times are numbers on a
// made-up clock, so nothing here depends on when the test runs.
import { describe, expect, it } from 'vitest';
import { chooseAgents, type Candidate, type RoutingState, type Strategy } from '../../../src/core/queues/routing.js';

const T0 = 1_000_000;

function agent(agentId: string, over: Partial<Candidate> = {}): Candidate {
  return { agentId, idleSince: T0, position: Number(agentId) % 100, level: 1, penalty: 0, callsToday: 0, talkToday: 0, ...over };
}

const fresh = (): RoutingState => ({ lastPosition: undefined });
const pick = (strategy: Strategy, candidates: Candidate[], state: RoutingState = fresh(), random = () => 0): string[] =>
  chooseAgents(strategy, candidates, state, random).map((c) => c.agentId);

describe('longest idle', () => {
  it('the agent idle the longest, whatever the list order', () => {
    const pool = [agent('1001', { idleSince: T0 + 500 }), agent('1002', { idleSince: T0 }), agent('1003', { idleSince: T0 + 100 })];
    expect(pick('longest-idle', pool)).toEqual(['1002']);
    expect(pick('longest-idle', [...pool].reverse())).toEqual(['1002']);
  });

  it('equal idle times: member order decides, so the choice is stable', () => {
    expect(pick('longest-idle', [agent('1003'), agent('1001'), agent('1002')])).toEqual(['1001']);
  });

  it('penalty before idle time within a tier', () => {
    expect(pick('longest-idle', [agent('1001', { penalty: 5, idleSince: T0 }), agent('1002', { penalty: 0, idleSince: T0 + 9000 })])).toEqual(['1002']);
  });
});

describe('round robin', () => {
  it('the next member after the last offered, wrapping round', () => {
    const state = fresh();
    const pool = [agent('1001', { position: 0 }), agent('1002', { position: 1 }), agent('1003', { position: 2 })];
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [chosen] = chooseAgents('round-robin', pool, state, () => 0);
      order.push(chosen!.agentId);
      state.lastPosition = chosen!.position; // what the queue service records after an offer
    }
    expect(order).toEqual(['1001', '1002', '1003', '1001', '1002']);
  });

  it('skips members that are not free: the turn passes to the next free one', () => {
    const state: RoutingState = { lastPosition: 0 };
    // 1002 (position 1) is busy, so it is not a candidate.
    expect(pick('round-robin', [agent('1001', { position: 0 }), agent('1003', { position: 2 })], state)).toEqual(['1003']);
    expect(pick('round-robin', [agent('1001', { position: 0 })], { lastPosition: 2 })).toEqual(['1001']);
  });
});

describe('fewest calls today / least talk time today', () => {
  it('fewest answered calls wins; ties go to the longest idle', () => {
    const pool = [agent('1001', { callsToday: 4 }), agent('1002', { callsToday: 2, idleSince: T0 + 10 }), agent('1003', { callsToday: 2, idleSince: T0 })];
    expect(pick('fewest-calls', pool)).toEqual(['1003']);
  });

  it('least talk time wins even with more calls', () => {
    const pool = [agent('1001', { talkToday: 600, callsToday: 1 }), agent('1002', { talkToday: 120, callsToday: 9 })];
    expect(pick('least-talk-time', pool)).toEqual(['1002']);
  });
});

describe('ring all', () => {
  it('every free agent of the best tier, lower penalty first', () => {
    const pool = [agent('1001', { penalty: 2 }), agent('1002'), agent('1003', { level: 2 }), agent('1004')];
    expect(pick('ring-all', pool)).toEqual(['1002', '1004', '1001']);
  });
});

describe('random', () => {
  it('uniform over the lowest-penalty agents of the best tier, driven by the injected source', () => {
    const pool = [agent('1001'), agent('1002'), agent('1003'), agent('1004', { penalty: 1 }), agent('1005', { level: 2 })];
    expect(pick('random', pool, fresh(), () => 0)).toEqual(['1001']);
    expect(pick('random', pool, fresh(), () => 0.5)).toEqual(['1002']);
    expect(pick('random', pool, fresh(), () => 0.999999)).toEqual(['1003']);
    // Never beyond the pool, even for a source returning 1.
    expect(pick('random', pool, fresh(), () => 1)).toEqual(['1003']);
  });
});

describe('top down', () => {
  it('the first free member in member order, whoever was idle longest', () => {
    const pool = [agent('1003', { position: 2, idleSince: T0 }), agent('1002', { position: 1, idleSince: T0 + 5000 })];
    expect(pick('top-down', pool)).toEqual(['1002']);
  });
});

describe('skill tiers', () => {
  const strategies: Strategy[] = ['longest-idle', 'round-robin', 'fewest-calls', 'least-talk-time', 'ring-all', 'random', 'top-down', 'skill'];

  it.each(strategies)('%s: a lower tier is tried only when no agent of a higher tier is free', (strategy) => {
    const tier1 = agent('1017', { level: 1, idleSince: T0 + 9000, callsToday: 50, talkToday: 9000, position: 5 });
    const tier2 = agent('1021', { level: 2, idleSince: T0, callsToday: 0, talkToday: 0, position: 0 });
    expect(pick(strategy, [tier2, tier1])).toEqual(['1017']);
    expect(pick(strategy, [tier2])).toEqual(['1021']);
  });

  it('skill: longest idle inside the tier', () => {
    const pool = [agent('1017', { idleSince: T0 + 50 }), agent('1018', { idleSince: T0 }), agent('1021', { level: 2, idleSince: T0 - 9000 })];
    expect(pick('skill', pool)).toEqual(['1018']);
  });

  it('no candidates: nobody is chosen', () => {
    for (const s of strategies) expect(pick(s, [])).toEqual([]);
  });
});
