/**
 * The agent protocol over TCP (and TLS when a certificate is configured): one
 * NUL-terminated XML document per message (spec §1).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { TlsFiles } from '../config/config-schema.js';
import type { Logger } from '../log.js';
import { NulFramer } from '../protocol/nul-framer.js';
import { xmlCodec } from '../protocol/xml-codec.js';
import { listen } from './listen.js';
import { readTlsFiles } from './tls-files.js';
import { AgentConnection, type ConnectionDeps } from './agent-connection.js';
import type { CloseKind, Wire } from './wire.js';

export interface TcpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly tls: TlsFiles | null;
}

export async function startTcpServer(options: TcpServerOptions, deps: ConnectionDeps): Promise<net.Server> {
  const log = deps.log.child({ module: 'tcp' });
  const onSocket = (socket: net.Socket): void => serveSocket(socket, deps, log);
  // Half-open: a client may end its sending side right after its request (`printf … | nc`)
  // and still read the answer; the session closes once what was asked is answered.
  const server =
    options.tls === null
      ? net.createServer({ allowHalfOpen: true }, onSocket)
      : tls.createServer({ allowHalfOpen: true, ...readTlsFiles(options.tls) }, onSocket);
  await listen(server, options.port, options.host);
  server.on('error', (err) => log.error({ err }, 'agent TCP server error'));
  return server;
}

function serveSocket(socket: net.Socket, deps: ConnectionDeps, log: Logger): void {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  const remote = socket.remoteAddress === undefined ? null : `${socket.remoteAddress}:${socket.remotePort}`;
  const wire: Wire = {
    transport: 'tcp',
    remote,
    address: socket.remoteAddress,
    // One write per turn, the turn's messages joined: small writes cost a syscall each
    // (and two would wait on each other under Nagle). Messages that have to wait behind
    // others (the peer reads slowly) wait as bytes: the string the codec built by
    // concatenation is a tree that holds ~5 times its length in heap, which made a
    // backlog of 1 MB cost 5 MB (bench/attacks, slow readers).
    send: (texts) => {
      const text = texts.length === 1 ? texts[0] + '\0' : texts.join('\0') + '\0';
      socket.write(socket.writableLength > 0 ? Buffer.from(text) : text);
    },
    buffered: () => socket.writableLength,
    close(kind: CloseKind) {
      // Whatever was written (a -1 answer, a KickOutEvent) goes out first.
      socket.end();
      // A peer that does not read would keep the socket half-open: cut it after a moment.
      setTimeout(() => socket.destroy(), kind === 'normal' ? 5000 : 1000).unref();
    },
  };
  const conn = new AgentConnection(wire, xmlCodec, deps);
  const framer = new NulFramer(deps.config.agent.maxMessageBytes);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  socket.on('data', (chunk: Buffer) => {
    conn.heard();
    for (const frame of framer.push(chunk)) {
      if (frame.kind === 'oversize') {
        conn.receiveOversize();
        // The rest of it is not read: a 10 MB message would otherwise be taken in (and
        // thrown away) 64 KB at a time until the connection is cut.
        socket.pause();
        return;
      }
      let text: string;
      try {
        text = utf8.decode(frame.bytes);
      } catch {
        conn.receiveGarbage('message is not UTF-8');
        continue;
      }
      conn.receive(text);
    }
  });
  socket.on('end', () => conn.inputEnded());
  socket.on('error', (err) => log.debug({ err: err.message, remote }, 'socket error'));
  socket.on('close', () => conn.closedByTransport());
}
