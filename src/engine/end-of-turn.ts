/**
 * What the steps of one event-loop turn leave to its end: their rows, then what leaves the
 * process. Under load one turn carries many steps (the ESL delivery queue hands up to 256
 * switch events over in one synchronous slice; an agent's data chunk may hold several
 * requests), and one SQLite commit per step and one socket write per message were a third
 * of polylink's busy time. So a step's rows are added to the row writer and its switch
 * commands and bar messages wait here; once the turn's synchronous work is done (a
 * microtask: before any other I/O callback or timer runs) the rows of every step are
 * committed together, and only then do the commands and messages go out, each
 * connection's in one write. (Ending the turn after the whole I/O pass instead, with
 * setImmediate, was tried in round 20 and taken back: it made one turn of every request
 * read together, 1.5 s held at once when 5,000 agents changed state, and the storm's and
 * `large`'s p99 worse; docs/scaling.md.) A bar or the switch therefore never hears of a
 * step whose rows are not committed (or, while the database refuses writes, kept in order
 * by the row writer).
 *
 * `flush()` does it now: at stop, and before a read of the store that must see the turn's
 * rows.
 */
import type { Logger } from '../log.js';
import type { RowEffect } from './store.js';
import { TurnTally } from './turn-tally.js';

/** What end-of-turn needs of the row writer (row-writer.ts). */
export interface TurnRows {
  add(rows: readonly RowEffect[]): void;
  flush(): void;
}

export class EndOfTurn {
  private scheduled = false;
  private outgoing: (() => void)[] = [];

  constructor(
    private readonly rows: TurnRows,
    private readonly log: Logger,
    /** How the end of the turn is reached: a microtask, so nothing else runs in between. */
    private readonly schedule: (flush: () => void) => void = queueMicrotask,
    /** Counts what the turns carry, for the long-turn watch (app/turn-watch.ts). */
    private readonly tally: TurnTally = new TurnTally(),
  ) {}

  /** One step's rows, committed at the end of the turn with the other steps'. */
  addRows(rows: readonly RowEffect[]): void {
    if (rows.length === 0) return;
    this.tally.rows += rows.length;
    this.rows.add(rows);
    this.soon();
  }

  /** Sends something out once the turn's rows are committed, in the order given. */
  afterRows(send: () => void): void {
    this.outgoing.push(send);
    this.soon();
  }

  /** The rows now, then what waits to go out. What these add is left to the next end of turn. */
  flush(): void {
    this.scheduled = false;
    const tally = this.tally;
    const start = performance.now();
    try {
      this.rows.flush();
    } catch (err) {
      // The row writer logs what it loses; a throw here would leave the messages unsent.
      this.log.error({ err }, 'writing the turn’s rows failed');
    }
    const committed = performance.now();
    const outgoing = this.outgoing;
    this.outgoing = [];
    for (const send of outgoing) {
      try {
        send();
      } catch (err) {
        this.log.error({ err }, 'sending at the end of the turn failed');
      }
    }
    const commitMs = committed - start;
    tally.flushes++;
    tally.commitMs += commitMs;
    if (commitMs > tally.maxCommitMs) tally.maxCommitMs = commitMs;
    tally.sends += outgoing.length;
    tally.sendMs += performance.now() - committed;
  }

  private soon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      if (this.scheduled) this.flush();
    });
  }
}
