/**
 * callagent (seed 002 DoCallAgent): the caller's phone rings first
 * (InternalCall_CallInEvent); when the caller answers, the callee's phone rings
 * (InternalCallerRingEvent); they are bridged when the callee answers. After an
 * internal call both go straight back to IDLE (or to the not-ready state they were in).
 */
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { Call } from './call-model.js';
import { ring } from './leg-factory.js';

export function callAgent(desk: CallDesk, callerId: string, calleeId: string, now: number): { code: number; effects: CoreEffect[] } {
  const caller = desk.agents.session(callerId);
  if (caller === undefined) return { code: Outcome.CALLER_NOT_FOUND, effects: [] };
  if (calleeId === callerId) return { code: Outcome.CALLER_IS_CALLEE, effects: [] };
  const callee = desk.agents.session(calleeId);
  if (callee === undefined || callee.profile.accountId !== caller.profile.accountId) return { code: Outcome.CALLEE_NOT_FOUND, effects: [] };
  const allowed = desk.options.internalCallStates;
  if (!allowed.includes(caller.machine.status) || desk.registry.ofAgent(callerId) !== undefined) return { code: Outcome.CALLER_STATE_ERROR, effects: [] };
  if (!allowed.includes(callee.machine.status) || desk.registry.ofAgent(calleeId) !== undefined) return { code: Outcome.CALLEE_STATE_ERROR, effects: [] };
  if (!caller.bindExten || caller.exten === null) return { code: Outcome.CALLER_EXTEN_NOT_BOUND, effects: [] };
  if (!callee.bindExten || callee.exten === null) return { code: Outcome.CALLEE_EXTEN_NOT_BOUND, effects: [] };
  if (!caller.extenIsOutbound && desk.deps.isRegistered(caller.exten) === false) return { code: Outcome.CALLER_EXTEN_STATE_ERROR, effects: [] };
  if (!callee.extenIsOutbound && desk.deps.isRegistered(callee.exten) === false) return { code: Outcome.CALLEE_EXTEN_STATE_ERROR, effects: [] };
  if (!desk.deps.switchReady()) return { code: Outcome.CALL_MODULE_FAILED, effects: [] };

  const call = new Call(desk.deps.newId(), 'internal', caller.profile.accountId, undefined, now);
  call.customerNumber = callee.exten;
  call.agentId = callerId;
  call.agents.push(callerId, calleeId);
  call.timeline.agentStart = now;
  desk.registry.add(call);
  desk.registry.bindAgent(calleeId, call);
  const dial = ring(desk, call, {
    purpose: 'dialer',
    to: { kind: 'agent', agentId: callerId },
    callerIdNumber: callee.exten,
    callerIdName: callee.profile.name,
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'dialer-leg',
    askedBy: { agentId: callerId, cmdType: 'callagent' },
  }, now);
  call.agentUuid = dial.leg.uuid;
  return {
    code: 0,
    effects: [
      desk.note('call.start', 'call started', call, { agentId: callerId, exten: caller.exten, calleeId, number: callee.exten }),
      ...desk.agentInput(callerId, { type: 'DIAL' }, callerId, 'callagent', now),
      // Held for this call: no queue call may take the callee while the caller's phone rings.
      ...desk.agentInput(calleeId, { type: 'RESERVE' }, callerId, 'callagent', now),
      ...dial.effects,
    ],
  };
}

/** The caller answered its own phone: ring the callee. */
export function ringCallee(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  const calleeId = call.agents[1];
  const caller = call.agentId === undefined ? undefined : desk.agents.session(call.agentId);
  if (calleeId === undefined || caller === undefined) return [];
  const { leg, effects } = ring(desk, call, {
    purpose: 'callee',
    to: { kind: 'agent', agentId: calleeId },
    callerIdNumber: caller.exten ?? caller.profile.agentId,
    callerIdName: caller.profile.name,
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'callee-leg',
    askedBy: { agentId: caller.profile.agentId, cmdType: 'callagent' },
  }, now);
  call.customerUuid = leg.uuid;
  return effects;
}
