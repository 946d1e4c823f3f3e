/**
 * What every supervisor intervention (listen, whisper, barge-in, force hang-up, rop)
 * checks before it touches a call, in one order so that each refusal has one code:
 * the target exists in the supervisor's tenant (-49), it is not the supervisor itself
 * (-28), it is in a group the supervisor's role monitors (-21: the command table has
 * already checked the right itself), it is signed in (-49); then the command's own
 * state checks (-50 for the target, -24 / -25 / -26 for the supervisor's own phone).
 * An agent of another group is refused -21 before anything says whether it is online.
 */
import type { AgentSession } from '../agent-service.js';
import { AgentStatus, isSelectableStatus } from '../agent-status.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';

export type Checked<T> = { readonly code: number; readonly value?: T };

const refused = <T>(code: number): Checked<T> => ({ code });

/** The target agent's session, if the supervisor may intervene on it at all. */
export function interventionTarget(desk: CallDesk, supervisorId: string, targetId: string): Checked<AgentSession> {
  const me = desk.org.agent(supervisorId);
  const target = desk.org.agent(targetId);
  if (me === undefined || target === undefined || target.accountId !== me.accountId) return refused(Outcome.TARGET_AGENT_NOT_FOUND);
  if (targetId === supervisorId) return refused(Outcome.CALLER_IS_CALLEE);
  if (!desk.org.monitorsGroup(supervisorId, target.groupId)) return refused(Outcome.NO_RIGHT);
  const session = desk.agents.session(targetId);
  return session === undefined ? refused(Outcome.TARGET_AGENT_NOT_FOUND) : { code: 0, value: session };
}

/** The states a call is talked in: a supervisor may listen to it, coach, barge in or end it. */
const TALKING_STATES: readonly number[] = [AgentStatus.TALKING, AgentStatus.HOLD, AgentStatus.MUTE];

/** The call the target talks on and its own answered leg in it (-50 when it is not talking). */
export function talkingLegOf(desk: CallDesk, target: AgentSession, states: readonly number[] = TALKING_STATES): Checked<{ call: Call; leg: Leg }> {
  const agentId = target.profile.agentId;
  if (!states.includes(target.machine.status)) return refused(Outcome.TARGET_AGENT_STATUS_ERROR);
  const call = desk.registry.ofAgent(agentId);
  const legs = call === undefined ? [] : [...call.legs.values()].filter((l) => l.agentId === agentId && !l.ended && l.answered);
  // A bridged leg is the one carrying the conversation (a consultee's, while its agent's own leg waits, is another agent's).
  const leg = legs.find((l) => l.bridgedTo !== undefined || l.conferenceMember !== undefined) ?? legs[0];
  return call === undefined || leg === undefined ? refused(Outcome.TARGET_AGENT_STATUS_ERROR) : { code: 0, value: { call, leg } };
}

/**
 * The supervisor's own phone can take a new leg: it rests between calls (a status it
 * could choose, or after-call work), is in no call, has a bound extension that is
 * registered, and a switch is there to ring it.
 */
export function supervisorPhoneFree(desk: CallDesk, supervisor: AgentSession, busy: boolean): number {
  const status = supervisor.machine.status;
  if (busy || (!isSelectableStatus(status) && status !== AgentStatus.ACW) || desk.registry.ofAgent(supervisor.profile.agentId) !== undefined) {
    return Outcome.AGENT_STATE_ERROR;
  }
  if (!supervisor.bindExten || supervisor.exten === null) return Outcome.EXTEN_NOT_BOUND;
  if (!supervisor.extenIsOutbound && desk.deps.isRegistered(supervisor.exten) === false) return Outcome.BOUND_EXTEN_STATE_ERROR;
  return desk.deps.switchReady() ? 0 : Outcome.CALL_MODULE_FAILED;
}

/** A row of the operation log: who stepped into whose call. */
export function interventionRow(desk: CallDesk, supervisorId: string, targetId: string, operation: string, call: Call, now: number) {
  const session = desk.agents.session(supervisorId);
  return {
    type: 'log-operation',
    entry: {
      accountId: call.accountId,
      agentId: supervisorId,
      operation,
      oldStatus: null,
      newStatus: null,
      causedBy: supervisorId,
      reason: call.id,
      target: targetId,
      exten: session?.exten ?? null,
      remote: session?.remote ?? null,
      at: now,
    },
  } as const;
}
