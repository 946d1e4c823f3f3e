/**
 * The outbox as the delivery sees it: rows of lanes (a target, or one export's callback),
 * read in id order, deleted when delivered, retried later or marked dead. The engine's
 * store implements it (src/store/outbox-store.ts): only the engine holds the database.
 */

/** One push for one lane, as it is written. */
export interface OutboxEntry {
  readonly lane: string;
  readonly event: string;
  readonly eventId: string;
  readonly body: string;
  readonly factAt: number;
  /** Where a callback goes; undefined: the lane's target URL of the moment. */
  readonly url?: string;
  /** How a callback is signed (auth-v2:<ak>); undefined: the target's secret. */
  readonly auth?: string;
}

export interface OutboxRow {
  readonly id: number;
  readonly lane: string;
  readonly event: string;
  readonly eventId: string;
  readonly url: string | null;
  readonly auth: string | null;
  readonly body: string;
  readonly factAt: number;
  readonly createdAt: number;
  readonly state: 'pending' | 'dead';
  readonly attempts: number;
  readonly nextAt: number;
  readonly lastError: string | null;
  readonly deadAt: number | null;
}

export interface LaneCounts {
  readonly pending: number;
  readonly dead: number;
}

/** Rows per lane the delivery thread deleted (by the state it found them in) or made dead, for the main thread's counts. */
export interface OutboxChanges {
  readonly deletedPending: ReadonlyArray<readonly [string, number]>;
  readonly deletedDead: ReadonlyArray<readonly [string, number]>;
  readonly killed: ReadonlyArray<readonly [string, number]>;
}

/** What the delivery worker and the admin API do with the outbox. */
export interface Outbox {
  /** Lanes with pending rows. */
  lanes(): string[];
  /** Lanes with pending or dead rows. */
  knownLanes(): Set<string>;
  /** The next pending rows of a lane after `afterId`, in order. */
  head(lane: string, afterId: number, limit: number): OutboxRow[];
  delivered(row: OutboxRow): void;
  retry(id: number, attempts: number, nextAt: number, error: string): void;
  /** Marks a row dead (with the attempts it had, when given). */
  kill(lane: string, id: number, reason: string, now: number, attempts?: number): void;
  counts(lane: string): LaneCounts;
  /** When the oldest pending row of a lane was written. */
  oldestPending(lane: string): number | undefined;
  list(lane: string, state: 'pending' | 'dead', afterId: number, limit: number): OutboxRow[];
  /** Dead rows of a lane back to pending (all, or one): how many. */
  resend(lane: string, id?: number): number;
  /** A lane's rows deleted (its target removed): how many. */
  dropLane(lane: string): number;
}

/** For /health and the admin API: pushes waiting over the given lanes, seconds the oldest has waited (null: none), dead pushes. */
export function backlogStats(outbox: Pick<Outbox, 'counts' | 'oldestPending'>, lanes: Iterable<string>, now: number): { backlog: number; oldestAgeSeconds: number | null; dead: number } {
  let backlog = 0;
  let dead = 0;
  let oldest: number | undefined;
  for (const lane of lanes) {
    const counts = outbox.counts(lane);
    backlog += counts.pending;
    dead += counts.dead;
    if (counts.pending === 0) continue;
    const at = outbox.oldestPending(lane);
    if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
  }
  return { backlog, oldestAgeSeconds: oldest === undefined ? null : Math.max(0, Math.round((now - oldest) / 1000)), dead };
}
