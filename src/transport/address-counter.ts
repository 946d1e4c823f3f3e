/**
 * Agent connections open per address (TCP and WebSocket together), against
 * agent.maxConnectionsPerAddress: a client that opens more is refused (-88) instead of
 * holding sockets, sign-in timers and buffers without end.
 */
interface Entry {
  open: number;
  /** Connections refused since the last line in the log. */
  refused: number;
  reportedAt: number;
}

/** One log line per address and second at most, however fast it opens connections. */
const REPORT_EVERY_MS = 1000;

export class AddressCounter {
  private readonly byAddress = new Map<string, Entry>();

  /** `max` 0: no cap. */
  constructor(private readonly max: number) {}

  /** Counts a new connection from `key`; false (and nothing counted) when the address has its maximum. */
  take(key: string): boolean {
    const entry = this.byAddress.get(key);
    if (entry === undefined) {
      this.byAddress.set(key, { open: 1, refused: 0, reportedAt: -Infinity });
      return true;
    }
    if (this.max > 0 && entry.open >= this.max) {
      entry.refused++;
      return false;
    }
    entry.open++;
    return true;
  }

  release(key: string): void {
    const entry = this.byAddress.get(key);
    if (entry === undefined) return;
    // Refused connections are never counted, so an address at its cap always has an entry.
    if (--entry.open <= 0) this.byAddress.delete(key);
  }

  /** After a refusal: how many to report for `key` now, or undefined when it was reported less than a second ago. */
  refusalsToReport(key: string, now: number): number | undefined {
    const entry = this.byAddress.get(key);
    if (entry === undefined || now - entry.reportedAt < REPORT_EVERY_MS) return undefined;
    const refused = entry.refused;
    entry.refused = 0;
    entry.reportedAt = now;
    return refused;
  }
}
