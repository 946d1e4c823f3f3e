/**
 * One TCP session with a FreeSWITCH event socket, from connect to close:
 *
 *   connect → auth/request → `auth <password>` → `+OK accepted`
 *           → `event json|plain …` → `+OK event listener enabled …` → ready
 *
 * then frames in (framer.ts → event.ts), commands out (correlator.ts). The session
 * never reconnects itself: it reports why it closed, once, and the client
 * (client.ts) decides when to try again.
 *
 * Protocol notes that shape this file:
 * - A wrong password is answered `-ERR invalid`, then a disconnect notice, then the
 *   close (capture a2_bad_auth); an address refused by the ACL gets a
 *   `text/rude-rejection` frame and the close, before any auth/request.
 * - `exit` and a FreeSWITCH shutdown send `text/disconnect-notice` and close; without
 *   `linger` nothing useful follows a notice, so we close at once.
 * - Reading is never paused: events are handed on synchronously and must not block
 *   (see delivery-queue.ts for consumers that need to await).
 */
import { Socket, connect } from 'node:net';
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from 'pino';
import { type EslCommand, type EventFormat, auth, subscribe } from './commands.js';
import { CommandCorrelator, type JobResult, type Reply } from './correlator.js';
import type { EslError } from './errors.js';
import { type EslEvent, decodeFrameReading } from './event.js';
import type { HeaderSelection } from './header-selection.js';
import { type EslFrame, EslFramer, EslFramingError } from './framer.js';
import { replyStatus } from './reply.js';
import { type Result, fail } from './result.js';
import { encodeCommand } from './wire.js';

export type CloseReason =
  /** `-ERR invalid` to auth: wrong password. */
  | { readonly kind: 'auth-failed'; readonly message: string }
  /** `text/rude-rejection`: this address is not allowed by the event socket ACL. */
  | { readonly kind: 'rejected'; readonly message: string }
  | { readonly kind: 'subscribe-failed'; readonly message: string }
  /** `code` is the socket error's (ECONNREFUSED: the host answered that nothing listens). */
  | { readonly kind: 'connect-failed'; readonly message: string; readonly code?: string }
  | { readonly kind: 'handshake-timeout'; readonly message: string }
  /** FreeSWITCH said goodbye (`exit`, shutdown). */
  | { readonly kind: 'disconnect-notice'; readonly message: string }
  /** The peer closed or reset the socket. */
  | { readonly kind: 'closed'; readonly message: string }
  /** Bytes that cannot be framed: the stream cannot be trusted any more. */
  | { readonly kind: 'protocol-error'; readonly message: string }
  /** We gave up on a half-open link (liveness.ts). */
  | { readonly kind: 'liveness'; readonly message: string }
  /** The layer above could not take more events (its backlog is full): see client.ts, suspend(). */
  | { readonly kind: 'backlog'; readonly message: string }
  /** We closed it (stop). */
  | { readonly kind: 'local'; readonly message: string };

export interface ConnectionOptions {
  readonly node: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly eventFormat: EventFormat;
  readonly events: ReadonlyArray<string>;
  readonly subclasses: ReadonlyArray<string>;
  readonly clock: Clock;
  /** Already a child logger for this node. */
  readonly log: Logger;
  /** From connect to ready. */
  readonly handshakeTimeoutMs: number;
  /** Event bodies longer than this are skipped unread (EVENT_BODY_LIMIT by default). */
  readonly eventBodyLimit?: number;
  /** The headers of a JSON event that are decoded; all without it (header-selection.ts). */
  readonly headers?: HeaderSelection;
}

/** An event that was over the size limit and was skipped unread: what it said is unknown. */
export interface DiscardedEvent {
  readonly contentType: string;
  readonly bytes: number;
}

export interface ConnectionHandlers {
  ready(): void;
  /** Every event, in stream order, before the next frame is read. Must not block. */
  event(event: EslEvent): void;
  /** An event was skipped (too big): the layer above has lost it and must resynchronise. */
  discarded(event: DiscardedEvent): void;
  /** Called exactly once. */
  closed(reason: CloseReason, wasReady: boolean): void;
}

/**
 * One read takes up to this much. Linux grows a busy socket's receive buffer to several
 * MB, so what arrived while the previous read was decoded comes in one read instead of
 * four: 1 MiB gave 5–15 % more events/s than 256 KiB in bench:esl, for 1 MiB per node.
 */
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * The largest event body read by default. The largest event in the real captures is
 * 12.3 KB (a CUSTOM callcenter::info; channel events with every variable reach 11.8 KB),
 * and events grow with channel variables, SIP headers copied into them and SDP (a
 * WebRTC offer alone can be several KB): 1 MiB leaves room for 80 times the largest
 * seen, while an event at the limit costs 1–2 ms of parsing when a few large values
 * make it up, ~12 ms if it were 11,000 small headers (bench/esl-limits.ts reads 10 MB of
 * those in 240 ms, with +38 MB). A bigger event is skipped as it streams in (framer.ts),
 * never buffered; the connection stays up, because Content-Length says exactly where
 * the next frame starts, and the layer above is told (`discarded`) so it can reconcile.
 * Dropping the connection instead would lose every event sent during the reconnect, and
 * an oversize event that keeps coming (a channel with huge variables fires one per state
 * change) would make the link flap.
 */
export const EVENT_BODY_LIMIT = 1024 * 1024;

/**
 * Any other body (replies: `show calls as json` is ~1.5 KB per call) is read up to
 * this; a Content-Length above it is no frame FreeSWITCH would send (the stream is
 * broken), and the connection is dropped.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The framer's limits: events up to `eventBodyLimit`, anything else up to MAX_BODY_BYTES. */
function eventLimits(limit: number): Record<string, number> {
  return { 'text/event-json': limit, 'text/event-plain': limit, 'text/event-xml': limit };
}

export type ConnectionState = 'connecting' | 'authenticating' | 'subscribing' | 'ready' | 'closed';

export interface ConnectionCounters {
  bytes: number;
  frames: number;
  events: number;
  malformed: number;
  /** Events over the size limit, skipped unread. */
  discarded: number;
  unexpectedReplies: number;
  foreignJobs: number;
}

export class EslConnection {
  private socket: Socket | undefined;
  private readonly framer: EslFramer;
  private readonly correlator: CommandCorrelator;
  private handshakeTimer: TimerHandle | undefined;
  private currentState: ConnectionState = 'connecting';
  private lastByteAt: number;
  private authSent = false;
  readonly counters: ConnectionCounters = { bytes: 0, frames: 0, events: 0, malformed: 0, discarded: 0, unexpectedReplies: 0, foreignJobs: 0 };

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.correlator = new CommandCorrelator(options.node, options.clock);
    this.framer = new EslFramer({ maxBodyBytes: MAX_BODY_BYTES, bodyLimits: eventLimits(options.eventBodyLimit ?? EVENT_BODY_LIMIT) });
    this.lastByteAt = options.clock.now();
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** Clock time of the last byte received. */
  get lastActivity(): number {
    return this.lastByteAt;
  }

  get pendingCommands(): number {
    return this.correlator.pendingReplies + this.correlator.pendingJobs;
  }

  /** Commands sent and not answered yet (a bgapi answered at once counts no more while its job runs). */
  get pendingReplies(): number {
    return this.correlator.pendingReplies;
  }

  get lateReplies(): number {
    return this.correlator.lateReplyCount;
  }

  open(): void {
    const { host, port, clock, handshakeTimeoutMs } = this.options;
    this.handshakeTimer = clock.setTimer(handshakeTimeoutMs, () => {
      this.close({ kind: 'handshake-timeout', message: `not ready within ${handshakeTimeoutMs} ms (state ${this.currentState})` });
    });
    // Reads land in one reused buffer (events are decoded, and a frame cut by the read
    // copied, before the callback returns), instead of a fresh 64 KB allocation per
    // read; returning true keeps the socket flowing: reading is never paused.
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    const socket = connect({
      host,
      port,
      onread: {
        buffer: readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.onData(buffer instanceof Buffer ? buffer.subarray(0, bytes) : Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      if (this.currentState !== 'connecting') return;
      socket.setKeepAlive(true, 10_000);
      this.lastByteAt = clock.now();
      this.currentState = 'authenticating';
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (this.currentState !== 'connecting') this.close({ kind: 'closed', message: err.message });
      else if (err.code === undefined) this.close({ kind: 'connect-failed', message: err.message });
      else this.close({ kind: 'connect-failed', message: err.message, code: err.code });
    });
    socket.on('close', () => this.close({ kind: 'closed', message: 'socket closed by the peer' }));
  }

  /** Runs an API command; the reply is the api/response body. */
  async api(text: string, timeoutMs: number): Promise<Result<Reply, EslError>> {
    if (this.currentState !== 'ready') return fail(this.notConnected());
    return this.exchange({ kind: 'api', text }, timeoutMs);
  }

  /**
   * Runs a command in the background. Resolves with the BACKGROUND_JOB body, or with
   * the refusal when FreeSWITCH would not start the job (then no job follows).
   */
  async bgapi(text: string, jobUuid: string, ackTimeoutMs: number, jobTimeoutMs: number): Promise<Result<JobResult, EslError>> {
    if (this.currentState !== 'ready') return fail(this.notConnected());
    const encoded = encodeCommand({ kind: 'bgapi', text }, jobUuid);
    if (!encoded.ok) return fail({ kind: 'unsafe-command', node: this.options.node, message: encoded.error.message });
    // Registered before sending: the result is then matched whenever it comes.
    const job = this.correlator.awaitJob(jobUuid, jobTimeoutMs);
    const ack = this.correlator.awaitReply(ackTimeoutMs);
    this.write(encoded.value);
    const acked = await ack;
    if (acked.ok) {
      if (replyStatus(acked.value.text) === 'error') {
        this.correlator.abandonJob(jobUuid, { jobUuid, body: acked.value.text });
      } else {
        const echoed = acked.value.headers['Job-UUID'];
        if (echoed !== undefined && echoed !== jobUuid) this.correlator.rekeyJob(jobUuid, echoed);
      }
    }
    return job;
  }

  /** Closes the socket; pending commands fail; `closed` is reported once. */
  close(reason: CloseReason): void {
    if (this.currentState === 'closed') return;
    const wasReady = this.currentState === 'ready';
    this.currentState = 'closed';
    this.options.clock.clearTimer(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.socket?.destroy();
    this.correlator.failAll(`connection closed: ${reason.kind}: ${reason.message}`);
    this.handlers.closed(reason, wasReady);
  }

  private async exchange(command: EslCommand, timeoutMs: number): Promise<Result<Reply, EslError>> {
    const encoded = encodeCommand(command);
    if (!encoded.ok) return fail({ kind: 'unsafe-command', node: this.options.node, message: encoded.error.message });
    const reply = this.correlator.awaitReply(timeoutMs);
    this.write(encoded.value);
    return reply;
  }

  private write(bytes: Buffer): void {
    if (this.socket === undefined || this.socket.destroyed) return; // the waiter fails with the close
    this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    if (this.currentState === 'closed') return;
    this.lastByteAt = this.options.clock.now();
    this.counters.bytes += chunk.length;
    try {
      this.framer.push(chunk, this.onFrame);
    } catch (err) {
      if (!(err instanceof EslFramingError)) throw err;
      this.options.log.error({ err }, 'unframeable bytes from FreeSWITCH; dropping the connection');
      this.close({ kind: 'protocol-error', message: err.message });
    }
  }

  private readonly onFrame = (frame: EslFrame): void => {
    if (this.currentState === 'closed') return;
    this.counters.frames++;
    const message = decodeFrameReading(frame, this.options.headers);
    switch (message.kind) {
      case 'event':
        this.onEvent(message.event);
        return;
      case 'command-reply':
        this.onReply({ text: message.replyText, headers: message.headers });
        return;
      case 'api-response':
        this.onReply({ text: message.body, headers: {} });
        return;
      case 'auth-request':
        this.onAuthRequest();
        return;
      case 'disconnect-notice':
        this.close({ kind: 'disconnect-notice', message: message.body.trim() || 'disconnect notice' });
        return;
      case 'rude-rejection':
        this.close({ kind: 'rejected', message: message.body.trim() || 'rude rejection' });
        return;
      case 'discarded':
        this.onDiscarded(message.contentType, message.bytes);
        return;
      case 'malformed':
        this.counters.malformed++;
        this.options.log.warn({ contentType: message.contentType, reason: message.reason }, 'undecodable frame skipped');
        return;
      case 'unknown':
        this.options.log.debug({ contentType: message.contentType }, 'frame of an unknown type ignored');
        return;
    }
  };

  private onEvent(event: EslEvent): void {
    this.counters.events++;
    try {
      this.handlers.event(event);
    } catch (err) {
      this.options.log.error({ err, event: event.name }, 'event handler threw');
    }
    if (event.name === 'BACKGROUND_JOB') {
      const jobUuid = event.headers['Job-UUID'];
      // Every listener receives every job's result: one that is not ours is ignored here.
      if (jobUuid === undefined || !this.correlator.settleJob(jobUuid, event.body ?? '')) this.counters.foreignJobs++;
    }
  }

  private onDiscarded(contentType: string, bytes: number): void {
    this.counters.discarded++;
    this.options.log.error({ contentType, bytes, limit: this.options.eventBodyLimit ?? EVENT_BODY_LIMIT }, 'event over the size limit skipped unread');
    try {
      this.handlers.discarded({ contentType, bytes });
    } catch (err) {
      this.options.log.error({ err }, 'discarded-event handler threw');
    }
  }

  private onReply(reply: Reply): void {
    // During the handshake the only replies are to our auth and event commands, and
    // they are read synchronously: after `-ERR invalid` FreeSWITCH sends a disconnect
    // notice in the same breath, and the refusal must be seen before it.
    if (this.currentState === 'authenticating') return this.onAuthReply(reply);
    if (this.currentState === 'subscribing') return this.onSubscribeReply(reply);
    if (!this.correlator.settleReply(reply)) {
      this.counters.unexpectedReplies++;
      this.options.log.warn({ reply: reply.text.slice(0, 80) }, 'reply with no command waiting for it');
    }
  }

  private onAuthRequest(): void {
    if (this.currentState !== 'authenticating' || this.authSent) {
      this.options.log.warn({ state: this.currentState }, 'unexpected auth/request');
      return;
    }
    const command = auth(this.options.password);
    if (!command.ok) {
      this.close({ kind: 'auth-failed', message: 'the configured password cannot be sent (empty or holds a control character)' });
      return;
    }
    this.authSent = true;
    this.writeCommand(command.value);
  }

  private onAuthReply(reply: Reply): void {
    if (!this.authSent) {
      this.counters.unexpectedReplies++;
      return;
    }
    if (replyStatus(reply.text) !== 'ok') {
      this.close({ kind: 'auth-failed', message: `FreeSWITCH refused the password: ${reply.text}` });
      return;
    }
    const { eventFormat, events, subclasses } = this.options;
    const subscription = subscribe(eventFormat, events, subclasses);
    if (!subscription.ok) {
      this.close({ kind: 'subscribe-failed', message: `bad subscription: ${subscription.error.value}` });
      return;
    }
    this.currentState = 'subscribing';
    this.writeCommand(subscription.value);
  }

  private onSubscribeReply(reply: Reply): void {
    if (replyStatus(reply.text) !== 'ok') {
      this.close({ kind: 'subscribe-failed', message: reply.text });
      return;
    }
    this.options.clock.clearTimer(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.currentState = 'ready';
    this.handlers.ready();
  }

  private writeCommand(command: EslCommand): void {
    const encoded = encodeCommand(command);
    if (encoded.ok) this.write(encoded.value);
  }

  private notConnected(): EslError {
    return { kind: 'not-connected', node: this.options.node, message: `connection is ${this.currentState}` };
  }
}
