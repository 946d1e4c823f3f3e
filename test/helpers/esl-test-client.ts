/**
 * A bare ESL client for tests: real TCP, the repository's framer and decoder, every
 * message kept in arrival order so a test can look at exactly what the switch sent.
 */
import { connect, type Socket } from 'node:net';
import { decodeFrame, type EslEvent, type EslMessage } from '../../src/esl/event.js';
import { EslFramer } from '../../src/esl/framer.js';

type Waiter = { pred: (m: EslMessage) => boolean; from: number; resolve: (m: EslMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class EslTestClient {
  readonly messages: EslMessage[] = [];
  readonly closed: Promise<void>;
  private readonly framer = new EslFramer();
  private waiters: Waiter[] = [];
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.framer.push(chunk, (frame) => {
        this.messages.push(decodeFrame(frame));
        this.check();
      });
    });
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.isClosed = true;
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('connection closed while waiting'));
      }
      this.waiters = [];
      resolve();
    }));
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<EslTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new EslTestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connects, waits for auth/request and authenticates. */
  static async authed(port: number, password = 'ClueCon'): Promise<EslTestClient> {
    const c = await EslTestClient.connect(port);
    await c.waitFor((m) => m.kind === 'auth-request');
    const r = await c.command(`auth ${password}`);
    if (r.kind !== 'command-reply' || r.replyText !== '+OK accepted') throw new Error('auth failed');
    return c;
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  send(text: string): void {
    this.socket.write(text + '\n\n');
  }

  /** Sends a command and resolves with its reply (the next command/reply or api/response). */
  async command(text: string): Promise<EslMessage> {
    const from = this.messages.length;
    this.send(text);
    const reply = await this.waitFor((m) => m.kind === 'command-reply' || m.kind === 'api-response', from);
    return reply;
  }

  async api(text: string): Promise<string> {
    const r = await this.command(`api ${text}`);
    if (r.kind !== 'api-response') throw new Error(`expected api/response, got ${r.kind}`);
    return r.body;
  }

  /** Waits for a message matching `pred` that arrived at or after index `from`. */
  waitFor(pred: (m: EslMessage) => boolean, from = 0, timeoutMs = 5000): Promise<EslMessage> {
    for (let i = from; i < this.messages.length; i++) {
      const m = this.messages[i]!;
      if (pred(m)) return Promise.resolve(m);
    }
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out waiting (${this.messages.length} messages so far)`));
      }, timeoutMs);
      this.waiters.push({ pred, from, resolve, reject, timer });
    });
  }

  /** Waits for an event. */
  async waitEvent(pred: (e: EslEvent) => boolean, from = 0, timeoutMs = 5000): Promise<EslEvent> {
    const m = await this.waitFor((x) => x.kind === 'event' && pred(x.event), from, timeoutMs);
    if (m.kind !== 'event') throw new Error('unreachable');
    return m.event;
  }

  events(): EslEvent[] {
    return this.messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
  }

  close(): void {
    this.socket.destroy();
  }

  private check(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      let hit: EslMessage | undefined;
      for (let i = w.from; i < this.messages.length; i++) {
        if (w.pred(this.messages[i]!)) {
          hit = this.messages[i];
          break;
        }
      }
      if (hit !== undefined) {
        clearTimeout(w.timer);
        w.resolve(hit);
      } else still.push(w);
    }
    this.waiters = still;
  }
}
