/** The session tokens' rows (schema/007_session_tokens.sql): hashes only, never a token. */
import type { SavedSessionToken } from '../core/session-tokens.js';
import type { Db } from './database.js';

export class SessionTokenStore {
  private readonly upsert;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO session_tokens (agent_id, token_hash, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (agent_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at`,
    );
    this.remove = db.prepare('DELETE FROM session_tokens WHERE agent_id = ?');
  }

  save(agentId: string, tokenHash: string, expiresAt: number | null): void {
    this.upsert.run(agentId, tokenHash, expiresAt);
  }

  drop(agentId: string): void {
    this.remove.run(agentId);
  }

  /**
   * The tokens a new start may accept: expired rows go; rows of sessions that were live
   * when the process ended without a shutdown (a crash) get `graceMs` from now.
   */
  loadAtStart(now: number, graceMs: number): SavedSessionToken[] {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM session_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?').run(now);
      if (graceMs <= 0) {
        this.db.prepare('DELETE FROM session_tokens WHERE expires_at IS NULL').run();
        return [];
      }
      this.db.prepare('UPDATE session_tokens SET expires_at = ? WHERE expires_at IS NULL').run(now + graceMs);
      const rows = this.db.prepare('SELECT agent_id, token_hash, expires_at FROM session_tokens').all() as { agent_id: string; token_hash: string; expires_at: number }[];
      return rows.map((r) => ({ agentId: r.agent_id, tokenHash: r.token_hash, expiresAt: r.expires_at }));
    })();
  }
}
