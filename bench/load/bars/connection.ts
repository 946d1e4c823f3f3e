/**
 * One bar's connection to polylink, as an agent bar makes it: TCP to the agent port
 * (NUL-framed XML) or WebSocket to /agent on the HTTP port (cti.xml or cti.json). It
 * hands each whole message to `onMessage` with the time it was read (the bar's clock,
 * wallMicroseconds) and sends requests; every request is answered by exactly one
 * response, in order (docs/protocol.md §2), so the responses are matched to a FIFO of
 * the requests in flight and timed.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import { nulFrames } from '../../nul-frames.js';
import { field, isResponse, request, type Format } from './wire.js';

export type Transport = 'tcp' | 'ws-xml' | 'ws-json';

export interface Reply {
  readonly text: string;
  readonly sentUs: number;
  readonly readUs: number;
}

interface InFlight {
  readonly cmdType: string;
  readonly sentUs: number;
  readonly resolve: (reply: Reply) => void;
}

export interface ConnectionHooks {
  onEvent(text: string, readUs: number): void;
  onReply(cmdType: string, reply: Reply): void;
  onBytes(bytes: number): void;
  /** `unanswered`: requests still in flight when it closed. */
  onClose(byServer: boolean, unanswered: number): void;
}

export class Connection {
  readonly format: Format;
  private readonly inFlight: InFlight[] = [];
  private rest = '';
  private closing = false;
  closed = false;
  private socket: Socket | undefined;
  private ws: WebSocket | undefined;

  private constructor(
    readonly transport: Transport,
    private readonly hooks: ConnectionHooks,
  ) {
    this.format = transport === 'ws-json' ? 'json' : 'xml';
  }

  static open(transport: Transport, ports: { tcp: number; http: number }, hooks: ConnectionHooks): Promise<Connection> {
    const c = new Connection(transport, hooks);
    return new Promise((resolve, reject) => {
      if (transport === 'tcp') {
        const socket = connect(ports.tcp, '127.0.0.1');
        socket.setNoDelay(true);
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          c.socket = socket;
          socket.on('data', (chunk: Buffer) => c.tcpData(chunk));
          socket.on('error', () => undefined);
          socket.on('close', () => c.gone());
          resolve(c);
        });
        return;
      }
      const ws = new WebSocket(`ws://127.0.0.1:${ports.http}/agent`, transport === 'ws-json' ? 'cti.json' : 'cti.xml', { perMessageDeflate: false });
      ws.once('error', reject);
      ws.once('open', () => {
        ws.off('error', reject);
        c.ws = ws;
        ws.on('message', (data: Buffer, binary: boolean) => {
          if (binary) return;
          c.hooks.onBytes(data.length);
          c.message(data.toString('utf8'), wallMicroseconds());
        });
        ws.on('error', () => undefined);
        ws.on('close', () => c.gone());
        resolve(c);
      });
    });
  }

  /** Sends a request; resolves with its response. */
  send(fields: Readonly<Record<string, string>>): Promise<Reply> {
    const cmdType = fields['cmdType'] ?? '';
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ text: '', sentUs: wallMicroseconds(), readUs: Number.NaN });
        return;
      }
      const text = request(this.format, fields);
      this.inFlight.push({ cmdType, sentUs: wallMicroseconds(), resolve });
      if (this.socket !== undefined) this.socket.write(text + '\0');
      else this.ws?.send(text);
    });
  }

  close(): void {
    this.closing = true;
    this.socket?.destroy();
    this.ws?.terminate();
  }

  private tcpData(chunk: Buffer): void {
    const at = wallMicroseconds();
    this.hooks.onBytes(chunk.length);
    this.rest = nulFrames(this.rest, chunk, (text) => this.message(text, at));
  }

  private message(text: string, readUs: number): void {
    if (!isResponse(this.format, text)) {
      this.hooks.onEvent(text, readUs);
      return;
    }
    const pending = this.inFlight.shift();
    if (pending === undefined) return;
    const reply = { text, sentUs: pending.sentUs, readUs };
    this.hooks.onReply(pending.cmdType, reply);
    pending.resolve(reply);
  }

  private gone(): void {
    if (this.closed) return;
    this.closed = true;
    // Requests never answered resolve with an empty text.
    const unanswered = this.inFlight.splice(0);
    for (const p of unanswered) p.resolve({ text: '', sentUs: p.sentUs, readUs: Number.NaN });
    this.hooks.onClose(!this.closing, unanswered.length);
  }
}

export function retCode(format: Format, reply: Reply): number | undefined {
  const code = field(format, reply.text, 'retCode');
  return code === undefined ? undefined : Number(code);
}
