/**
 * The main thread's handle on the stream server (bench/stream-server.ts, a worker
 * thread playing FreeSWITCH): which pre-built stream the next connection gets, when
 * it was all sent, how many connections came, and the node going away and coming back.
 */
import { Worker } from 'node:worker_threads';

/** A copy of the bytes the worker can read without another copy per run. */
export function shared(bytes: Buffer): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes.length);
  bytes.copy(Buffer.from(sab));
  return sab;
}

export class StreamServer {
  private readonly worker: Worker;
  private readonly waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
  port = 0;
  sentAt: number | undefined;
  connections = 0;

  private constructor(streams: Record<string, SharedArrayBuffer>) {
    this.worker = new Worker(new URL('./stream-server.js', import.meta.url), { workerData: { streams } });
    this.worker.on('message', (m: Record<string, unknown>) => {
      if (m['type'] === 'sent') this.sentAt = performance.now();
      if (m['type'] === 'connection') this.connections++;
      const i = this.waiters.findIndex((w) => w.type === m['type']);
      if (i !== -1) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
  }

  /** Starts the worker with its streams (name → bytes) and waits until it listens. */
  static async start(streams: Record<string, SharedArrayBuffer>): Promise<StreamServer> {
    const server = new StreamServer(streams);
    server.port = Number((await server.next('listening'))['port']);
    return server;
  }

  next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  /** The next connection gets this stream, once. */
  async use(stream: string): Promise<void> {
    const ready = this.next('ready');
    this.sentAt = undefined;
    this.connections = 0;
    this.worker.postMessage({ type: 'use', format: stream });
    await ready;
  }

  /** Every connection closed and connects refused, until back(). */
  async away(): Promise<void> {
    const gone = this.next('gone');
    this.worker.postMessage({ type: 'away' });
    await gone;
  }

  /** Listening again on the same port; resolves with the moment it was (performance.now() of this thread). */
  async back(): Promise<number> {
    const back = this.next('back');
    this.worker.postMessage({ type: 'back' });
    const at = Number((await back)['at']);
    return at - performance.timeOrigin;
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await this.worker.terminate();
  }
}
