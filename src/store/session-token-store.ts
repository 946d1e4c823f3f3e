/** The session tokens' rows (schema/007_session_tokens.sql): hashes only, never a token. */
import { createHash } from 'node:crypto';
import type { SavedSessionToken, SuspendedSession } from '../core/session-tokens.js';
import type { Db } from './database.js';

/** A session token as it is kept: SHA-256, hex (the core's CoreSetup.hashToken). */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class SessionTokenStore {
  private readonly upsert;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO session_tokens (agent_id, token_hash, expires_at, session) VALUES (?, ?, ?, ?)
       ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, session = excluded.session`,
    );
    this.remove = db.prepare('DELETE FROM session_tokens WHERE agent_id = ?');
  }

  save(agentId: string, tokenHash: string, expiresAt: number | null, session: SuspendedSession | undefined): void {
    this.upsert.run(agentId, tokenHash, expiresAt, session === undefined ? null : JSON.stringify(session));
  }

  drop(agentId: string): void {
    this.remove.run(agentId);
  }

  /**
   * The tokens a new start may accept: expired rows go; rows of sessions that were live
   * when the process ended without a shutdown (a crash) get `graceMs` from now (their
   * state was not set aside: a token only).
   */
  loadAtStart(now: number, graceMs: number): SavedSessionToken[] {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM session_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
      if (graceMs <= 0) {
        this.db.prepare('DELETE FROM session_tokens WHERE expires_at IS NULL').run();
        return [];
      }
      this.db.prepare('UPDATE session_tokens SET expires_at = ? WHERE expires_at IS NULL').run(now + graceMs);
      const rows = this.db.prepare('SELECT agent_id, token_hash, expires_at, session FROM session_tokens').all() as { agent_id: string; token_hash: string; expires_at: number; session: string | null }[];
      return rows.map((r) => ({
        agentId: r.agent_id,
        tokenHash: r.token_hash,
        expiresAt: r.expires_at,
        session: r.session === null ? null : (JSON.parse(r.session) as SuspendedSession),
      }));
    })();
  }
}
