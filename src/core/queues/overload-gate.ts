/**
 * Overload: while the engine says polylink is behind the switch (its switch events wait
 * longer than freeswitch.overload allows), a customer entering a queue — from its access
 * number, back from an IVR, or handed on by another queue's overflow — is treated as if
 * the queue were full: the queue's overflow rule takes it (another queue, which is just as
 * behind and so passes it on; an IVR, voicemail, an outside number). A queue with no
 * overflow keeps the caller waiting: released, it would lose its call because polylink
 * is busy (overflow.ts, overflowLeadsSomewhere). Queued behind a backlog, it would only
 * wait longer for an agent polylink cannot offer in time, and add to the work it is
 * behind on. Customers already waiting, transferred by an agent, or back at the head
 * after a failed offer keep their place.
 */

/** What /health and the load harness read. */
export interface OverloadFigures {
  /** Whether polylink is behind the switch now. */
  readonly on: boolean;
  /** Customers turned to their queue's overflow because of it, since the start. */
  readonly turnedAway: number;
}

export class OverloadGate implements OverloadFigures {
  private state = false;
  private turned = 0;

  get on(): boolean {
    return this.state;
  }

  get turnedAway(): number {
    return this.turned;
  }

  /** The engine's word (the core input `overload`). */
  set(on: boolean): void {
    this.state = on;
  }

  /** Whether this customer entering a queue is turned away (counted once, when it first is: not again as it overflows on). */
  turnsAway(entry: { readonly direct?: boolean; readonly hops?: number }): boolean {
    if (!this.state || (entry.direct !== true && (entry.hops ?? 0) === 0)) return false;
    if ((entry.hops ?? 0) === 0) this.turned++;
    return true;
  }
}
