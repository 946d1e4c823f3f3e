/**
 * The day's figures for the wallboard (seed 002 GetReportStatisInfoEvent), counted from
 * the CDRs of the day — live, not the seed's 15-minute snapshot.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface DayReport {
  todayAbandon: number;
  todayCallin: number;
  todayCallinAnswer: number;
  todayCallout: number;
  todayCalloutAnswer: number;
  todayEnterQueue: number;
  todayEnterQueueOther: number;
}

export class ReportStore {
  private readonly summary: Statement;

  constructor(db: Db) {
    this.summary = db.prepare(`SELECT
      SUM(call_type = 'incoming' AND join_queue_time IS NOT NULL AND status IN ('QUEUE_ABANDON', 'AGENT_NO_ANSWER')) AS todayAbandon,
      SUM(call_type = 'incoming') AS todayCallin,
      SUM(call_type = 'incoming' AND status = 'ANSWER' AND queue_num IS NOT NULL) AS todayCallinAnswer,
      SUM(call_type = 'dialout') AS todayCallout,
      SUM(call_type = 'dialout' AND status = 'ANSWER') AS todayCalloutAnswer,
      SUM(queue_entry = 'direct') AS todayEnterQueue,
      SUM(queue_entry = 'other') AS todayEnterQueueOther
      FROM cdr WHERE account_id = ? AND start_time >= ? AND start_time < ?`);
  }

  /** Figures of the calls that started in [from, to). */
  day(accountId: string, from: number, to: number): DayReport {
    const row = this.summary.get(accountId, from, to) as Record<keyof DayReport, number | null>;
    const n = (v: number | null) => v ?? 0;
    return {
      todayAbandon: n(row.todayAbandon),
      todayCallin: n(row.todayCallin),
      todayCallinAnswer: n(row.todayCallinAnswer),
      todayCallout: n(row.todayCallout),
      todayCalloutAnswer: n(row.todayCalloutAnswer),
      todayEnterQueue: n(row.todayEnterQueue),
      todayEnterQueueOther: n(row.todayEnterQueueOther),
    };
  }
}
