/** Calls by id, and the call each channel uuid and each busy agent belongs to. */
import type { Call, Leg } from './call-model.js';

export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private readonly byLeg = new Map<string, Call>();
  /** Agents taking part in a call (serving it, being consulted, in a three-way …). */
  private readonly byAgent = new Map<string, Call>();

  add(call: Call): void {
    this.calls.set(call.id, call);
  }

  get(callId: string): Call | undefined {
    return this.calls.get(callId);
  }

  all(): IterableIterator<Call> {
    return this.calls.values();
  }

  get size(): number {
    return this.calls.size;
  }

  addLeg(call: Call, leg: Leg): void {
    call.addLeg(leg);
    this.byLeg.set(leg.uuid, call);
  }

  ofLeg(uuid: string): Call | undefined {
    return this.byLeg.get(uuid);
  }

  bindAgent(agentId: string, call: Call): void {
    this.byAgent.set(agentId, call);
  }

  unbindAgent(agentId: string, call: Call): void {
    if (this.byAgent.get(agentId) === call) this.byAgent.delete(agentId);
  }

  ofAgent(agentId: string): Call | undefined {
    return this.byAgent.get(agentId);
  }

  remove(call: Call): void {
    this.calls.delete(call.id);
    for (const uuid of call.legs.keys()) if (this.byLeg.get(uuid) === call) this.byLeg.delete(uuid);
    // Only the call's own agents can be bound to it (a leg's, or one reserved before its leg
    // exists, as the callee of an internal call): no walk over every busy agent.
    const agents = new Set(call.agents);
    for (const leg of call.legs.values()) if (leg.agentId !== undefined) agents.add(leg.agentId);
    for (const agentId of agents) if (this.byAgent.get(agentId) === call) this.byAgent.delete(agentId);
  }
}
