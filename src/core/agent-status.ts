/**
 * Agent_Status as the server defines it (seed 002 §3.2.5; spec §5). Custom not-ready
 * statuses of a deployment are numbered from 100.
 */

export const AgentStatus = {
  UNKNOWN: -2,
  OFFLINE: -1,
  IDLE: 0,
  RING: 1,
  TALKING: 2,
  HOLD: 3,
  /** After-call work (后处理). */
  ACW: 4,
  /** Reserved for a call that is being set up for this agent (预占). */
  CAMP_ON: 5,
  BUSY: 6,
  LEAVE: 7,
  /** Outbound mode: the agent dials out and takes no queue calls. */
  CALL_OUT: 8,
  CALLING_OUT: 10,
  MUTE: 11,
  /** A request value only: return to the state before. */
  RESTORE: 999,
} as const;

export type AgentStatusValue = number;

export const FIRST_CUSTOM_STATUS = 100;
export const LAST_CUSTOM_STATUS = 998;

const NAMES: Record<number, string> = {
  [-2]: 'UNKNOWN',
  [-1]: 'OFFLINE',
  0: 'IDLE',
  1: 'RING',
  2: 'TALKING',
  3: 'HOLD',
  4: 'ACW',
  5: 'CAMP_ON',
  6: 'BUSY',
  7: 'LEAVE',
  8: 'CALL_OUT',
  10: 'CALLING_OUT',
  11: 'MUTE',
  999: 'RESTORE',
};

export function statusName(status: number): string {
  return NAMES[status] ?? (isCustomStatusNumber(status) ? `CUSTOM_${status}` : `STATUS_${status}`);
}

export function isCustomStatusNumber(status: number): boolean {
  return Number.isInteger(status) && status >= FIRST_CUSTOM_STATUS && status <= LAST_CUSTOM_STATUS;
}

/** States in which the agent has a call (or one is being set up for it). */
export function isCallStatus(status: number): boolean {
  return (
    status === AgentStatus.RING ||
    status === AgentStatus.TALKING ||
    status === AgentStatus.HOLD ||
    status === AgentStatus.MUTE ||
    status === AgentStatus.CALLING_OUT ||
    status === AgentStatus.CAMP_ON
  );
}

/** States an agent rests in between calls and may choose by hand. */
export function isSelectableStatus(status: number): boolean {
  return (
    status === AgentStatus.IDLE ||
    status === AgentStatus.BUSY ||
    status === AgentStatus.LEAVE ||
    status === AgentStatus.CALL_OUT ||
    isCustomStatusNumber(status)
  );
}

/** Parses a status as the protocol carries it: decimal text, nothing else. */
export function parseStatus(text: string): number | undefined {
  if (!/^-?\d{1,4}$/.test(text)) return undefined;
  return Number(text);
}
