/**
 * One WebSocket to polylink's /agent at a time: opens it with the cti.json subprotocol,
 * sends requests and settles them (Correlator), and hands events on. A server that leaves
 * the oldest request unanswered for `responseTimeoutMs` is taken for gone: a half-open TCP
 * connection (a dead Wi-Fi, a sleeping laptop) shows no error of its own, and the
 * heartbeat's unanswered request is what finds it. Knows nothing of signing in.
 */
import type { Clock, TimerHandle } from './web-clock.js';
import { Correlator, type Pending, type RequestOptions, type Settled } from './correlator.js';
import { disconnected, networkError, type AgentBarError } from './errors.js';
import { OPEN, type CloseLike, type MessageLike, type WebSocketConstructor, type WebSocketLike } from './socket.js';
import { SUBPROTOCOL, decodeMessage, encodeRequest, type EventBody, type ResponseBody } from './wire.js';

export interface ConnectionOptions {
  readonly WebSocket: WebSocketConstructor;
  readonly clock: Clock;
  readonly responseTimeoutMs: number;
}

export interface ConnectionHandlers {
  /** A response, after it settled its request (`pending`, if it answered one). */
  response(body: ResponseBody, pending: Pending | undefined): void;
  /** An event, after it settled a query (`resultOf`, if it is that query's result). */
  event(body: EventBody, resultOf: Pending | undefined): void;
  /** The open connection was lost (not closed by `close()`); its requests have failed. */
  lost(reason: string): void;
}

export class Connection {
  private socket: WebSocketLike | undefined;
  private correlator = new Correlator();
  private deadline: TimerHandle | undefined;
  /** The connect() still waiting for its socket to open. */
  private opening: { readonly socket: WebSocketLike; readonly reject: (error: AgentBarError) => void } | undefined;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get isOpen(): boolean {
    return this.socket !== undefined && this.socket.readyState === OPEN;
  }

  /** Opens a connection (closing the one there was). Rejects with -1002 when none can be made. */
  connect(url: string): Promise<void> {
    this.close('replaced by a new connection');
    const socket = new this.options.WebSocket(url, SUBPROTOCOL);
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      this.opening = { socket, reject };
      socket.onopen = () => {
        this.opening = undefined;
        // A server that does not speak cti.json would answer XML, which this client cannot read.
        if (socket.protocol !== SUBPROTOCOL) {
          this.close('no cti.json');
          reject(networkError('', `the server at ${url} did not accept the ${SUBPROTOCOL} subprotocol`));
          return;
        }
        socket.onclose = (ev: CloseLike) => this.dropped(socket, `closed (${ev.code}${ev.reason === '' ? '' : ` ${ev.reason}`})`);
        resolve();
      };
      socket.onmessage = (ev: MessageLike) => this.receive(socket, ev.data);
      // Browsers say nothing useful on error; `close` follows with the code.
      socket.onerror = () => undefined;
      socket.onclose = (ev: CloseLike) => {
        this.opening = undefined;
        if (this.socket === socket) this.socket = undefined;
        reject(networkError('', `could not connect to ${url} (${ev.code})`));
      };
    });
  }

  /** Sends a request; the promise settles with its response (and a query's result event). */
  request(cmdType: string, agentID: string, fields: Readonly<Record<string, string>>, options: RequestOptions = {}): Promise<Settled> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) return Promise.reject(disconnected(cmdType, 'not connected'));
    const { seq, settled } = this.correlator.add(cmdType, this.options.clock.now(), options);
    socket.send(encodeRequest(cmdType, agentID, seq, fields));
    this.watch();
    return settled;
  }

  /** Closes the connection on purpose: its waiting requests fail with -1001, `lost` is not called. */
  close(reason: string): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.forget(socket, (cmdType) => disconnected(cmdType, reason));
    socket.close(1000, reason.slice(0, 100));
  }

  private receive(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket || typeof data !== 'string') return;
    const message = decodeMessage(data);
    if (message.kind === 'response') {
      const pending = this.correlator.response(message.body);
      this.watch();
      this.handlers.response(message.body, pending);
    } else if (message.kind === 'event') {
      const resultOf = this.correlator.event(message.body);
      this.watch();
      this.handlers.event(message.body, resultOf);
    }
    // Anything else is not of the protocol; the server never sends it, so there is nothing to answer.
  }

  /** Keeps one timer on the oldest unanswered request. */
  private watch(): void {
    const { clock, responseTimeoutMs } = this.options;
    clock.clearTimer(this.deadline);
    this.deadline = undefined;
    const oldest = this.correlator.oldestSentAt();
    const socket = this.socket;
    if (oldest === undefined || socket === undefined) return;
    this.deadline = clock.setTimer(oldest + responseTimeoutMs - clock.now(), () => {
      this.deadline = undefined;
      const reason = `no answer within ${responseTimeoutMs} ms`;
      this.forget(socket, (cmdType) => networkError(cmdType, reason));
      socket.close(4000, reason);
      this.handlers.lost(reason);
    });
  }

  private dropped(socket: WebSocketLike, reason: string): void {
    if (socket !== this.socket) return;
    this.forget(socket, (cmdType) => disconnected(cmdType, reason));
    this.handlers.lost(reason);
  }

  /** Lets go of a socket: nothing it says counts any more, and its requests fail. */
  private forget(socket: WebSocketLike, error: (cmdType: string) => AgentBarError): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    // `ws` throws an error event nobody listens to; one may still come while it closes.
    socket.onerror = () => undefined;
    if (this.socket === socket) this.socket = undefined;
    if (this.opening?.socket === socket) {
      this.opening.reject(disconnected('', 'closed before it opened'));
      this.opening = undefined;
    }
    this.options.clock.clearTimer(this.deadline);
    this.deadline = undefined;
    const failed = this.correlator;
    this.correlator = new Correlator();
    failed.failAll(error);
  }
}
