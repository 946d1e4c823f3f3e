/**
 * Calls by id, and the call each channel uuid and each busy agent belongs to. It also
 * remembers which calls a step looked up: a feature changes a call only after finding it
 * here, so these are the calls whose saved snapshot may be out of date (open-call-journal.ts).
 */
import type { Call, Leg } from './call-model.js';

export class CallRegistry {
  private readonly calls = new Map<string, Call>();
  private touched = new Set<Call>();
  private readonly byLeg = new Map<string, Call>();
  /** Agents taking part in a call (serving it, being consulted, in a three-way …). */
  private readonly byAgent = new Map<string, Call>();

  add(call: Call): void {
    this.calls.set(call.id, call);
    this.touched.add(call);
  }

  get(callId: string): Call | undefined {
    return this.touch(this.calls.get(callId));
  }

  all(): IterableIterator<Call> {
    return this.calls.values();
  }

  get size(): number {
    return this.calls.size;
  }

  addLeg(call: Call, leg: Leg): void {
    this.touched.add(call);
    call.addLeg(leg);
    this.byLeg.set(leg.uuid, call);
  }

  ofLeg(uuid: string): Call | undefined {
    return this.touch(this.byLeg.get(uuid));
  }

  bindAgent(agentId: string, call: Call): void {
    this.byAgent.set(agentId, call);
  }

  unbindAgent(agentId: string, call: Call): void {
    if (this.byAgent.get(agentId) === call) this.byAgent.delete(agentId);
  }

  ofAgent(agentId: string): Call | undefined {
    return this.touch(this.byAgent.get(agentId));
  }

  /**
   * Whether the agent takes part in a call: a read that changes nothing, so it does not
   * count as a look-up (the ACD asks it of agents whose calls it does not touch).
   */
  hasAgent(agentId: string): boolean {
    return this.byAgent.has(agentId);
  }

  remove(call: Call): void {
    this.touched.add(call);
    this.calls.delete(call.id);
    for (const uuid of call.legs.keys()) if (this.byLeg.get(uuid) === call) this.byLeg.delete(uuid);
    // Only the call's own agents can be bound to it (a leg's, or one reserved before its leg
    // exists, as the callee of an internal call): no walk over every busy agent.
    const agents = new Set(call.agents);
    for (const leg of call.legs.values()) if (leg.agentId !== undefined) agents.add(leg.agentId);
    for (const agentId of agents) if (this.byAgent.get(agentId) === call) this.byAgent.delete(agentId);
  }

  /** The calls looked up, added or removed since the last take, and a fresh start. */
  takeTouched(): Set<Call> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  /** Whether the call is still one of the registry's. */
  has(call: Call): boolean {
    return this.calls.get(call.id) === call;
  }

  private touch(call: Call | undefined): Call | undefined {
    if (call !== undefined) this.touched.add(call);
    return call;
  }
}
