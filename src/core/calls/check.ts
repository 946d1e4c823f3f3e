/**
 * check (seed 002 DoCheck): a loop-back test of the agent's phone. The phone rings;
 * answered, the agent hears itself (FreeSWITCH's echo) and gets CheckExtenEvent. The
 * agent is held (CAMP_ON) for the test so that no queue call rings the busy phone.
 */
import { AgentStatus, isCallStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { Call } from './call-model.js';
import { ring } from './leg-factory.js';

export function check(desk: CallDesk, agentId: string, now: number): { code: number; effects: CoreEffect[] } {
  const session = desk.agents.session(agentId);
  if (session === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
  if (isCallStatus(session.machine.status) || session.machine.status === AgentStatus.OFFLINE || desk.registry.ofAgent(agentId) !== undefined) {
    return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  }
  if (!session.bindExten || session.exten === null) return { code: Outcome.EXTEN_NOT_BOUND, effects: [] };
  if (!session.extenIsOutbound && desk.deps.isRegistered(session.exten) === false) return { code: Outcome.BOUND_EXTEN_STATE_ERROR, effects: [] };
  if (!desk.deps.switchReady()) return { code: Outcome.CALL_MODULE_FAILED, effects: [] };
  const call = new Call(desk.deps.newId(), 'check', session.profile.accountId, undefined, now);
  call.agentId = agentId;
  call.agents.push(agentId);
  desk.registry.add(call);
  const leg = ring(desk, call, {
    purpose: 'check',
    to: { kind: 'agent', agentId },
    callerIdNumber: session.exten,
    callerIdName: 'Loop-back test',
    timeoutSeconds: desk.options.agentRingSeconds,
    app: { kind: 'echo' },
    step: 'check-leg',
    askedBy: { agentId, cmdType: 'check' },
  }, now);
  call.agentUuid = leg.leg.uuid;
  return { code: 0, effects: [...desk.agentInput(agentId, { type: 'RESERVE' }, agentId, 'check', now), ...leg.effects] };
}
