/**
 * The services that talk to business systems, beside the core: the webhooks (targets,
 * the outbox's fan-out and its delivery worker) and seed 004's exports (jobs, files, the
 * auth-v2 check of apps and the signature of their callbacks). Built here from the
 * configuration and the parts of the engine's store they need.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Clock } from '../clock.js';
import type { Config } from '../config/config-schema.js';
import type { SqliteStore } from '../engine/store.js';
import type { Logger } from '../log.js';
import type { TimeFormat } from '../time-format.js';
import { AuthV2Verifier } from '../exports/auth-v2.js';
import { callbackSigner } from '../exports/callback-signer.js';
import { ExportJobs } from '../exports/export-jobs.js';
import { localTimeParser } from '../exports/local-time.js';
import type { Seed004Options } from '../api/seed004.js';
import type { WebhooksAdminOptions } from '../api/webhooks-admin.js';
import { deliveryThreadAvailable, localDelivery, threadDelivery } from '../webhooks/delivery-runner.js';
import type { DeliveryOptions } from '../webhooks/delivery.js';
import { HttpPoster } from '../webhooks/http-post.js';
import { Webhooks } from '../webhooks/webhooks.js';

export interface OutboundServices {
  readonly webhooks: Webhooks;
  readonly exports: ExportJobs;
  /** Checks the Authorization of seed 004's requests. */
  readonly exportAuth: AuthV2Verifier;
  /** `yyyy-MM-dd HH:mm:ss` in the configured zone → ms. */
  readonly parseLocalTime: (text: string) => number | undefined;
  /**
   * For /health: pushes waiting (over all targets and callbacks), how long the oldest has
   * waited, dead pushes, POSTs under way; exports waiting or being built.
   */
  health(): OutboundHealth;
  start(): void;
  stop(): Promise<void>;
}

export interface OutboundHealth {
  readonly webhooks: { readonly backlog: number; readonly oldestAgeSeconds: number | null; readonly dead: number; readonly inFlight: number };
  readonly exports: { readonly building: number };
}

/** The outbox's bounds, for the store (built before the services, which read targets from it). */
export function outboxLimits(config: Config): { maxBacklog: number; maxDead: number } {
  return { maxBacklog: config.webhooks.maxBacklog, maxDead: config.webhooks.maxDead };
}

/** The delivery worker's options, from the configuration's webhooks section. */
export function deliveryOptionsOf(w: Config['webhooks']): DeliveryOptions {
  return { maxAttempts: w.maxAttempts, maxAgeMs: w.maxAgeSeconds * 1000, initialDelayMs: w.initialDelayMs, maxDelayMs: w.maxDelayMs, maxInFlight: w.maxInFlight };
}

/**
 * The delivery thread deletes delivered rows 512 at a time or 100 ms after the first,
 * whichever comes first. Each batch is a write transaction that holds SQLite's write lock,
 * and a core step that finds it held sleeps in SQLite's busy handler (1, 2, 5 … ms,
 * sqliteDefaultBusyCallback in main.c) with the event loop stopped: 64 rows or 5 ms made
 * ~200 such transactions a second at 100 calls/s. A crash re-sends at most the last
 * 100 ms of deliveries, with their event ids (at least once).
 */
const DELETES = { batch: 512, flushMs: 100 };
/** How often the delivery thread reports its POSTs under way (for /health). */
const PROGRESS_MS = 250;

/** Exports waiting or being built at most, per export built at once: beyond, a request is answered 0300009. */
const EXPORTS_WAITING_PER_BUILDER = 4;

/** The options of the `seed004` plugin (src/api/seed004.ts) over the running services. */
export function seed004Options(outbound: OutboundServices, config: Config, clock: Clock): Seed004Options {
  return {
    exports: outbound.exports,
    auth: outbound.exportAuth,
    parseLocalTime: outbound.parseLocalTime,
    maxPeriodDays: config.exports.maxPeriodDays,
    maxBacklog: config.exports.maxConcurrent * EXPORTS_WAITING_PER_BUILDER,
    now: () => clock.now(),
  };
}

/** The options of the `webhooksAdmin` plugin (src/api/webhooks-admin.ts): the webhooks and the admin preHandler. */
export function webhooksAdminOptions(outbound: OutboundServices, authenticate: WebhooksAdminOptions['authenticate']): WebhooksAdminOptions {
  return { webhooks: outbound.webhooks, authenticate };
}

export function outboundServices(config: Config, store: SqliteStore, clock: Clock, formatTime: TimeFormat, log: Logger): OutboundServices {
  const poster = new HttpPoster();
  const apps = new Map(config.exports.apps.map((a) => [a.ak, a]));
  const w = config.webhooks;
  const delivery = deliveryOptionsOf(w);
  const webhooks = new Webhooks({
    targets: store.targets,
    outbox: store.outbox,
    seed: w.targets,
    delivery:
      config.database.path !== ':memory:' && deliveryThreadAvailable()
        ? threadDelivery({
            dbPath: resolve(config.database.path),
            delivery,
            deletes: DELETES,
            pace: { floorPerSecond: w.pace.floorPerSecond, ceilingPerSecond: w.pace.ceilingPerSecond, busyUtilisation: w.pace.busyUtilisation, busyDelayMs: w.pace.busyDelayMs },
            nice: w.pace.threadNice,
            apps: config.exports.apps,
            callbackTimeoutMs: config.exports.callbackTimeoutMs,
            logLevel: log.level,
            progressMs: PROGRESS_MS,
            outbox: store.outbox,
            log,
          })
        : localDelivery({ outbox: store.outbox, post: poster.post, delivery, signCallback: callbackSigner(config.exports.apps), callbackTimeoutMs: config.exports.callbackTimeoutMs, clock, log }),
    format: { formatTime, mac: w.mac, newEventId: () => randomUUID().replace(/-/g, '') },
    clock,
    log,
  });
  store.onOutbox((changed) => webhooks.changed(changed));
  const exports = new ExportJobs({
    store: {
      create: (job) => store.exports.create(job),
      byFileName: (name) => store.exports.byFileName(name),
      building: () => store.exports.building(),
      expired: (before) => store.exports.expired(before),
      markRemoved: (id) => store.exports.markRemoved(id),
      finish: (id, state, rows, error, callback) => store.finishExport(id, state, rows, error, callback),
      operations: (f, after, limit) => store.exports.operations(f, after, limit),
      nextOperationAt: (agentId, at) => store.exports.nextOperationAt(agentId, at),
      calls: (f, after, limit) => store.exports.calls(f, after, limit),
    },
    dir: resolve(config.exports.dir),
    retentionMs: config.exports.retentionHours * 3_600_000,
    maxConcurrent: config.exports.maxConcurrent,
    rowsPerFile: config.exports.rowsPerFile,
    formatTime,
    clock,
    log,
    newId: () => randomUUID().replace(/-/g, ''),
    accountOf: (ak) => apps.get(ak)?.accountId,
  });
  return {
    webhooks,
    exports,
    exportAuth: new AuthV2Verifier({ apps: config.exports.apps, maxSkewMs: config.exports.maxSkewSeconds * 1000 }),
    parseLocalTime: localTimeParser(formatTime),
    health() {
      const d = webhooks.health();
      return { webhooks: { backlog: d.backlog, oldestAgeSeconds: d.oldestAgeSeconds, dead: d.dead, inFlight: d.inFlight }, exports: { building: exports.backlog } };
    },
    start() {
      webhooks.start();
      exports.start();
    },
    async stop() {
      await exports.stop();
      await webhooks.stop();
      poster.close();
    },
  };
}
