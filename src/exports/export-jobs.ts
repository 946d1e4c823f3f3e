/**
 * Seed 004's exports, beside the core: a request is answered at once with its
 * responseId; the zip is built in the background (a few at a time), then the seed's
 * callback message is put in the outbox — in the transaction that marks the job ready —
 * and delivered like a webhook (retried, kept across restarts), signed with auth-v2 for
 * the app that asked. The file is served to that app alone and removed after the
 * retention. A job a stop interrupted is built again at the next start.
 */
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { ExportJob } from '../store/export-store.js';
import type { TimeFormat } from '../time-format.js';
import type { OutboxEntry } from '../webhooks/outbox.js';
import type { AppKey } from './auth-v2.js';
import type { ExportRequest } from './export-request.js';
import { buildOperationsZip, type OperationReads } from './operations-zip.js';

/** What the jobs keep in the store (the engine's store implements it). */
export interface ExportJobStore extends OperationReads {
  create(job: Omit<ExportJob, 'state' | 'rows' | 'error' | 'finishedAt'>): void;
  byFileName(fileName: string): ExportJob | undefined;
  building(): ExportJob[];
  expired(before: number): ExportJob[];
  markRemoved(responseId: string): void;
  /** The job's end, and its callback in the outbox, in one transaction. */
  finish(responseId: string, state: 'ready' | 'failed', rows: number | null, error: string | null, callback: OutboxEntry | undefined): void;
}

export interface ExportJobsOptions {
  readonly store: ExportJobStore;
  readonly dir: string;
  readonly retentionMs: number;
  readonly maxConcurrent: number;
  readonly rowsPerFile: number;
  readonly formatTime: TimeFormat;
  readonly clock: Clock;
  readonly log: Logger;
  readonly newId: () => string;
  /** The tenant an app reads (its configured accountId); undefined: no such app any more. */
  readonly accountOf: (appKey: string) => string | undefined;
}

/** The lane of an export's callback in the outbox. */
export const callbackLane = (responseId: string): string => `export:${responseId}`;

export class ExportJobs {
  private readonly queue: ExportJob[] = [];
  private running = 0;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private readonly builds = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(private readonly o: ExportJobsOptions) {
    this.log = o.log.child({ module: 'exports' });
  }

  /** Builds again what a stop interrupted; removes files past their retention, now and every 10 minutes. */
  start(): void {
    for (const job of this.o.store.building()) this.enqueue(job);
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), 600_000);
    this.sweeper.unref();
  }

  /** Exports waiting or being built. */
  get backlog(): number {
    return this.queue.length + this.running;
  }

  /** A checked request of an app (its accountId, when given, is the app's own). */
  submit(app: AppKey, request: ExportRequest): { responseId: string; fileName: string } {
    const now = this.o.clock.now();
    const responseId = this.o.newId();
    const fileName = `${this.o.formatTime(now).slice(0, 10).replace(/-/g, '')}_${responseId}.zip`;
    const job: ExportJob = {
      responseId,
      appKey: app.ak,
      // As asked: the callback names the tenant only when the request did.
      accountId: request.accountId,
      agentId: request.agentId,
      beginAt: request.beginAt,
      endAt: request.endAt,
      callbackUrl: request.callbackUrl,
      fileName,
      state: 'building',
      rows: null,
      error: null,
      createdAt: now,
      finishedAt: null,
    };
    this.o.store.create(job);
    this.log.info({ responseId, app: app.ak, accountId: app.accountId, agentId: request.agentId }, 'export asked for');
    this.enqueue(job);
    return { responseId, fileName };
  }

  /** The file's path, for the app that asked for it, while it is kept. */
  fileFor(appKey: string, fileName: string): { path: string; job: ExportJob } | undefined {
    const job = this.o.store.byFileName(fileName);
    if (job === undefined || job.appKey !== appKey || job.state !== 'ready') return undefined;
    return { path: join(this.o.dir, job.fileName), job };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.queue.length = 0;
    await Promise.allSettled([...this.builds]);
  }

  private enqueue(job: ExportJob): void {
    this.queue.push(job);
    this.next();
  }

  private next(): void {
    while (!this.stopped && this.running < this.o.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      const build = this.build(job).finally(() => {
        this.running--;
        this.builds.delete(build);
        this.next();
      });
      this.builds.add(build);
    }
  }

  private async build(job: ExportJob): Promise<void> {
    const started = this.o.clock.now();
    try {
      const accountId = this.o.accountOf(job.appKey);
      if (accountId === undefined) throw new Error(`the app ${job.appKey} is no longer configured`);
      // Made when the first export is built: a server that never exports leaves no folder behind.
      mkdirSync(this.o.dir, { recursive: true });
      const rows = await buildOperationsZip({
        reads: this.o.store,
        filter: { accountId, agentId: job.agentId, beginAt: job.beginAt, endAt: job.endAt },
        developerId: job.appKey,
        formatTime: this.o.formatTime,
        path: join(this.o.dir, job.fileName),
        rowsPerFile: this.o.rowsPerFile,
        now: () => this.o.clock.now(),
      });
      if (this.stopped) return;
      this.o.store.finish(job.responseId, 'ready', rows, null, this.callback(job));
      this.log.info({ responseId: job.responseId, rows, ms: this.o.clock.now() - started }, 'export built; its callback is queued');
    } catch (err) {
      if (this.stopped) return;
      this.log.error({ err, responseId: job.responseId }, 'export failed');
      this.o.store.finish(job.responseId, 'failed', null, (err as Error).message.slice(0, 500), undefined);
    }
  }

  /** The seed's callback message: request.version and msgBody (responseId, the file's name, the tenant asked for). */
  private callback(job: ExportJob): OutboxEntry {
    const msgBody: Record<string, string> = { responseId: job.responseId, fileName: job.fileName, agentOprInfoFileName: job.fileName };
    if (job.accountId !== null) msgBody['accountId'] = job.accountId;
    return {
      lane: callbackLane(job.responseId),
      event: 'agentOprInfo',
      eventId: job.responseId,
      body: JSON.stringify({ request: { version: '2.0' }, msgBody }),
      factAt: this.o.clock.now(),
      url: job.callbackUrl,
      auth: `auth-v2:${job.appKey}`,
    };
  }

  /** Removes the files past their retention (every 10 minutes, and at start). */
  async sweep(): Promise<void> {
    for (const job of this.o.store.expired(this.o.clock.now() - this.o.retentionMs)) {
      try {
        await rm(join(this.o.dir, job.fileName), { force: true });
        this.o.store.markRemoved(job.responseId);
        this.log.info({ responseId: job.responseId, fileName: job.fileName }, 'export file removed after its retention');
      } catch (err) {
        this.log.warn({ err, fileName: job.fileName }, 'an export file could not be removed');
      }
    }
  }
}
