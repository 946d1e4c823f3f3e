/**
 * Agent_Status as the page names it: the protocol's states by the page's words, the
 * deployment's custom not-ready states (from 100) by the names getagentdefinestatus gives;
 * and the states an agent may pick in the selector and for after a call.
 */
import { AgentStatus } from '../../sdk/src/index.js';
import type { Translate } from '../../shared/i18n.js';
import type { TextKey } from './texts.js';

export interface CustomState {
  readonly status: string;
  readonly name: string;
}

const NAMES: Readonly<Record<number, TextKey>> = {
  [AgentStatus.OFFLINE]: 'statusOffline',
  [AgentStatus.IDLE]: 'statusIdle',
  [AgentStatus.RING]: 'statusRing',
  [AgentStatus.TALKING]: 'statusTalking',
  [AgentStatus.HOLD]: 'statusHold',
  [AgentStatus.ACW]: 'statusAcw',
  [AgentStatus.CAMP_ON]: 'statusCampOn',
  [AgentStatus.BUSY]: 'statusBusy',
  [AgentStatus.LEAVE]: 'statusLeave',
  [AgentStatus.CALL_OUT]: 'statusCallOut',
  [AgentStatus.CALLING_OUT]: 'statusCallingOut',
  [AgentStatus.MUTE]: 'statusMute',
};

export function statusName(status: string, custom: readonly CustomState[], t: Translate<TextKey>): string {
  const key = NAMES[Number(status)];
  if (key !== undefined) return t(key);
  return custom.find((c) => c.status === status)?.name ?? status;
}

/** What the state selector offers: idle, busy, leave (unless it needs an application), call-out mode, the custom states. */
export function selectableStates(custom: readonly CustomState[], leaveRequiresApproval: boolean): string[] {
  const fixed = [AgentStatus.IDLE, AgentStatus.BUSY, ...(leaveRequiresApproval ? [] : [AgentStatus.LEAVE]), AgentStatus.CALL_OUT].map(String);
  return [...fixed, ...custom.map((c) => c.status)];
}

/** What the after-call selector offers (setagentstateafterhangup): after-call work (4, the default) or a state to rest in. */
export function afterHangupStates(custom: readonly CustomState[], leaveRequiresApproval: boolean): string[] {
  return [String(AgentStatus.ACW), ...selectableStates(custom, leaveRequiresApproval)];
}

/** The states sign-in accepts: idle, busy, call-out mode, and the custom states remembered from the last sign-in. */
export function signInStates(custom: readonly CustomState[]): string[] {
  return [AgentStatus.IDLE, AgentStatus.BUSY, AgentStatus.CALL_OUT].map(String).concat(custom.map((c) => c.status));
}
