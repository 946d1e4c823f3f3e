/**
 * The core's side of overload (queues/overload-gate.ts): while the engine says polylink is
 * behind the switch, a new customer goes to its queue's overflow instead of the queue —
 * here 630, which has none, so it is released as a full queue releases it — while the
 * customers already waiting keep their place; once caught up, customers are queued and
 * offered again. No sockets: the core alone on a ManualClock.
 */
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

describe('overload', () => {
  it('turns new customers to the overflow while on, keeps those waiting, and queues again once off', () => {
    const s = new CoreScenario();
    expect(s.signIn('1001', AgentStatus.BUSY)).toBe(0);
    const waiting = s.switch.placeCall('051287650001', '4008001000');
    s.advance(100);
    expect(s.core.queries.queues.waitingCount('630')).toBe(1);

    expect(s.handle({ type: 'overload', on: true }).effects).toEqual([]);
    const turned = s.switch.placeCall('051287650002', '4008001000');
    s.advance(100);
    expect(s.switch.isUp(turned)).toBe(false);
    expect(s.cdrs.find((c) => c.customerNumber === '051287650002')).toMatchObject({ status: 'QUEUE_ABANDON', failureReason: 'queue overflow' });
    expect(s.core.queries.queues.overload).toMatchObject({ on: true, turnedAway: 1 });
    // The one who waited before keeps its place.
    expect(s.switch.isUp(waiting)).toBe(true);
    expect(s.core.queries.queues.waitingCount('630')).toBe(1);

    s.handle({ type: 'overload', on: false });
    const queued = s.switch.placeCall('051287650003', '4008001000');
    s.advance(100);
    expect(s.switch.isUp(queued)).toBe(true);
    expect(s.core.queries.queues.waitingCount('630')).toBe(2);
    expect(s.core.queries.queues.overload).toMatchObject({ on: false, turnedAway: 1 });
  });
});
