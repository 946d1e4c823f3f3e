/**
 * Half-open link detection. A TCP connection whose peer vanished (power cut, cable,
 * a firewall that forgot the flow) looks healthy until something is sent on it. When
 * no byte has arrived for `idleMs`, the monitor sends a probe (`api status`); a probe
 * without a reply within `probeTimeoutMs` declares the link dead, so it is destroyed
 * and replaced within idleMs + probeTimeoutMs instead of TCP's many minutes.
 * FreeSWITCH's HEARTBEAT events (every 20 s by default) count as activity too.
 */
import type { Clock, TimerHandle } from '../clock.js';

export interface LivenessOptions {
  readonly idleMs: number;
  readonly probeTimeoutMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = { idleMs: 5_000, probeTimeoutMs: 3_000 };

export interface LivenessHooks {
  /** When the last byte arrived (clock time). */
  lastActivity(): number;
  /** Sends the probe; resolves true when it was answered in time. */
  probe(timeoutMs: number): Promise<boolean>;
  /** The link is dead. */
  dead(reason: string): void;
}

export class LivenessMonitor {
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: LivenessOptions,
    private readonly hooks: LivenessHooks,
  ) {}

  start(): void {
    this.running = true;
    this.arm(this.options.idleMs);
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(ms, () => this.check());
  }

  private check(): void {
    this.timer = undefined;
    if (!this.running) return;
    const idle = this.clock.now() - this.hooks.lastActivity();
    if (idle < this.options.idleMs) {
      // Traffic since the timer was set: look again when the quiet period could end.
      this.arm(this.options.idleMs - idle);
      return;
    }
    void this.hooks.probe(this.options.probeTimeoutMs).then((answered) => {
      if (!this.running) return;
      if (answered) this.arm(this.options.idleMs);
      else {
        this.running = false;
        this.hooks.dead(`no reply to the liveness probe within ${this.options.probeTimeoutMs} ms after ${idle} ms of silence`);
      }
    });
  }
}
