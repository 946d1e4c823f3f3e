/**
 * The core's side of overload (queues/overload-gate.ts): while the engine says polylink is
 * behind the switch, a new customer goes to its queue's overflow instead of the queue —
 * 631's is queue 632 — while the customers already waiting keep their place; a queue with
 * no overflow (630) keeps the caller waiting rather than release it; once caught up,
 * customers are queued and offered again. No sockets: the core alone on a ManualClock.
 */
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

describe('overload', () => {
  it('turns new customers to the overflow while on, keeps those waiting, and queues again once off', () => {
    const s = new CoreScenario();
    expect(s.signIn('1009', AgentStatus.BUSY)).toBe(0);
    const waiting = s.switch.placeCall('051287650001', '4008002000');
    s.advance(100);
    expect(s.core.queries.queues.waitingCount('631')).toBe(1);

    expect(s.handle({ type: 'overload', on: true }).effects).toEqual([]);
    const turned = s.switch.placeCall('051287650002', '4008002000');
    s.advance(100);
    // Not queued in 631: in its overflow, 632, which has none of its own and keeps it.
    expect(s.switch.isUp(turned)).toBe(true);
    expect(s.core.queries.queues.waitingCount('631')).toBe(1);
    expect(s.core.queries.queues.waitingCount('632')).toBe(1);
    expect(s.core.queries.queues.overload).toMatchObject({ on: true, turnedAway: 1 });
    // The one who waited before keeps its place.
    expect(s.switch.isUp(waiting)).toBe(true);
    // 630 has no overflow: its new customer waits rather than being released.
    const kept = s.switch.placeCall('051287650004', '4008001000');
    s.advance(100);
    expect(s.switch.isUp(kept)).toBe(true);
    expect(s.core.queries.queues.waitingCount('630')).toBe(1);
    expect(s.core.queries.queues.overload).toMatchObject({ on: true, turnedAway: 1 });

    s.handle({ type: 'overload', on: false });
    const queued = s.switch.placeCall('051287650003', '4008002000');
    s.advance(100);
    expect(s.switch.isUp(queued)).toBe(true);
    expect(s.core.queries.queues.waitingCount('631')).toBe(2);
    expect(s.core.queries.queues.overload).toMatchObject({ on: false, turnedAway: 1 });
  });
});
