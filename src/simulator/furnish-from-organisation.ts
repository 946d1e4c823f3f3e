/**
 * Gives the built-in simulator what a real FreeSWITCH deployment would have for this
 * organisation (freeswitch-conf/ does the same for a real one): a registered phone for
 * every agent's extension, the access numbers parked for polylink, the IVRs, and the
 * gateways outbound calls leave through.
 */
import type { Organisation } from '../core/organisation.js';
import type { SwitchSimulator } from './switch-simulator.js';

export interface FurnishOptions {
  readonly phoneAnswerAfterMs: number;
  readonly customerAnswerAfterMs: number;
}

export function furnishFromOrganisation(sim: SwitchSimulator, org: Organisation, options: FurnishOptions): { extensions: string[] } {
  const extensions: string[] = [];
  for (const agent of org.allAgents()) {
    if (agent.defaultExten === null || extensions.includes(agent.defaultExten)) continue;
    // Phones answer by themselves after a moment: a newcomer can place calls with no one at the desk.
    sim.addUser(agent.defaultExten, { behaviour: { kind: 'answer', afterMs: options.phoneAnswerAfterMs } });
    sim.register(agent.defaultExten);
    extensions.push(agent.defaultExten);
  }
  const gateways = new Set<string>();
  const tenants = new Set<string>();
  for (const agent of org.allAgents()) tenants.add(agent.accountId);
  for (const accountId of tenants) {
    const numbers = org.accessNumbersOf(accountId);
    for (const n of numbers) {
      sim.addAccessNumber(n.number, n.defaultQueue === null ? {} : { queue: n.defaultQueue });
      if (n.gateway !== null) gateways.add(n.gateway);
    }
    const main = numbers.find((n) => n.isDefault) ?? numbers[0];
    if (main === undefined) continue;
    const queues = org.queuesOf(accountId).map((q) => q.queueNum);
    for (const ivr of org.ivrsOf(accountId)) {
      // Key 1, 2, 3 … chooses the tenant's queues in order, as the example IVR in freeswitch-conf does.
      sim.addIvr(ivr.num, { accessNumber: main.number, queues: Object.fromEntries(queues.map((q, i) => [String(i + 1), q])) });
    }
  }
  for (const name of gateways) {
    sim.addGateway({ name, capacity: 30, defaultBehaviour: { kind: 'answer', afterMs: options.customerAnswerAfterMs } });
  }
  return { extensions };
}
