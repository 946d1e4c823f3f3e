/**
 * The store the engine holds while polylink runs, the one holder of the database: it loads
 * what the core is built from, writes the rows of one step as one transaction, and answers
 * the few reads that queries need (narrow read models: the numbers an agent dialled, a
 * tenant's day). Nothing else writes the database: every change of what is stored goes
 * through the core and comes back here as effects.
 *
 * `Store` is what the engine depends on; `SqliteStore` (here) and `PgStore` (pg-store.ts)
 * are its two implementations, chosen by `database.driver` (app/open-store.ts). The
 * interface is synchronous because the core is: SQLite answers at once; PostgreSQL's
 * store reads everything it needs at start and writes behind (docs/architecture.md,
 * "The store").
 */
import type { CoreSetup } from '../core/core.js';
import type { CoreEffect } from '../core/effects.js';
import type { OrganisationData } from '../core/organisation.js';
import type { PushFact } from '../core/records/push-facts.js';
import type { DayClock } from '../time-format.js';
import { AcdStore } from '../store/acd-store.js';
import { CdrStore } from '../store/cdr-store.js';
import type { Db } from '../store/database.js';
import { watchForeignCommits } from '../store/foreign-commits.js';
import { LeaveStore } from '../store/leave-store.js';
import { OpenCallStore, type OpenCall } from '../store/open-call-store.js';
import { OperationLog } from '../store/operation-log.js';
import { writeOrganisationChange } from '../store/organisation-writer.js';
import { loadOrganisation, saveAgentPassword, saveGroupThreshold } from '../store/organisation-repo.js';
import { ReportStore, type DayReport } from '../store/report-store.js';
import { SessionTokenStore } from '../store/session-token-store.js';
import { StatsStore } from '../store/stats-store.js';
import type { WriteQueueHealth } from '../store/postgres/pg-write-queue.js';
import { ExportStore } from '../store/export-store.js';
import { OutboxStore, type OutboxLimits } from '../store/outbox-store.js';
import { WebhookTargetStore } from '../store/webhook-target-store.js';
import { isStorageRefusal } from './row-writer.js';
import type { OutboxEntry } from '../webhooks/outbox.js';

/** The effects that are rows: the store writes them, each step's all or none (one transaction per turn, a savepoint per step). */
export type RowEffect = Extract<
  CoreEffect,
  {
    type:
      | 'log-operation'
      | 'save-leave'
      | 'save-threshold'
      | 'save-cdr'
      | 'save-open-calls'
      | 'journal-open-calls'
      | 'save-stats'
      | 'blacklist-hit'
      | 'save-membership'
      | 'save-pause'
      | 'save-blacklist'
      | 'save-password'
      | 'save-organisation'
      | 'save-customer'
      | 'save-session-token'
      | 'push';
  }
>;

const ROW_TYPES: ReadonlySet<CoreEffect['type']> = new Set<RowEffect['type']>([
  'log-operation',
  'save-leave',
  'save-threshold',
  'save-cdr',
  'save-open-calls',
  'journal-open-calls',
  'save-stats',
  'blacklist-hit',
  'save-membership',
  'save-pause',
  'save-blacklist',
  'save-password',
  'save-organisation',
  'save-customer',
  'save-session-token',
  'push',
]);

export function isRow(effect: CoreEffect): effect is RowEffect {
  return ROW_TYPES.has(effect.type);
}

/** What the protocol's queries read from the store (the engine hands these out, never the handle). */
export interface StoreReads {
  /** The numbers the agent dialled lately, newest first (GetAccessNumberEvent's callHistory). */
  calledNumbers(agentId: string): string[];
  /** Today's figures of a tenant from its CDRs (the wallboard's report). */
  dayReport(accountId: string, now: number): DayReport;
}

/** How the store is doing, for /health: `ok` false turns it to 503 "degraded". */
export type StoreHealth =
  | { readonly driver: 'sqlite'; readonly ok: true }
  | { readonly driver: 'postgres'; readonly ok: boolean; readonly url: string; readonly writes: WriteQueueHealth };

export interface Store extends StoreReads {
  /** The organisation as stored now. */
  organisation(): OrganisationData;
  /**
   * What the core is built from. Leave applications a stop left open are closed first
   * (`closedLeave` says how many).
   */
  stored(now: number, resumeGraceMs: number): { stored: CoreSetup['stored']; closedLeave: number };
  /** The calls a stop saved for this start to follow. */
  openCalls(): OpenCall[];
  /**
   * The rows of one step, as one transaction: all or none. Returns what is worth a warning
   * (a CDR whose call has one already) when the store knows it at once. SQLite commits
   * before returning and throws when the transaction fails; PostgreSQL queues the step and
   * logs such a failure (and the warnings) when its commit comes back.
   */
  write(rows: readonly RowEffect[]): string[];
  /**
   * The rows of the steps of one event-loop turn, in order, each step still all or none.
   * SQLite writes them in one transaction, a savepoint per step: a step whose rows fail
   * (a constraint) is rolled back alone and named in `failed`; a refusal of the storage
   * (SQLITE_FULL …) throws and writes none of them. PostgreSQL queues them in order.
   */
  writeSteps(steps: readonly (readonly RowEffect[])[]): StepsWritten;
  /** Calls `onCommit` when another process (`polylink import`) changed the organisation; `organisation()` then has it. */
  watchForeignCommits(intervalMs: number, onCommit: () => void): () => void;
  health(): StoreHealth;
  /** Writes what is still to be written (bounded) and lets the database go. */
  close(): Promise<void>;
}

/** What writing a turn's steps came to. */
export interface StepsWritten {
  /** What is worth a warning, of the steps written. */
  readonly warnings: string[];
  /** The steps (by index) whose rows were rolled back, and why. */
  readonly failed: { readonly index: number; readonly error: unknown }[];
}

/** How the store writes pushes: the outbox rows of a fact (one per target that takes it), and the outbox's bounds. */
export interface StorePushes {
  render(fact: PushFact): OutboxEntry[];
  readonly limits: OutboxLimits;
  /** The time rows are written at (the engine's clock). */
  now(): number;
}

/** Without targets nothing is pushed. */
const NO_PUSHES: StorePushes = { render: () => [], limits: { maxBacklog: 1, maxDead: 1 }, now: () => Date.now() };

/** Told after a commit which lanes have new rows, and which had their oldest rows made dead. */
export type OutboxListener = (changed: { touched: ReadonlySet<string>; evicted: ReadonlySet<string> }) => void;

export class SqliteStore implements Store {
  private readonly operations: OperationLog;
  private readonly leave: LeaveStore;
  private readonly cdrs: CdrStore;
  private readonly open: OpenCallStore;
  private readonly stats: StatsStore;
  private readonly acd: AcdStore;
  private readonly reports: ReportStore;
  private readonly tokens: SessionTokenStore;
  /** The webhooks' outbox (src/webhooks/ delivers from it). */
  readonly outbox: OutboxStore;
  /** Push targets, as the admin API changes them. */
  readonly targets: WebhookTargetStore;
  /** Seed 004's export jobs and the pages they read. */
  readonly exports: ExportStore;
  private outboxListener: OutboxListener | undefined;

  /** One step's rows; inside the turn's transaction a savepoint (better-sqlite3 nests transactions so). */
  private readonly step: (rows: readonly RowEffect[], warnings: string[]) => void;

  constructor(
    private readonly db: Db,
    private readonly days: DayClock,
    private readonly pushes: StorePushes = NO_PUSHES,
  ) {
    this.step = db.transaction((rows: readonly RowEffect[], warnings: string[]) => {
      for (const row of rows) this.writeRow(row, warnings);
    });
    this.operations = new OperationLog(db);
    this.leave = new LeaveStore(db);
    this.cdrs = new CdrStore(db);
    this.open = new OpenCallStore(db);
    this.stats = new StatsStore(db);
    this.acd = new AcdStore(db);
    this.reports = new ReportStore(db);
    this.tokens = new SessionTokenStore(db);
    this.outbox = new OutboxStore(db, pushes.limits);
    this.targets = new WebhookTargetStore(db);
    this.exports = new ExportStore(db);
  }

  /** The delivery listens: it is woken when a lane has new rows. */
  onOutbox(listener: OutboxListener | undefined): void {
    this.outboxListener = listener;
  }

  /** An export is built (or failed): its state and, when ready, its callback in the outbox, in one transaction. */
  finishExport(responseId: string, state: 'ready' | 'failed', rows: number | null, error: string | null, callback: OutboxEntry | undefined): void {
    this.inTransaction(() => {
      const now = this.pushes.now();
      this.exports.finish(responseId, state, rows, error, now);
      if (callback !== undefined) this.outbox.insert(callback, now);
    });
  }

  organisation(): OrganisationData {
    return loadOrganisation(this.db);
  }

  /**
   * What the core is built from. Leave applications a stop left open are closed first
   * (`closedLeave` says how many).
   */
  stored(now: number, resumeGraceMs: number): { stored: CoreSetup['stored']; closedLeave: number } {
    const closedLeave = this.leave.closeOpenAtStart(now);
    return {
      closedLeave,
      stored: {
        lists: this.acd.loadLists(),
        pauses: this.acd.loadPauses(),
        stats: this.stats.day(this.days.dayOf(now)),
        firstLeaveId: this.leave.nextId(),
        sessionTokens: this.tokens.loadAtStart(now, resumeGraceMs),
      },
    };
  }

  openCalls(): OpenCall[] {
    return this.open.load();
  }

  calledNumbers(agentId: string): string[] {
    return this.operations.recentCalledNumbers(agentId);
  }

  dayReport(accountId: string, now: number): DayReport {
    return this.reports.day(accountId, this.days.startOfDay(now), this.days.nextDayStart(now));
  }

  /** The rows of one step, in one SQLite transaction, committed before this returns; throws when they are not. */
  write(rows: readonly RowEffect[]): string[] {
    const { warnings, failed } = this.writeSteps([rows]);
    if (failed.length > 0) throw failed[0]!.error;
    return warnings;
  }

  /**
   * The steps of one turn in one SQLite transaction, committed before this returns: one
   * commit instead of one per step was 17 % of polylink's busy time under load. When a row
   * fails, the turn is written again with each step a savepoint (better-sqlite3 turns a
   * transaction inside a transaction into one), so a step whose rows break a constraint
   * loses its own rows only. A refusal of the storage
   * is thrown (the row writer keeps every step for later); so is an error after which
   * SQLite rolled the whole transaction back itself (no transaction left to go on in).
   */
  writeSteps(steps: readonly (readonly RowEffect[])[]): StepsWritten {
    // Nearly always every row is written: then a savepoint per step (two more statements
    // each) buys nothing. So first the rows as they come; only when a row fails is the whole
    // transaction rolled back (the outbox recounted) and written again a savepoint per step.
    const written: string[] = [];
    try {
      this.inTransaction(() => {
        for (const rows of steps) for (const row of rows) this.writeRow(row, written);
      });
      return { warnings: written, failed: [] };
    } catch (error) {
      if (isStorageRefusal(error) !== undefined) throw error;
    }
    const warnings: string[] = [];
    const failed: { index: number; error: unknown }[] = [];
    this.inTransaction(() => {
      for (let index = 0; index < steps.length; index++) {
        const stepWarnings: string[] = [];
        try {
          this.step(steps[index]!, stepWarnings);
        } catch (error) {
          if (isStorageRefusal(error) !== undefined || !this.db.inTransaction) throw error;
          // The savepoint rolled its outbox rows back: their counts follow.
          this.outbox.recountPending(this.db);
          failed.push({ index, error });
          continue;
        }
        warnings.push(...stepWarnings);
      }
    });
    return { warnings, failed };
  }

  /**
   * One transaction; the outbox's counts follow its commit or its rollback, and the delivery hears of new rows after the commit.
   * IMMEDIATE: the delivery thread writes the same file; a deferred transaction that read before writing could not wait for it
   * (SQLite answers SQLITE_BUSY at once to a reader's upgrade after another connection's commit), one that takes the write lock at
   * BEGIN waits (busy_timeout).
   */
  private inTransaction(write: () => void): void {
    try {
      this.db.transaction(write).immediate();
    } catch (err) {
      this.outbox.recount(this.db);
      throw err;
    }
    const changed = this.outbox.takeTouched();
    if (changed.touched.size > 0 || changed.evicted.size > 0) this.outboxListener?.(changed);
  }

  /** SQLite has no notification across processes: its data_version is polled (store/foreign-commits.ts). */
  watchForeignCommits(intervalMs: number, onCommit: () => void): () => void {
    return watchForeignCommits(this.db, intervalMs, onCommit);
  }

  health(): StoreHealth {
    return { driver: 'sqlite', ok: true };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private writeRow(row: RowEffect, warnings: string[]): void {
    switch (row.type) {
      case 'log-operation':
        this.operations.record(row.entry);
        return;
      case 'save-leave':
        this.leave.save(row.application);
        return;
      case 'save-threshold':
        saveGroupThreshold(this.db, row.groupId, row.status, row.maxNum);
        return;
      case 'save-cdr':
        if (!this.cdrs.save(row.cdr)) warnings.push(`a CDR for call ${row.cdr.callId} exists already`);
        return;
      case 'save-open-calls':
        this.open.save(row.calls, row.at);
        return;
      case 'journal-open-calls':
        this.open.save(row.changed, row.at);
        this.open.remove(row.closed);
        return;
      case 'save-stats':
        this.stats.save(row.row);
        return;
      case 'blacklist-hit':
        this.acd.blacklistHit(row.accountId, row.number, row.at);
        return;
      case 'save-membership':
        this.acd.saveMembership(row.queueNum, row.agentId, row.member, row.position);
        return;
      case 'save-pause':
        this.acd.savePause(row.queueNum, row.agentId, row.paused, row.reason, row.at);
        return;
      case 'save-blacklist':
        this.acd.setBlacklisted(row.accountId, row.number, row.on, row.reason, row.at);
        return;
      case 'save-password':
        saveAgentPassword(this.db, row.agentId, row.hash, row.at);
        return;
      case 'save-organisation':
        writeOrganisationChange(this.db, row.accountId, row.before, row.after, row.at);
        return;
      case 'save-customer':
        this.acd.saveCustomer(row.accountId, row.number, row.entry);
        return;
      case 'save-session-token':
        if (row.tokenHash === null) this.tokens.drop(row.agentId);
        else this.tokens.save(row.agentId, row.tokenHash, row.expiresAt, row.session);
        return;
      case 'push': {
        const entries = this.pushes.render(row.fact);
        if (entries.length === 0) return;
        const now = this.pushes.now();
        for (const entry of entries) this.outbox.insert(entry, now);
        return;
      }
    }
  }
}
