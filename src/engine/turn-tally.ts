/**
 * What the event loop carried since it was last read: switch events, core steps, rows and
 * the time their commit took, messages and commands sent after the rows and the time that
 * took. The engine counts as it goes (a few additions per step); the long-turn watch
 * (app/turn-watch.ts) reads and resets it at each of its ticks, so that a turn that held
 * the loop long can be told apart: thousands of events in one turn, a slow SQLite commit,
 * a burst of socket writes, or none of these (then garbage collection or a timer).
 */
export class TurnTally {
  switchEvents = 0;
  steps = 0;
  rows = 0;
  /** End-of-turn flushes (one per turn that had rows or messages). */
  flushes = 0;
  /** Time in the SQLite commits of those flushes, ms. */
  commitMs = 0;
  /** The longest single commit, ms. */
  maxCommitMs = 0;
  /** Messages and switch commands sent after the rows. */
  sends = 0;
  /** Time spent sending them, ms. */
  sendMs = 0;

  /** The counts so far, and a fresh start. */
  take(): TurnCounts {
    const counts: TurnCounts = {
      switchEvents: this.switchEvents,
      steps: this.steps,
      rows: this.rows,
      flushes: this.flushes,
      commitMs: round(this.commitMs),
      maxCommitMs: round(this.maxCommitMs),
      sends: this.sends,
      sendMs: round(this.sendMs),
    };
    this.switchEvents = 0;
    this.steps = 0;
    this.rows = 0;
    this.flushes = 0;
    this.commitMs = 0;
    this.maxCommitMs = 0;
    this.sends = 0;
    this.sendMs = 0;
    return counts;
  }
}

export interface TurnCounts {
  readonly switchEvents: number;
  readonly steps: number;
  readonly rows: number;
  readonly flushes: number;
  readonly commitMs: number;
  readonly maxCommitMs: number;
  readonly sends: number;
  readonly sendMs: number;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
