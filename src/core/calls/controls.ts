/**
 * The agent's hands on its call: hold / stophold, mute / stopmute, answer, hangup
 * (seed 002 DoHold, DoStopHold, DoMute, DoStopMute, Answer, DoHangUp). The state
 * follows the switch: HOLD when FreeSWITCH reports the leg held, MUTE when the mute took.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';
import { killLeg } from './leg-factory.js';

type Outcome = { code: number; effects: CoreEffect[] };
const refuse = (code: number): Outcome => ({ code, effects: [] });

/** The call the agent serves and its own leg in it, when it is talking to someone. */
export function ownTalkingLeg(desk: CallDesk, agentId: string): { call: Call; leg: Leg } | undefined {
  const call = desk.registry.ofAgent(agentId);
  if (call === undefined) return undefined;
  const leg = [...call.legs.values()].find((l) => l.agentId === agentId && !l.ended && l.answered);
  return leg === undefined ? undefined : { call, leg };
}

export function hold(desk: CallDesk, agentId: string, on: boolean): Outcome {
  const status = desk.agents.statusOf(agentId);
  if (on ? status !== AgentStatus.TALKING : status !== AgentStatus.HOLD) return refuse(Outcome.AGENT_STATE_ERROR);
  const own = ownTalkingLeg(desk, agentId);
  // A call in a conference (three-way) or in a consult has no one to put on hold; the
  // called agent of an internal call leaves holding to the agent that called.
  if (
    own === undefined || own.leg.bridgedTo === undefined || own.call.conference !== undefined || own.call.consultUuid !== undefined ||
    own.call.agentId !== agentId
  ) {
    return refuse(Outcome.AGENT_STATE_ERROR);
  }
  const cmdType = on ? 'hold' : 'stophold';
  const ref = { callId: own.call.id, step: cmdType, agentId, cmdType };
  if (!on) return { code: 0, effects: [desk.switch({ op: 'unhold', uuid: own.leg.uuid }, ref)] };
  return {
    code: 0,
    effects: [
      // FreeSWITCH plays the held leg's hold_music to its partner: polylink's, not the switch default.
      desk.switch({ op: 'setVariable', uuid: own.leg.uuid, name: 'hold_music', value: desk.options.holdMusic }),
      desk.switch({ op: 'hold', uuid: own.leg.uuid }, ref),
    ],
  };
}

export function mute(desk: CallDesk, agentId: string, on: boolean): Outcome {
  const status = desk.agents.statusOf(agentId);
  if (on ? status !== AgentStatus.TALKING : status !== AgentStatus.MUTE) return refuse(Outcome.AGENT_STATE_ERROR);
  const own = ownTalkingLeg(desk, agentId);
  if (own === undefined) return refuse(Outcome.AGENT_STATE_ERROR);
  const cmdType = on ? 'mute' : 'stopmute';
  return { code: 0, effects: [desk.switch({ op: on ? 'mute' : 'unmute', uuid: own.leg.uuid }, { callId: own.call.id, step: cmdType, agentId, cmdType })] };
}

/** The mute took (no FreeSWITCH event says so): move the state. */
export function muteDone(desk: CallDesk, call: Call, agentId: string, on: boolean, now: number): CoreEffect[] {
  const leg = [...call.legs.values()].find((l) => l.agentId === agentId && !l.ended);
  if (leg === undefined) return [];
  leg.muted = on;
  return desk.agentInput(agentId, { type: on ? 'MUTE' : 'UNMUTE' }, agentId, on ? 'mute' : 'stopmute', now);
}

/** Answer a ringing offer from the agent bar: the phone is told to pick up (SIP NOTIFY talk). */
export function answer(desk: CallDesk, agentId: string): Outcome {
  if (desk.agents.statusOf(agentId) !== AgentStatus.RING) return refuse(Outcome.AGENT_STATE_ERROR);
  const call = desk.registry.ofAgent(agentId);
  const leg = call === undefined ? undefined : [...call.legs.values()].find((l) => l.agentId === agentId && !l.ended && !l.answered);
  if (call === undefined || leg === undefined) return refuse(Outcome.AGENT_STATE_ERROR);
  if (desk.org.agent(agentId)?.ctiAnswer !== true || desk.agents.session(agentId)?.extenIsOutbound === true) {
    return refuse(Outcome.BOUND_EXTEN_STATE_ERROR);
  }
  return { code: 0, effects: [desk.switch({ op: 'phoneTalk', uuid: leg.uuid }, { callId: call.id, step: 'answer', agentId, cmdType: 'answer' })] };
}

/** The agent hangs up: its own legs end (what happens to the others follows from that). */
export function hangup(desk: CallDesk, agentId: string): Outcome {
  const call = desk.registry.ofAgent(agentId);
  const legs = call === undefined ? [] : [...call.legs.values()].filter((l) => l.agentId === agentId && !l.ended);
  if (call === undefined || legs.length === 0) return refuse(Outcome.AGENT_STATE_ERROR);
  const effects: CoreEffect[] = [];
  // Whatever polylink ends because of it, the agent hung up first.
  if (call.agentId === agentId) call.hangupSide ??= 'agent';
  for (const leg of legs) effects.push(...killLeg(desk, leg, 'NORMAL_CLEARING', 'release'));
  // While the agent's own phone still rings for its callout, nothing else exists yet:
  // the pending customer leg (if any) goes with it.
  if (call.kind === 'outbound' && call.customer !== undefined && !call.customer.answered) {
    effects.push(...killLeg(desk, call.customer, 'ORIGINATOR_CANCEL'));
  }
  return { code: 0, effects };
}
