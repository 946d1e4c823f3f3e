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
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TlsFiles } from '../config/config-schema.js';
import type { Logger } from '../log.js';
import { jsonCodec } from '../protocol/json-codec.js';
import { xmlCodec } from '../protocol/xml-codec.js';
import { fastifyOptions } from './fastify-options.js';
import { readTlsFiles } from './tls-files.js';
import { AgentConnection, type ConnectionDeps } from './agent-connection.js';
import type { CloseKind, Wire } from './wire.js';

export const AGENT_WS_PATH = '/agent';
const SUBPROTOCOLS = ['cti.xml', 'cti.json'];
/** Frames one message may come in (a client sends one; a browser at most a few). */
export const MAX_FRAGMENTS = 64;
/** Reads waiting for the rest of a frame (a 64 KB frame arrives in a few dozen). */
const MAX_BUFFERED_CHUNKS = 4096;
/** How long a closing WebSocket waits for the peer's close frame. */
const CLOSE_TIMEOUT_MS = 5000;

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
    ...fastifyOptions(log),
    bodyLimit: MAX_BODY_BYTES,
    routerOptions: { maxParamLength: 1024 },
    // Node's bare 431/400/408 for a request it cannot read, with a reason (answerClientError).
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, request, reply: FastifyReply) => {
      const answer = routes.badUrl(request.raw.url ?? '/', err.message);
      void reply.code(answer.status).send(answer.body);
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
    // A message in more frames than this, or bytes in more reads than this waiting for
    // the rest of a frame, is a flood of tiny pieces (each costs ~110 bytes of heap):
    // closed 1008. ws's defaults (16,384 and 262,144) let one connection hold ~2 MB of
    // 1-byte fragments (65,535 of them measured 7.2 MB) until its sign-in timeout.
    maxFragments: MAX_FRAGMENTS,
    maxBufferedChunks: MAX_BUFFERED_CHUNKS,
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
  // The closures below keep the socket, not the upgrade request: a closure that named `req`
  // would keep the IncomingMessage (its headers, ~1.2 KB) for the connection's whole life.
  const socket = req.socket;
  const remote = socket.remoteAddress === undefined ? null : `${socket.remoteAddress}:${socket.remotePort}`;
  const codec = ws.protocol === 'cti.json' ? jsonCodec : xmlCodec;
  const wire: Wire = {
    transport: 'ws',
    remote,
    address: socket.remoteAddress,
    // Each message its own frame (spec: one message per text frame); ws writes a frame's
    // header and payload with the socket corked, and corking it around the turn's frames
    // hands all of them to the kernel in one writev (node_modules/ws/lib/sender.js,
    // sendFrame: cork/uncork nest).
    send: (texts) => {
      if (texts.length === 1) {
        ws.send(texts[0]!);
        return;
      }
      socket.cork();
      for (const text of texts) ws.send(text);
      socket.uncork();
    },
    buffered: () => ws.bufferedAmount,
    ping: () => ws.ping(),
    close(kind: CloseKind, reason: string) {
      ws.close(CLOSE_CODES[kind], reason.slice(0, 100));
      // As on TCP: a peer that broke the rules (it may not be reading at all) is cut off sooner.
      setTimeout(() => ws.terminate(), kind === 'normal' ? CLOSE_TIMEOUT_MS : 1000).unref();
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
  // ws answers each ping with a pong by itself: a peer that pings and never reads would pile them up.
  ws.on('ping', () => {
    conn.heard();
    conn.checkBacklog();
  });
  // ws closes by itself (1009 over maxPayload, 1008 too many fragments, 1002 a broken
  // frame), then reads on to throw away the rest of what the peer sends and waits 30 s
  // for its close frame. A peer that broke the rules is not read any further (the rest
  // of a 10 MB frame cost ~15 ms of reading) and is cut off after 1 s, as in wire.close.
  // ws resumes the socket in a process.nextTick after this event: pause after that.
  ws.on('error', (err) => {
    log.debug({ err: err.message, remote }, 'websocket error');
    setImmediate(() => socket.pause());
    setTimeout(() => ws.terminate(), 1000).unref();
  });
  ws.on('close', () => conn.closedByTransport());
}

/**
 * Node's own answer to a request it cannot read (a URL and headers over 16 KB, bad
 * syntax) is a bare status line with no body, and fastify's clientErrorHandler says
 * only "Client Error"; this one says why.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request line and headers exceed 16 KB'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request took too long to arrive'] : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error });
  if (!socket.writable) socket.destroy();
  else socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}
