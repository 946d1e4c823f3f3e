// The ACD keeps indexes so that an event does not rescan every waiting customer and every
// member (waiting-line.ts, queue-audience.ts, AgentService's IDLE set). This property test
// drives random stories through the core's entry point — customers arrive (VIPs, exclusive
// customers) and hang up, agents sign in and out, change status, join, leave and pause in
// queues, bars ask for queues, the organisation is reloaded, phones answer, ring out or
// refuse, time passes — and after every step checks each indexed figure against the naive
// recomputation it replaced:
//   - each queue's line is in served order (servedBefore), so its head is the naive head;
//   - the earliest enter time of a queue and of the tenant is the minimum over its customers;
//   - the recipients of a queue's events are queueRecipients worked out afresh;
//   - the IDLE set is the sessions whose status is IDLE, and each queue's IDLE members are
//     its members among them (also after joins, leaves and reloads);
//   - the candidates of each queue are the free members found by walking every member (with
//     chooseAgents pure and order-free, the same candidates and the same line give the same
//     dispatch choice);
//   - and no customer waits while an agent that may take it is free (but for its exclusive
//     agent's time).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import type { CoreInput } from '../../../src/core/inputs.js';
import { queueRecipients } from '../../../src/core/queues/queue-events.js';
import { servedBefore } from '../../../src/core/queues/waiting-customer.js';
import type { PhoneBehaviour } from '../../fakes/switch-model.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

const AGENTS = ['1001', '1002', '1003', '1004', '1009', '1010', '1017', '1021', '1101', '1102'];
const QUEUES = ['630', '631', '632'];
const ACCESS = ['4008001000', '4008002000', '02161234567'];
const ACCOUNT = '20000153';
/** Customer numbers: some VIPs, some with an exclusive agent (set up before each story). */
const NUMBERS = ['051200000001', '051200000002', '051200000003', '051200000004', '051200000005', '051200000006'];

const phone = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), afterMs: fc.integer({ min: 20, max: 900 }) }),
  fc.constant({ kind: 'no-answer' as const }),
  fc.record({ kind: fc.constant('reject' as const), afterMs: fc.integer({ min: 20, max: 300 }) }),
  fc.constant({ kind: 'unreachable' as const }),
);

const agent = fc.constantFrom(...AGENTS);
const queue = fc.constantFrom(...QUEUES);
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('event' as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('settle' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('result' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('tick' as const), ms: fc.integer({ min: 10, max: 4000 }) }) },
  { weight: 8, arbitrary: fc.record({ t: fc.constant('call' as const), number: fc.constantFrom(...NUMBERS), access: fc.constantFrom(...ACCESS) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('hangup' as const), pick: fc.nat() }) },
  // Mostly to BUSY, so that customers queue up behind one another.
  { weight: 2, arbitrary: fc.record({ t: fc.constant('status' as const), agent, idle: fc.nat(3).map((n) => n === 0) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('sign' as const), agent, idle: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('agent-hangup' as const), agent }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('phone' as const), agent, phone }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('lost' as const), agent }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('member' as const), agent, queue, join: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('pause' as const), agent, queue, paused: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('watch' as const), agent, queues: fc.oneof(fc.constant('mine' as const), fc.subarray(QUEUES)) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reload' as const) }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

const story = fc.record({
  asked: fc.boolean(),
  /** Grade and exclusive agent of each customer number. */
  customers: fc.array(fc.record({ grade: fc.integer({ min: 0, max: 2 }), exclusive: fc.option(agent, { nil: undefined }), fallback: fc.integer({ min: 0, max: 5 }) }), {
    minLength: NUMBERS.length,
    maxLength: NUMBERS.length,
  }),
  actions: fc.array(action, { minLength: 1, maxLength: 200 }),
});

function play(s: CoreScenario, a: Action): void {
  const session = (id: string) => s.core.queries.agents.session(id);
  switch (a.t) {
    case 'event':
      s.deliverEvent();
      return;
    case 'settle':
      s.settle();
      return;
    case 'result':
      s.deliverResult((n) => a.pick % n);
      return;
    case 'tick':
      s.tick(a.ms);
      return;
    case 'call':
      s.switch.placeCall(a.number, a.access);
      return;
    case 'hangup': {
      const up = s.switch.liveChannels().filter((c) => s.switch.isUp(c));
      if (up.length > 0) s.switch.hangup(up[a.pick % up.length]!);
      return;
    }
    case 'status':
      if (session(a.agent) !== undefined) s.handle({ type: 'set-status', agentId: a.agent, target: a.idle ? '0' : '6', needsApproval: false });
      return;
    case 'sign':
      if (session(a.agent) === undefined) s.signIn(a.agent, a.idle ? AgentStatus.IDLE : AgentStatus.BUSY);
      else s.handle({ type: 'signout', agentId: a.agent });
      return;
    case 'agent-hangup':
      if (session(a.agent) !== undefined) s.handle({ type: 'call', agentId: a.agent, command: { kind: 'hangup' } });
      return;
    case 'phone':
      s.switch.setPhone(s.org.agent(a.agent)!.defaultExten!, a.phone as PhoneBehaviour);
      return;
    case 'lost':
      s.connectionLost(a.agent);
      return;
    case 'member':
      s.handle({ type: a.join ? 'queue-join' : 'queue-leave', agentId: a.agent, queueNum: a.queue });
      return;
    case 'pause':
      s.handle({ type: 'queue-pause', agentId: a.agent, queueNum: a.queue, paused: a.paused, reason: null });
      return;
    case 'watch':
      if (session(a.agent) !== undefined) s.handle({ type: 'watch-queues', agentId: a.agent, queues: a.queues });
      return;
    case 'reload':
      s.handle({ type: 'organisation-replaced', data: s.org.snapshot() } satisfies CoreInput);
      return;
  }
}

/** What the indexes say, each against its naive recomputation. */
function mismatches(s: CoreScenario, asked: boolean): string[] {
  const { queues, agents, calls } = s.core.queries;
  const now = s.clock.now();
  const out: string[] = [];
  let tenantMin: number | undefined;
  for (const q of QUEUES) {
    const line = queues.waitingIn(q);
    const sorted = [...line].sort(servedBefore);
    if (sorted.some((w, i) => w !== line[i])) out.push(`queue ${q}: the line is not in served order`);
    const min = line.reduce<number | undefined>((m, w) => (m === undefined || w.enteredAt < m ? w.enteredAt : m), undefined);
    if (queues.earliestEnter(ACCOUNT, q) !== min) out.push(`queue ${q}: earliest enter ${queues.earliestEnter(ACCOUNT, q)} against ${min}`);
    if (min !== undefined && (tenantMin === undefined || min < tenantMin)) tenantMin = min;
    const naiveTo = queueRecipients(s.org, agents, q, asked);
    if (JSON.stringify(queues.recipientsOf(q)) !== JSON.stringify(naiveTo)) out.push(`queue ${q}: recipients ${queues.recipientsOf(q).join(',')} against ${naiveTo.join(',')}`);
    const isFree = (agentId: string): boolean => {
      const session = agents.session(agentId);
      return (
        session !== undefined &&
        !queues.isPaused(q, agentId) &&
        session.machine.status === AgentStatus.IDLE &&
        !queues.isSittingOut(agentId) &&
        session.bindExten &&
        session.exten !== null &&
        calls.desk.registry.ofAgent(agentId) === undefined
      );
    };
    // Every member walked, as the ACD did before its IDLE index.
    const naiveFree = s.org
      .membersOfQueue(q)
      .filter((m) => isFree(m.agentId))
      .map((m) => `${m.agentId}/${m.level}/${m.penalty}/${m.position}/${agents.session(m.agentId)!.machine.since}`)
      .sort();
    const indexed = queues
      .candidatesOf(q, now)
      .map((c) => `${c.agentId}/${c.level}/${c.penalty}/${c.position}/${c.idleSince}`)
      .sort();
    if (JSON.stringify(indexed) !== JSON.stringify(naiveFree)) out.push(`queue ${q}: candidates ${indexed.join(',')} against ${naiveFree.join(',')}`);
    // A customer still within its exclusive agent's time waits for that agent only.
    const exclusiveNow = (w: (typeof line)[number]) => w.exclusiveAgent !== undefined && now < w.exclusiveUntil;
    const left = line.filter((w) => w.offering.size === 0 && !exclusiveNow(w));
    if (naiveFree.length > 0 && left.length > 0) out.push(`queue ${q}: ${left.length} customer(s) wait while ${naiveFree.join(',')} are free`);
    for (const w of line) {
      if (w.offering.size === 0 && exclusiveNow(w) && isFree(w.exclusiveAgent!)) out.push(`queue ${q}: ${w.call.customerNumber} waits while its exclusive agent ${w.exclusiveAgent} is free`);
    }
  }
  if (queues.earliestEnter(ACCOUNT) !== tenantMin) out.push(`tenant: earliest enter ${queues.earliestEnter(ACCOUNT)} against ${tenantMin}`);
  const idle = [...agents.allSessions()].filter((x) => x.machine.status === AgentStatus.IDLE).map((x) => x.profile.agentId).sort();
  if (JSON.stringify([...agents.idleAgents()].sort()) !== JSON.stringify(idle)) out.push(`IDLE set ${[...agents.idleAgents()].join(',')} against ${idle.join(',')}`);
  for (const q of QUEUES) {
    const naive = s.org.membersOfQueue(q).map((m) => m.agentId).filter((a) => idle.includes(a)).sort();
    const indexed = [...agents.idleMembersOf(q)].sort();
    if (JSON.stringify(indexed) !== JSON.stringify(naive)) out.push(`queue ${q}: IDLE members ${indexed.join(',')} against ${naive.join(',')}`);
  }
  return out;
}

describe('the ACD indexes', () => {
  it('agree with a naive recomputation after every step of random stories', () => {
    fc.assert(
      fc.property(story, ({ asked, customers, actions }) => {
        const s = new CoreScenario({
          random: () => 0.5,
          // Short rings and waits, so a story holds offers, timeouts, overflows and fallbacks.
          queues: Object.fromEntries(QUEUES.map((q) => [q, { ringTimeoutSeconds: 2, wrapUpSeconds: 1, maxWaitSeconds: 30 }])),
          config: (c) => ({ ...c, agent: { ...c.agent, resumeGraceSeconds: 2 }, acd: { ...c.acd, unreachableRetrySeconds: 1, queueEvents: asked ? 'asked' : 'members' } }),
        });
        customers.forEach((c, i) => {
          s.handle({
            type: 'customer-entry',
            accountId: ACCOUNT,
            number: NUMBERS[i]!,
            entry: { grade: c.grade, exclusiveAgent: c.exclusive === undefined ? null : { agentId: c.exclusive, fallbackSeconds: c.fallback } },
          });
        });
        // Few agents free at first, so that customers queue up behind one another.
        for (const a of AGENTS.slice(0, 6)) s.signIn(a, a === '1001' ? AgentStatus.IDLE : AgentStatus.BUSY);
        actions.forEach((a, i) => {
          play(s, a);
          const wrong = mismatches(s, asked);
          if (wrong.length > 0) throw new Error(`step ${i} (${a.t}): ${wrong.join('; ')}`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('offers an exclusive customer behind others to its agent when no member is free', () => {
    // 1009 is no member of 630: with every member busy, the customer at the head cannot be
    // offered, and the dispatch stops walking the line but for the exclusive customers.
    const s = new CoreScenario();
    s.handle({ type: 'customer-entry', accountId: ACCOUNT, number: NUMBERS[1]!, entry: { grade: 0, exclusiveAgent: { agentId: '1009', fallbackSeconds: 60 } } });
    s.signIn('1001', AgentStatus.BUSY);
    s.signIn('1009', AgentStatus.BUSY);
    s.switch.placeCall(NUMBERS[0]!, '4008001000');
    s.settle();
    s.tick(1000);
    s.switch.placeCall(NUMBERS[1]!, '4008001000');
    s.settle();
    const waiting = () => s.core.queries.queues.waitingIn('630').map((w) => `${w.call.customerNumber}:${w.offering.size > 0 ? 'ringing' : 'waiting'}`);
    expect(waiting()).toEqual([`${NUMBERS[0]}:waiting`, `${NUMBERS[1]}:waiting`]);
    s.handle({ type: 'set-status', agentId: '1009', target: '0', needsApproval: false });
    expect(waiting()).toEqual([`${NUMBERS[0]}:waiting`, `${NUMBERS[1]}:ringing`]);
    expect(s.core.queries.agents.statusOf('1009')).toBe(AgentStatus.RING);
  });
});
