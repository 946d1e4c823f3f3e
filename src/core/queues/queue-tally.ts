/**
 * The wallboard's day, counted as it happens (not read back from the CDR table): for
 * each queue, what became of the customers that came to it, how long they waited and
 * how long their calls took. The figures are worked out from these counts when asked
 * (docs/protocol.md "The wallboard's figures" defines each).
 */

/** How a customer's time in a queue ended. */
export type QueueExit = 'answered' | 'abandoned' | 'overflowed';

export interface TallyThresholds {
  /** Answered within this many seconds counts toward the service level. */
  readonly serviceLevelSeconds: number;
  /** Gone within this many seconds: a short abandon, counted apart. */
  readonly shortAbandonSeconds: number;
}

/** One queue's (or the whole centre's) counts of one day. */
export interface Tally {
  /** Customers that came to the queue (each entry counts; turned away full or with nobody signed in too). */
  offered: number;
  answered: number;
  answeredInThreshold: number;
  /** Hung up while waiting (or while an agent's phone rang), after the short-abandon threshold. */
  abandoned: number;
  shortAbandoned: number;
  /** Left otherwise: timed out, pressed the leave key, turned away, moved to another queue. */
  overflowed: number;
  /** Milliseconds the answered customers waited, together. */
  answerWaitMs: number;
  /** Answered calls that have ended, and their talk, hold and after-call work together. */
  handled: number;
  handleMs: number;
}

export function emptyTally(): Tally {
  return { offered: 0, answered: 0, answeredInThreshold: 0, abandoned: 0, shortAbandoned: 0, overflowed: 0, answerWaitMs: 0, handled: 0, handleMs: 0 };
}

/** Adds a customer's exit after `waitedMs` in the queue. */
export function countExit(t: Tally, exit: QueueExit, waitedMs: number, thresholds: TallyThresholds): void {
  switch (exit) {
    case 'answered':
      t.answered++;
      t.answerWaitMs += waitedMs;
      if (waitedMs <= thresholds.serviceLevelSeconds * 1000) t.answeredInThreshold++;
      return;
    case 'abandoned':
      if (waitedMs < thresholds.shortAbandonSeconds * 1000) t.shortAbandoned++;
      else t.abandoned++;
      return;
    case 'overflowed':
      t.overflowed++;
  }
}

export function addTally(into: Tally, t: Tally): void {
  for (const key of Object.keys(into) as (keyof Tally)[]) into[key] += t[key];
}

/** A ratio as text with one decimal; empty when nothing was counted yet (no figure, rather than a false 0 or 100). */
function ratio(part: number, whole: number, scale: number): string {
  return whole === 0 ? '' : (Math.round((part / whole) * scale * 10) / 10).toFixed(1);
}

/**
 * The figures of a tally, as Queue_Statis_Struct's added fields. Customers whose wait
 * ended (answered, abandoned, overflowed; short abandons aside) are the base of the
 * service level and the abandon rate.
 */
export function tallyFields(t: Tally, thresholds: TallyThresholds): Record<string, string> {
  const ended = t.answered + t.abandoned + t.overflowed;
  return {
    offered_amount: String(t.offered),
    answered_amount: String(t.answered),
    answered_in_threshold_amount: String(t.answeredInThreshold),
    abandoned_amount: String(t.abandoned),
    short_abandoned_amount: String(t.shortAbandoned),
    overflowed_amount: String(t.overflowed),
    handled_amount: String(t.handled),
    service_level_seconds: String(thresholds.serviceLevelSeconds),
    short_abandon_seconds: String(thresholds.shortAbandonSeconds),
    service_level: ratio(t.answeredInThreshold, ended, 100),
    abandon_rate: ratio(t.abandoned, ended, 100),
    average_speed_of_answer: ratio(t.answerWaitMs, t.answered, 1 / 1000),
    average_handle_time: ratio(t.handleMs, t.handled, 1 / 1000),
  };
}
