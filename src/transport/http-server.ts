/**
 * The HTTP port: the agent protocol over WebSocket at /agent (subprotocols cti.xml and
 * cti.json, spec §1) and a health endpoint. REST APIs join it as they are built. With a
 * certificate (http.tls) the port speaks HTTPS and wss:// instead (spec §1: TLS on both
 * transports), nothing else changes.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TlsFiles } from '../config/config-schema.js';
import type { Logger } from '../log.js';
import { jsonCodec } from '../protocol/json-codec.js';
import { xmlCodec } from '../protocol/xml-codec.js';
import { listen } from './listen.js';
import { readTlsFiles } from './tls-files.js';
import { sendJson } from '../api/http-json.js';
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

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsFiles | null;
}

/** Answers the request and returns true, or returns false to let the next route try. */
export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export async function startHttpServer(
  options: HttpServerOptions,
  deps: ConnectionDeps,
  routes: RouteHandler[],
): Promise<{ server: http.Server; wss: WebSocketServer }> {
  const log = deps.log.child({ module: 'http' });
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void (async () => {
      try {
        for (const route of routes) if (await route(req, res)) return;
        sendJson(res, 404, { error: 'not found' });
      } catch (err) {
        log.error({ err, url: req.url }, 'HTTP handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      }
    })();
  };
  const server: http.Server = options.tls === null ? http.createServer(handle) : https.createServer(readTlsFiles(options.tls), handle);
  server.on('clientError', answerClientError);
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
  await listen(server, options.port, options.host);
  server.on('error', (err) => log.error({ err }, 'HTTP server error'));
  return { server, wss };
}

const CLOSE_CODES: Record<CloseKind, number> = { normal: 1000, policy: 1008, 'too-big': 1009, 'going-away': 1001 };

function serveWebSocket(ws: WebSocket, req: http.IncomingMessage, deps: ConnectionDeps, log: Logger): void {
  const remote = req.socket.remoteAddress === undefined ? null : `${req.socket.remoteAddress}:${req.socket.remotePort}`;
  const codec = ws.protocol === 'cti.json' ? jsonCodec : xmlCodec;
  const wire: Wire = {
    transport: 'ws',
    remote,
    address: req.socket.remoteAddress,
    send: (text) => ws.send(text),
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
    setImmediate(() => req.socket.pause());
    setTimeout(() => ws.terminate(), 1000).unref();
  });
  ws.on('close', () => conn.closedByTransport());
}

/**
 * Node's own answer to a request it cannot read (a URL and headers over 16 KB, bad
 * syntax) is a bare status line with no body; this one says why. fastify's
 * clientErrorHandler does the same once the HTTP layer moves to it.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request line and headers exceed 16 KB'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request took too long to arrive'] : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error });
  if (!socket.writable) socket.destroy();
  else socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}
