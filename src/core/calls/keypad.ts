/**
 * senddtmf: the keys of the agent bar's keypad (seed 002 tsbKeyPad / DoShowKeyPad, 软键盘)
 * pressed during a call go to the party the agent talks to, as its phone's keys would — an
 * outside IVR asking for an extension, a menu choice, a card number. A web bar has no keys
 * of its own; the switch sends the tones out on the party's leg.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';
import { ownTalkingLeg } from './controls.js';

type Outcome = { code: number; effects: CoreEffect[] };

/**
 * The keys one request may carry: the sixteen DTMF keys, at most 32 of them. FreeSWITCH
 * reads more in a DTMF string (`~`, `+` groups, `@<ms>` durations, `w` pauses, up to 99
 * characters: switch_core_session_send_dtmf_string); none of that is the agent's to send.
 */
export const DTMF_DIGITS = /^[0-9*#A-D]{1,32}$/;

/** Whom the agent's leg talks to: its bridge partner, or in a three-way call's conference the customer. */
function partyOf(call: Call, own: Leg): Leg | undefined {
  const partner = call.leg(own.bridgedTo);
  if (partner !== undefined) return partner.ended ? undefined : partner;
  const customer = call.customer;
  if (call.conference === undefined || customer === undefined || customer === own || customer.ended || customer.conferenceMember === undefined) return undefined;
  return customer;
}

export function sendDtmf(desk: CallDesk, agentId: string, digits: string): Outcome {
  if (!DTMF_DIGITS.test(digits)) return { code: Outcome.BAD_PARAMETER, effects: [] };
  const status = desk.agents.statusOf(agentId);
  // Muted, the agent's voice is cut, not its keys; on hold, the party hears the hold music.
  if (status !== AgentStatus.TALKING && status !== AgentStatus.MUTE) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const own = ownTalkingLeg(desk, agentId);
  const party = own === undefined ? undefined : partyOf(own.call, own.leg);
  if (own === undefined || party === undefined || !party.answered) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  return {
    code: 0,
    effects: [desk.switch({ op: 'sendDtmf', uuid: party.uuid, digits }, { callId: own.call.id, step: 'senddtmf', agentId, cmdType: 'senddtmf' })],
  };
}
