/** The ACD's lists and run-time changes in SQLite: blacklist, grades, exclusive agents, memberships, pauses. */
import type { Db } from './database.js';
import type { CustomerEntry, CustomerListsData } from '../core/queues/customer-lists.js';
import type { PauseRecord } from '../core/queues/queue-service.js';

export class AcdStore {
  constructor(private readonly db: Db) {}

  loadLists(): CustomerListsData {
    return {
      blacklist: (this.db.prepare('SELECT account_id, number FROM blacklist').all() as { account_id: string; number: string }[]).map((r) => ({
        accountId: r.account_id,
        number: r.number,
      })),
      grades: (this.db.prepare('SELECT account_id, number, grade FROM customer_grades').all() as { account_id: string; number: string; grade: number }[]).map(
        (r) => ({ accountId: r.account_id, number: r.number, grade: r.grade }),
      ),
      exclusive: (
        this.db.prepare('SELECT account_id, number, agent_id, fallback_seconds FROM exclusive_agents').all() as {
          account_id: string;
          number: string;
          agent_id: string;
          fallback_seconds: number;
        }[]
      ).map((r) => ({ accountId: r.account_id, number: r.number, agentId: r.agent_id, fallbackSeconds: r.fallback_seconds })),
    };
  }

  loadPauses(): PauseRecord[] {
    return (this.db.prepare('SELECT queue_num, agent_id, reason FROM queue_pauses').all() as { queue_num: string; agent_id: string; reason: string | null }[]).map(
      (r) => ({ queueNum: r.queue_num, agentId: r.agent_id, reason: r.reason }),
    );
  }

  blacklistHit(accountId: string, number: string, at: number): void {
    this.db.prepare('UPDATE blacklist SET hits = hits + 1, last_hit = ? WHERE account_id = ? AND number = ?').run(at, accountId, number);
  }

  setBlacklisted(accountId: string, number: string, on: boolean, reason: string | null, at: number): void {
    if (on) {
      this.db.prepare('INSERT INTO blacklist (account_id, number, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(accountId, number, reason, at);
    } else {
      this.db.prepare('DELETE FROM blacklist WHERE account_id = ? AND number = ?').run(accountId, number);
    }
  }

  /** A number's grade and exclusive agent; null takes it off both lists. */
  saveCustomer(accountId: string, number: string, entry: CustomerEntry | null): void {
    this.db.prepare('DELETE FROM customer_grades WHERE account_id = ? AND number = ?').run(accountId, number);
    this.db.prepare('DELETE FROM exclusive_agents WHERE account_id = ? AND number = ?').run(accountId, number);
    if (entry === null) return;
    if (entry.grade !== 0) this.db.prepare('INSERT INTO customer_grades (account_id, number, grade) VALUES (?, ?, ?)').run(accountId, number, entry.grade);
    if (entry.exclusiveAgent !== null) {
      this.db.prepare('INSERT INTO exclusive_agents (account_id, number, agent_id, fallback_seconds) VALUES (?, ?, ?, ?)').run(accountId, number, entry.exclusiveAgent.agentId, entry.exclusiveAgent.fallbackSeconds);
    }
  }

  saveMembership(queueNum: string, agentId: string, member: boolean, position: number): void {
    if (member) {
      this.db.prepare('INSERT INTO queue_members (queue_num, agent_id, level, penalty, position) VALUES (?, ?, 1, 0, ?) ON CONFLICT DO NOTHING').run(queueNum, agentId, position);
    } else {
      this.db.prepare('DELETE FROM queue_members WHERE queue_num = ? AND agent_id = ?').run(queueNum, agentId);
    }
  }

  savePause(queueNum: string, agentId: string, paused: boolean, reason: string | null, at: number): void {
    if (paused) {
      this.db.prepare('INSERT INTO queue_pauses (queue_num, agent_id, reason, since) VALUES (?, ?, ?, ?) ON CONFLICT (queue_num, agent_id) DO UPDATE SET reason = excluded.reason').run(queueNum, agentId, reason, at);
    } else {
      this.db.prepare('DELETE FROM queue_pauses WHERE queue_num = ? AND agent_id = ?').run(queueNum, agentId);
    }
  }
}
