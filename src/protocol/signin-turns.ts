/**
 * How many sign-ins have their password checked at a time: per address, and in all.
 * Scheduling, not a rule (the rules are the core's, core/signin-guard.ts): each sign-in of
 * an address asks the core whether it would be refused, has its password checked and
 * hands the result to the core within its turn, so a sign-in is checked against the
 * failures of those before it, and opening many connections does not buy more guesses in
 * parallel.
 */

/**
 * Password checks in flight per address. scrypt runs on libuv's thread pool (4 threads
 * by default): one address may use all of it, as an office behind one NAT signing in
 * after a restart does, but may not queue guesses past its limit.
 */
export const PER_ADDRESS_IN_FLIGHT = 4;

/**
 * Password checks in flight in all: libuv's thread pool, which scrypt shares with file
 * and DNS work. Beyond it a check would only queue inside libuv, where nothing is first
 * come, first served and a whole floor signing in from many addresses (issue 16's storm)
 * would hold every pool thread; here the queue is ours, in order, and costs a closure.
 */
export const IN_FLIGHT = Math.max(1, Number(process.env['UV_THREADPOOL_SIZE']) || 4);

/** A counting gate: `running` holders at most `limit`, the rest wait in order. */
class Gate {
  running = 0;
  readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async enter(): Promise<void> {
    if (this.running < this.limit) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The running count passes to the next in line unchanged. */
  leave(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.running--;
  }

  get idle(): boolean {
    return this.running === 0;
  }
}

export class SigninTurns {
  private readonly turns = new Map<string, Gate>();
  private readonly all: Gate;

  constructor(inFlight: number = IN_FLIGHT) {
    this.all = new Gate(inFlight);
  }

  /** Resolves when the address may have a sign-in checked; call the function it gives once done. */
  async turn(address: string): Promise<() => void> {
    let gate = this.turns.get(address);
    if (gate === undefined) this.turns.set(address, (gate = new Gate(PER_ADDRESS_IN_FLIGHT)));
    const own = gate;
    // The address's turn first, so that one address's queue never holds a place in the common one.
    await own.enter();
    await this.all.enter();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.all.leave();
      own.leave();
      if (own.idle) this.turns.delete(address);
    };
  }

  /** Addresses with a sign-in in its turn or waiting for one. */
  get size(): number {
    return this.turns.size;
  }

  /** Password checks waiting for a place in all (the address's own turn already had). */
  get queued(): number {
    return this.all.waiting.length;
  }
}
