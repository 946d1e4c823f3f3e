/** Leave applications in SQLite: written on every change, read back for the next id. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { LeaveRecord } from '../core/effects.js';

export class LeaveStore {
  private readonly upsert: Statement;

  constructor(private readonly db: Db) {
    this.upsert = db.prepare(`INSERT INTO leave_applications
      (id, account_id, agent_id, group_id, target_status, state, apply_type, applied_at, decided_at, decided_by, ended_at)
      VALUES (@id, @accountId, @agentId, @groupId, @targetStatus, @state, @applyType, @appliedAt, @decidedAt, @decidedBy, @endedAt)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, decided_at = excluded.decided_at,
        decided_by = excluded.decided_by, ended_at = excluded.ended_at`);
  }

  save(record: LeaveRecord): void {
    this.upsert.run(record);
  }

  nextId(): number {
    const row = this.db.prepare('SELECT MAX(id) AS id FROM leave_applications').get() as { id: number | null };
    return (row.id ?? 0) + 1;
  }

  /**
   * After a restart nobody is signed in, so applications still open are void: they are
   * closed (pending/approved → expired, active → ended). Returns how many.
   */
  closeOpenAtStart(now: number): number {
    const expired = this.db.prepare(`UPDATE leave_applications SET state = 'expired', ended_at = ? WHERE state IN ('pending', 'approved')`).run(now).changes;
    const ended = this.db.prepare(`UPDATE leave_applications SET state = 'ended', ended_at = ? WHERE state = 'active'`).run(now).changes;
    return expired + ended;
  }
}
