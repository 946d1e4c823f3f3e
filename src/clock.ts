/**
 * Time, injected. The core never calls Date.now() or setTimeout itself: it is handed a
 * Clock, so tests move time with ManualClock instead of sleeping, and a timer's
 * firing order is deterministic.
 */

export type TimerHandle = { readonly id: number };

export interface Clock {
  /**
   * Milliseconds since the epoch, on polylink's own timeline: every time and duration a
   * run records is read from it, so within a run it never steps (SystemClock).
   */
  now(): number;
  /**
   * The wall clock as it reads now, stepped or not: for what must match another system's
   * calendar (seed 001's date-based key). Equal to now() until the wall clock is stepped.
   */
  wallNow(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancels a timer; cancelling one that fired or was cancelled is a no-op. */
  clearTimer(handle: TimerHandle | undefined): void;
}

/**
 * The wall clock as it read at start, moved on by the monotonic clock, and Node timers
 * (monotonic too). A step of the wall clock while polylink runs (an NTP step, `date -s`,
 * a virtual machine resumed) does not move it: durations stay what they were (a talk time
 * is never negative nor an hour long because of a step), a wrap-up or a rate window ends
 * on time, and the times of one run stay in order. The step shows as wallNow() − now(),
 * which polylink logs (app/clock-watch.ts) and shows in /health; a restart takes the wall
 * clock as it is then.
 */
export class SystemClock implements Clock {
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly wallAtStart = Date.now();
  private readonly monotonicAtStart = performance.now();

  now(): number {
    return Math.floor(this.wallAtStart + (performance.now() - this.monotonicAtStart));
  }

  wallNow(): number {
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
  /** Live timers by id; the heap may still hold ids of cancelled ones (skipped when popped). */
  private readonly timers = new Map<number, { due: number; fn: () => void }>();
  /** A binary min-heap of [due, id]: with thousands of timers, firing stays O(log n). */
  private readonly heap: [number, number][] = [];

  constructor(start: number = Date.UTC(2026, 10, 21, 2, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const due = this.current + Math.max(0, ms);
    this.timers.set(id, { due, fn });
    this.push([due, id]);
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.timers.delete(handle.id);
  }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  /**
   * When the next live timer falls due, if any: a test that drives a whole system on this
   * clock moves it one due time at a time, letting the sockets settle in between.
   */
  get nextDue(): number | undefined {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined) return undefined;
      if (this.timers.has(top[1])) return top[0];
      // A cancelled timer's entry: dropped now rather than when advance() reaches it.
      this.pop();
    }
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || top[0] > target) break;
      this.pop();
      const timer = this.timers.get(top[1]);
      if (timer === undefined) continue;
      this.timers.delete(top[1]);
      this.current = Math.max(this.current, timer.due);
      timer.fn();
    }
    this.current = target;
  }

  private less(a: [number, number], b: [number, number]): boolean {
    return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  }

  private push(item: [number, number]): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
