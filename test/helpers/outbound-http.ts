/**
 * Test-only wiring of the webhooks' admin plugin and seed 004's plugin: a fastify instance
 * on 127.0.0.1, port 0, next to a running test server, with an admin preHandler checking
 * `Authorization: Bearer <key>` as src/api/admin-auth.ts will. The lead wires the same
 * plugins into the real HTTP server (src/transport/http-server.ts).
 */
import Fastify, { type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '../../src/server.js';
import type { Config } from '../../src/config/config-schema.js';
import { webhooksAdmin } from '../../src/api/webhooks-admin.js';
import { seed004 } from '../../src/api/seed004.js';
import { seed004Options, webhooksAdminOptions } from '../../src/app/outbound-services.js';

export const ADMIN_KEY = 'test-admin-key';

export const bearer: preHandlerHookHandler = (req, reply, done) => {
  if (req.headers.authorization !== `Bearer ${ADMIN_KEY}`) {
    void reply.code(401).send({ error: 'unauthorized', message: 'Authorization: Bearer <api.adminKey> is missing or wrong' });
    return;
  }
  done();
};

/** The plugins on a bare fastify instance (for inject), not listening. */
export async function outboundApp(server: RunningServer, config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(webhooksAdmin, webhooksAdminOptions(server.outbound, bearer));
  await app.register(seed004, seed004Options(server.outbound, config, server.engine.clock));
  await app.ready();
  return app;
}

/** The same, listening on 127.0.0.1 port 0: for real HTTP clients (auth-v2 signs the Host header). */
export async function listenOutbound(server: RunningServer, config: Config): Promise<{ app: FastifyInstance; port: number; close(): Promise<void> }> {
  const app = await outboundApp(server, config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return { app, port, close: () => app.close() };
}
