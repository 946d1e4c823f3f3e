/**
 * Agent connections open per address (TCP and WebSocket together), against
 * agent.maxConnectionsPerAddress: a client that opens more is refused (-88) instead of
 * holding sockets, sign-in timers and buffers without end.
 */
export class AddressCounter {
  private readonly open = new Map<string, number>();

  /** `max` 0: no cap. */
  constructor(private readonly max: number) {}

  /** Counts a new connection from `key`; false (and nothing counted) when the address has its maximum. */
  take(key: string): boolean {
    const n = this.open.get(key) ?? 0;
    if (this.max > 0 && n >= this.max) return false;
    this.open.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.open.get(key) ?? 0;
    if (n <= 1) this.open.delete(key);
    else this.open.set(key, n - 1);
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
