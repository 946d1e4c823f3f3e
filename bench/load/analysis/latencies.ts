/**
 * Latencies the customer's way: from the switch's own event time (the simulator's
 * Event-Date-Timestamp) to the moment a bar had read the agent event that switch event
 * caused. Which switch event causes which agent event is polylink's contract
 * (docs/protocol.md, "A queue call, in order"):
 *
 * | switch event                               | agent event (read by)                                   |
 * |--------------------------------------------|---------------------------------------------------------|
 * | customer CHANNEL_PARK (an agent was free)  | CallInEvent, AgentStatusChangeEvent 0→1 (offered agent) |
 * | customer CHANNEL_PARK                      | AddCustomerToQueueEvent (the last of its recipients)    |
 * | agent leg CHANNEL_ANSWER                   | DelCustomerFromQueueEvent (the last of its recipients)  |
 * | CHANNEL_BRIDGE                             | BridgeEvent, AgentStatusChangeEvent 1→2 (the agent)     |
 * | agent leg CHANNEL_HANGUP_COMPLETE          | HangupEvent, AgentStatusChangeEvent 2→4 (the agent)     |
 *
 * A customer "had a free agent" when, at its park, at least one member of its queue was
 * IDLE as that member's own bar had read it. Customers who waited for an agent are
 * offered in the turn an agent frees up (a hangup, a wrap-up timer): their CallInEvent
 * is not caused by the park and is reported apart, as their queue wait.
 */
import type { CustomerRecord } from '../../../src/simulator/load/call-timeline.js';
import { summarize, type Summary } from '../../acd/stats.js';
import type { Fan } from '../bars/recorder.js';
import type { LoadOrganisation } from '../organisation.js';
import { callKey, idlePeriods, type Timelines } from './timelines.js';

export interface Pairs {
  readonly parkToCallIn: number[];
  readonly parkToRing: number[];
  readonly parkToAddLast: number[];
  readonly answerToDelLast: number[];
  readonly bridgeToBridgeEvent: number[];
  readonly bridgeToTalking: number[];
  readonly hangupToHangupEvent: number[];
  readonly hangupToAfterCall: number[];
  /** Customers who waited for an agent: park → CallInEvent read (their wait in the queue). */
  readonly waitedParkToCallIn: number[];
}

export interface LatencyFigures {
  readonly pairs: Readonly<Record<keyof Pairs, Summary | undefined>>;
  /** Every switch-event → agent-event pair above, together. */
  readonly switchToAgent: Summary | undefined;
  readonly hadFreeAgent: number;
  readonly waited: number;
}

const ms = (us: number): number => us / 1000;

/** For each customer (same order), whether one of its queue's members was IDLE at its park. */
export function freeAtPark(customers: readonly CustomerRecord[], org: LoadOrganisation, t: Timelines, loadStartUs: number): boolean[] {
  const queueOf = new Map(org.queues.map((q) => [q.accessNumber, q]));
  const free = new Array<boolean>(customers.length).fill(false);
  for (const q of org.queues) {
    // Sweep: +1 when a member becomes idle, −1 when it stops being idle; customers in park order.
    const edges: Array<[number, number]> = [];
    for (const agent of q.members) {
      for (const [from, to] of idlePeriods(t.statuses.get(agent) ?? [], true, loadStartUs)) {
        edges.push([from, 1]);
        if (to !== Infinity) edges.push([to, -1]);
      }
    }
    edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const mine = customers.map((c, i) => [c, i] as const).filter(([c]) => c.parkUs !== undefined && queueOf.get(c.to) === q);
    mine.sort((a, b) => a[0].parkUs! - b[0].parkUs!);
    let idle = 0;
    let e = 0;
    for (const [c, i] of mine) {
      while (e < edges.length && edges[e]![0] <= c.parkUs!) idle += edges[e++]![1];
      free[i] = idle > 0;
    }
  }
  return free;
}

export function latencies(customers: readonly CustomerRecord[], free: readonly boolean[], t: Timelines, fans: ReadonlyMap<string, Fan>): LatencyFigures {
  const p: Pairs = {
    parkToCallIn: [],
    parkToRing: [],
    parkToAddLast: [],
    answerToDelLast: [],
    bridgeToBridgeEvent: [],
    bridgeToTalking: [],
    hangupToHangupEvent: [],
    hangupToAfterCall: [],
    waitedParkToCallIn: [],
  };
  let hadFreeAgent = 0;
  let waited = 0;
  customers.forEach((c, i) => {
    if (c.parkUs === undefined) return;
    const first = t.offeredTo.get(c.caller)?.[0];
    const offer = first === undefined ? undefined : t.calls.get(callKey(first, c.caller));
    if (offer !== undefined && offer.callIn.length > 0) {
      if (free[i]) {
        hadFreeAgent++;
        p.parkToCallIn.push(ms(offer.callIn[0]! - c.parkUs));
        const ring = offer.statuses.get('0>1');
        if (ring !== undefined) p.parkToRing.push(ms(ring - c.parkUs));
      } else {
        waited++;
        p.waitedParkToCallIn.push(ms(offer.callIn[0]! - c.parkUs));
      }
    }
    const fan = fans.get(c.uuid);
    if (fan !== undefined && fan.add > 0) p.parkToAddLast.push(ms(fan.addLast - c.parkUs));
    if (fan !== undefined && fan.del > 0 && c.agentAnswerUs !== undefined) p.answerToDelLast.push(ms(fan.delLast - c.agentAnswerUs));
    if (c.agentId === undefined) return;
    const served = t.calls.get(callKey(c.agentId, c.caller));
    if (served === undefined) return;
    if (c.bridgeUs !== undefined && served.bridge.length > 0) p.bridgeToBridgeEvent.push(ms(served.bridge[0]! - c.bridgeUs));
    const talking = served.statuses.get('1>2');
    if (c.bridgeUs !== undefined && talking !== undefined) p.bridgeToTalking.push(ms(talking - c.bridgeUs));
    if (c.agentHangupUs !== undefined && served.hangup.length > 0) p.hangupToHangupEvent.push(ms(served.hangup[0]! - c.agentHangupUs));
    const after = served.statuses.get('2>4');
    if (c.agentHangupUs !== undefined && after !== undefined) p.hangupToAfterCall.push(ms(after - c.agentHangupUs));
  });
  const causal: Array<keyof Pairs> = ['parkToCallIn', 'parkToRing', 'parkToAddLast', 'answerToDelLast', 'bridgeToBridgeEvent', 'bridgeToTalking', 'hangupToHangupEvent', 'hangupToAfterCall'];
  const pairs = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, summarize(v)])) as Record<keyof Pairs, Summary | undefined>;
  return { pairs, switchToAgent: summarize(causal.flatMap((k) => p[k])), hadFreeAgent, waited };
}
