/**
 * Slows password guessing: after `maxFailures` wrong passwords for one agent ID within
 * `windowMs`, further sign-ins for it are refused (-53, without checking the password)
 * until `blockMs` has passed since the last failure.
 */
export class SigninGuard {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 5,
    private readonly windowMs = 5 * 60_000,
    private readonly blockMs = 5 * 60_000,
  ) {}

  blocked(agentId: string, now: number): boolean {
    const recent = this.recent(agentId, now);
    if (recent.length < this.maxFailures) return false;
    return now - recent[recent.length - 1]! < this.blockMs;
  }

  failed(agentId: string, now: number): void {
    const recent = this.recent(agentId, now);
    recent.push(now);
    this.failures.set(agentId, recent.slice(-this.maxFailures));
  }

  succeeded(agentId: string): void {
    this.failures.delete(agentId);
  }

  private recent(agentId: string, now: number): number[] {
    const horizon = Math.max(this.windowMs, this.blockMs);
    return (this.failures.get(agentId) ?? []).filter((t) => now - t < horizon);
  }
}
