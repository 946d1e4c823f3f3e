/**
 * Says whether a consumer is behind its producer, with hysteresis: it becomes behind
 * when the oldest item waiting is `enterAgeMs` old or `enterDepth` items wait, and
 * catches up only once both are down to `leaveAgeMs` and `leaveDepth`. The gap between
 * the two thresholds keeps a consumer hovering at the edge from flapping between the
 * states on every item.
 */

export interface BehindLimits {
  /** Behind once the oldest undelivered item waited this long… */
  readonly enterAgeMs: number;
  /** …or this many items wait. */
  readonly enterDepth: number;
  /** Caught up once the oldest waited at most this long… */
  readonly leaveAgeMs: number;
  /** …and at most this many wait. */
  readonly leaveDepth: number;
}

/**
 * 2 s of wait is far beyond the ~1 ms a switch event waits at normal load, and short
 * enough that a customer parked behind it has not yet been kept noticeably long; 5,000
 * events is ~1.7 s of the large scenario's ~3,000 events/s.
 */
export const DEFAULT_BEHIND_LIMITS: BehindLimits = { enterAgeMs: 2_000, enterDepth: 5_000, leaveAgeMs: 500, leaveDepth: 1_000 };

export class BehindGauge {
  private behind = false;
  private count = 0;

  constructor(private readonly limits: BehindLimits) {}

  get isBehind(): boolean {
    return this.behind;
  }

  /** Times the consumer fell behind. */
  get times(): number {
    return this.count;
  }

  /** Takes the backlog as it is now; returns the new state when it changed, else undefined. */
  update(depth: number, oldestAgeMs: number): boolean | undefined {
    const l = this.limits;
    if (!this.behind) {
      if (oldestAgeMs < l.enterAgeMs && depth < l.enterDepth) return undefined;
      this.behind = true;
      this.count++;
      return true;
    }
    if (oldestAgeMs > l.leaveAgeMs || depth > l.leaveDepth) return undefined;
    this.behind = false;
    return false;
  }
}
