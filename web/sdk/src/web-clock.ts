/**
 * Wall-clock time and the platform's timers, behind the shape of the server's Clock
 * (src/clock.ts, which itself needs Node's types) so that the tests drive the client with
 * its ManualClock instead of sleeping. Unlike the server's SystemClock it does not unref:
 * in Node a client that is signed in should keep its process alive, and DoDisconnect
 * clears every timer.
 */

export type TimerHandle = { readonly id: number };

/** Milliseconds since the epoch, and one-shot timers that can be cancelled. */
export interface Clock {
  now(): number;
  setTimer(ms: number, fn: () => void): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
}

export function webClock(): Clock {
  let nextId = 1;
  const live = new Map<number, ReturnType<typeof setTimeout>>();
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const id = nextId++;
      live.set(
        id,
        setTimeout(() => {
          live.delete(id);
          fn();
        }, Math.max(0, ms)),
      );
      return { id };
    },
    clearTimer(handle) {
      if (handle === undefined) return;
      const native = live.get(handle.id);
      if (native === undefined) return;
      clearTimeout(native);
      live.delete(handle.id);
    },
  };
}
