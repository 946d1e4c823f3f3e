/**
 * Slows password guessing without letting anyone lock an agent out: the rules, as data
 * and decisions, with no I/O and no clock (`now` comes in).
 *
 * - Per address: failed sign-ins (a wrong password, an agent ID that does not exist)
 *   are counted over a sliding window; an address with `failuresPerAddress` of them is
 *   refused (SIGNIN_THROTTLED) without a password check until the oldest leaves the
 *   window.
 * - Per agent ID: only a distributed attack locks it. An agent ID that had wrong
 *   passwords from `lockAfterAddresses` different addresses within the window is locked
 *   for `lockMs` (AGENT_LOCKED) until then, or until a supervisor or an admin unlocks it.
 *   Wrong passwords from one address alone never lock an agent (they throttle that
 *   address), so nobody can lock out a colleague from their own desk.
 *
 * What the world sees of these decisions (a log line, operation-log rows, the
 * supervisors' events) is signin-attempts.ts. How many sign-ins of one address are
 * checked at a time is scheduling, outside the core (protocol/signin-turns.ts); the
 * per-connection limit is the transport's (transport/agent-connection.ts).
 */
import { Outcome } from './outcomes.js';

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

/** Why a sign-in is refused before its password is checked, or 0. */
export type SigninRefusal = 0 | typeof Outcome.SIGNIN_THROTTLED | typeof Outcome.AGENT_LOCKED;

/** Tables are swept of entries older than the window once they hold this many. */
const SWEEP_AT = 10_000;

export class SigninGuard {
  /** address → times of its failures in the window, oldest first. */
  private readonly byAddress = new Map<string, number[]>();
  /** agent ID → address → time of that address's last wrong password for it. */
  private readonly byAgent = new Map<string, Map<string, number>>();
  private readonly locks = new Map<string, Lock>();
  private sweepAt = SWEEP_AT;

  constructor(readonly options: SigninGuardOptions) {}

  /** Before the password is checked: 0, SIGNIN_THROTTLED (the address failed too often) or AGENT_LOCKED. Reads only. */
  refusal(agentId: string, address: string, now: number): SigninRefusal {
    if (this.failuresInWindow(address, now) >= this.options.failuresPerAddress) return Outcome.SIGNIN_THROTTLED;
    if (this.lockOf(agentId, now) !== undefined) return Outcome.AGENT_LOCKED;
    return 0;
  }

  /** The lock an agent ID has now, if any. Reads only: an expired lock is dropped by the next change. */
  lockOf(agentId: string, now: number): Lock | undefined {
    const lock = this.locks.get(agentId);
    return lock !== undefined && now < lock.until ? lock : undefined;
  }

  /** A failed sign-in from `address`: a wrong password for `agentId`, or (`known` false) an agent ID that does not exist. */
  failed(agentId: string, address: string, known: boolean, now: number): FailureOutcome {
    this.sweep(now);
    const failures = this.recentFailures(address, now);
    failures.push(now);
    this.byAddress.set(address, failures);
    const addressThrottled = failures.length === this.options.failuresPerAddress;
    if (!known || this.liveLock(agentId, now) !== undefined) return { addressThrottled, locked: undefined };
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

  /** Entries held (addresses with failures, agent IDs with failures or a lock): bounded by the window. */
  get size(): number {
    return this.byAddress.size + this.byAgent.size + this.locks.size;
  }

  private failuresInWindow(address: string, now: number): number {
    const failures = this.byAddress.get(address);
    if (failures === undefined) return 0;
    const horizon = now - this.options.windowMs;
    let old = 0;
    while (old < failures.length && failures[old]! <= horizon) old++;
    return failures.length - old;
  }

  /** The address's failures in the window, those that left it dropped. */
  private recentFailures(address: string, now: number): number[] {
    const failures = this.byAddress.get(address);
    if (failures === undefined) return [];
    const old = failures.length - this.failuresInWindow(address, now);
    if (old > 0) failures.splice(0, old);
    if (failures.length === 0) this.byAddress.delete(address);
    return failures;
  }

  /** The lock an agent ID has now; an expired one is dropped. */
  private liveLock(agentId: string, now: number): Lock | undefined {
    const lock = this.lockOf(agentId, now);
    if (lock === undefined) this.locks.delete(agentId);
    return lock;
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
    for (const agentId of [...this.locks.keys()]) this.liveLock(agentId, now);
    this.sweepAt = Math.max(SWEEP_AT, this.size * 2);
  }
}
