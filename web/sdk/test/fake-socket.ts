/**
 * A WebSocket the test plays the server on: it records what the client sends and lets the
 * test open, answer, push events and drop the connection. For the client's own logic
 * (correlation, Agent_State, heartbeat, reconnect); the real server is in
 * test/integration/sdk/.
 */
import type { WebSocketConstructor, WebSocketLike } from '../src/socket.js';

type Handler = ((event: never) => void) | null;

export interface SentRequest {
  readonly cmdType: string;
  readonly agentID: string;
  readonly seq: string;
  readonly [field: string]: string;
}

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  protocol = '';
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  readonly sent: SentRequest[] = [];
  closedWith: { code: number | undefined; reason: string | undefined } | undefined;
  /** Requests answered so far (in order, as the server answers). */
  private answered = 0;

  constructor(
    readonly url: string,
    readonly protocols: string | string[] | undefined,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push((JSON.parse(data) as { request: SentRequest }).request);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
    this.fire(this.onclose, { code: code ?? 1005, reason: reason ?? '' });
  }

  // ── the server's side ───────────────────────────────────────────────────────────────

  open(protocol = 'cti.json'): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.fire(this.onopen, {});
  }

  /** The connection fails or is lost (1006: no close frame). */
  drop(code = 1006): void {
    this.readyState = 3;
    this.fire(this.onclose, { code, reason: '' });
  }

  /** Pushes a raw text frame. */
  deliver(text: string): void {
    this.fire(this.onmessage, { data: text });
  }

  event(eventType: string, fields: Record<string, unknown> = {}): void {
    this.deliver(JSON.stringify({ event: { eventType, agentID: this.sent[0]?.agentID ?? '', time: '2026-11-21 10:00:00', ...fields } }));
  }

  /** Answers the oldest request not answered yet; `retCode` 0 unless given. */
  respond(fields: Record<string, unknown> = {}): SentRequest {
    const req = this.sent[this.answered++];
    if (req === undefined) throw new Error('no request to answer');
    const retCode = (fields['retCode'] as number | undefined) ?? 0;
    this.deliver(JSON.stringify({ response: { cmdType: req.cmdType, agentID: req.agentID, seq: req.seq, retCode, reason: retCode === 0 ? 'OK' : 'failed', ...fields } }));
    return req;
  }

  /** Refuses the oldest request as the server refuses one over the rate: -85, without cmdType or seq. */
  refuseByRate(): void {
    if (this.sent[this.answered++] === undefined) throw new Error('no request to answer');
    this.deliver(JSON.stringify({ response: { cmdType: '', agentID: '', retCode: -85, reason: 'Too many requests on this connection, slow down' } }));
  }

  /** Requests sent and not answered yet. */
  get unanswered(): SentRequest[] {
    return this.sent.slice(this.answered);
  }

  private fire(handler: Handler, event: object): void {
    if (handler !== null) (handler as (e: object) => void)(event);
  }
}

/** A WebSocket class whose instances the test gets hold of, newest last. */
export function fakeWebSocket(): { readonly WebSocket: WebSocketConstructor; readonly sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  const WebSocket = class extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  };
  return {
    WebSocket,
    sockets,
    last() {
      const s = sockets.at(-1);
      if (s === undefined) throw new Error('no socket opened yet');
      return s;
    },
  };
}
