/**
 * Sign-in attempts as the core's `signin`, `signin-refused` and `unlock-agent` inputs
 * take them: the guard's rules (signin-guard.ts) and what the world sees of its
 * decisions — a log line when an address is throttled, and when an agent ID is locked
 * or unlocked a row in the operation log and an event to the signed-in supervisors who
 * monitor the agent's group. A refused sign-in gets its own row.
 */
import { agentEvent, type AgentEvent } from './agent-event.js';
import type { Decision } from './agent-service.js';
import type { CoreEffect } from './effects.js';
import type { Unlocker } from './inputs.js';
import type { Organisation } from './organisation.js';
import { Outcome } from './outcomes.js';
import { SigninGuard, type Lock, type SigninGuardOptions, type SigninRefusal } from './signin-guard.js';

export interface SigninAttemptsDeps {
  readonly org: Organisation;
  /** Signed-in supervisors who monitor a group (AgentService.supervisorsOf). */
  readonly supervisorsOf: (groupId: string | null) => ReadonlySet<string>;
  readonly formatTime: (ms: number) => string;
}

export class SigninAttempts {
  private readonly guard: SigninGuard;

  constructor(
    options: SigninGuardOptions,
    private readonly deps: SigninAttemptsDeps,
  ) {
    this.guard = new SigninGuard(options);
  }

  /** Before the password is checked (the protocol asks to spare the check): 0, SIGNIN_THROTTLED or AGENT_LOCKED. Reads only. */
  refusal(agentId: string, address: string, now: number): SigninRefusal {
    return this.guard.refusal(agentId, address, now);
  }

  /** The lock an agent ID has now, if any. Reads only. */
  lockOf(agentId: string, now: number): Lock | undefined {
    return this.guard.lockOf(agentId, now);
  }

  /**
   * A sign-in whose password was checked: 0 when it may go on to the agent's session, or
   * why not. The refusal is asked again, as failures and locks may have come while the
   * password was checked; a wrong password or an unknown agent ID counts against the address.
   */
  check(agentId: string, address: string, passwordOk: boolean, now: number): Decision {
    const refused = this.guard.refusal(agentId, address, now);
    if (refused !== 0) return { code: refused, effects: [] };
    const profile = this.deps.org.agent(agentId);
    // Guessing agent IDs counts against the address as guessing passwords does.
    if (profile === undefined) return this.failed(agentId, address, false, Outcome.AGENT_NOT_REGISTERED, now);
    if (!profile.enabled) return { code: Outcome.AGENT_NOT_ENABLED, effects: [] };
    if (!passwordOk) return this.failed(agentId, address, true, Outcome.WRONG_PASSWORD, now);
    this.guard.succeeded(agentId);
    return { code: 0, effects: [] };
  }

  /** The row of a refused sign-in (any code, also the protocol's own checks). */
  refused(agentId: string, code: number, reason: string, exten: string | null, remote: string | null, now: number): CoreEffect {
    return this.row(agentId, 'signin-refused', agentId, `${code} ${reason}`, exten, remote, now, code);
  }

  /**
   * Lifts an agent ID's lock: a supervisor may for the groups its role monitors (as
   * forcechangestatus), an admin for any agent. 0 also when there was no lock (`wasLocked` says).
   */
  unlock(target: string, by: Unlocker, now: number): Decision & { wasLocked: boolean } {
    const profile = this.deps.org.agent(target);
    if ('supervisor' in by) {
      const supervisor = this.deps.org.agent(by.supervisor);
      if (profile === undefined || supervisor === undefined || profile.accountId !== supervisor.accountId) return { code: Outcome.TARGET_AGENT_NOT_FOUND, effects: [], wasLocked: false };
      if (!this.deps.org.monitorsGroup(by.supervisor, profile.groupId)) return { code: Outcome.NO_RIGHT, effects: [], wasLocked: false };
    } else if (profile === undefined) {
      return { code: Outcome.TARGET_AGENT_NOT_FOUND, effects: [], wasLocked: false };
    }
    const lock = this.guard.unlock(target, now);
    if (lock === undefined) return { code: 0, effects: [], wasLocked: false };
    return { code: 0, effects: this.unlocked(target, by, now), wasLocked: true };
  }

  private failed(agentId: string, address: string, known: boolean, code: number, now: number): Decision {
    const outcome = this.guard.failed(agentId, address, known, now);
    const effects: CoreEffect[] = [];
    if (outcome.addressThrottled) {
      const { failuresPerAddress, windowMs } = this.guard.options;
      effects.push({
        type: 'log-event',
        event: 'agent.signin-throttled',
        message: 'too many failed sign-ins from one address: its sign-ins are refused for a while',
        fields: { address, failures: failuresPerAddress, windowSeconds: windowMs / 1000, agentId },
      });
    }
    if (outcome.locked !== undefined) effects.push(...this.locked(agentId, outcome.locked, now));
    return { code, effects };
  }

  private locked(agentId: string, lock: Lock, now: number): CoreEffect[] {
    const row = this.row(agentId, 'signin-locked', 'system', `wrong passwords from ${lock.addresses} addresses`, null, null, now);
    return this.announce(agentId, row, agentEvent('AgentLockedEvent', now, { AgentID: agentId, addresses: String(lock.addresses), lockedUntil: this.deps.formatTime(lock.until) }));
  }

  private unlocked(agentId: string, by: Unlocker, now: number): CoreEffect[] {
    const [who, reason] = 'supervisor' in by ? [by.supervisor, `unlocked by supervisor ${by.supervisor}`] : [by.admin, `unlocked by admin ${by.admin}`];
    const row = this.row(agentId, 'signin-unlocked', who, reason, null, null, now);
    return this.announce(agentId, row, agentEvent('AgentUnlockedEvent', now, { AgentID: agentId, unlockedBy: who }));
  }

  /** A lock's or an unlock's row, then its event to the signed-in supervisors of the agent's group. */
  private announce(agentId: string, row: CoreEffect, event: AgentEvent): CoreEffect[] {
    const effects: CoreEffect[] = [row];
    for (const supervisor of this.deps.supervisorsOf(this.deps.org.agent(agentId)?.groupId ?? null)) {
      if (supervisor !== agentId) effects.push({ type: 'send', agentId: supervisor, event });
    }
    return effects;
  }

  /** A row of the operation log about an agent that may have no session. */
  private row(agentId: string, operation: string, causedBy: string, reason: string, exten: string | null, remote: string | null, now: number, code?: number): CoreEffect {
    return {
      type: 'log-operation',
      entry: {
        accountId: this.deps.org.agent(agentId)?.accountId ?? '',
        agentId,
        operation,
        oldStatus: null,
        newStatus: null,
        causedBy,
        reason,
        exten,
        remote,
        at: now,
        ...(code !== undefined ? { code } : {}),
      },
    };
  }
}
