/**
 * The queue events of seed 002 (AddCustomerToQueueEvent, UpdateCustomerOfQueueEvent,
 * DelCustomerFromQueueEvent) and their Customer_Info_Struct, and who receives them:
 * the queue's signed-in agents and the supervisors watching those agents' groups.
 */
import { agentEvent, type AgentEvent, type FieldRecord } from '../agent-event.js';
import { watchesQueue, type AgentService } from '../agent-service.js';
import type { Organisation, Queue } from '../organisation.js';
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

/**
 * The signed-in agents of a queue (with `askedOnly`, those whose bar asked for its
 * customers: acd.queueEvents `asked`) and the supervisors of their groups.
 */
export function queueRecipients(org: Organisation, agents: Pick<AgentService, 'session' | 'supervisorsOf'>, queueNum: string, askedOnly = false): string[] {
  const out = new Set<string>();
  const groups = new Set<string>();
  for (const m of org.membersOfQueue(queueNum)) {
    const session = agents.session(m.agentId);
    if (session !== undefined && (!askedOnly || watchesQueue(session, queueNum))) out.add(m.agentId);
    const group = org.agent(m.agentId)?.groupId;
    if (group !== null && group !== undefined) groups.add(group);
  }
  for (const g of groups) for (const s of agents.supervisorsOf(g)) out.add(s);
  return [...out];
}

/** What the queue events read of the queues' state. */
export interface QueueFigures {
  waitingCount(queueNum: string): number;
  /** The earliest enter time of a queue's waiting customers, or of all a tenant's queues. */
  earliestEnter(accountId: string, queueNum?: string): number | undefined;
}

/**
 * Builds the queue events. Their fields are the same for every recipient: each builder
 * works them out once per event (customerInfo, the earliest enter times over every
 * queue) and returns one event for all of them. The recipient's agentID is the
 * envelope's, which the codec writes per connection (docs/protocol.md §2, Envelope), so
 * the codec encodes the event's fields once per format for every member and supervisor.
 */
export class QueueNews {
  constructor(
    private readonly figures: QueueFigures,
    private readonly org: Organisation,
    private readonly formatTime: (ms: number) => string,
  ) {}

  /** AddCustomerToQueueEvent: a customer entered the queue. */
  added(w: WaitingCustomer, queue: Queue, now: number): AgentEvent {
    const amount = this.figures.waitingCount(queue.queueNum);
    const fields = {
      ...this.customerFields(w, queue, now),
      queue_name: queue.name,
      queue_customer_amount: String(amount),
      ...this.earlyFields(queue.accountId, queue.queueNum),
      customer_enter_channel: w.call.accessNumber ?? '',
    };
    return agentEvent('AddCustomerToQueueEvent', now, fields);
  }

  /** UpdateCustomerOfQueueEvent: an offer started or failed. */
  updated(w: WaitingCustomer, queue: Queue, now: number): AgentEvent {
    return agentEvent('UpdateCustomerOfQueueEvent', now, this.customerFields(w, queue, now));
  }

  /** DelCustomerFromQueueEvent: a customer left the queue, for `reason` (LeaveReason). */
  removed(queueNum: string, customerUuid: string, reason: string, now: number): AgentEvent {
    const accountId = this.org.queue(queueNum)?.accountId ?? '';
    const fields = {
      customer_uuid: customerUuid,
      queue_num: queueNum,
      current_time: this.formatTime(now),
      ...this.earlyFields(accountId, queueNum),
      reason,
    };
    return agentEvent('DelCustomerFromQueueEvent', now, fields);
  }

  /** The fields Add and Update share (the seed's order). */
  private customerFields(w: WaitingCustomer, queue: Queue, now: number): Record<string, string> {
    const info = customerInfo(w, queue.name, this.figures.waitingCount(queue.queueNum), 0, now, this.formatTime);
    return {
      call_type: info['call_type']!,
      callcenter_num: info['callcenter_num']!,
      customer_num: info['customer_num']!,
      customer_status: info['customer_status']!,
      customer_type: info['customer_type']!,
      customer_uuid: info['customer_uuid']!,
      enter_queue_time: info['enter_queue_time']!,
      exclusive_agent_num: info['exclusive_agent_num']!,
      exclusive_queue_num: info['exclusive_queue_num']!,
      queue_num: queue.queueNum,
      current_time: this.formatTime(now),
    };
  }

  private earlyFields(accountId: string, queueNum: string): { early_queue_enter_time: string; early_queue_enter_time_all: string } {
    return {
      early_queue_enter_time: unixSeconds(this.figures.earliestEnter(accountId, queueNum)),
      early_queue_enter_time_all: unixSeconds(this.figures.earliestEnter(accountId)),
    };
  }
}
