// A randomised property test of the ACD over the real stack: customers call and hang up
// at random moments (in the queue, while an agent rings, as the agent answers), agents
// go busy and free, sign out and in, drop their connection, refuse calls, and their phones
// answer late, ring out or decline — all interleaved by a seeded random script. Between
// any two events polylink handles, the invariants of the issue must hold:
//   - no customer is given to two agents, no agent has two customers;
//   - no agent is RING without a call;
//   - no customer waits while an agent that may take it is free (the ACD dispatches in
//     the same event-loop turn, so not even for one check);
// and when the script is over and everyone has hung up: one CDR per customer call, no
// agent left on a call, no customer left in a queue, the statistics agree with the CDRs.
// A failure names the seed; the script is deterministic given the seed (the timing of
// the machine is not, which is the point: each run explores other interleavings).
import { afterEach, describe, expect, it } from 'vitest';
import { AgentStatus } from '../../src/core/agent-status.js';
import type { CalleeBehaviour } from '../../src/simulator/behaviour/callee-behaviour.js';
import type { CustomerCall } from '../../src/simulator/customers/customer-call.js';
import { TcpAgentClient, type AgentClient } from '../helpers/agent-client.js';
import { eventually } from '../helpers/eventually.js';
import { startCallFixture, type CallFixture } from '../helpers/call-fixture.js';
import { acdViolations, seeded } from '../helpers/acd-invariants.js';

const SEEDS = [7, 19, 42];
const SCRIPT_MS = 3500;
const AGENTS = ['1001', '1002', '1003', '1004', '1009', '1010', '1011', '1017', '1021'];
const ACCESS = ['4008001000', '4008002000', '02161234567'];
const QUEUES = ['630', '631', '632'];

let f: CallFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the ACD under random interleavings', () => {
  it.each(SEEDS)('seed %i: the invariants hold throughout and at the end', async (seed) => {
    const random = seeded(seed);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
    f = await startCallFixture({
      config: { agent: { resumeGraceSeconds: 1 }, acd: { unreachableRetrySeconds: 1 } },
      prepare: (db) => {
        // Short rings, waits and no wrap-up, so a few seconds hold many offers, timeouts and overflows.
        db.prepare("UPDATE queues SET ring_timeout_seconds = 1, wrap_up_seconds = 0, max_wait_seconds = 2 WHERE queue_num IN ('630', '631', '632')").run();
      },
    });
    const fx = f;
    const { engine } = fx.s.server;
    const registry = engine.calls.desk.registry;
    const violations: string[] = [];

    function check(where: string): void {
      if (violations.length >= 20) return; // enough to see what went wrong
      for (const v of acdViolations(engine, engine.services.org, QUEUES, Date.now())) violations.push(`${where}: ${v}`);
    }

    // Check between every two macrotasks polylink may have run in.
    let checking = true;
    const tick = (): void => {
      if (!checking) return;
      check('tick');
      setImmediate(tick);
    };
    setImmediate(tick);

    const clients = new Map<string, AgentClient>();
    const signIn = async (agentId: string): Promise<void> => {
      const c = await TcpAgentClient.connect(fx.s.server.tcpPort);
      const r = await c.signIn(agentId, { initStatus: random() < 0.7 ? '0' : '6' });
      if (r.body['retCode'] === '0') clients.set(agentId, c);
      else c.close();
    };
    const behaviour = (): CalleeBehaviour => {
      const r = random();
      if (r < 0.7) return { kind: 'answer', afterMs: between(30, 700) };
      if (r < 0.82) return { kind: 'no-answer' };
      if (r < 0.95) return { kind: 'reject', afterMs: between(20, 300) };
      return { kind: 'unreachable' };
    };
    for (const a of AGENTS) fx.phone(a, behaviour());
    for (const a of AGENTS) await signIn(a);

    const customers: CustomerCall[] = [];
    let n = 0;
    const started = Date.now();
    while (Date.now() - started < SCRIPT_MS) {
      await pause(between(0, 60));
      const r = random();
      const agentId = pick(AGENTS);
      const c = clients.get(agentId);
      if (r < 0.4) {
        const from = `0512${String(87_000_000 + seed * 1000 + n++)}`;
        const plan = random();
        customers.push(
          fx.sim.placeCall({
            from,
            to: pick(ACCESS),
            // Some give up soon (in the queue, while an agent rings, as it answers); the others talk a little.
            ...(plan < 0.35 ? { abandonAfterMs: between(0, 1500) } : {}),
            hangupAfterMs: between(200, 1800),
          }),
        );
      } else if (r < 0.55) {
        if (c !== undefined) void c.request('setagentdefinestatus', agentId, { targetStatus: random() < 0.6 ? '0' : '6' });
      } else if (r < 0.65) {
        if (c === undefined) await signIn(agentId);
        else {
          const answer = await c.request('signout', agentId);
          if (answer.body['retCode'] === '0') {
            clients.delete(agentId);
            c.close();
          }
        }
      } else if (r < 0.75) {
        if (c !== undefined) void c.request('hangup', agentId);
      } else if (r < 0.85) {
        fx.phone(agentId, behaviour());
      } else if (r < 0.9) {
        // The agent bar crashes: the session lives on for the resume grace (1 s), then goes.
        if (c !== undefined) {
          clients.delete(agentId);
          c.close();
        }
      }
      check(`after step ${n}`);
    }

    // Everyone hangs up; polylink must come to rest with nothing left over.
    for (const c of customers) if (c.isUp) c.hangup();
    await Promise.all(customers.map((c) => c.ended));
    await eventually(() => registry.size === 0, 10_000);
    checking = false;
    check('at rest');
    expect(violations, `seed ${seed}`).toEqual([]);

    // One CDR per customer call, whatever happened to it.
    await eventually(() => fx.cdrs().length === customers.length, 5000);
    const cdrs = fx.cdrs();
    expect(new Set(cdrs.map((r) => r['customer_number'])).size, `seed ${seed}`).toBe(customers.length);
    for (const q of QUEUES) expect(engine.queues.waitingCount(q), `seed ${seed}: queue ${q}`).toBe(0);
    for (const s of engine.agents.allSessions()) {
      expect([AgentStatus.IDLE, AgentStatus.ACW, AgentStatus.BUSY], `seed ${seed}: agent ${s.profile.agentId}`).toContain(s.machine.status);
    }
    // Every answered customer was counted once for the agent that took it.
    const answered = cdrs.filter((r) => r['status'] === 'ANSWER').length;
    const counted = AGENTS.reduce((sum, a) => sum + fx.stats(a).answernums, 0);
    expect(counted, `seed ${seed}`).toBe(answered);
    // The script did exercise the ACD: calls were answered, abandoned and rang out.
    const statuses = new Set(cdrs.map((r) => r['status']));
    expect([...statuses].sort(), `seed ${seed}`).toEqual(expect.arrayContaining(['ANSWER', 'QUEUE_ABANDON']));
    for (const c of clients.values()) c.close();
  }, 60_000);
});
