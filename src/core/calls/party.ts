/**
 * The third party of a consult, a three-way call or a blind transfer: another agent
 * (checked like the callee of an internal call) or an outside number.
 */
import { PHONE_NUMBER } from '../../numbers/phone-number.js';
import { AgentStatus } from '../agent-status.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { gatewayFor, type Destination } from './leg-factory.js';


export function resolveParty(
  desk: CallDesk,
  call: Call,
  agentId: string,
  target: string,
  outbound: boolean,
  /** States the target agent may be in: consult and three-way take any free agent, a transfer an idle one. */
  freeStates: readonly number[],
): { code: number; to?: Destination } {
  if (outbound) {
    if (!PHONE_NUMBER.test(target)) return { code: Outcome.BAD_PARAMETER };
    return { code: 0, to: { kind: 'number', number: target, gateway: gatewayFor(desk, call) } };
  }
  if (target === agentId) return { code: Outcome.CALLER_IS_CALLEE };
  const session = desk.agents.session(target);
  if (session === undefined || session.profile.accountId !== call.accountId) return { code: Outcome.CALLEE_NOT_FOUND };
  if (!freeStates.includes(session.machine.status) || desk.registry.ofAgent(target) !== undefined) return { code: Outcome.CALLEE_STATE_ERROR };
  if (!session.bindExten || session.exten === null) return { code: Outcome.CALLEE_EXTEN_NOT_BOUND };
  if (!session.extenIsOutbound && desk.deps.isRegistered(session.exten) === false) return { code: Outcome.CALLEE_EXTEN_STATE_ERROR };
  return { code: 0, to: { kind: 'agent', agentId: target } };
}

/** A transfer target must be ready for a customer: IDLE (or in outbound mode). */
export const TRANSFER_TARGET_STATES: readonly number[] = [AgentStatus.IDLE, AgentStatus.CALL_OUT];
