/**
 * The states an agent may pick in the selector, for after a call and to sign in with; their
 * names are web/shared/status-names.ts'.
 */
import { AgentStatus } from '../../sdk/src/index.js';
import type { CustomState } from '../../shared/status-names.js';

export { signInStates, statusName, type CustomState } from '../../shared/status-names.js';

/** What the state selector offers: idle, busy, leave (unless it needs an application), call-out mode, the custom states. */
export function selectableStates(custom: readonly CustomState[], leaveRequiresApproval: boolean): string[] {
  const fixed = [AgentStatus.IDLE, AgentStatus.BUSY, ...(leaveRequiresApproval ? [] : [AgentStatus.LEAVE]), AgentStatus.CALL_OUT].map(String);
  return [...fixed, ...custom.map((c) => c.status)];
}

/** What the after-call selector offers (setagentstateafterhangup): after-call work (4, the default) or a state to rest in. */
export function afterHangupStates(custom: readonly CustomState[], leaveRequiresApproval: boolean): string[] {
  return [String(AgentStatus.ACW), ...selectableStates(custom, leaveRequiresApproval)];
}
