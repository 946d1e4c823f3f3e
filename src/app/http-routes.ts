/**
 * What the HTTP port serves, family by family, each a fastify plugin of src/api/ with
 * the narrow parts of the server it needs: health, the simulator's controls, seed 000,
 * seed 001, the admin API, the webhooks' admin API and seed 004's exports (with SQLite's
 * outbox), the web pages, and the OpenAPI document of them all. The
 * order matters only for OpenAPI (collected before every route, served after them).
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config-schema.js';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { DayClock } from '../time-format.js';
import { adminAuthentication } from '../api/admin-auth.js';
import { ADMIN_PREFIX, adminPlugin } from '../api/admin/admin-plugin.js';
import { COOCENTER_PREFIX, coocenterPlugin } from '../api/coocenter-plugin.js';
import { healthPlugin, type Health } from '../api/health-plugin.js';
import { collectOpenApi, serveOpenApi } from '../api/openapi.js';
import { simulatorPlugin } from '../api/simulator-plugin.js';
import { STATISTICS_PREFIX, statisticsPlugin, StatisticsRetCode } from '../api/statistics-plugin.js';
import { webPlugin } from '../api/web-plugin.js';
import { seed004 } from '../api/seed004.js';
import { webhooksAdmin } from '../api/webhooks-admin.js';
import type { Clock } from '../clock.js';
import { seed004Options, webhooksAdminOptions, type OutboundServices } from './outbound-services.js';
import type { HttpRoutes } from '../transport/http-server.js';
import type { RunningSwitch } from './start-switch.js';

export interface HttpRouteParts {
  readonly config: Config;
  readonly engine: Engine;
  readonly switch: RunningSwitch;
  readonly days: DayClock;
  readonly health: () => Health;
  readonly log: Logger;
  /** Webhooks and exports; undefined on PostgreSQL (their outbox is SQLite's for now). */
  readonly outbound: OutboundServices | undefined;
  readonly clock: Clock;
}

/** A path no router can decode, answered in the shape of the family it was meant for. */
function badUrl(url: string, message: string): { status: number; body: unknown } {
  if (url.startsWith(STATISTICS_PREFIX)) return { status: 400, body: { message: 'agentid must be a whole number from 101 to 999999', retcode: StatisticsRetCode.REQUEST, result: null } };
  if (url.startsWith(`${COOCENTER_PREFIX}/`)) return { status: 400, body: { status: 'error', message } };
  if (url.startsWith(`${ADMIN_PREFIX}/`)) return { status: 400, body: { error: 'bad-request', message } };
  return { status: 400, body: { error: message } };
}

export function httpRoutes(parts: HttpRouteParts): HttpRoutes {
  return { register: (app) => register(app, parts), badUrl };
}

async function register(app: FastifyInstance, parts: HttpRouteParts): Promise<void> {
  const { config, engine, log } = parts;
  await collectOpenApi(app);
  await app.register(healthPlugin, { health: parts.health });
  await app.register(simulatorPlugin, { prefix: '/simulator', simulator: parts.switch.simulator });
  await app.register(statisticsPlugin, { engine, log });
  await app.register(coocenterPlugin, {
    prefix: COOCENTER_PREFIX,
    engine,
    days: parts.days,
    webKey: config.api.webKey,
    recordingsDir: config.calls.recordingsDir,
    registrations: () => parts.switch.registered(),
    log,
  });
  const authenticate = adminAuthentication(config.api.adminKey);
  await app.register(adminPlugin, { prefix: ADMIN_PREFIX, engine, authenticate, log });
  if (parts.outbound !== undefined) {
    // Not wrapped in fastify-plugin: seed004's raw-body parser stays inside its own plugin.
    await app.register(webhooksAdmin, webhooksAdminOptions(parts.outbound, authenticate));
    await app.register(seed004, seed004Options(parts.outbound, config, parts.clock));
  }
  await app.register(webPlugin, { config });
  await serveOpenApi(app);
}
