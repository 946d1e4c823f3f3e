/**
 * A customer the dialplan parked for polylink (an access number, or back from an IVR it
 * was sent to): answered, its number's grade looked up, a blacklisted number turned away
 * with a message, everyone else into the queue the dialplan or IVR chose, or the access
 * number's default queue.
 */
import type { CoreEffect } from '../effects.js';
import type { SwitchEvent } from '../ports/switch-events.js';
import type { CallDesk } from '../calls/call-desk.js';
import { Call, Leg } from '../calls/call-model.js';
import { killLeg } from '../calls/leg-factory.js';
import { raiseProgress } from '../calls/call-progress.js';
import type { CustomerLists } from './customer-lists.js';

export type Arrival = Extract<SwitchEvent, { type: 'channel-parked' | 'channel-adopted' }>;

export function takeArrival(
  desk: CallDesk,
  lists: CustomerLists,
  blacklistPrompt: string,
  event: Arrival,
  existing: Call | undefined,
  now: number,
  enqueue: (call: Call, queueNum: string) => CoreEffect[],
): CoreEffect[] {
  const access = desk.org.accessNumber(event.vars.accessNumber ?? '');
  if (access === undefined) {
    // The dialplan handed over a number polylink does not serve: do not leave the caller hanging.
    return [desk.switch({ op: 'kill', uuid: event.uuid, cause: 'UNALLOCATED_NUMBER' })];
  }
  const wanted = event.vars.queue ?? access.defaultQueue ?? undefined;
  const queue = wanted === undefined ? undefined : desk.org.queue(wanted);
  if (existing !== undefined) {
    // Back from an IVR the call was sent to: it is polylink's again.
    existing.move('from-ivr');
    existing.endStatus = undefined;
    if (event.vars.ivrData !== undefined) existing.ivrData = event.vars.ivrData;
    if (event.vars.dtmf !== undefined) existing.dtmf = event.vars.dtmf;
    if (existing.timeline.ivrEnter !== undefined) raiseProgress(desk, 'ivr-left', existing, existing.customer, now, { since: existing.timeline.ivrEnter, queueNum: queue?.queueNum });
    if (queue === undefined || queue.accountId !== existing.accountId) return killLeg(desk, existing.customer, 'UNALLOCATED_NUMBER');
    return enqueue(existing, queue.queueNum);
  }
  const call = new Call(desk.deps.newId(), 'inbound', access.accountId, event.node, now);
  call.customerNumber = event.callerNumber;
  call.custGrade = lists.gradeOf(access.accountId, call.customerNumber);
  call.accessNumber = access.number;
  call.ivrNum = event.vars.ivr;
  call.ivrData = event.vars.ivrData;
  call.dtmf = event.vars.dtmf;
  const leg = new Leg(event.uuid, 'customer', event.callerNumber, now, undefined);
  leg.node = event.node;
  if (event.type === 'channel-adopted' && event.answered) leg.answer(now);
  desk.registry.add(call);
  desk.registry.addLeg(call, leg);
  call.customerUuid = leg.uuid;
  // It comes from the dialplan's IVR: polylink did not see the IVR begin, only end.
  if (call.ivrNum !== undefined) raiseProgress(desk, 'ivr-left', call, leg, now, { since: now, queueNum: queue?.queueNum });
  const effects: CoreEffect[] = [
    desk.note('call.start', 'call started', call, { number: call.customerNumber, accessNumber: access.number, queue: queue?.queueNum, ivr: call.ivrNum }),
    desk.switch({ op: 'answer', uuid: leg.uuid }, { callId: call.id, step: 'answer-customer' }),
    // polylink decides what happens when the customer's partner leaves (transfers, consults).
    desk.switch({ op: 'setVariable', uuid: leg.uuid, name: 'park_after_bridge', value: 'true' }),
  ];
  if (lists.isBlacklisted(access.accountId, call.customerNumber)) {
    call.failureReason = 'forbidden';
    call.endStatus = 'QUEUE_ABANDON';
    call.blacklisted = true;
    return [
      ...effects,
      { type: 'blacklist-hit', accountId: access.accountId, number: call.customerNumber, at: now },
      // Released when the message ends (QueueService.playbackStopped), or at once if it cannot play.
      desk.switch({ op: 'playback', uuid: leg.uuid, source: { kind: 'file', path: blacklistPrompt }, legs: 'this' }, { callId: call.id, step: 'blacklist-prompt' }),
    ];
  }
  if (queue === undefined || queue.accountId !== access.accountId) {
    call.failureReason = 'no queue for the access number';
    return [...effects, ...killLeg(desk, leg, 'UNALLOCATED_NUMBER')];
  }
  return [...effects, ...enqueue(call, queue.queueNum)];
}
