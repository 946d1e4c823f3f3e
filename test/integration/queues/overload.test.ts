/**
 * Overload through the simulator and real sockets: a burst of customers floods polylink's
 * switch input faster than its core takes it. polylink keeps reading (no disconnect, no
 * node-down), says once that it is behind, turns the customers that arrive meanwhile to
 * their queue's overflow (here: queue 630 overflows to 631, which is just as behind and
 * passes them on to its own overflow, 632, where nobody is signed in and they wait until
 * they give up), counts them once each in /health, says once that it caught up, queues the next
 * customer as usual, and when the calls have ended every agent is IDLE, no call is left
 * open, and the ACD's sweep finds nothing to repair.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import type { FreeSwitchSwitch } from '../../../src/switch/freeswitch/freeswitch-switch.js';
import { acdViolations } from '../../helpers/acd-invariants.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const AGENTS = ['1001', '1002', '1003', '1004'];
const BURST = 80;

/** Waits in real time until `check` passes (an async check: /health is asked over HTTP). */
async function until(check: () => Promise<void> | void, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function health(f: CallFixture): Promise<{ switchEvents: Record<string, number | boolean>; nodes: Array<{ state: string }> }> {
  const res = await fetch(`http://127.0.0.1:${f.s.server.httpPort}/health`);
  return (await res.json()) as { switchEvents: Record<string, number | boolean>; nodes: Array<{ state: string }> };
}

describe('overload', () => {
  it('degrades: keeps reading, turns new customers to the overflow while behind, and returns to a consistent state by itself', async () => {
    f = await startCallFixture({
      config: {
        // Behind from 30 waiting events (the age thresholds out of reach), caught up at 2.
        freeswitch: { overload: { enterAgeMs: 60_000, leaveAgeMs: 30_000, enterDepth: 30, leaveDepth: 2 } },
        acd: { sweepIntervalSeconds: 1 },
      },
      prepare: (db) => {
        db.prepare("UPDATE agents SET wrap_up_seconds = 0 WHERE agent_id IN ('1001','1002','1003','1004')").run();
        db.prepare("UPDATE queues SET timeout_action = 'queue', timeout_target = '631' WHERE queue_num = '630'").run();
      },
    });
    const fx = f;
    const port = fx.s.server.switch.port as FreeSwitchSwitch;
    for (const id of AGENTS) await fx.agent(id);

    // All at once: each customer is a handful of switch events, written before polylink's core has taken the first.
    const burst = Array.from({ length: BURST }, (_, i) =>
      fx.sim.placeCall({ from: `0512876${String(50000 + i)}`, to: '4008001000', hangupAfterMs: 200, abandonAfterMs: 1_500 }),
    );
    await Promise.all(burst.map((c) => c.ended));
    await until(async () => expect((await health(fx)).switchEvents['behind']).toBe(false), 20_000);

    const during = await health(fx);
    expect(during.switchEvents['behindTimes']).toBeGreaterThanOrEqual(1);
    const turnedAway = Number(during.switchEvents['customersTurnedAway']);
    expect(turnedAway).toBeGreaterThan(0);
    expect(turnedAway).toBeLessThan(BURST);
    // Never cut off: the link stayed up throughout, the backlog far from its last-resort bound.
    expect(during.nodes.every((n) => n.state === 'ready')).toBe(true);
    expect(during.switchEvents['fullTimes']).toBe(0);
    expect(port.node('simulator')!.client.stats.suspensions).toBe(0);
    const logs = fx.s.logs;
    expect(logs.filter((l) => l['msg'] === 'switch link down')).toEqual([]);
    expect(logs.filter((l) => l['msg'] === 'behind the switch: new customers go to their queue overflow')).toHaveLength(Number(during.switchEvents['behindTimes']));
    expect(logs.filter((l) => l['msg'] === 'caught up with the switch: new customers are queued again')).toHaveLength(Number(during.switchEvents['behindTimes']));

    // Each turned-away customer went on through 631 to 632, and gave up there (nobody signed in).
    await until(() => expect(fx.cdrs()).toHaveLength(BURST), 20_000);
    const overflowed = fx.cdrs().filter((r) => r['queue_num'] === '632');
    expect(overflowed).toHaveLength(turnedAway);
    for (const r of overflowed) expect(r).toMatchObject({ status: 'QUEUE_ABANDON', agent_id: null });

    // Caught up: the next customer is queued and offered as usual.
    const a = fx.sim.placeCall({ from: '051287659999', to: '4008001000', hangupAfterMs: 200 });
    await a.ended;
    await until(() => expect(fx.cdrs()).toHaveLength(BURST + 1), 10_000);
    expect(fx.cdr()).toMatchObject({ customer_number: '051287659999', status: 'ANSWER' });
    expect(Number((await health(fx)).switchEvents['customersTurnedAway'])).toBe(turnedAway);

    // Consistent by itself: every agent IDLE, no call open, nothing for the sweep to repair.
    const engine = fx.s.server.engine;
    await until(() => {
      for (const id of AGENTS) expect(fx.statusOf(id), id).toBe(AgentStatus.IDLE);
      expect([...engine.calls.desk.registry.all()]).toEqual([]);
    }, 10_000);
    await new Promise((r) => setTimeout(r, 1_200)); // one sweep
    expect(acdViolations(engine, engine.services.org, ['630'], Date.now())).toEqual([]);
    for (const id of AGENTS) expect(fx.statusOf(id), id).toBe(AgentStatus.IDLE);
    // The sweep frees an agent left RING without a call: it found none.
    expect(fx.s.server.db.prepare("SELECT COUNT(*) AS n FROM agent_operation_log WHERE reason = 'sweep' OR operation = 'sweep'").get()).toEqual({ n: 0 });
  }, 60_000);
});
