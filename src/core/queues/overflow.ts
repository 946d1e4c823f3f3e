/**
 * What a queue does with a customer it cannot keep — full, waited its maximum, nobody
 * signed in, or it pressed the leave key: another queue, an IVR, voicemail, an outside
 * number (QueueTransferBoundEvent to the queue's agents and supervisors), or hang up.
 */
import { agentEvent, type AgentEvent } from '../agent-event.js';
import type { CoreEffect } from '../effects.js';
import type { Queue } from '../organisation.js';
import type { CallDesk } from '../calls/call-desk.js';
import type { Call } from '../calls/call-model.js';
import { gatewayFor, killLeg, ring } from '../calls/leg-factory.js';

/** How many queues a caller may overflow through in one go before it is released. */
const MAX_OVERFLOW_HOPS = 8;

export interface OverflowContext {
  readonly desk: CallDesk;
  readonly voicemailExtension: string;
  /** Into another queue; `hops` counts the queues passed in this one go. */
  enqueue(call: Call, queueNum: string, now: number, hops: number): CoreEffect[];
  /** An event to the queue's agents and supervisors (one event object: the envelope carries each recipient). */
  tellQueue(queueNum: string, event: AgentEvent): CoreEffect[];
}

export interface Overflow {
  readonly call: Call;
  readonly queue: Queue;
  /** The queue's timeoutAction or noAgentAction ('wait' here means hang up). */
  readonly action: string;
  readonly target: string | null;
  readonly hops: number;
}

/**
 * Whether the queue's overflow (its timeoutAction and target) takes a caller somewhere
 * rather than releasing it: another queue that exists, an IVR, voicemail, an outside number.
 */
export function overflowLeadsSomewhere(desk: CallDesk, queue: Queue, voicemailExtension: string): boolean {
  const target = queue.timeoutTarget;
  switch (queue.timeoutAction) {
    case 'queue':
      return target !== null && target !== queue.queueNum && desk.org.queue(target) !== undefined;
    case 'ivr':
    case 'number':
      return target !== null;
    case 'voicemail':
      return voicemailExtension !== '';
    default:
      return false;
  }
}

export function overflowCall(ctx: OverflowContext, o: Overflow, now: number): CoreEffect[] {
  const { desk } = ctx;
  const { call, queue, action, target } = o;
  const customer = call.customer;
  if (customer === undefined || customer.ended) return [];
  switch (action) {
    case 'queue':
      // Queues that overflow into each other while all are full would hand the caller round for ever.
      if (o.hops < MAX_OVERFLOW_HOPS && target !== null && target !== queue.queueNum && desk.org.queue(target) !== undefined) {
        return ctx.enqueue(call, target, now, o.hops + 1);
      }
      break;
    case 'ivr':
    case 'voicemail': {
      const extension = action === 'ivr' ? target : ctx.voicemailExtension;
      if (extension === null) break;
      call.move('to-ivr');
      call.endStatus = 'IVR';
      call.timeline.ivrEnter = now;
      if (action === 'ivr') call.ivrNum = extension;
      return [
        desk.switch({ op: 'stopPlayback', uuid: customer.uuid }),
        desk.switch({ op: 'setVariable', uuid: customer.uuid, name: 'polylink_queue', value: queue.queueNum }),
        desk.switch({ op: 'transfer', uuid: customer.uuid, request: { extension } }, { callId: call.id, step: 'transfer-ivr' }),
      ];
    }
    case 'number': {
      if (target === null) break;
      const dial = ring(desk, call, {
        purpose: 'offer',
        to: { kind: 'number', number: target, gateway: gatewayFor(desk, call) },
        callerIdNumber: call.customerNumber,
        timeoutSeconds: desk.options.customerRingSeconds,
        step: 'offer-leg',
      }, now);
      call.agentUuid = dial.leg.uuid;
      call.endStatus = 'CALL_TRANSFER';
      // If the number does not answer, nothing is left to try (QueueService.offerFailed).
      call.overflowedToNumber = true;
      return [
        ...dial.effects,
        ...ctx.tellQueue(
          queue.queueNum,
          agentEvent('QueueTransferBoundEvent', now, {
            customer_num: call.customerNumber,
            queue_num: queue.queueNum,
            transfee_num: target,
            access_num: call.accessNumber ?? '',
            transfer_time: desk.deps.formatTime(now),
          }),
        ),
      ];
    }
    // 'wait' cannot apply to a customer the queue cannot keep: the caller is released.
    default:
      break;
  }
  call.failureReason ??= 'queue overflow';
  call.endStatus = 'QUEUE_ABANDON';
  return killLeg(desk, customer);
}
