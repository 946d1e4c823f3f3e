/**
 * threeway / threewaycancel (seed 002 DoThreeWay, DoThreeWayCancel): the customer and
 * the agent move into a conference of their own, the third party (an agent —
 * ThreeWayCallRingEvent — or an outside number) is rung into it. Cancelling drops the
 * third party; the two others go on talking, bridged again as before the three-way call
 * (backToBridge), where hold, consult, the transfers and the survey work.
 */
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { servingCustomer } from './consult.js';
import { killLeg, ring } from './leg-factory.js';
import { resolveParty } from './party.js';

type Outcome = { code: number; effects: CoreEffect[] };

export function threeWay(desk: CallDesk, agentId: string, target: string, outbound: boolean, now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const party = resolveParty(desk, call, agentId, target, outbound, desk.options.internalCallStates);
  if (party.to === undefined) return { code: party.code, effects: [] };
  const conference = `polylink-${call.id}`;
  call.conference = conference;
  const effects: CoreEffect[] = [
    desk.switch({ op: 'threeWay', uuid: call.customer!.uuid, conference }, { callId: call.id, step: 'threeway-conference', agentId, cmdType: 'threeway' }),
  ];
  if (party.to.kind === 'agent') effects.push(...desk.agentInput(party.to.agentId, { type: 'RESERVE' }, agentId, 'threeway', now));
  const agentSession = desk.agents.session(agentId)!;
  const leg = ring(desk, call, {
    purpose: 'threeway',
    to: party.to,
    callerIdNumber: party.to.kind === 'agent' ? (agentSession.exten ?? agentId) : (call.displayNumber ?? call.accessNumber ?? ''),
    callerIdName: agentSession.profile.name,
    timeoutSeconds: desk.options.agentRingSeconds,
    app: { kind: 'conference', name: conference },
    step: 'threeway-leg',
    askedBy: { agentId, cmdType: 'threeway' },
  }, now);
  call.threeWayUuid = leg.leg.uuid;
  effects.push(...leg.effects);
  return { code: 0, effects };
}

export function threeWayCancel(desk: CallDesk, agentId: string): Outcome {
  const call = desk.registry.ofAgent(agentId);
  const third = call?.leg(call.threeWayUuid);
  if (call === undefined || call.agentId !== agentId || third === undefined || third.ended) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  return { code: 0, effects: killLeg(desk, third) };
}

/**
 * The conference is down to two — the customer and whoever serves it (the agent after a
 * cancel or the third party hanging up; the third party after the agent left): the two
 * are bridged again. uuid_bridge takes both out of the conference: switch_ivr_uuid_bridge
 * (src/switch_ivr_bridge.c) sets CF_TRANSFER on both channels "to interrupt anything they
 * are already doing", and a channel with CF_TRANSFER is not ready (switch_channel_test_ready,
 * src/switch_channel.c), which ends its member loop (conference_loop_output,
 * mod_conference/conference_loop.c): each leaves the room (del-member), the empty room is
 * destroyed. The call is out of its conference once the switch reports the bridge
 * (onBridged); should the bridge fail, the two go on talking in the conference.
 */
export function backToBridge(desk: CallDesk, call: Call): CoreEffect[] {
  const customer = call.customer;
  const serving = call.agentLeg;
  if (call.conference === undefined || call.threeWayUuid !== undefined) return [];
  if (customer === undefined || serving === undefined || customer.ended || serving.ended || !serving.answered) return [];
  return [desk.switch({ op: 'bridge', uuid: customer.uuid, otherUuid: serving.uuid }, { callId: call.id, step: 'threeway-end' })];
}
