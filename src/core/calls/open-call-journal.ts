/**
 * Calls are written down as they go, not only at an orderly stop: after every step, each
 * call the step looked up, added or removed (CallRegistry.takeTouched) whose snapshot
 * changed is saved to `open_calls`, and a call that left the registry is taken out. So a
 * polylink killed with SIGKILL, or a machine that loses power, leaves behind the calls it
 * had, and the next start follows them (held-over.ts): talking calls go on untouched, and
 * each call that ended meanwhile gets its one CDR.
 *
 * Only the touched calls are compared, so a step costs the calls it concerns, not every
 * call up; an unchanged snapshot is not written again.
 */
import type { CoreEffect } from '../effects.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { snapshotJson, snapshotOf, type CallSnapshot } from './call-snapshot.js';

export class OpenCallJournal {
  /** The JSON last written per call id: what is in `open_calls` now. */
  private readonly written = new Map<string, string>();

  constructor(private readonly desk: CallDesk) {}

  /** The row changes of this step's calls: at most one `journal-open-calls` effect. */
  changes(now: number): CoreEffect[] {
    const changed: CallSnapshot[] = [];
    const closed: string[] = [];
    for (const call of this.desk.registry.takeTouched()) {
      if (!this.isOpen(call)) {
        if (this.written.delete(call.id)) closed.push(call.id);
        continue;
      }
      const snapshot = snapshotOf(call);
      const json = snapshotJson(snapshot);
      if (this.written.get(call.id) === json) continue;
      this.written.set(call.id, json);
      changed.push(snapshot);
    }
    return changed.length === 0 && closed.length === 0 ? [] : [{ type: 'journal-open-calls', changed, closed, at: now }];
  }

  /** A call worth keeping across a crash: in the registry, not ended, with a leg up. */
  private isOpen(call: Call): boolean {
    return this.desk.registry.has(call) && !call.ended && call.liveLegs().length > 0;
  }
}
