/** The agent operation log: every sign-in, sign-out, status change … with who caused it. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { OperationEntry } from '../core/effects.js';

export class OperationLog {
  private readonly insert: Statement;
  private readonly calledNumbers: Statement;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO agent_operation_log
      (account_id, agent_id, operation, old_status, new_status, caused_by, reason, target, exten, remote, at)
      VALUES (@accountId, @agentId, @operation, @oldStatus, @newStatus, @causedBy, @reason, @target, @exten, @remote, @at)`);
    this.calledNumbers = db.prepare(`SELECT target FROM agent_operation_log
      WHERE agent_id = ? AND operation = 'callout' AND target IS NOT NULL
      GROUP BY target ORDER BY MAX(at) DESC LIMIT ?`);
  }

  record(entry: OperationEntry): void {
    this.insert.run({ ...entry, target: entry.target ?? null });
  }

  /** The distinct numbers an agent dialled out to, newest first. */
  recentCalledNumbers(agentId: string, limit = 20): string[] {
    return (this.calledNumbers.all(agentId, limit) as { target: string }[]).map((r) => r.target);
  }
}
