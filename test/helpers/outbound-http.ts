/**
 * The webhooks' admin plugin and seed 004's plugin for tests: on a bare fastify instance
 * for inject (with the admin API's own authentication, src/api/admin-auth.ts), or the
 * running server's own HTTP port, where src/app/http-routes.ts registers them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { RunningServer } from '../../src/server.js';
import type { Config } from '../../src/config/config-schema.js';
import { adminAuthentication } from '../../src/api/admin-auth.js';
import { webhooksAdmin } from '../../src/api/webhooks-admin.js';
import { seed004 } from '../../src/api/seed004.js';
import { seed004Options, webhooksAdminOptions } from '../../src/app/outbound-services.js';

/** api.adminKey of the tests (at least 16 characters). */
export const ADMIN_KEY = 'test-admin-key-0123456789';

/** The plugins on a bare fastify instance (for inject), not listening. */
export async function outboundApp(server: RunningServer, config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(webhooksAdmin, webhooksAdminOptions(server.outbound!, adminAuthentication(ADMIN_KEY)));
  await app.register(seed004, seed004Options(server.outbound!, config, server.engine.clock));
  await app.ready();
  return app;
}

/** The running server's HTTP port, which serves both (auth-v2 signs the Host header a real client sends). */
export function listenOutbound(server: RunningServer): { port: number } {
  return { port: server.httpPort };
}
