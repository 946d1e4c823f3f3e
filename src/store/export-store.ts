/**
 * Seed 004's export jobs, and the reads an export is built from: the operation log and
 * the CDRs of a period, a page at a time in a fixed order (keyset pages, never the whole
 * period in memory), for one tenant and optionally one agent.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export type ExportState = 'building' | 'ready' | 'failed' | 'removed';

export interface ExportJob {
  readonly responseId: string;
  readonly appKey: string;
  readonly accountId: string | null;
  readonly agentId: string | null;
  readonly beginAt: number;
  readonly endAt: number;
  readonly callbackUrl: string;
  readonly fileName: string;
  readonly state: ExportState;
  readonly rows: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly finishedAt: number | null;
}

/** Which rows an export reads: one tenant, a period [beginAt, endAt], maybe one agent. */
export interface ExportFilter {
  readonly accountId: string;
  readonly agentId: string | null;
  readonly beginAt: number;
  readonly endAt: number;
}

export interface OperationRow {
  readonly id: number;
  readonly accountId: string;
  readonly agentId: string;
  readonly operation: string;
  readonly oldStatus: number | null;
  readonly newStatus: number | null;
  readonly causedBy: string;
  readonly reason: string | null;
  readonly target: string | null;
  readonly exten: string | null;
  readonly remote: string | null;
  readonly at: number;
}

export interface CallRow {
  readonly callId: string;
  readonly accountId: string;
  readonly agentId: string;
  readonly callType: string;
  readonly status: string;
  readonly customerNumber: string | null;
  readonly agentExten: string | null;
  readonly queueNum: string | null;
  readonly startTime: number;
  readonly bridgeTime: number | null;
  readonly hangupTime: number;
  readonly hangupSide: string | null;
}

const JOB = `response_id AS responseId, app_key AS appKey, account_id AS accountId, agent_id AS agentId, begin_at AS beginAt, end_at AS endAt,
  callback_url AS callbackUrl, file_name AS fileName, state, rows, error, created_at AS createdAt, finished_at AS finishedAt`;

export class ExportStore {
  private readonly s: Record<string, Statement>;

  constructor(db: Db) {
    const agent = '(@agentId IS NULL OR agent_id = @agentId)';
    this.s = {
      create: db.prepare(`INSERT INTO export_jobs (response_id, app_key, account_id, agent_id, begin_at, end_at, callback_url, file_name, state, created_at)
        VALUES (@responseId, @appKey, @accountId, @agentId, @beginAt, @endAt, @callbackUrl, @fileName, 'building', @createdAt)`),
      get: db.prepare(`SELECT ${JOB} FROM export_jobs WHERE response_id = ?`),
      byFile: db.prepare(`SELECT ${JOB} FROM export_jobs WHERE file_name = ?`),
      building: db.prepare(`SELECT ${JOB} FROM export_jobs WHERE state = 'building' ORDER BY created_at`),
      finish: db.prepare(`UPDATE export_jobs SET state = @state, rows = @rows, error = @error, finished_at = @at WHERE response_id = @responseId`),
      expired: db.prepare(`SELECT ${JOB} FROM export_jobs WHERE state IN ('ready', 'failed') AND finished_at < ?`),
      removed: db.prepare(`UPDATE export_jobs SET state = 'removed' WHERE response_id = ?`),
      // Keyset pages in the order of the (agent_id, at) index (its rowid is id): each page seeks to
      // where the last one stopped. Left to itself the planner takes the time index and sorts the
      // whole period for every page: 10 s a page of 2,000 rows in a month of 500 agents (bench/webhooks), against 28 ms.
      operations: db.prepare(`SELECT id, account_id AS accountId, agent_id AS agentId, operation, old_status AS oldStatus, new_status AS newStatus,
          caused_by AS causedBy, reason, target, exten, remote, at
        FROM agent_operation_log INDEXED BY agent_operation_log_by_agent
        WHERE account_id = @accountId AND ${agent} AND at BETWEEN @beginAt AND @endAt
          AND (agent_id, at, id) > (@afterAgent, @afterAt, @afterId)
        ORDER BY agent_id, at, id LIMIT @limit`),
      nextOperation: db.prepare(`SELECT at FROM agent_operation_log WHERE agent_id = ? AND at > ? ORDER BY at, id LIMIT 1`),
      calls: db.prepare(`SELECT call_id AS callId, account_id AS accountId, agent_id AS agentId, call_type AS callType, status,
          customer_number AS customerNumber, agent_exten AS agentExten, queue_num AS queueNum, start_time AS startTime,
          bridge_time AS bridgeTime, hangup_time AS hangupTime, hangup_side AS hangupSide
        FROM cdr
        WHERE account_id = @accountId AND agent_id IS NOT NULL AND ${agent} AND start_time BETWEEN max(@beginAt, @afterTime) AND @endAt
          AND (start_time, call_id) > (@afterTime, @afterCall)
        ORDER BY start_time, call_id LIMIT @limit`),
    };
  }

  create(job: Omit<ExportJob, 'state' | 'rows' | 'error' | 'finishedAt'>): void {
    this.s['create']!.run(job);
  }

  get(responseId: string): ExportJob | undefined {
    return this.s['get']!.get(responseId) as ExportJob | undefined;
  }

  byFileName(fileName: string): ExportJob | undefined {
    return this.s['byFile']!.get(fileName) as ExportJob | undefined;
  }

  /** Jobs a stop interrupted: they are built again. */
  building(): ExportJob[] {
    return this.s['building']!.all() as ExportJob[];
  }

  finish(responseId: string, state: 'ready' | 'failed', rows: number | null, error: string | null, at: number): void {
    this.s['finish']!.run({ responseId, state, rows, error, at });
  }

  /** Finished jobs older than `before`: their files go. */
  expired(before: number): ExportJob[] {
    return this.s['expired']!.all(before) as ExportJob[];
  }

  markRemoved(responseId: string): void {
    this.s['removed']!.run(responseId);
  }

  /** Operation-log rows of the period by agent, then time, after the last one read. */
  operations(filter: ExportFilter, after: { agentId: string; at: number; id: number }, limit: number): OperationRow[] {
    return this.s['operations']!.all({ ...filter, afterAgent: after.agentId, afterAt: after.at, afterId: after.id, limit }) as OperationRow[];
  }

  /** When the agent's next operation after `at` happened (the end of the state `at` began), if any yet. */
  nextOperationAt(agentId: string, at: number): number | undefined {
    return (this.s['nextOperation']!.get(agentId, at) as { at: number } | undefined)?.at;
  }

  /** CDRs of the period that an agent took part in, by start time, after the last one read. */
  calls(filter: ExportFilter, after: { startTime: number; callId: string }, limit: number): CallRow[] {
    return this.s['calls']!.all({ ...filter, afterTime: after.startTime, afterCall: after.callId, limit }) as CallRow[];
  }
}
