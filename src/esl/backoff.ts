/**
 * Reconnect delays: exponential from `initialMs` up to `maxMs`, each one shortened by
 * a random part of up to `jitter` so that several polylink instances (or nodes)
 * restarted together do not knock on FreeSWITCH in lock-step. Never above `maxMs`.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
  /** 0…1: the share of each delay that is random. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 5_000, factor: 2, jitter: 0.2 };

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const { initialMs, maxMs, factor, jitter } = this.options;
    const base = Math.min(maxMs, initialMs * factor ** Math.min(this.attempt, 64));
    this.attempt++;
    return Math.max(0, Math.round(base * (1 - jitter * this.random())));
  }

  reset(): void {
    this.attempt = 0;
  }
}
