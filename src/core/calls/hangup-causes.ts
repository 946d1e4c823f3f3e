/**
 * What a ringing leg's hangup cause says about the person it rang. FreeSWITCH's causes
 * (Q.850 names) mix "nobody took it" with "it never got there"; the ACD counts only the
 * first against an agent.
 */

/** The phone rang and was not taken: let ring out, declined, busy. */
const REFUSALS: ReadonlySet<string> = new Set([
  'NO_ANSWER',
  'NO_USER_RESPONSE',
  'USER_BUSY',
  'CALL_REJECTED',
  'ALLOTTED_TIMEOUT',
  'PROGRESS_TIMEOUT',
]);

/**
 * True when the person (or their phone) turned the call down; false when the call could
 * not reach them (SWITCH_CONGESTION, DESTINATION_OUT_OF_ORDER, USER_NOT_REGISTERED,
 * RECOVERY_ON_TIMER_EXPIRE …) — which says nothing about the person.
 */
export function isRefusal(cause: string): boolean {
  return REFUSALS.has(cause);
}
