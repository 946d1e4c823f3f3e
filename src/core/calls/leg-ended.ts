/**
 * A leg has ended (its CHANNEL_HANGUP_COMPLETE, a failed originate, or a synthetic hangup
 * after a resync). First its agent (if any) is told and moved on; then the call decides
 * what the end means for the other legs: the serving agent hanging up ends the
 * customer's call, a consultee leaving brings the agent back to the customer, the
 * customer leaving ends everything, and so on.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { SWITCH_SHUTDOWN, type Call, type Leg } from './call-model.js';
import { handOverToConsultee } from './consult.js';
import { killLeg } from './leg-factory.js';
import { backToBridge } from './three-way.js';
import type { QueueHooks } from './queue-hooks.js';
import { raiseProgress } from './call-progress.js';

/**
 * HangupEvent.hangupReason of an agent that handed its customer on (a transfer of any
 * kind, the satisfaction survey): seed 002 lists NO_ROUTE_DESTINATION as 转接 (transfer)
 * among the reasons, which lets a bar tell it from the end of a call (NORMAL_CLEARING).
 */
export const TRANSFERRED = 'NO_ROUTE_DESTINATION';

/**
 * HangupEvent.retCode (seed 002: 0 success, < 0 failure) for `leg`, which has ended. A leg
 * that was answered, an offer not taken, and a leg nobody took (it rang out, was declined
 * or busy, or was cancelled) ended as calls do: 0, the reason says the rest. A callout
 * that did not connect is the seed's -57 (manual callout failed); a leg the switch could
 * not place or reach (an unregistered phone, congestion, a lost node) is the phone module
 * failing: -60.
 */
function hangupRetCode(call: Call, leg: Leg): number {
  if (leg.answered || leg.purpose === 'offer') return 0;
  if (call.kind === 'outbound' && leg.purpose === 'dialer') return Outcome.CALLOUT_FAILED;
  return leg.endReason === 'unreachable' || leg.endReason === 'switch-shutdown' ? Outcome.CALL_MODULE_FAILED : 0;
}

/** polylink ended the leg (for whatever reason): the party did not hang up. */
function endedByPolylink(leg: Leg): boolean {
  return leg.endReason === 'cancelled' || leg.endReason === 'released' || leg.endReason === 'withdrawn' || leg.endReason === 'intercepted';
}

export function onLegEnded(desk: CallDesk, queues: QueueHooks, call: Call, leg: Leg, cause: string, now: number): CoreEffect[] {
  const wasBridgedTo = leg.bridgedTo;
  const talked = leg.bridgedAt !== undefined;
  if (!leg.end(cause, now)) return [];
  raiseProgress(desk, 'leg-ended', call, leg, now);
  const other = call.leg(wasBridgedTo);
  if (other !== undefined && other.bridgedTo === leg.uuid) other.unbridge();
  const effects: CoreEffect[] = [];
  // The switch itself ended the call (FreeSWITCH shutting down, capture h): no party hung up.
  if (cause === SWITCH_SHUTDOWN) call.hangupSide ??= 'system';
  if (leg.agentId !== undefined) effects.push(...agentLeft(desk, queues, call, leg, cause, talked, other, now));
  switch (leg.purpose) {
    case 'customer':
      effects.push(...customerLeft(desk, queues, call, leg, cause, now));
      break;
    case 'dialer':
      effects.push(...dialerLeft(desk, queues, call, leg, now));
      break;
    case 'callee':
      effects.push(...calleeLeft(desk, call, leg, cause, now));
      break;
    case 'offer':
      effects.push(...servingLegLeft(desk, queues, call, leg, now));
      break;
    case 'consult':
      effects.push(...consulteeLeft(desk, call, leg, cause, now));
      break;
    case 'threeway':
      if (call.threeWayUuid === leg.uuid) {
        call.threeWayUuid = undefined;
        if (call.agentId !== undefined) effects.push(desk.send(call.agentId, 'ThreeWayeeHangupEvent', now, { agentid: call.agentId, hangupReason: cause }));
        effects.push(...backToBridge(desk, call));
      }
      break;
    case 'check':
      break;
  }
  return effects;
}

/** The leg's agent: its HangupEvent (unless already told), its state, its statistics. */
function agentLeft(desk: CallDesk, queues: QueueHooks, call: Call, leg: Leg, cause: string, talked: boolean, other: Leg | undefined, now: number): CoreEffect[] {
  const agentId = leg.agentId!;
  const effects: CoreEffect[] = [];
  if (!call.liveLegs().some((l) => l.agentId === agentId)) desk.registry.unbindAgent(agentId, call);
  const status = desk.agents.statusOf(agentId);
  const rang = leg.ringAt !== undefined;
  // An agent that hung up on a party still there released the call itself (seed 000 agentrelease).
  if (talked && (leg.endReason === 'released' || (!endedByPolylink(leg) && cause !== SWITCH_SHUTDOWN && other !== undefined && !other.ended))) {
    desk.count(agentId, 'agentrelease', now);
    if (call.hangupSide === undefined && leg.uuid === call.agentUuid) call.hangupSide = 'agent';
  }
  // An offer the agent refused with the hangup command counts as one its phone refused;
  // one polylink simply cancelled (another agent won a ring-all) or a supervisor took
  // (rop: the customer stays with the supervisor's offer) is no one's failure.
  const offerNotTaken = leg.purpose === 'offer' && !leg.answered && leg.endReason !== 'cancelled' && leg.endReason !== 'intercepted';
  if (!leg.reported && (rang || leg.answered || leg.purpose === 'dialer' || leg.purpose === 'check')) {
    effects.push(desk.send(agentId, 'HangupEvent', now, { hangupReason: leg.handedOn ? TRANSFERRED : cause, retCode: hangupRetCode(call, leg) }));
  }
  leg.reported = true;
  if (offerNotTaken && leg.endReason === 'withdrawn') return [...effects, ...queues.offerFailed(call, agentId, 'withdrawn', now)];
  if (offerNotTaken && (leg.endReason === 'unreachable' || leg.endReason === 'switch-shutdown')) {
    // The phone or the switch could not be reached (congestion, phone offline …): not the
    // agent's doing. The customer goes back to the queue; the agent back to where it was.
    effects.push(...queues.offerFailed(call, agentId, 'unreachable', now));
  } else if (offerNotTaken && (leg.endReason === 'refused' || leg.endReason === 'released')) {
    // Rang out (or refused): the agent is set aside and the customer goes back to the queue.
    effects.push(desk.send(agentId, 'NoAnswerCallAlarmlEvent', now));
    desk.count(agentId, 'noanswernums', now);
    effects.push(...queues.offerFailed(call, agentId, 'refused', now));
    if (status === AgentStatus.RING) return [...effects, ...desk.agentInput(agentId, { type: 'NO_ANSWER', status: queues.noAnswerStatus }, 'system', 'no-answer', now)];
  }
  if (status === AgentStatus.CAMP_ON) return [...effects, ...desk.agentInput(agentId, { type: 'RELEASE' }, 'system', 'release', now)];
  const profile = desk.org.agent(agentId);
  const queue = call.queueNum === undefined ? undefined : desk.org.queue(call.queueNum);
  effects.push(
    ...desk.agentInput(
      agentId,
      {
        type: 'CALL_END',
        talked,
        // A consultee or third party that took the customer over ends a customer call, with ACW.
        internal: call.kind === 'internal' || ((leg.purpose === 'consult' || leg.purpose === 'threeway') && !servedCustomer(call, leg)),
        afterHangup: desk.agents.afterHangupOf(agentId),
        wrapUpSeconds: queue?.wrapUpSeconds ?? profile?.wrapUpSeconds ?? 0,
      },
      'system',
      'call-end',
      now,
    ),
  );
  return effects;
}

/** The leg was the one serving the customer (bridged to it as the call's agent leg). */
function servedCustomer(call: Call, leg: Leg): boolean {
  return call.agentUuid === leg.uuid || call.agents.at(-1) === leg.agentId && call.agentId === leg.agentId;
}

function customerLeft(desk: CallDesk, queues: QueueHooks, call: Call, leg: Leg, cause: string, now: number): CoreEffect[] {
  const effects: CoreEffect[] = [];
  // Killed by polylink with no one else having hung up first: the system ended it (overflow, blacklist, a lost node).
  call.hangupSide ??= endedByPolylink(leg) ? 'system' : 'customer';
  call.hangupCause ??= cause;
  if (call.kind === 'outbound' && !leg.answered) {
    // The customer never answered: the agent hears why (and its own leg ends quietly).
    call.failureReason = cause;
    const serving = call.agentLeg;
    if (call.agentId !== undefined && serving !== undefined && !serving.reported) {
      serving.reported = true;
      if (cause === 'NORMAL_CIRCUIT_CONGESTION') effects.push(desk.send(call.agentId, 'AllGetwaysFullEvent', now));
      effects.push(desk.send(call.agentId, 'HangupEvent', now, { hangupReason: cause, retCode: Outcome.CALLOUT_FAILED }));
    }
  }
  if (call.phase === 'queue' || call.phase === 'setup' || call.phase === 'ringing') effects.push(...queues.customerLeft(call, now));
  if (call.phase === 'grade') call.timeline.gradeEnd ??= now;
  for (const l of call.liveLegs()) effects.push(...killLeg(desk, l, l.answered ? 'NORMAL_CLEARING' : 'ORIGINATOR_CANCEL'));
  return effects;
}

/** The agent's own phone of an outbound or internal call. */
function dialerLeft(desk: CallDesk, queues: QueueHooks, call: Call, leg: Leg, now: number): CoreEffect[] {
  // Once the customer of a callout answered, the agent's phone serves that customer as a
  // queue offer would: after a hand-over (transfer, consult transfer, survey, a three-way
  // call left to the others) its end must not take the customer with it.
  if (call.kind === 'outbound' && call.customer?.answered === true) return servingLegLeft(desk, queues, call, leg, now);
  const effects: CoreEffect[] = [];
  if (call.kind === 'internal') {
    const calleeId = call.agents[1];
    if (calleeId !== undefined && desk.agents.statusOf(calleeId) === AgentStatus.CAMP_ON && call.customer === undefined) {
      effects.push(...desk.agentInput(calleeId, { type: 'RELEASE' }, 'system', 'release', now));
      desk.registry.unbindAgent(calleeId, call);
    }
  }
  for (const l of call.liveLegs()) effects.push(...killLeg(desk, l, l.answered ? 'NORMAL_CLEARING' : 'ORIGINATOR_CANCEL'));
  return effects;
}

/** The called agent of an internal call. */
function calleeLeft(desk: CallDesk, call: Call, leg: Leg, cause: string, now: number): CoreEffect[] {
  const caller = call.agentLeg;
  const effects: CoreEffect[] = [];
  if (!leg.answered && call.agentId !== undefined && caller !== undefined && !caller.reported) {
    caller.reported = true;
    effects.push(desk.send(call.agentId, 'HangupEvent', now, { hangupReason: cause, retCode: hangupRetCode(call, leg) }));
  }
  return [...effects, ...killLeg(desk, caller)];
}

/** An agent leg serving a customer (queue offer, transfer target, the agent's phone of an answered callout). */
function servingLegLeft(desk: CallDesk, queues: QueueHooks, call: Call, leg: Leg, now: number): CoreEffect[] {
  if (call.agentUuid !== leg.uuid) return [];
  if (!leg.answered) {
    // Not taken: agentLeft has handed an agent's customer back to the ACD (offerFailed);
    // an outside number that did not answer (a blind transfer, a queue's overflow) is handed back here.
    call.agentUuid = undefined;
    call.agentId = undefined;
    return leg.agentId === undefined && !endedByPolylink(leg) ? queues.offerFailed(call, undefined, 'refused', now) : [];
  }
  return servingAgentGone(desk, call, now);
}

/** The serving agent left a call it was talking on. */
function servingAgentGone(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  const consultLeg = call.leg(call.consultUuid);
  const customer = call.customer;
  if (consultLeg !== undefined && !consultLeg.ended && customer !== undefined && !customer.ended) {
    // Hanging up during a consult: an answered consultee takes the customer; a ringing one is dropped.
    if (consultLeg.answered) {
      call.agentUuid = undefined;
      // The call goes on: whoever ends it later is its hang-up side.
      call.hangupSide = undefined;
      return handOverToConsultee(desk, call, now);
    }
    return [...killLeg(desk, consultLeg, 'ORIGINATOR_CANCEL'), ...killLeg(desk, customer)];
  }
  const third = call.leg(call.threeWayUuid);
  if (call.conference !== undefined && third !== undefined && third.answered && !third.ended && customer !== undefined && !customer.ended) {
    // Leaving a three-way call hands the customer to the third party.
    const note = desk.note('call.transfer', 'call transferred', call, { agentId: call.agentId, how: 'three-way', to: third.agentId ?? third.number });
    call.agentUuid = third.uuid;
    call.agentId = third.agentId;
    call.threeWayUuid = undefined;
    call.hangupSide = undefined;
    if (third.agentId !== undefined && call.agents.at(-1) !== third.agentId) call.agents.push(third.agentId);
    else if (third.agentId === undefined) call.endStatus = 'CALL_TRANSFER';
    return [note, ...backToBridge(desk, call)];
  }
  // Handed on (the dialplan, the survey) or back in a queue: the serving agent's end is not the customer's.
  if (call.phase === 'grade' || call.phase === 'ivr' || call.phase === 'queue') return [];
  return call.liveLegs().flatMap((l) => killLeg(desk, l));
}

function consulteeLeft(desk: CallDesk, call: Call, leg: Leg, cause: string, now: number): CoreEffect[] {
  if (call.consultUuid !== leg.uuid) return servingLegLeftAfterHandOver(desk, call, leg, now);
  call.consultUuid = undefined;
  const agentLeg = call.agentLeg;
  const customer = call.customer;
  const effects: CoreEffect[] = [];
  if (call.agentId !== undefined) effects.push(desk.send(call.agentId, 'ConsulteeHangupEvent', now, { agentid: call.agentId, hangupReason: cause }));
  if (agentLeg !== undefined && !agentLeg.ended && customer !== undefined && !customer.ended) {
    // Back to the customer.
    effects.push(
      desk.switch({ op: 'stopPlayback', uuid: customer.uuid }),
      desk.switch({ op: 'stopPlayback', uuid: agentLeg.uuid }),
      desk.switch({ op: 'bridge', uuid: customer.uuid, otherUuid: agentLeg.uuid }, { callId: call.id, step: 'bridge' }),
    );
  }
  return effects;
}

/** A consultee that took the customer over is the serving leg now. */
function servingLegLeftAfterHandOver(desk: CallDesk, call: Call, leg: Leg, now: number): CoreEffect[] {
  if (call.agentUuid !== leg.uuid) return [];
  return servingAgentGone(desk, call, now);
}
