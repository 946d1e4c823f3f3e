/**
 * The built-in simulator's setup for an organisation: a registered phone for every
 * agent's extension, the tenants' access numbers and IVRs, the gateways their numbers
 * name. The simulator takes it as plain data (src/simulator/furnish.ts).
 */
import type { Organisation } from '../core/organisation.js';
import type { SimulatorSetup } from '../simulator/furnish.js';

export function simulatorSetupOf(org: Organisation): SimulatorSetup {
  const phones: string[] = [];
  for (const agent of org.allAgents()) {
    if (agent.defaultExten !== null && !phones.includes(agent.defaultExten)) phones.push(agent.defaultExten);
  }
  const accessNumbers: { number: string; queue?: string }[] = [];
  const ivrs: { num: string; accessNumber: string; queues: Record<string, string> }[] = [];
  const gateways = new Set<string>();
  const tenants = new Set<string>();
  for (const agent of org.allAgents()) tenants.add(agent.accountId);
  for (const accountId of tenants) {
    const numbers = org.accessNumbersOf(accountId);
    for (const n of numbers) {
      accessNumbers.push(n.defaultQueue === null ? { number: n.number } : { number: n.number, queue: n.defaultQueue });
      if (n.gateway !== null) gateways.add(n.gateway);
    }
    const main = numbers.find((n) => n.isDefault) ?? numbers[0];
    if (main === undefined) continue;
    const queues = org.queuesOf(accountId).map((q) => q.queueNum);
    for (const ivr of org.ivrsOf(accountId)) {
      // Key 1, 2, 3 … chooses the tenant's queues in order, as the example IVR in freeswitch-conf does.
      ivrs.push({ num: ivr.num, accessNumber: main.number, queues: Object.fromEntries(queues.map((q, i) => [String(i + 1), q])) });
    }
  }
  return { phones, accessNumbers, ivrs, gateways: [...gateways] };
}
