/**
 * The Store (store.ts) on PostgreSQL. The engine's calls stay synchronous, as on SQLite:
 * - reads: what the core is built from (organisation, lists, pauses, today's statistics,
 *   the next leave id, the calls a stop left open) is read once, in `open`, before the
 *   engine starts; the two reads queries make at run time (an agent's dialled numbers, a
 *   tenant's day) are answered from read models filled at start and kept as rows are written;
 * - writes: each step's rows become one transaction in the ordered write-behind queue
 *   (store/postgres/pg-write-queue.ts), which commits them in order, retries a passing
 *   failure, and is measured on /health;
 * - the organisation changed by `polylink import` in another process arrives by
 *   LISTEN/NOTIFY, is read again, and then handed to the engine.
 */
import type { CoreSetup } from '../core/core.js';
import type { OrganisationData } from '../core/organisation.js';
import type { Logger } from '../log.js';
import type { DayClock } from '../time-format.js';
import type { OpenCall } from '../store/open-call-store.js';
import { loadOrganisationFrom } from '../store/organisation-repo.js';
import { DayCounts } from '../store/postgres/day-counts.js';
import { listenForOrganisation } from '../store/postgres/organisation-channel.js';
import { redactUrl, type PgPool } from '../store/postgres/pg-pool.js';
import { calledNumbers, closeOpenLeave, loadLists, loadOpenCalls, loadPauses, loadSessionTokens, nextLeaveId, statsOfDay } from '../store/postgres/pg-reads.js';
import { pgSession } from '../store/postgres/pg-session.js';
import { PgWriteQueue, type PgStatement, type WriteQueueOptions } from '../store/postgres/pg-write-queue.js';
import { RecentNumbers } from '../store/postgres/recent-numbers.js';
import type { DayReport } from '../store/report-store.js';
import { statementsOf } from './pg-rows.js';
import type { RowEffect, StepsWritten, Store, StoreHealth } from './store.js';

export interface PgStoreOptions {
  readonly pool: PgPool;
  readonly url: string;
  readonly days: DayClock;
  readonly log: Logger;
  /** The start: leave applications left open are closed as of it, its day's statistics read. */
  readonly now: number;
  /** agent.resumeGraceSeconds in ms: how long the session tokens of a crash's sessions are kept. */
  readonly resumeGraceMs: number;
  readonly writes?: WriteQueueOptions;
  /** How long close() waits for the queue to be written. */
  readonly closeWaitMs?: number;
}

/** A CDR row of a step and the index of its insert among the step's statements. */
interface CdrAt {
  readonly row: Extract<RowEffect, { type: 'save-cdr' }>;
  readonly index: number;
}

interface Loaded {
  organisation: OrganisationData;
  stored: CoreSetup['stored'];
  closedLeave: number;
  openCalls: OpenCall[];
}

export class PgStore implements Store {
  private readonly writes: PgWriteQueue;
  private readonly log: Logger;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly options: PgStoreOptions,
    private loaded: Loaded,
    private readonly recent: RecentNumbers,
    private readonly dayCounts: DayCounts,
  ) {
    this.log = options.log.child({ module: 'store' });
    this.writes = new PgWriteQueue(options.pool, this.log, options.writes);
  }

  /** Reads what the engine starts from (the schema must be migrated). */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const sql = pgSession(options.pool);
    const closedLeave = await closeOpenLeave(sql, options.now);
    const recent = new RecentNumbers();
    const dayCounts = new DayCounts(options.days);
    const sessionTokens = await loadSessionTokens(sql, options.now, options.resumeGraceMs);
    const [organisation, lists, pauses, stats, firstLeaveId, openCalls, numbers] = await Promise.all([
      loadOrganisationFrom(sql),
      loadLists(sql),
      loadPauses(sql),
      statsOfDay(sql, options.days.dayOf(options.now)),
      nextLeaveId(sql),
      loadOpenCalls(sql),
      calledNumbers(sql),
      dayCounts.load(sql, options.now),
    ]);
    recent.fill(numbers);
    return new PgStore(options, { organisation, closedLeave, openCalls, stored: { lists, pauses, stats, firstLeaveId, sessionTokens } }, recent, dayCounts);
  }

  organisation(): OrganisationData {
    return this.loaded.organisation;
  }

  /** As read at open (its `now` and `resumeGraceMs`): the engine starts right after. */
  stored(): { stored: CoreSetup['stored']; closedLeave: number } {
    return { stored: this.loaded.stored, closedLeave: this.loaded.closedLeave };
  }

  openCalls(): OpenCall[] {
    return this.loaded.openCalls;
  }

  calledNumbers(agentId: string): string[] {
    return this.recent.of(agentId);
  }

  dayReport(accountId: string, now: number): DayReport {
    return this.dayCounts.day(accountId, now);
  }

  /** Queues the step; a CDR its call had already is warned about when the commit says so. */
  write(rows: readonly RowEffect[]): string[] {
    const statements: PgStatement[] = [];
    const cdrs: CdrAt[] = [];
    for (const row of rows) {
      if (row.type === 'save-cdr') cdrs.push({ row, index: statements.length });
      if (row.type === 'log-operation' && row.entry.operation === 'callout' && row.entry.target != null) this.recent.dialled(row.entry.agentId, row.entry.target);
      statements.push(...statementsOf(row));
    }
    this.writes.push({ statements, rows: rows.map((r) => r.type), committed: (counts) => this.cdrsCommitted(cdrs, counts) });
    return [];
  }

  /** A turn's steps, queued in order, each its own transaction as before (the queue writes behind). */
  writeSteps(steps: readonly (readonly RowEffect[])[]): StepsWritten {
    for (const rows of steps) this.write(rows);
    return { warnings: [], failed: [] };
  }

  watchForeignCommits(intervalMs: number, onCommit: () => void): () => void {
    let reading = false;
    let again = false;
    // Notifications that come while the organisation is being read are folded into one more read.
    const reload = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          this.loaded.organisation = await loadOrganisationFrom(pgSession(this.options.pool));
          onCommit();
        } while (again);
      } catch (err) {
        this.log.error({ err }, 'reading the organisation after a change failed; the server goes on with the one it had');
      } finally {
        reading = false;
      }
    };
    return listenForOrganisation(this.options.pool, intervalMs, () => void reload(), (err) => this.log.warn({ err }, 'listening for organisation changes: connection lost'));
  }

  health(): Extract<StoreHealth, { driver: 'postgres' }> {
    const writes = this.writes.health();
    return { driver: 'postgres', ok: !writes.backlogged && !writes.stalled, url: redactUrl(this.options.url), writes };
  }

  /** Once, however often it is called. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.writes.close(this.options.closeWaitMs ?? 2000);
      await this.options.pool.end();
    })();
    return this.closing;
  }

  private cdrsCommitted(cdrs: readonly CdrAt[], counts: readonly number[]): void {
    for (const { row, index } of cdrs) {
      const c = row.cdr;
      if (counts[index] !== 1) {
        this.log.warn({}, `a CDR for call ${c.callId} exists already`);
        continue;
      }
      this.dayCounts.add({
        accountId: c.accountId,
        startTime: c.startTime,
        callType: c.callType,
        status: c.status,
        queueEntry: c.queueEntry ?? null,
        joinedQueue: c.joinQueueTime != null,
        queued: c.queueNum != null,
      });
    }
  }
}
