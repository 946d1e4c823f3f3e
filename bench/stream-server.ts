/**
 * Worker thread: a minimal event socket that authenticates any client, answers its
 * commands (auth, event …), and once the client has been quiet for a moment writes
 * the whole pre-built stream to it as fast as the socket takes it. It runs in its
 * own thread so that producing the bytes does not eat the measured client's CPU.
 * It can also go away (every socket closed, connects refused) and come back on the
 * same port, as a restarting FreeSWITCH does.
 */
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

interface Setup {
  readonly streams: Record<string, SharedArrayBuffer>;
}

const { streams } = workerData as Setup;
const port = parentPort!;
let current: Buffer | undefined;
/** The stream goes to the first connection of a run only: a client that reconnects does not get it again. */
let streamed = false;

const server = createServer((socket) => serve(socket));
const sockets = new Set<Socket>();
let listeningOn = 0;
server.listen(0, '127.0.0.1', () => {
  listeningOn = (server.address() as AddressInfo).port;
  port.postMessage({ type: 'listening', port: listeningOn });
});

port.on('message', (message: { type: string; format?: string }) => {
  if (message.type === 'use') {
    current = Buffer.from(streams[message.format!]!);
    streamed = false;
    port.postMessage({ type: 'ready' });
  } else if (message.type === 'away') {
    for (const socket of sockets) socket.destroy();
    server.close(() => port.postMessage({ type: 'gone' }));
  } else if (message.type === 'back') {
    server.listen(listeningOn, '127.0.0.1', () => port.postMessage({ type: 'back', at: performance.timeOrigin + performance.now() }));
  } else if (message.type === 'close') {
    for (const socket of sockets) socket.destroy();
    server.close();
    port.close();
  }
});

function serve(socket: Socket): void {
  port.postMessage({ type: 'connection' });
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.write('Content-Type: auth/request\n\n');
  let pending = '';
  let quiet: NodeJS.Timeout | undefined;
  let started = false;
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
      const line = pending.slice(0, end).split('\n')[0] ?? '';
      pending = pending.slice(end + 2);
      if (line.startsWith('api ')) {
        const body = '+OK\n';
        socket.write(`Content-Type: api/response\nContent-Length: ${body.length}\n\n${body}`);
      } else if (line.startsWith('auth ')) socket.write('Content-Type: command/reply\nReply-Text: +OK accepted\n\n');
      else socket.write(`Content-Type: command/reply\nReply-Text: +OK ${line.split(' ')[0]}\n\n`);
    }
    if (started || streamed) return;
    clearTimeout(quiet);
    quiet = setTimeout(() => {
      if (streamed) return;
      started = true;
      streamed = true;
      void stream(socket);
    }, 150);
  });
}

async function stream(socket: Socket): Promise<void> {
  const bytes = current!;
  const slice = 1024 * 1024;
  port.postMessage({ type: 'streaming' });
  for (let offset = 0; offset < bytes.length && !socket.destroyed; offset += slice) {
    if (!socket.write(bytes.subarray(offset, offset + slice))) await drained(socket);
  }
  port.postMessage({ type: 'sent', bytes: bytes.length });
}

/** Resolves on 'drain' (or 'close'), leaving no listener behind. */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
