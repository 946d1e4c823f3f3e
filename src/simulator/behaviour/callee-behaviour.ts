/**
 * How a simulated phone or a number behind a trunk reacts to a call the switch makes to
 * it. Changeable at any time; a call already ringing keeps the behaviour it started with.
 */
export type CalleeBehaviour =
  /** Rings, answers after `afterMs`; optionally hangs up `hangupAfterMs` after answering and presses DTMF. */
  | {
      readonly kind: 'answer';
      readonly afterMs?: number;
      /** With afterMs: answer after a uniformly random time in [afterMs, afterMsMax] (load tests). */
      readonly afterMsMax?: number;
      readonly hangupAfterMs?: number;
      readonly dtmf?: { readonly digits: string; readonly afterMs: number };
    }
  /** Rings until the originate times out: NO_ANSWER (capture g: originate_timeout=3). */
  | { readonly kind: 'no-answer' }
  /** 486 Busy Here: USER_BUSY (capture g). */
  | { readonly kind: 'busy'; readonly afterMs?: number }
  /** 603 Decline: CALL_REJECTED. */
  | { readonly kind: 'reject'; readonly afterMs?: number }
  /** 503 from the far end: NORMAL_CIRCUIT_CONGESTION (a carrier with no free line). */
  | { readonly kind: 'congestion'; readonly afterMs?: number }
  /** Nothing answers the INVITE: NORMAL_TEMPORARY_FAILURE (capture g: nothing on :5189). */
  | { readonly kind: 'unreachable' };

export const ANSWER_AT_ONCE: CalleeBehaviour = { kind: 'answer', afterMs: 0 };

/** The hangup cause a refusing behaviour produces. */
export function refusalCause(b: CalleeBehaviour): string | undefined {
  switch (b.kind) {
    case 'busy':
      return 'USER_BUSY';
    case 'reject':
      return 'CALL_REJECTED';
    case 'congestion':
      return 'NORMAL_CIRCUIT_CONGESTION';
    case 'unreachable':
      return 'NORMAL_TEMPORARY_FAILURE';
    default:
      return undefined;
  }
}

/** The answer delay of one call: fixed, or drawn from [afterMs, afterMsMax]. */
export function answerDelay(b: Extract<CalleeBehaviour, { kind: 'answer' }>, random: () => number = Math.random): number {
  const min = b.afterMs ?? 0;
  if (b.afterMsMax === undefined || b.afterMsMax <= min) return min;
  return Math.round(min + random() * (b.afterMsMax - min));
}
