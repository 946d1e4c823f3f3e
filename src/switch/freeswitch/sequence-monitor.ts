/**
 * Noticing that events were lost, so the reconciler can repair the picture.
 *
 * Event-Sequence is one counter for the whole switch, stamped on every event fired,
 * and several dispatch threads deliver events to a listener: with a filtered
 * subscription most numbers belong to events we did not ask for, and even with
 * `event plain ALL` the real captures skip numbers (b: 675; g: 1577, 1580, 1584,
 * 1647) and deliver them out of order by up to 33 places. A gap in Event-Sequence is
 * therefore counted, for the record, but is not evidence of loss.
 *
 * What is evidence:
 * - Core-UUID changed: FreeSWITCH restarted; every channel we knew is gone. The node
 *   asks for it on every connect (identify), and every event carries it.
 * - A hole in the session ids of CHANNEL_CREATE. FreeSWITCH numbers sessions
 *   1, 2, 3… (`variable_session_id`) and we subscribe to every CHANNEL_CREATE, so an
 *   id that does not arrive within `reorderGraceMs` of a later one was lost — and
 *   with it, most likely, other events of the same burst (mod_event_socket drops
 *   events when a listener's queue is full).
 */
import type { EslEvent } from '../../esl/event.js';

export type ResyncReason = 'switch-restarted' | 'events-lost';

export interface SequenceStats {
  /** Event-Sequence numbers skipped between consecutive events (normal with a filtered subscription). */
  readonly sequenceSkipped: number;
  /** Events that arrived after one with a higher Event-Sequence. */
  readonly outOfOrder: number;
  /** CHANNEL_CREATE session ids that never arrived. */
  readonly lostCreates: number;
  readonly restarts: number;
}

/** More missing ids than this at once is a burst: count it lost without tracking each id. */
const MAX_TRACKED_HOLES = 10_000;

export class SequenceMonitor {
  private coreUuid: string | undefined;
  private highestSequence: number | undefined;
  private nextSessionId: number | undefined;
  /** Missing session id → the time by which it must have arrived. */
  private readonly holes = new Map<number, number>();
  private stats = { sequenceSkipped: 0, outOfOrder: 0, lostCreates: 0, restarts: 0 };

  constructor(private readonly reorderGraceMs = 2_000) {}

  get counters(): SequenceStats {
    return { ...this.stats };
  }

  /** The earliest time check() could report a loss, if any hole is open. */
  get nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const due of this.holes.values()) if (earliest === undefined || due < earliest) earliest = due;
    return earliest;
  }

  /** A new session: the events in between are the reconciler's business, not holes. */
  newSession(): void {
    this.highestSequence = undefined;
    this.nextSessionId = undefined;
    this.holes.clear();
  }

  /**
   * The switch's Core-UUID as it says on connect (`global_getvar core_uuid`), so that a
   * restart is known before its first event arrives.
   */
  identify(core: string): ResyncReason | undefined {
    return this.sawCore(core) ? 'switch-restarted' : undefined;
  }

  observe(event: EslEvent, now: number): ResyncReason | undefined {
    const h = event.headers;
    const core = h['Core-UUID'];
    if (core !== undefined && this.sawCore(core)) return 'switch-restarted';

    const sequence = Number(h['Event-Sequence']);
    if (Number.isSafeInteger(sequence)) {
      if (this.highestSequence === undefined) this.highestSequence = sequence;
      else if (sequence > this.highestSequence) {
        this.stats.sequenceSkipped += sequence - this.highestSequence - 1;
        this.highestSequence = sequence;
      } else this.stats.outOfOrder++;
    }

    if (event.name === 'CHANNEL_CREATE') {
      const id = Number(h['variable_session_id']);
      if (Number.isSafeInteger(id) && id > 0) return this.sessionCreated(id, now);
    }
    return this.check(now);
  }

  /** Notes the core; true when it differs from the one seen before (the switch restarted). */
  private sawCore(core: string): boolean {
    const restarted = this.coreUuid !== undefined && core !== this.coreUuid;
    this.coreUuid = core;
    if (!restarted) return false;
    this.stats.restarts++;
    this.newSession();
    return true;
  }

  /** Reports holes whose grace period has passed. */
  check(now: number): ResyncReason | undefined {
    let lost = 0;
    for (const [id, due] of this.holes) {
      if (due <= now) {
        this.holes.delete(id);
        lost++;
      }
    }
    if (lost === 0) return undefined;
    this.stats.lostCreates += lost;
    return 'events-lost';
  }

  private sessionCreated(id: number, now: number): ResyncReason | undefined {
    if (this.nextSessionId === undefined) {
      this.nextSessionId = id + 1;
      return this.check(now);
    }
    if (id < this.nextSessionId) {
      this.holes.delete(id); // late, not lost
      return this.check(now);
    }
    const missing = id - this.nextSessionId;
    this.nextSessionId = id + 1;
    if (missing > MAX_TRACKED_HOLES) {
      this.stats.lostCreates += missing;
      return 'events-lost';
    }
    for (let hole = id - missing; hole < id; hole++) this.holes.set(hole, now + this.reorderGraceMs);
    return this.check(now);
  }
}
