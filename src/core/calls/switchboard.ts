/**
 * Seed 001's switchboard, driven by a business system over HTTP rather than by an agent's
 * bar: click-number (ring `src`, then call `dst` and bridge them), hangup of an
 * extension's call, and the blind transfer of an extension's call. An extension stands for
 * the agent signed in on it (its state, statistics and CDR follow as for its own commands)
 * or, when no agent is on it, for the phone alone.
 */
import { PHONE_NUMBER } from '../../numbers/phone-number.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';
import { hangup } from './controls.js';
import { servingCustomer } from './consult.js';
import { gatewayFor, killLeg, type Destination } from './leg-factory.js';
import { placeOutbound } from './outbound.js';
import { resolveParty, TRANSFER_TARGET_STATES } from './party.js';
import { transferTo } from './transfers.js';

type Decision = { code: number; effects: CoreEffect[] };

/** The agent of the tenant signed in on this extension (bound to it), if any. */
export function agentOnExtension(desk: CallDesk, accountId: string, extension: string): string | undefined {
  const agentId = desk.agents.agentOfExten(extension);
  const session = agentId === undefined ? undefined : desk.agents.session(agentId);
  return session !== undefined && session.bindExten && session.profile.accountId === accountId ? agentId : undefined;
}

/** The live legs on a phone: legs rung to that extension (not a customer's number), in the tenant's calls. */
export function legsOnExtension(desk: CallDesk, accountId: string, extension: string): Array<{ call: Call; leg: Leg }> {
  const found: Array<{ call: Call; leg: Leg }> = [];
  for (const call of desk.registry.all()) {
    if (call.accountId !== accountId) continue;
    for (const leg of call.legs.values()) {
      if (leg.ended || leg.number !== extension) continue;
      // A customer's leg carries the customer's number, unless polylink rang it as a phone (click-number's dst).
      if (leg.purpose === 'customer' && !(call.kind === 'outbound' && call.customerIsExtension)) continue;
      found.push({ call, leg });
    }
  }
  return found;
}

/** Is `number` a phone on the switch: an agent's default extension, or registered now? */
function isPhone(desk: CallDesk, accountId: string, number: string): boolean {
  if (desk.deps.isRegistered(number) === true) return true;
  for (const agent of desk.org.allAgents()) if (agent.accountId === accountId && agent.defaultExten === number) return true;
  return false;
}

/**
 * click-number: `src` rings first; when it answers, `dst` is called (a phone on the switch,
 * or an outside number through the gateway of the tenant's default access number, which it
 * is shown) and the two are bridged. From an agent's extension this is the agent's callout:
 * it must be free, goes CALLING_OUT, and its statistics and CDR count it.
 */
export function clickToDial(desk: CallDesk, accountId: string, src: string, dst: string, now: number): Decision & { callId?: string } {
  if (!PHONE_NUMBER.test(src) || !PHONE_NUMBER.test(dst)) return { code: Outcome.BAD_PARAMETER, effects: [] };
  if (src === dst) return { code: Outcome.CALLER_IS_CALLEE, effects: [] };
  const agentId = agentOnExtension(desk, accountId, src);
  if (agentId !== undefined) {
    const session = desk.agents.session(agentId)!;
    const status = session.machine.status;
    if ((status !== AgentStatus.IDLE && status !== AgentStatus.CALL_OUT) || desk.registry.ofAgent(agentId) !== undefined) {
      return { code: Outcome.CALLER_STATE_ERROR, effects: [] };
    }
    if (!session.extenIsOutbound && desk.deps.isRegistered(src) === false) return { code: Outcome.CALLER_EXTEN_STATE_ERROR, effects: [] };
  } else {
    if (desk.deps.isRegistered(src) !== true) return { code: isPhone(desk, accountId, src) ? Outcome.CALLER_EXTEN_STATE_ERROR : Outcome.CALLER_NOT_FOUND, effects: [] };
    if (legsOnExtension(desk, accountId, src).length > 0) return { code: Outcome.CALLER_STATE_ERROR, effects: [] };
  }
  const toExtension = isPhone(desk, accountId, dst);
  const shown = desk.org.accessNumbersOf(accountId).find((n) => n.isDefault);
  if (!toExtension && shown === undefined) return { code: Outcome.DISPLAY_NUM_EMPTY, effects: [] };
  if (!desk.deps.switchReady()) return { code: Outcome.CALLOUT_FAILED, effects: [] };
  const placed = placeOutbound(desk, {
    accountId,
    caller: agentId !== undefined ? { kind: 'agent', agentId } : { kind: 'extension', extension: src },
    number: dst,
    toExtension,
    shown: shown?.number,
    customerForeignId: '',
    operation: 'click-to-dial',
  }, now);
  return { code: 0, effects: placed.effects, ...(placed.call !== undefined ? { callId: placed.call.id } : {}) };
}

/**
 * hangup: the extension's call ends as if its phone hung up. An agent on it hangs up as
 * with its bar's hangup command (the call's hang-up side is the agent's); a phone with no
 * agent has its legs ended.
 */
export function hangupExtension(desk: CallDesk, accountId: string, extension: string): Decision {
  const agentId = agentOnExtension(desk, accountId, extension);
  if (agentId !== undefined) {
    const done = hangup(desk, agentId);
    return done.code === Outcome.AGENT_STATE_ERROR ? { code: Outcome.CALLER_STATE_ERROR, effects: [] } : done;
  }
  const legs = legsOnExtension(desk, accountId, extension);
  if (legs.length === 0) return { code: isPhone(desk, accountId, extension) ? Outcome.CALLER_STATE_ERROR : Outcome.CALLER_NOT_FOUND, effects: [] };
  const effects: CoreEffect[] = [];
  for (const { call, leg } of legs) {
    if (call.agentUuid === leg.uuid) call.hangupSide ??= 'agent';
    effects.push(...killLeg(desk, leg, 'NORMAL_CLEARING', 'release'));
  }
  return { code: 0, effects };
}

/**
 * transfer: the customer the agent on `src` is talking to is transferred blind to `dst`: the
 * agent signed in on that extension (it must be free, as for the bar's transferagent),
 * another phone on the switch, or an outside number. The agent on `src` is freed at once.
 */
export function transferExtension(desk: CallDesk, accountId: string, src: string, dst: string, now: number): Decision {
  if (src === dst) return { code: Outcome.CALLER_IS_CALLEE, effects: [] };
  const agentId = agentOnExtension(desk, accountId, src);
  if (agentId === undefined) {
    // Only a customer an agent serves can be handed on: a phone's own call has no one to hand.
    return { code: legsOnExtension(desk, accountId, src).length > 0 || isPhone(desk, accountId, src) ? Outcome.CALLER_STATE_ERROR : Outcome.CALLER_NOT_FOUND, effects: [] };
  }
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.CALLER_STATE_ERROR, effects: [] };
  let to: Destination;
  const target = agentOnExtension(desk, accountId, dst);
  if (target !== undefined) {
    const party = resolveParty(desk, call, agentId, target, false, TRANSFER_TARGET_STATES);
    if (party.to === undefined) return { code: party.code, effects: [] };
    to = party.to;
  } else if (isPhone(desk, accountId, dst)) {
    if (desk.deps.isRegistered(dst) === false) return { code: Outcome.CALLEE_EXTEN_STATE_ERROR, effects: [] };
    to = { kind: 'extension', extension: dst };
  } else {
    to = { kind: 'number', number: dst, gateway: gatewayFor(desk, call) };
  }
  return transferTo(desk, call, agentId, to, now);
}
