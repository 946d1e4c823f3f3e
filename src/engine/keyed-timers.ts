/**
 * The core's timers, by key: setting a key again replaces its timer, cancelling a key
 * that fired or never was set is harmless. A timer that fires goes back to the core as
 * an input (the core routes it to the part that set it, core.ts TIMER_OWNER).
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { CoreTimer } from '../core/effects.js';

export class KeyedTimers {
  private readonly handles = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (timer: CoreTimer) => void,
  ) {}

  set(key: string, delayMs: number, timer: CoreTimer): void {
    this.clock.clearTimer(this.handles.get(key));
    this.handles.set(
      key,
      this.clock.setTimer(delayMs, () => {
        this.handles.delete(key);
        this.fire(timer);
      }),
    );
  }

  cancel(key: string): void {
    this.clock.clearTimer(this.handles.get(key));
    this.handles.delete(key);
  }

  /** Every timer cancelled (the engine stops). */
  clear(): void {
    for (const handle of this.handles.values()) this.clock.clearTimer(handle);
    this.handles.clear();
  }
}
