// The ACD's invariants under thousands of seeded interleavings, on the core's entry point:
// customers call and hang up at random moments (waiting, while an agent rings, as it
// answers), agents go busy and free, sign out and in, lose their connection, hang up, and
// their phones answer late, ring out, refuse or cannot be reached; the switch's events
// and its commands' results arrive in a random interleaving with all of it (results
// before or after the events they concern). After every step:
//   - no customer is given to two agents, no agent has two customers;
//   - no agent is RING without a call;
//   - no customer waits while an agent that may take it is free;
// and when everyone has hung up: one CDR per call, no call left, no customer queued, no
// agent on a call, and the statistics agree with the CDRs. Deterministic: a failure names
// its seed, and the same seed replays the same story.
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import type { PhoneBehaviour } from '../../fakes/switch-model.js';
import { acdViolations, seeded } from '../../helpers/acd-invariants.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

const SEEDS = 1500;
const ACTIONS = 160;
const AGENTS = ['1001', '1002', '1003', '1004', '1009', '1010', '1011', '1017', '1021'];
const ACCESS = ['4008001000', '4008002000', '02161234567'];
const QUEUES = ['630', '631', '632'];

function violations(s: CoreScenario): string[] {
  return acdViolations(s.core.queries, s.org, QUEUES, s.clock.now());
}

function run(seed: number): { answered: number; abandoned: number } {
  const random = seeded(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
  const s = new CoreScenario({
    random,
    // Short rings, waits and wrap-ups, so a script holds many offers, timeouts and overflows.
    queues: Object.fromEntries(QUEUES.map((q) => [q, { ringTimeoutSeconds: 1, wrapUpSeconds: between(0, 2), maxWaitSeconds: 3 }])),
    config: (c) => ({ ...c, agent: { ...c.agent, resumeGraceSeconds: 1 }, acd: { ...c.acd, unreachableRetrySeconds: 1 } }),
  });
  const behaviour = (): PhoneBehaviour => {
    const r = random();
    if (r < 0.7) return { kind: 'answer', afterMs: between(30, 700) };
    if (r < 0.82) return { kind: 'no-answer' };
    if (r < 0.95) return { kind: 'reject', afterMs: between(20, 300) };
    return { kind: 'unreachable' };
  };
  for (const a of AGENTS) s.switch.setPhone(s.org.agent(a)!.defaultExten!, behaviour());
  for (const a of AGENTS) s.signIn(a, random() < 0.7 ? AgentStatus.IDLE : AgentStatus.BUSY);
  const customers: string[] = [];
  const fail = (where: string): void => {
    const found = violations(s);
    if (found.length > 0) throw new Error(`seed ${seed}, ${where}: ${found.join('; ')}; the last inputs: ${s.steps.slice(-8).map((x) => x.input).join(', ')}`);
  };
  for (let step = 0; step < ACTIONS; step++) {
    const r = random();
    const agentId = pick(AGENTS);
    if (r < 0.3) s.deliverEvent();
    else if (r < 0.4) s.deliverResult((n) => Math.floor(random() * n));
    else if (r < 0.55) s.tick(between(10, 800));
    else if (r < 0.67) customers.push(s.switch.placeCall(`0512${String(87_000_000 + step)}`, pick(ACCESS)));
    else if (r < 0.73) {
      const up = customers.filter((c) => s.switch.isUp(c));
      if (up.length > 0) s.switch.hangup(pick(up));
    } else if (r < 0.8) {
      if (s.core.queries.agents.session(agentId) !== undefined) s.handle({ type: 'set-status', agentId, target: random() < 0.6 ? '0' : '6', needsApproval: false });
    } else if (r < 0.85) {
      if (s.core.queries.agents.session(agentId) === undefined) s.signIn(agentId, random() < 0.7 ? AgentStatus.IDLE : AgentStatus.BUSY);
      else s.handle({ type: 'signout', agentId });
    } else if (r < 0.9) {
      if (s.core.queries.agents.session(agentId) !== undefined) s.handle({ type: 'call', agentId, command: { kind: 'hangup' } });
    } else if (r < 0.95) {
      s.switch.setPhone(s.org.agent(agentId)!.defaultExten!, behaviour());
    } else {
      // The agent bar crashes: the session lives on for the resume grace, then goes.
      s.connectionLost(agentId);
    }
    fail(`step ${step}`);
  }
  // Everyone hangs up; the core must come to rest with nothing left over.
  s.settle();
  for (const c of customers) s.switch.hangup(c);
  s.advance(60_000, 100);
  fail('at rest');
  const { calls, queues, agents } = s.core.queries;
  expect(calls.count, `seed ${seed}: calls left`).toBe(0);
  expect(s.switch.liveChannels(), `seed ${seed}: channels left`).toEqual([]);
  for (const q of QUEUES) expect(queues.waitingCount(q), `seed ${seed}: queue ${q}`).toBe(0);
  for (const session of agents.allSessions()) {
    expect([AgentStatus.IDLE, AgentStatus.ACW, AgentStatus.BUSY], `seed ${seed}: agent ${session.profile.agentId}`).toContain(session.machine.status);
  }
  // One CDR per call, whatever happened to it.
  const ids = s.cdrs.map((c) => c.callId);
  expect(new Set(ids).size, `seed ${seed}: a call with two CDRs`).toBe(ids.length);
  expect(new Set(s.cdrs.map((c) => c.customerNumber)).size, `seed ${seed}: CDRs per customer`).toBe(customers.length);
  // Every answered customer was counted once for the agent that took it.
  const answered = s.cdrs.filter((c) => c.status === 'ANSWER').length;
  const counted = [...s.stats.values()].reduce((sum, row) => sum + row.values.answernums, 0);
  expect(counted, `seed ${seed}: answernums against ANSWER CDRs`).toBe(answered);
  return { answered, abandoned: s.cdrs.filter((c) => c.status === 'QUEUE_ABANDON').length };
}

describe('the ACD under seeded interleavings (the core alone)', () => {
  it(`${SEEDS} seeds: the invariants hold after every step and at rest`, () => {
    let answered = 0;
    let abandoned = 0;
    // SCENARIO_SEED=n replays one seed alone.
    const only = process.env['SCENARIO_SEED'];
    for (let seed = only === undefined ? 1 : Number(only); seed <= (only === undefined ? SEEDS : Number(only)); seed++) {
      const r = run(seed);
      answered += r.answered;
      abandoned += r.abandoned;
    }
    // The scripts did exercise the ACD: customers were served and customers gave up.
    if (only !== undefined) return;
    expect(answered).toBeGreaterThan(SEEDS);
    expect(abandoned).toBeGreaterThan(SEEDS / 10);
  }, 120_000);
});
