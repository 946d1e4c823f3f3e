/**
 * Session tokens as proof of identity (issue 16): the signin response's guid, presented
 * again by the bar's next sign-in (a `guid` field beside the password), proves the agent
 * without the ~40 ms scrypt check. Kept as SHA-256 hashes: the token is 122 random bits
 * (a UUID), so a fast hash is as strong as a slow one, and a copy of the database holds
 * nothing a bar could sign in with. Pure: no I/O, no clock (callers pass `now`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A session a shutdown set aside for its bar to resume after the restart: a free agent's
 * state and binding. (A session on a call, in after-call work or on leave is signed out
 * at shutdown as before: those depend on calls and timers that do not survive.)
 */
export interface SuspendedSession {
  readonly status: number;
  readonly since: number;
  readonly restore: number | null;
  readonly bindExten: boolean;
  readonly exten: string | null;
  readonly extenIsOutbound: boolean;
  readonly signedInAt: number;
  readonly afterHangupStatus: number | null;
  readonly watched: readonly string[] | 'mine';
}

/** A token a previous run of polylink issued, valid until `expiresAt` (ms since the epoch), with the session it may resume. */
export interface SavedSessionToken {
  readonly agentId: string;
  readonly tokenHash: string;
  readonly expiresAt: number;
  readonly session: SuspendedSession | null;
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` hashes to `tokenHash`, compared in constant time. */
export function tokenMatches(token: string, tokenHash: string): boolean {
  const presented = Buffer.from(hashSessionToken(token), 'hex');
  const stored = Buffer.from(tokenHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The tokens of sessions that ended with a shutdown or crash of an earlier run, by agent. */
export class SavedSessionTokens {
  private readonly byAgent = new Map<string, SavedSessionToken>();

  constructor(saved: readonly SavedSessionToken[]) {
    for (const t of saved) this.byAgent.set(t.agentId, t);
  }

  proves(agentId: string, token: string, now: number): boolean {
    const saved = this.byAgent.get(agentId);
    if (saved === undefined) return false;
    if (saved.expiresAt <= now) {
      this.byAgent.delete(agentId);
      return false;
    }
    return tokenMatches(token, saved.tokenHash);
  }

  /** A new session of the agent replaces the saved token (its row is replaced too). */
  forget(agentId: string): void {
    this.byAgent.delete(agentId);
  }

  /** The saved tokens that carry a session to restore, still valid at `now`. */
  suspended(now: number): SavedSessionToken[] {
    return [...this.byAgent.values()].filter((t) => t.session !== null && t.expiresAt > now);
  }
}
