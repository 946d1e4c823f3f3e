/**
 * The wallboard's figures of the day (report-store.ts counts them in SQL from SQLite's CDRs)
 * kept in memory for the PostgreSQL store, whose queries cannot answer synchronously: read
 * once at start (grouped in the database, counted here) and added to as each CDR commits.
 * The rules below are the same as ReportStore's SQL; the store contract tests hold the two
 * drivers to the same answers.
 */
import type { DayReport } from '../report-store.js';
import type { DayClock } from '../../time-format.js';
import type { SqlSession } from '../sql-session.js';

/** What the rules look at in a CDR. */
export interface ReportFacts {
  readonly accountId: string;
  readonly startTime: number;
  readonly callType: string;
  readonly status: string;
  readonly queueEntry: string | null;
  readonly joinedQueue: boolean;
  readonly queued: boolean;
}

const RULES: Readonly<Record<keyof DayReport, (c: ReportFacts) => boolean>> = {
  todayAbandon: (c) => c.callType === 'incoming' && c.joinedQueue && (c.status === 'QUEUE_ABANDON' || c.status === 'AGENT_NO_ANSWER'),
  todayCallin: (c) => c.callType === 'incoming',
  todayCallinAnswer: (c) => c.callType === 'incoming' && c.status === 'ANSWER' && c.queued,
  todayCallout: (c) => c.callType === 'dialout',
  todayCalloutAnswer: (c) => c.callType === 'dialout' && c.status === 'ANSWER',
  todayEnterQueue: (c) => c.queueEntry === 'direct',
  todayEnterQueueOther: (c) => c.queueEntry === 'other',
};

const zero = (): DayReport => ({
  todayAbandon: 0, todayCallin: 0, todayCallinAnswer: 0, todayCallout: 0, todayCalloutAnswer: 0, todayEnterQueue: 0, todayEnterQueueOther: 0,
});

export class DayCounts {
  /** day → tenant → figures; the two latest days are kept (a call started before midnight ends after it). */
  private readonly days = new Map<string, Map<string, DayReport>>();

  constructor(private readonly clock: DayClock) {}

  /** Reads the figures of the day `now` falls in. */
  async load(sql: SqlSession, now: number): Promise<void> {
    const rows = await sql.all<Omit<ReportFacts, 'startTime'> & { n: number }>(
      `SELECT account_id AS "accountId", call_type AS "callType", status, queue_entry AS "queueEntry",
         join_queue_time IS NOT NULL AS "joinedQueue", queue_num IS NOT NULL AS "queued", COUNT(*) AS n
       FROM cdr WHERE start_time >= ? AND start_time < ?
       GROUP BY account_id, call_type, status, queue_entry, join_queue_time IS NOT NULL, queue_num IS NOT NULL`,
      [this.clock.startOfDay(now), this.clock.nextDayStart(now)],
    );
    for (const r of rows) this.add({ ...r, startTime: now }, r.n);
  }

  add(facts: ReportFacts, n = 1): void {
    const day = this.clock.dayOf(facts.startTime);
    let tenants = this.days.get(day);
    if (tenants === undefined) {
      this.days.set(day, (tenants = new Map()));
      for (const old of [...this.days.keys()].sort().slice(0, -2)) this.days.delete(old);
    }
    const report = (tenants.get(facts.accountId) ?? zero()) as Record<keyof DayReport, number>;
    for (const [field, rule] of Object.entries(RULES) as [keyof DayReport, (c: ReportFacts) => boolean][]) if (rule(facts)) report[field] += n;
    tenants.set(facts.accountId, report);
  }

  day(accountId: string, now: number): DayReport {
    return { ...(this.days.get(this.clock.dayOf(now))?.get(accountId) ?? zero()) };
  }
}
