/** Per-agent daily statistics in SQLite: each change saved whole; today's rows read back at start. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { STAT_FIELDS, type StatsRow, type StatValues } from '../core/records/daily-stats.js';

export class StatsStore {
  private readonly upsert: Statement;
  private readonly ofDay: Statement;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO agent_daily_stats (day, agent_id, account_id, ${STAT_FIELDS.join(', ')}, updated_at)
       VALUES (@day, @agentId, @accountId, ${STAT_FIELDS.map((f) => `@${f}`).join(', ')}, @updatedAt)
       ON CONFLICT (day, agent_id) DO UPDATE SET ${STAT_FIELDS.map((f) => `${f} = excluded.${f}`).join(', ')}, updated_at = excluded.updated_at`,
    );
    this.ofDay = db.prepare('SELECT * FROM agent_daily_stats WHERE day = ?');
  }

  save(row: StatsRow): void {
    this.upsert.run({ day: row.day, agentId: row.agentId, accountId: row.accountId, updatedAt: row.updatedAt, ...row.values });
  }

  day(day: string): StatsRow[] {
    return (this.ofDay.all(day) as Record<string, unknown>[]).map((r) => ({
      day: r['day'] as string,
      agentId: r['agent_id'] as string,
      accountId: r['account_id'] as string,
      updatedAt: r['updated_at'] as number,
      values: Object.fromEntries(STAT_FIELDS.map((f) => [f, r[f] as number])) as StatValues,
    }));
  }
}
