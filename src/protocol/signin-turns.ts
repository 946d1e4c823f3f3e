/**
 * How many sign-ins of one address have their password checked at a time. Scheduling,
 * not a rule (the rules are the core's, core/signin-guard.ts): each sign-in of an address
 * asks the core whether it would be refused, has its password checked and hands the
 * result to the core within its turn, so a sign-in is checked against the failures of
 * those before it, and opening many connections does not buy more guesses in parallel.
 */

/**
 * Password checks in flight per address. scrypt runs on libuv's thread pool (4 threads
 * by default): one address may use all of it, as an office behind one NAT signing in
 * after a restart does, but may not queue guesses past its limit.
 */
export const PER_ADDRESS_IN_FLIGHT = 4;

export class SigninTurns {
  private readonly turns = new Map<string, { running: number; waiting: (() => void)[] }>();

  /** Resolves when the address may have a sign-in checked; call the function it gives once done. */
  async turn(address: string): Promise<() => void> {
    let t = this.turns.get(address);
    if (t === undefined) this.turns.set(address, (t = { running: 0, waiting: [] }));
    const turns = t;
    if (turns.running >= PER_ADDRESS_IN_FLIGHT) await new Promise<void>((resolve) => turns.waiting.push(resolve));
    else turns.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = turns.waiting.shift();
      // The running count passes to the next in line unchanged.
      if (next !== undefined) next();
      else if (--turns.running === 0) this.turns.delete(address);
    };
  }

  /** Addresses with a sign-in in its turn or waiting for one. */
  get size(): number {
    return this.turns.size;
  }
}
