/**
 * Transfers away from the agent (seed 002): transferagent (blind: the target rings with
 * TransferBlindCallInEvent while the customer hears music), transferivr and
 * transferivrprofile (the customer goes to a dialplan IVR), transferqueue (back into
 * polylink's queues). In each the transferring agent is freed at once.
 */
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { musicOf, servingCustomer } from './consult.js';
import { handOn, ring, type Destination } from './leg-factory.js';
import { resolveParty, TRANSFER_TARGET_STATES } from './party.js';

type Outcome = { code: number; effects: CoreEffect[] };

/** Frees the serving agent: its leg ends and the customer is the call's alone for a moment. */
function releaseAgent(desk: CallDesk, call: Call, agentId: string, field: 'transfernums' | 'transferoutnums' | 'transferivrnums' | 'redirectnums', now: number): CoreEffect[] {
  desk.count(agentId, field, now);
  const effects = handOn(desk, call.agentLeg);
  call.agentUuid = undefined;
  call.agentId = undefined;
  return effects;
}

export function transferAgent(desk: CallDesk, agentId: string, target: string, outbound: boolean, now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const party = resolveParty(desk, call, agentId, target, outbound, TRANSFER_TARGET_STATES);
  if (party.to === undefined) return { code: party.code, effects: [] };
  return transferTo(desk, call, agentId, party.to, now);
}

/** Where a blind transfer sends the customer: an agent, an outside number, or a phone on the switch (seed 001 transfer). */
export function transferTo(desk: CallDesk, call: Call, agentId: string, to: Destination, now: number): Outcome {
  const customer = call.customer!;
  const toAgent = to.kind === 'agent' ? to.agentId : undefined;
  const effects: CoreEffect[] = [
    desk.note('call.transfer', 'call transferred', call, { agentId, how: 'blind', to: to.kind === 'agent' ? to.agentId : to.kind === 'number' ? to.number : to.extension }),
    desk.switch({ op: 'park', uuid: customer.uuid }, { callId: call.id, step: 'transfer-park', agentId, cmdType: 'transferagent' }),
    desk.switch({ op: 'playback', uuid: customer.uuid, source: musicOf(desk.options.holdMusic), legs: 'this' }),
  ];
  if (toAgent !== undefined) effects.push(...desk.agentInput(toAgent, { type: 'RESERVE' }, agentId, 'transferagent', now));
  const leg = ring(desk, call, {
    purpose: 'offer',
    to,
    callerIdNumber: call.customerNumber,
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'transfer-leg',
    askedBy: { agentId, cmdType: 'transferagent' },
  }, now);
  effects.push(...leg.effects);
  call.transferredBy = agentId;
  effects.push(...releaseAgent(desk, call, agentId, toAgent !== undefined ? 'transfernums' : 'transferoutnums', now));
  call.agentUuid = leg.leg.uuid;
  call.agentId = toAgent;
  if (toAgent === undefined) call.endStatus = 'CALL_TRANSFER';
  return { code: 0, effects };
}

/** transferivr and transferivrprofile: the customer continues in the dialplan. */
export function transferToDialplan(desk: CallDesk, agentId: string, number: string, kind: 'ivr' | 'profile', now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const known = kind === 'ivr' ? desk.org.ivrsOf(call.accountId) : desk.org.ivrProfilesOf(call.accountId);
  if (!known.some((i) => i.num === number)) return { code: kind === 'ivr' ? Outcome.IVR_NUM_INVALID : Outcome.IVR_PROFILE_NUM_INVALID, effects: [] };
  const customer = call.customer!;
  call.move('to-ivr');
  call.ivrNum = number;
  call.timeline.ivrEnter = now;
  call.endStatus = 'IVR';
  const cmdType = kind === 'ivr' ? 'transferivr' : 'transferivrprofile';
  return {
    code: 0,
    effects: [
      desk.note('call.transfer', 'call transferred', call, { agentId, how: kind === 'ivr' ? 'ivr' : 'ivr-profile', to: number }),
      desk.switch({ op: 'transfer', uuid: customer.uuid, request: { extension: number } }, { callId: call.id, step: 'transfer-ivr', agentId, cmdType }),
      ...releaseAgent(desk, call, agentId, 'transferivrnums', now),
    ],
  };
}

/** transferqueue: the customer waits in a queue again (the ACD takes it from there). */
export function transferQueue(desk: CallDesk, agentId: string, queueNum: string, enqueue: (call: Call, queueNum: string, now: number) => CoreEffect[], now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const queue = desk.org.queue(queueNum);
  if (queue === undefined || queue.accountId !== call.accountId) return { code: Outcome.QUEUE_NUM_INVALID, effects: [] };
  const customer = call.customer!;
  const effects: CoreEffect[] = [
    desk.note('call.transfer', 'call transferred', call, { agentId, how: 'queue', to: queueNum }),
    desk.switch({ op: 'park', uuid: customer.uuid }, { callId: call.id, step: 'transfer-park', agentId, cmdType: 'transferqueue' }),
    ...releaseAgent(desk, call, agentId, 'redirectnums', now),
  ];
  call.transferredBy = agentId;
  effects.push(...enqueue(call, queueNum, now));
  return { code: 0, effects };
}
