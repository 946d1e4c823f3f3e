/**
 * Time, injected. The core never calls Date.now() or setTimeout itself: it is handed a
 * Clock, so tests move time with ManualClock instead of sleeping, and a timer's
 * firing order is deterministic.
 */

export type TimerHandle = { readonly id: number };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancels a timer; cancelling one that fired or was cancelled is a no-op. */
  clearTimer(handle: TimerHandle | undefined): void;
}

/** Wall-clock time and Node timers. */
export class SystemClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms));
    // A pending timer alone must not keep the process alive at shutdown.
    t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    const t = this.timers.get(handle.id);
    if (t !== undefined) {
      clearTimeout(t);
      this.timers.delete(handle.id);
    }
  }
}

/** A clock that only moves when told to; timers fire in due-time order, ties in creation order. */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number = Date.UTC(2026, 10, 21, 2, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { due: this.current + Math.max(0, ms), fn });
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.timers.delete(handle.id);
  }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, t] of this.timers) {
        if (t.due <= target && (t.due < nextDue || (t.due === nextDue && id < (nextId ?? Infinity)))) {
          nextDue = t.due;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      this.current = Math.max(this.current, timer.due);
      timer.fn();
    }
    this.current = target;
  }
}
