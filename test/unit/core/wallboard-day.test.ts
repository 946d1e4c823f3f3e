// The wallboard's figures against a scripted day whose right answer is worked out by hand
// (docs/protocol.md "The wallboard's figures"): the core alone on a ManualClock, the
// example organisation, queue 630 with a 10 s wrap-up and a 90 s maximum wait, the
// service level's threshold 20 s and the short-abandon threshold 5 s (the defaults).
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { centreStatis, queueStatis } from '../../../src/core/queues/queue-statis.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

const SALES = '4008001000';

describe("the wallboard's figures of a scripted day", () => {
  it('offered, answered, service level, ASA, abandons (short ones apart), overflow, longest wait, AHT, agents by state', () => {
    const s = new CoreScenario({ queues: { '630': { wrapUpSeconds: 10, maxWaitSeconds: 90, ringTimeoutSeconds: 20 } } });
    const t0 = s.clock.now();
    /** Moves time to `seconds` after the start, the switch speaking as it goes. */
    const at = (seconds: number): void => s.advance(t0 + seconds * 1000 - s.clock.now());
    const arrives = (from: string): string => {
      const uuid = s.switch.placeCall(from, SALES);
      s.settle();
      return uuid;
    };
    const hangsUp = (uuid: string): void => {
      s.switch.hangup(uuid);
      s.settle();
    };
    // One agent takes the calls; its phone answers 3 s after it rings. The supervisor watches, BUSY.
    s.switch.setPhone('8001', { kind: 'answer', afterMs: 3000 });
    expect(s.signIn('1001', AgentStatus.IDLE)).toBe(0);
    expect(s.signIn('1101', AgentStatus.BUSY)).toBe(0);

    const c1 = arrives('13800000001'); //    t=0   offered to 1001 at once, answered at 3: waited 3 s (within 20 s)
    at(10);
    arrives('13800000002'); //              t=10  waits: 1001 talks to C1
    at(12);
    const c3 = arrives('13800000003'); //   t=12
    at(14);
    hangsUp(c3); //                         t=14  gone after 2 s: a short abandon
    at(20);
    const c4 = arrives('13800000004'); //   t=20
    at(40);
    hangsUp(c4); //                         t=40  gone after 20 s: abandoned
    at(63);
    hangsUp(c1); //                         t=63  60 s of talk; 1001 in ACW until 73, then C2 rings it; answered at 76: waited 66 s
    at(80);
    arrives('13800000005'); //              t=80  waits
    at(106);
    const c2 = s.core.queries.calls.callOf('1001')!.customerUuid!;
    hangsUp(c2); //                         t=106 30 s of talk; ACW from 106
    at(110);
    expect(s.handle({ type: 'set-status', agentId: '1001', target: String(AgentStatus.BUSY), needsApproval: false }).code).toBe(0); // ACW ends after 4 s
    at(150);
    const c6 = arrives('13800000006'); //   t=150 waits: nobody is free
    at(170); //                                   t=170 C5 has waited the queue's 90 s: out to its timeout action (overflow)
    at(180);

    // By hand: 6 offered; answered C1 (3 s) and C2 (66 s), 1 of them within 20 s; C4 abandoned,
    // C3 a short abandon; C5 overflowed; C6 waiting for 30 s. Customers whose wait ended
    // (short abandons aside): 2 + 1 + 1 = 4. Handle times: C1 60 + 10 (ACW), C2 30 + 4.
    const figures = {
      offered_amount: '6',
      answered_amount: '2',
      answered_in_threshold_amount: '1',
      abandoned_amount: '1',
      short_abandoned_amount: '1',
      overflowed_amount: '1',
      handled_amount: '2',
      service_level_seconds: '20',
      short_abandon_seconds: '5',
      service_level: '25.0', //              1 of 4
      abandon_rate: '25.0', //               1 of 4
      average_speed_of_answer: '34.5', //    (3 + 66) / 2
      average_handle_time: '52.0', //        (70 + 34) / 2
      longest_wait_seconds: '30', //         C6, since t=150
    };
    const { org, agents, queues } = s.core.queries;
    const now = s.clock.now();
    expect(queueStatis(org.queue('630')!, org, agents, queues, now)).toMatchObject({
      ...figures,
      queue_wait_people_amount: '1',
      // Members of 630: 1001..1008 and 1101; 1001 and 1101 signed in, both BUSY.
      agent_busy_amount: '2',
      agent_online_amount: '2',
      agent_offline_amount: '7',
      agent_idle_amount: '0',
    });
    // Only 630 had calls: the centre's figures are its; its agents are the tenant's 27.
    expect(centreStatis('20000153', org, agents, queues, now)).toMatchObject({ ...figures, queue_wait_people_amount: '1', agent_busy_amount: '2', agent_online_amount: '2', agent_offline_amount: '25' });
    // Another queue of the day had nothing.
    expect(queueStatis(org.queue('631')!, org, agents, queues, now)).toMatchObject({ offered_amount: '0', service_level: '', abandon_rate: '', average_speed_of_answer: '', average_handle_time: '', longest_wait_seconds: '0' });

    // The CDRs tell the same story.
    expect(s.cdrs.map((c) => [c.customerNumber, c.status, c.bridgeSeconds])).toEqual([
      ['13800000003', 'QUEUE_ABANDON', null],
      ['13800000004', 'QUEUE_ABANDON', null],
      ['13800000001', 'ANSWER', 60],
      ['13800000002', 'ANSWER', 30],
      ['13800000005', 'QUEUE_ABANDON', null],
    ]);

    // The supervisor was told, at most once a second per queue, and the last push is the final state.
    const pushes = (s.events.get('1101') ?? []).filter((e) => e.eventType === 'QueueStatisChangeEvent' && e.fields['queue_num'] === '630');
    expect(pushes.length).toBeGreaterThan(5);
    for (let i = 1; i < pushes.length; i++) expect(pushes[i]!.at - pushes[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    expect(pushes.at(-1)!.fields).toMatchObject({ offered_amount: '6', answered_amount: '2', queue_wait_people_amount: '1', service_level: '25.0' });

    // A new day starts from nothing.
    hangsUp(c6);
    const midnight = new Date('2026-11-22T00:00:00+08:00').getTime();
    s.tick(midnight - s.clock.now());
    s.settle();
    expect(queueStatis(org.queue('630')!, org, agents, queues, s.clock.now())).toMatchObject({ offered_amount: '0', answered_amount: '0', service_level: '' });
  });
});
