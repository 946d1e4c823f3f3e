/**
 * rop (seed 002 Rop, 抢接): a customer's call rings an agent who does not pick up, and a
 * supervisor takes it. The agent's ringing leg is cancelled (PICKED_OFF) — not a no-answer
 * against it: it hears HangupEvent, goes back to where it was and counts nothing — and
 * the supervisor's phone is offered the customer as a queue offers it (CallInEvent, RING);
 * on answer polylink bridges the two as it bridges every offer (BridgeEvent, TALKING), the
 * customer leaves its queue served, and the supervisor is the call's agent in the CDR.
 *
 * Why not FreeSWITCH's intercept application: `&intercept(<customer>)` would make the
 * switch bridge the supervisor to the customer by itself, but the agent's ringing leg is
 * not the customer's partner (polylink bridges on answer), so it would still have to be
 * killed, and the bridge would happen behind polylink's back, outside the offer rules
 * every other customer call follows (first answer wins, a phone that rings out puts the
 * customer back at the head of its queue, the bridge race of capture m). Cancelling the
 * agent's leg and offering the supervisor keeps rop one more offer: the same events, the
 * same statistics, the same CDR. A supervisor that lets its phone ring out is treated as
 * any agent that does (NoAnswerCallAlarmlEvent, acd.noAnswerStatus), and the customer
 * goes back to the head of its queue.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { callInEvent } from './leg-events.js';
import { killLeg, ring } from './leg-factory.js';
import type { QueueHooks } from './queue-hooks.js';
import { interventionRow, interventionTarget, supervisorPhoneFree } from './supervisor-checks.js';

/** The hangup cause of a ringing leg another phone took the call from (FreeSWITCH's SWITCH_CAUSE_PICKED_OFF). */
export const PICKED_OFF = 'PICKED_OFF';

export function intercept(desk: CallDesk, queues: QueueHooks, supervisorId: string, targetId: string, supervisorBusy: boolean, now: number): { code: number; effects: CoreEffect[] } {
  const target = interventionTarget(desk, supervisorId, targetId);
  if (target.value === undefined) return { code: target.code, effects: [] };
  const call = desk.registry.ofAgent(targetId);
  const ringing = call?.liveLegs().find((l) => l.agentId === targetId && l.purpose === 'offer' && !l.answered && !l.endAsked);
  const customer = call?.customer;
  if (target.value.machine.status !== AgentStatus.RING || call === undefined || ringing === undefined || customer === undefined || customer.ended) {
    return { code: Outcome.TARGET_AGENT_STATUS_ERROR, effects: [] };
  }
  const supervisor = desk.agents.session(supervisorId);
  if (supervisor === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
  const phone = supervisorPhoneFree(desk, supervisor, supervisorBusy);
  if (phone !== 0) return { code: phone, effects: [] };

  const effects: CoreEffect[] = [interventionRow(desk, supervisorId, targetId, 'rop', call, now)];
  // Every offer ringing for this customer stops (ring-all rings several). Each agent hears
  // HangupEvent (PICKED_OFF) and goes back to where it was when its leg has ended
  // (leg-ended.ts): its phone is not offered another customer while this one still rings it.
  for (const offer of call.liveLegs().filter((l) => l.purpose === 'offer' && !l.answered && !l.endAsked)) {
    effects.push(...killLeg(desk, offer, PICKED_OFF, 'intercept'));
  }
  const queue = call.queueNum === undefined ? undefined : desk.org.queue(call.queueNum);
  const dial = ring(desk, call, {
    purpose: 'offer',
    to: { kind: 'agent', agentId: supervisorId },
    callerIdNumber: call.customerNumber,
    timeoutSeconds: queue?.ringTimeoutSeconds ?? desk.options.agentRingSeconds,
    step: 'offer-leg',
    askedBy: { agentId: supervisorId, cmdType: 'rop' },
  }, now);
  call.agentUuid = dial.leg.uuid;
  call.agentId = supervisorId;
  call.offeredTo = supervisorId;
  queues.offerMoved(call, dial.leg.uuid);
  return {
    code: 0,
    effects: [
      ...effects,
      // As a queue offer: RING and CallInEvent at once, the popup does not wait for the phone.
      ...desk.agentInput(supervisorId, { type: 'OFFER' }, supervisorId, 'rop', now),
      callInEvent(desk, call, supervisorId, now),
      ...dial.effects,
    ],
  };
}
