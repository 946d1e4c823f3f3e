/**
 * The customers waiting in the agent's queues: first the list getcustomerofmyqueue answers,
 * then kept up to date by the queue events the server pushes to a queue's members
 * (AddCustomerToQueueEvent, UpdateCustomerOfQueueEvent, DelCustomerFromQueueEvent). How
 * long each has waited is read from the server's own times and counted on locally. Pure:
 * the time is handed in (local milliseconds).
 */
import type { AgentBarEvents, CustomerInfoStruct } from '../../sdk/src/index.js';
import { serverSecondsBetween } from '../../shared/durations.js';

export interface WaitingCustomer {
  readonly uuid: string;
  readonly number: string;
  readonly queueNum: string;
  readonly queueName: string;
  /** waiting, or ringing while offered to an agent. */
  readonly status: string;
  readonly vip: boolean;
  /** Seconds waited when the page heard of it, at `heardAt`. */
  readonly waitedThen: number;
  readonly heardAt: number;
}

export type Waiting = ReadonlyMap<string, WaitingCustomer>;

export function fromCustomerList(list: readonly CustomerInfoStruct[], now: number): Waiting {
  return new Map(
    list.map((c) => [
      c.customer_uuid,
      {
        uuid: c.customer_uuid,
        number: c.customer_num,
        queueNum: c.queue_num,
        queueName: c.queue_name,
        status: c.customer_status,
        vip: c.customer_type === '1',
        waitedThen: Number(c.wait_time) || 0,
        heardAt: now,
      },
    ]),
  );
}

export type QueueEventInput = {
  readonly [K in 'AddCustomerToQueueEvent' | 'UpdateCustomerOfQueueEvent' | 'DelCustomerFromQueueEvent']: { readonly name: K; readonly event: AgentBarEvents[K] };
}['AddCustomerToQueueEvent' | 'UpdateCustomerOfQueueEvent' | 'DelCustomerFromQueueEvent'];

export function onQueueEvent(waiting: Waiting, input: QueueEventInput, now: number): Waiting {
  const next = new Map(waiting);
  if (input.name === 'DelCustomerFromQueueEvent') {
    next.delete(input.event.customer_uuid);
    return next;
  }
  const e = input.event;
  const known = waiting.get(e.customer_uuid);
  next.set(e.customer_uuid, {
    uuid: e.customer_uuid,
    number: e.customer_num,
    queueNum: e.queue_num,
    queueName: input.name === 'AddCustomerToQueueEvent' ? input.event.queue_name : (known?.queueName ?? ''),
    status: e.customer_status,
    vip: e.customer_type === '1',
    waitedThen: serverSecondsBetween(e.enter_queue_time, e.current_time) ?? known?.waitedThen ?? 0,
    heardAt: now,
  });
  return next;
}

export function waitedSeconds(c: WaitingCustomer, now: number): number {
  return c.waitedThen + (now - c.heardAt) / 1000;
}

/** Longest waiting first, as the queues would serve them (VIPs aside). */
export function byLongestWait(waiting: Waiting, now: number): WaitingCustomer[] {
  return [...waiting.values()].sort((a, b) => waitedSeconds(b, now) - waitedSeconds(a, now));
}
