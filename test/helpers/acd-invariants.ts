/**
 * The ACD's invariants between two steps, read through the core's queries (the same for
 * the core alone and for a running server): no customer given to two agents, no agent
 * with two customers, no agent RING without a call, no customer waiting while an agent
 * that may take it is free. Returns what is wrong, named.
 */
import { AgentStatus } from '../../src/core/agent-status.js';
import type { Organisation } from '../../src/core/organisation.js';
import type { AgentQueries, CallQueries, QueueQueries } from '../../src/core/queries.js';

export interface AcdView {
  readonly agents: AgentQueries;
  readonly calls: CallQueries;
  readonly queues: QueueQueries;
}

export function acdViolations(view: AcdView, org: Organisation, queueNums: readonly string[], now: number): string[] {
  const { agents, calls, queues } = view;
  const out: string[] = [];
  const callOfAgent = new Map<string, string>();
  for (const call of calls.desk.registry.all()) {
    const live = call.liveLegs();
    for (const leg of live) {
      if (leg.agentId === undefined || leg.endRequest === 'withdraw') continue;
      const other = callOfAgent.get(leg.agentId);
      if (other !== undefined && other !== call.id) out.push(`agent ${leg.agentId} has two customers (${other}, ${call.id})`);
      callOfAgent.set(leg.agentId, call.id);
    }
    const takers = live.filter((l) => l.purpose === 'offer' && l.answered);
    if (takers.length > 1) out.push(`the customer of ${call.id} was given to ${takers.map((l) => l.agentId).join(' and ')}`);
  }
  for (const session of agents.allSessions()) {
    if (session.machine.status === AgentStatus.RING && calls.callOf(session.profile.agentId) === undefined) out.push(`agent ${session.profile.agentId} is RING with no call`);
  }
  for (const q of queueNums) {
    if (queues.waitingCount(q) === 0) continue;
    const free = org.membersOfQueue(q).map((m) => m.agentId).filter((agentId) => {
      const session = agents.session(agentId);
      return (
        session !== undefined &&
        session.machine.status === AgentStatus.IDLE &&
        session.bindExten &&
        calls.callOf(agentId) === undefined &&
        !queues.isPaused(q, agentId) &&
        !queues.isSittingOut(agentId)
      );
    });
    // customersOf formats every customer's times: asked only when someone is free.
    if (free.length === 0) continue;
    const waiting = queues.customersOf(q, now).filter((c) => c['customer_status'] === 'waiting');
    if (waiting.length > 0) out.push(`${waiting.length} customer(s) wait in ${q} while ${free.join(',')} are free`);
  }
  return out;
}

/** mulberry32: a small seeded generator, so a failing script can be run again. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
