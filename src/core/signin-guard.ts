/**
 * Slows password guessing without letting anyone lock an agent out.
 *
 * - Per address: failed sign-ins (a wrong password, an agent ID that does not exist)
 *   are counted over a sliding window; an address with `failuresPerAddress` of them
 *   gets -89 for every sign-in, without a password check, until the oldest leaves the
 *   window. Its sign-ins are checked a few at a time (`PER_ADDRESS_IN_FLIGHT`), each
 *   against the failures of those before it, so opening many connections does not buy
 *   more guesses.
 * - Per agent ID: only a distributed attack locks it. An agent ID that had wrong
 *   passwords from `lockAfterAddresses` different addresses within the window is
 *   locked for `lockMs`: -90 until then, or until a supervisor or an admin unlocks it.
 *   Wrong passwords from one address alone never lock an agent (they throttle that
 *   address), so nobody can lock out a colleague from their own desk.
 * - Per connection: the session closes a connection after a few failures
 *   (transport/agent-connection.ts).
 *
 * No I/O and no clock: `now` is passed in; the caller turns what it returns into log
 * lines and events (signin-guard-service.ts).
 */
import { ErrorCode } from './error-codes.js';

export interface SigninGuardOptions {
  readonly failuresPerAddress: number;
  readonly windowMs: number;
  readonly lockAfterAddresses: number;
  readonly lockMs: number;
}

export interface Lock {
  readonly since: number;
  readonly until: number;
  /** How many addresses gave wrong passwords for it. */
  readonly addresses: number;
}

/** What a failure changed, for the log and the supervisors. */
export interface FailureOutcome {
  /** This failure was the one that throttled the address. */
  readonly addressThrottled: boolean;
  /** This failure locked the agent ID. */
  readonly locked: Lock | undefined;
}

/**
 * Password checks in flight per address. scrypt runs on libuv's thread pool (4
 * threads by default): one address may use all of it, as an office behind one NAT
 * signing in after a restart does, but may not queue guesses past its limit.
 */
const PER_ADDRESS_IN_FLIGHT = 4;
/** Tables are swept of entries older than the window once they hold this many. */
const SWEEP_AT = 10_000;

export class SigninGuard {
  /** address → times of its failures in the window, oldest first. */
  private readonly byAddress = new Map<string, number[]>();
  /** agent ID → address → time of that address's last wrong password for it. */
  private readonly byAgent = new Map<string, Map<string, number>>();
  private readonly locks = new Map<string, Lock>();
  private readonly turns = new Map<string, { running: number; waiting: (() => void)[] }>();
  private sweepAt = SWEEP_AT;

  constructor(readonly options: SigninGuardOptions) {}

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

  /** Before the password is checked: 0, -89 (the address failed too often) or -90 (the agent ID is locked). */
  refusal(agentId: string, address: string, now: number): number {
    if (this.recentFailures(address, now).length >= this.options.failuresPerAddress) return ErrorCode.SIGNIN_THROTTLED;
    if (this.lockOf(agentId, now) !== undefined) return ErrorCode.AGENT_LOCKED;
    return 0;
  }

  /** A failed sign-in from `address`: a wrong password for `agentId`, or (`known` false) an agent ID that does not exist. */
  failed(agentId: string, address: string, known: boolean, now: number): FailureOutcome {
    this.sweep(now);
    const failures = this.recentFailures(address, now);
    failures.push(now);
    this.byAddress.set(address, failures);
    const addressThrottled = failures.length === this.options.failuresPerAddress;
    if (!known || this.lockOf(agentId, now) !== undefined) return { addressThrottled, locked: undefined };
    const from = this.failingAddresses(agentId, now);
    from.set(address, now);
    this.byAgent.set(agentId, from);
    if (from.size < this.options.lockAfterAddresses) return { addressThrottled, locked: undefined };
    const lock = { since: now, until: now + this.options.lockMs, addresses: from.size };
    this.locks.set(agentId, lock);
    this.byAgent.delete(agentId);
    return { addressThrottled, locked: lock };
  }

  /** The right password: the agent ID's failures are forgotten (the address's are not). */
  succeeded(agentId: string): void {
    this.byAgent.delete(agentId);
  }

  /** Lifts an agent ID's lock and forgets its failures; the lock it had, if any. */
  unlock(agentId: string, now: number): Lock | undefined {
    const lock = this.lockOf(agentId, now);
    this.locks.delete(agentId);
    this.byAgent.delete(agentId);
    return lock;
  }

  lockOf(agentId: string, now: number): Lock | undefined {
    const lock = this.locks.get(agentId);
    if (lock === undefined) return undefined;
    if (now < lock.until) return lock;
    this.locks.delete(agentId);
    return undefined;
  }

  /** Entries held (addresses with failures, agent IDs with failures or a lock): bounded by the window. */
  get size(): number {
    return this.byAddress.size + this.byAgent.size + this.locks.size;
  }

  private recentFailures(address: string, now: number): number[] {
    const failures = this.byAddress.get(address);
    if (failures === undefined) return [];
    const horizon = now - this.options.windowMs;
    let old = 0;
    while (old < failures.length && failures[old]! <= horizon) old++;
    if (old > 0) failures.splice(0, old);
    if (failures.length === 0) this.byAddress.delete(address);
    return failures;
  }

  private failingAddresses(agentId: string, now: number): Map<string, number> {
    const from = this.byAgent.get(agentId) ?? new Map<string, number>();
    const horizon = now - this.options.windowMs;
    for (const [address, at] of from) if (at <= horizon) from.delete(address);
    return from;
  }

  /** Drops what has left the window once the tables have grown, so many addresses cannot grow them without end. */
  private sweep(now: number): void {
    if (this.size < this.sweepAt) return;
    for (const address of [...this.byAddress.keys()]) this.recentFailures(address, now);
    for (const agentId of [...this.byAgent.keys()]) if (this.failingAddresses(agentId, now).size === 0) this.byAgent.delete(agentId);
    for (const agentId of [...this.locks.keys()]) this.lockOf(agentId, now);
    this.sweepAt = Math.max(SWEEP_AT, this.size * 2);
  }
}
