/**
 * Session tokens as proof of identity (issue 16): the signin response's guid, presented
 * again by the bar's next sign-in (a `guid` field beside the password), proves the agent
 * without the ~40 ms scrypt check. Kept as SHA-256 hashes: the token is 122 random bits
 * (a UUID), so a fast hash is as strong as a slow one, and a copy of the database holds
 * nothing a bar could sign in with. Pure: no I/O, no clock (callers pass `now`), and the
 * hash is given (CoreSetup.hashToken: store/session-token-store.ts), so that the core
 * builds without Node's modules as the web pages compile it.
 */

/** A token's hash as stored (lower-case hex). */
export type TokenHash = (token: string) => string;

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

/** Whether two hashes are equal, in time that does not depend on where they differ. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** The tokens of sessions that ended with a shutdown or crash of an earlier run, by agent. */
export class SavedSessionTokens {
  private readonly byAgent = new Map<string, SavedSessionToken>();

  constructor(
    saved: readonly SavedSessionToken[],
    private readonly hash: TokenHash,
  ) {
    for (const t of saved) this.byAgent.set(t.agentId, t);
  }

  proves(agentId: string, token: string, now: number): boolean {
    const saved = this.byAgent.get(agentId);
    if (saved === undefined) return false;
    if (saved.expiresAt <= now) {
      this.byAgent.delete(agentId);
      return false;
    }
    return sameHash(this.hash(token), saved.tokenHash);
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
