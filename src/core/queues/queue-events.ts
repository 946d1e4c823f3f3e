/**
 * The queue events of seed 002 (AddCustomerToQueueEvent, UpdateCustomerOfQueueEvent,
 * DelCustomerFromQueueEvent) and their Customer_Info_Struct, and who receives them:
 * the queue's signed-in agents and the supervisors watching those agents' groups.
 */
import type { FieldRecord } from '../agent-event.js';
import type { AgentService } from '../agent-service.js';
import type { Organisation } from '../organisation.js';
import { CallType } from '../calls/call-desk.js';
import type { WaitingCustomer } from './waiting-customer.js';

/** Seed 002: why a customer left a queue. */
export const LeaveReason = { SERVED: '1', HUNG_UP: '2', LEFT_BY_KEY: '3', TIMEOUT: '4', QUEUE_FULL: '5' } as const;

const unixSeconds = (ms: number | undefined): string => (ms === undefined ? '' : String(Math.floor(ms / 1000)));

export function customerInfo(w: WaitingCustomer, queueName: string, amount: number, order: number, now: number, formatTime: (ms: number) => string): FieldRecord {
  return {
    call_type: CallType.COMMON_CALL_IN,
    callcenter_num: w.call.accessNumber ?? '',
    customer_num: w.call.customerNumber,
    customer_status: w.offering.size > 0 ? 'ringing' : 'waiting',
    customer_type: String(w.grade),
    customer_uuid: w.call.customerUuid ?? '',
    enter_queue_time: formatTime(w.enteredAt),
    queue_num: w.queueNum,
    queue_name: queueName,
    orderID: String(order),
    queue_customer_amount: String(amount),
    wait_time: String(Math.max(0, Math.floor((now - w.enteredAt) / 1000))),
    customer_enter_channel: w.call.accessNumber ?? '',
    exclusive_agent_num: w.exclusiveAgent ?? '',
    exclusive_queue_num: w.exclusiveAgent === undefined ? '' : w.queueNum,
  };
}

export { unixSeconds };

/** The signed-in agents of a queue and the supervisors of their groups. */
export function queueRecipients(org: Organisation, agents: AgentService, queueNum: string): string[] {
  const out = new Set<string>();
  const groups = new Set<string>();
  for (const m of org.membersOfQueue(queueNum)) {
    const session = agents.session(m.agentId);
    if (session !== undefined) out.add(m.agentId);
    const group = org.agent(m.agentId)?.groupId;
    if (group !== null && group !== undefined) groups.add(group);
  }
  for (const g of groups) for (const s of agents.supervisorsOf(g)) out.add(s);
  return [...out];
}
