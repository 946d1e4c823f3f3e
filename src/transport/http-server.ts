/**
 * The HTTP port: one fastify instance (docs/architecture.md, "The HTTP layer") serving the
 * REST APIs and web pages its callers register as plugins, and the agent protocol over
 * WebSocket at /agent (subprotocols cti.xml and cti.json, spec §1) on the same port: the
 * upgrade is taken from fastify's server before fastify sees the request. With a
 * certificate (http.tls) the port speaks HTTPS and wss:// instead (spec §1: TLS on both
 * transports), nothing else changes.
 */
import http from 'node:http';
import https from 'node:https';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TlsFiles } from '../config/config-schema.js';
import type { Logger } from '../log.js';
import { jsonCodec } from '../protocol/json-codec.js';
import { xmlCodec } from '../protocol/xml-codec.js';
import { readTlsFiles } from './tls-files.js';
import { AgentConnection, type ConnectionDeps } from './agent-connection.js';
import type { CloseKind, Wire } from './wire.js';

export const AGENT_WS_PATH = '/agent';
const SUBPROTOCOLS = ['cti.xml', 'cti.json'];

/** The largest request body any route takes (the seeds' forms, the admin API's JSON). */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsFiles | null;
}

/** What the port serves: the routes (fastify plugins), registered before it listens. */
export interface HttpRoutes {
  register(app: FastifyInstance): Promise<void>;
  /**
   * The answer to a path that is not valid percent-encoding, which no route sees (the router
   * cannot decode it): each API family answers in its own shape.
   */
  badUrl(url: string, message: string): { readonly status: number; readonly body: unknown };
}

/** A route the port serves; `hidden` ones (a family's catch-all 404/405, the docs page's files) stay out of OpenAPI. */
export interface HttpRoute {
  readonly method: string;
  readonly url: string;
  readonly hidden: boolean;
}

export async function startHttpServer(
  options: HttpServerOptions,
  deps: ConnectionDeps,
  routes: HttpRoutes,
): Promise<{ app: FastifyInstance; server: http.Server; wss: WebSocketServer; routes: readonly HttpRoute[] }> {
  const log = deps.log.child({ module: 'http' });
  const tls = options.tls === null ? null : readTlsFiles(options.tls);
  // An HTTPS server is an http.Server with TLS underneath: the routes never see the difference.
  const app: FastifyInstance = Fastify<http.Server>({
    serverFactory: (handler) => (tls === null ? http.createServer(handler) : https.createServer(tls, handler)),
    loggerInstance: log as FastifyBaseLogger,
    // Every request would be a line at info: the APIs log what they change themselves.
    disableRequestLogging: true,
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: (err, request, reply: FastifyReply) => {
      const answer = routes.badUrl(request.raw.url ?? '/', err.message);
      void reply.code(answer.status).send(answer.body);
    },
    ajv: {
      customOptions: {
        // The failing part of the schema comes with each error: the families' error handlers
        // name the field and say what it must be from the property's description.
        verbose: true,
        // A field a schema does not know is refused where the schema says so, never dropped silently.
        removeAdditional: false,
        // Every problem of a request, so the family can say the one that explains it best (request-problem.ts).
        allErrors: true,
      },
    },
  });
  // fastify reads text/plain bodies by default; no route takes one.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err: FastifyError & { headers?: Record<string, string> }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status < 500) return reply.code(status).headers(err.headers ?? {}).send({ error: err.message });
    log.error({ err, url: request.url }, 'HTTP handler failed');
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));
  const served: HttpRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) served.push({ method, url: route.url, hidden: (route.schema as { hide?: boolean } | undefined)?.hide === true });
  });
  await routes.register(app);
  const server = app.server;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.config.agent.maxMessageBytes,
    // Compression would let a small frame inflate into a large message.
    perMessageDeflate: false,
    handleProtocols: (offered) => SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== AGENT_WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveWebSocket(ws, req, deps, log));
  });
  await app.listen({ port: options.port, host: options.host });
  server.on('error', (err) => log.error({ err }, 'HTTP server error'));
  return { app, server, wss, routes: served };
}

const CLOSE_CODES: Record<CloseKind, number> = { normal: 1000, policy: 1008, 'too-big': 1009, 'going-away': 1001 };

function serveWebSocket(ws: WebSocket, req: http.IncomingMessage, deps: ConnectionDeps, log: Logger): void {
  const remote = req.socket.remoteAddress === undefined ? null : `${req.socket.remoteAddress}:${req.socket.remotePort}`;
  const codec = ws.protocol === 'cti.json' ? jsonCodec : xmlCodec;
  const wire: Wire = {
    transport: 'ws',
    remote,
    send: (text) => ws.send(text),
    buffered: () => ws.bufferedAmount,
    close(kind: CloseKind, reason: string) {
      ws.close(CLOSE_CODES[kind], reason.slice(0, 100));
      setTimeout(() => ws.terminate(), 5000).unref();
    },
  };
  const conn = new AgentConnection(wire, codec, deps);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      conn.receiveGarbage('binary frames are not messages of the protocol');
      return;
    }
    conn.receive(data.toString());
  });
  ws.on('pong', () => conn.heard());
  // ws closes with 1009 by itself when a frame exceeds maxPayload.
  ws.on('error', (err) => log.debug({ err: err.message, remote }, 'websocket error'));
  ws.on('close', () => conn.closedByTransport());
}
