/**
 * The sign-in guard as the handlers and the admin API use it: SigninGuard's decisions
 * turned into what the world sees — a line in the journal when an address is
 * throttled, and, when an agent ID is locked or unlocked, a row in the operation log
 * and an event to the supervisors who monitor the agent's group.
 */
import type { Config } from '../config/config-schema.js';
import { agentEvent } from '../core/agent-event.js';
import type { AgentService } from '../core/agent-service.js';
import type { CoreEffect } from '../core/effects.js';
import type { Organisation } from '../core/organisation.js';
import type { SigninGuardPort } from './command-types.js';
import { SigninGuard, type Lock } from './signin-guard.js';

export interface SigninGuardServiceDeps {
  readonly org: Organisation;
  readonly agents: AgentService;
  readonly formatTime: (ms: number) => string;
  /** Carries out effects (the engine's run). */
  readonly run: (effects: readonly CoreEffect[]) => void;
}

export class SigninGuardService implements SigninGuardPort {
  private readonly guard: SigninGuard;

  constructor(
    settings: Config['agent'],
    private readonly deps: SigninGuardServiceDeps,
  ) {
    this.guard = new SigninGuard({
      failuresPerAddress: settings.signinFailuresPerAddress,
      windowMs: settings.signinFailureWindowSeconds * 1000,
      lockAfterAddresses: settings.signinLockAfterAddresses,
      lockMs: settings.signinLockSeconds * 1000,
    });
  }

  turn(address: string): Promise<() => void> {
    return this.guard.turn(address);
  }

  refusal(agentId: string, address: string, now: number): number {
    return this.guard.refusal(agentId, address, now);
  }

  failed(agentId: string, address: string, known: boolean, now: number): void {
    const outcome = this.guard.failed(agentId, address, known, now);
    const effects: CoreEffect[] = [];
    if (outcome.addressThrottled) {
      effects.push({
        type: 'log-event',
        event: 'agent.signin-throttled',
        message: 'too many failed sign-ins from one address: its sign-ins are refused for a while',
        fields: { address, failures: this.guard.options.failuresPerAddress, windowSeconds: this.guard.options.windowMs / 1000, agentId },
      });
    }
    if (outcome.locked !== undefined) effects.push(...this.announce(agentId, 'signin-locked', 'system', outcome.locked, now));
    if (effects.length > 0) this.deps.run(effects);
  }

  succeeded(agentId: string): void {
    this.guard.succeeded(agentId);
  }

  unlock(agentId: string, by: string, now: number): boolean {
    const lock = this.guard.unlock(agentId, now);
    if (lock === undefined) return false;
    this.deps.run(this.announce(agentId, 'signin-unlocked', by, lock, now));
    return true;
  }

  /** The operation-log row and the supervisors' event of a lock or an unlock. */
  private announce(agentId: string, operation: 'signin-locked' | 'signin-unlocked', by: string, lock: Lock, now: number): CoreEffect[] {
    const profile = this.deps.org.agent(agentId);
    const locked = operation === 'signin-locked';
    const reason = locked ? `wrong passwords from ${lock.addresses} addresses` : `unlocked by ${by}`;
    const entry = {
      accountId: profile?.accountId ?? '',
      agentId,
      operation,
      oldStatus: null,
      newStatus: null,
      causedBy: by,
      reason,
      exten: null,
      remote: null,
      at: now,
    };
    const event = locked
      ? agentEvent('AgentLockedEvent', now, { AgentID: agentId, addresses: String(lock.addresses), lockedUntil: this.deps.formatTime(lock.until) })
      : agentEvent('AgentUnlockedEvent', now, { AgentID: agentId, unlockedBy: by });
    const effects: CoreEffect[] = [{ type: 'log-operation', entry }];
    for (const supervisor of this.deps.agents.supervisorsOf(profile?.groupId ?? null)) {
      if (supervisor !== agentId) effects.push({ type: 'send', agentId: supervisor, event });
    }
    return effects;
  }
}
