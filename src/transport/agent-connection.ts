/**
 * One session per connection, the same for TCP and WebSocket (aedes' Client): it
 * decodes messages, keeps requests in order, limits their rate, watches the sign-in
 * timeout and the heartbeat, and writes responses and events through its Wire. It also
 * holds the limits of one peer: connections per address, failed sign-ins per
 * connection, and the bytes it may leave unread.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { Config } from '../config/config-schema.js';
import type { AgentEvent } from '../core/agent-event.js';
import type { Engine, EngineConnection } from '../engine/engine.js';
import type { CommandSpec } from '../protocol/command-types.js';
import { dispatch } from '../protocol/command-table.js';
import { ErrorCode, reasonOf } from '../protocol/error-codes.js';
import type { AgentRequest, AgentResponse, Codec, DecodeResult, UnreadableRequest } from '../protocol/message.js';
import { addressKey } from './address-key.js';
import type { AddressCounter } from './address-counter.js';
import type { CloseKind, Wire } from './wire.js';

/** Requests waiting for their turn; a client that queues more is flooding. */
const MAX_QUEUED_REQUESTS = 200;
/**
 * A request refused for its rate echoes its cmdType, agentID and seq when it is at
 * most this long (a request is a few hundred bytes): reading it costs little, and a
 * flood is closed before it adds up.
 */
const MAX_ECHO_READ = 4096;
/** Sign-in answers that count as a failed sign-in on this connection. */
const FAILED_SIGNIN = new Set<number>([
  ErrorCode.AGENT_NOT_REGISTERED,
  ErrorCode.WRONG_PASSWORD,
  ErrorCode.SIGNIN_THROTTLED,
  ErrorCode.AGENT_LOCKED,
]);

type Work = { kind: 'request'; request: AgentRequest } | { kind: 'answer'; response: AgentResponse };

export interface ConnectionDeps {
  readonly engine: Engine;
  readonly table: ReadonlyMap<string, CommandSpec>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: Config;
  /** Connections open per address, shared by the TCP and WebSocket servers. */
  readonly addresses: AddressCounter;
}

let nextConnection = 1;

export class AgentConnection implements EngineConnection {
  readonly id: string;
  private agentId: string | undefined;
  private readonly queue: Work[] = [];
  private queuedRequests = 0;
  private working = false;
  private closed = false;
  private detached = false;
  /** The peer sent all it will send (TCP FIN): close once its requests are answered. */
  private inputDone = false;
  /** The server is stopping: requests received from now on are not taken. */
  private leaving = false;
  private readonly transportClosed: Promise<void>;
  private markTransportClosed!: () => void;
  private drained: Promise<void> = Promise.resolve();
  private lastHeard: number;
  private tokens: number;
  private tokensAt: number;
  private refusedThisSecond = 0;
  private refusedSecond = 0;
  private lastWarnAt = 0;
  private suppressedWarnings = 0;
  private signinTimer: TimerHandle | undefined;
  private heartbeatTimer: TimerHandle | undefined;
  /** Made by `log` when first needed. */
  private logger: Logger | undefined;
  private readonly capacity: number;
  private failedSignins = 0;
  /**
   * A signin request is being handled (waiting for its password check's turn, or in it).
   * The sign-in timeout does not cut it off: a floor signing in at once waits for the
   * scrypt checks before it (issue 16's storm), and a connection whose sign-in arrived in
   * time is not idle. Set when the timeout passed meanwhile: closed if that sign-in fails.
   */
  private signingIn = false;
  private signinOverdue = false;
  /** The address as the per-address limits count it. */
  private readonly address: string;
  /** Counted in deps.addresses (false when refused for its address). */
  private counted = false;
  /**
   * Messages waiting for the end of the turn (engine/end-of-turn.ts): written together,
   * after the rows of the steps that caused them are committed. Their bytes count towards
   * agent.maxUnreadBytes as the transport's backlog does.
   */
  private outgoing: string[] = [];
  private outgoingBytes = 0;
  private flushAsked = false;
  /** Shut while messages waited: the transport is closed once they are written. */
  private closeAfter: { readonly kind: CloseKind; readonly reason: string } | undefined;

  constructor(
    private readonly wire: Wire,
    private readonly codec: Codec,
    private readonly deps: ConnectionDeps,
  ) {
    this.id = `${wire.transport}-${nextConnection++}`;
    this.transportClosed = new Promise((r) => (this.markTransportClosed = r));
    const now = deps.clock.now();
    this.lastHeard = now;
    this.capacity = deps.config.agent.maxRequestsPerSecond * 2;
    this.tokens = this.capacity;
    this.tokensAt = now;
    this.address = addressKey(wire.address);
    if (!deps.addresses.take(this.address)) {
      // Never attached: the engine does not know it, no timer runs; the transport's close ends it.
      this.detached = true;
      const refused = deps.addresses.refusalsToReport(this.address, now);
      if (refused !== undefined) this.log.warn({ address: this.address, max: deps.config.agent.maxConnectionsPerAddress, refused }, 'too many connections from this address; refused');
      this.write(this.codec.encodeResponse(emptyResponse(ErrorCode.TOO_MANY_CONNECTIONS)));
      this.shut('policy', 'too many connections from this address');
      return;
    }
    this.counted = true;
    deps.engine.attach(this);
    this.armSigninTimeout();
    if (deps.log.isLevelEnabled('debug')) this.log.debug({ codec: codec.name }, 'connected');
  }

  /**
   * The connection's logger, a pino child made the first time the connection logs: a child
   * (its bindings, serialised) is ~0.5 KB kept for the connection's life, and most
   * connections log nothing at the default level (bench/memory: 5,000 agents, ~2.5 MB).
   */
  private get log(): Logger {
    return (this.logger ??= this.deps.log.child({ module: 'agent-connection', conn: this.id, remote: this.wire.remote }));
  }

  get signedInAs(): string | undefined {
    return this.agentId;
  }

  /** Bytes arrived: the peer is alive, whatever they turn out to be. */
  heard(): void {
    this.lastHeard = this.deps.clock.now();
  }

  /** One complete message (a NUL-framed TCP message or a WebSocket text frame). */
  receive(text: string): void {
    if (this.closed) return;
    this.heard();
    if (!this.admit()) {
      this.refuseRate(text.length <= MAX_ECHO_READ ? text : undefined);
      return;
    }
    const decoded = this.decode(text);
    if (!decoded.ok) this.unreadable(decoded.error);
    // The server is stopping: the request is not taken, but it is answered (-91), after
    // those received before, so the bar knows to reconnect rather than wait.
    else if (this.leaving) this.enqueue({ kind: 'answer', response: echoing(decoded.request, ErrorCode.SERVER_STOPPING) });
    else this.enqueue({ kind: 'request', request: decoded.request });
  }

  /** A message that is not text of the protocol at all (binary frame, bad UTF-8): -1. */
  receiveGarbage(detail: string): void {
    if (this.closed) return;
    this.heard();
    if (!this.admit()) {
      this.refuseRate(undefined);
      return;
    }
    this.unreadable({ code: ErrorCode.XML_PARSE_ERROR, detail });
  }

  /** The codecs do not throw; if one ever did, the message is answered -1 and the server goes on. */
  private decode(text: string): DecodeResult {
    try {
      return this.codec.decode(text);
    } catch (err) {
      this.log.error({ err }, 'decoding a message failed');
      return { ok: false, error: { code: ErrorCode.XML_PARSE_ERROR, detail: 'unreadable' } };
    }
  }

  /** A message over agent.maxMessageBytes: -1, then the connection is closed (spec §1). */
  receiveOversize(): void {
    if (this.closed) return;
    this.warn({ code: ErrorCode.XML_PARSE_ERROR }, `message over ${this.deps.config.agent.maxMessageBytes} bytes; closing`);
    this.write(this.codec.encodeResponse(emptyResponse(ErrorCode.XML_PARSE_ERROR)));
    this.shut('too-big', 'message too large');
  }

  /** The peer will send nothing more: what it asked is answered, then the connection closes. */
  inputEnded(): void {
    this.inputDone = true;
    if (!this.working) this.closeIfAnswered();
  }

  private closeIfAnswered(): void {
    if (this.inputDone && this.queue.length === 0) this.shut('normal', 'the peer finished sending');
  }

  /** The transport closed (by the peer or by us). */
  closedByTransport(): void {
    this.markTransportClosed();
    if (this.counted) {
      this.counted = false;
      this.deps.addresses.release(this.address);
    }
    if (this.detached) return;
    this.detached = true;
    this.closed = true;
    this.stopTimers();
    this.queue.length = 0;
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.closeAfter = undefined;
    const agentId = this.agentId;
    this.agentId = undefined;
    this.deps.engine.detach(this, agentId);
    if (this.deps.log.isLevelEnabled('debug')) this.log.debug({ agentId }, 'closed');
  }

  sendEvent(event: AgentEvent): void {
    if (this.closed || this.agentId === undefined) return;
    this.write(this.codec.encodeEvent(this.agentId, this.deps.engine.services.formatTime(event.at), event));
  }

  close(reason: string): void {
    this.shut('normal', reason);
  }

  goAway(reason: string): Promise<void> {
    this.shut('going-away', reason);
    return this.transportClosed;
  }

  finishRequests(): Promise<void> {
    this.leaving = true;
    return this.drained;
  }

  // ── requests in order ───────────────────────────────────────────────────────

  private unreadable(error: UnreadableRequest): void {
    this.warn({ code: error.code, detail: error.detail }, 'unreadable request');
    // -1/-2 carry no cmdType or seq (spec §2); -3/-4 echo what could be read.
    const readable = error.code === ErrorCode.CMDTYPE_EMPTY || error.code === ErrorCode.AGENTID_EMPTY;
    this.enqueue({ kind: 'answer', response: readable ? echoing(error, error.code) : emptyResponse(error.code) });
  }

  /**
   * -85, echoing the cmdType, agentID and seq of the refused request when it is short
   * enough to read (spec §2: a response echoes them, so the bar knows which request was
   * refused). Whatever cannot be read is left empty, as for -1.
   */
  private refuseRate(text: string | undefined): void {
    // The flood that was refused may have closed the connection.
    if (this.closed) return;
    const code = ErrorCode.TOO_MANY_REQUESTS;
    if (text === undefined) {
      this.enqueue({ kind: 'answer', response: emptyResponse(code) });
      return;
    }
    const decoded = this.decode(text);
    this.enqueue({ kind: 'answer', response: echoing(decoded.ok ? decoded.request : decoded.error, code) });
  }

  private enqueue(work: Work): void {
    if (work.kind === 'request' && ++this.queuedRequests > MAX_QUEUED_REQUESTS) {
      this.warn({ queued: this.queuedRequests }, 'too many requests waiting; closing');
      this.shut('policy', 'flood');
      return;
    }
    this.queue.push(work);
    if (!this.working) this.drained = this.drain();
  }

  private async drain(): Promise<void> {
    this.working = true;
    while (this.queue.length > 0 && !this.closed) {
      const work = this.queue.shift()!;
      if (work.kind === 'answer') {
        this.write(this.codec.encodeResponse(work.response));
        continue;
      }
      this.queuedRequests--;
      await this.handle(work.request);
    }
    this.working = false;
    this.closeIfAnswered();
  }

  private async handle(request: AgentRequest): Promise<void> {
    const { engine, table, clock } = this.deps;
    this.signingIn = request.cmdType === 'signin' && this.agentId === undefined;
    const { response, result } = await dispatch(
      table,
      request,
      { signedInAs: this.agentId, connectionId: this.id, remote: this.wire.remote, address: this.address },
      engine.services,
      clock,
      (err) => this.log.error({ err, cmdType: request.cmdType }, 'handler failed'),
    );
    this.signingIn = false;
    // -89 refuses every sign-in of a throttled address: the throttle itself is logged once, by the core.
    if (request.cmdType === 'signin' && response.retCode !== 0 && response.retCode !== ErrorCode.SIGNIN_THROTTLED) {
      engine.handle({
        type: 'signin-refused',
        agentId: request.agentID,
        code: response.retCode,
        reason: response.reason,
        exten: request.fields['agentExten'] ?? null,
        remote: this.wire.remote,
      });
    }
    if (this.closed) {
      // The peer left while we worked (e.g. during scrypt): whatever succeeded still counts.
      if (result.effects !== undefined) engine.run(result.effects);
      if (result.signedIn !== undefined) engine.detach(this, result.signedIn.agentId);
      return;
    }
    if (result.signedIn !== undefined) {
      this.agentId = result.signedIn.agentId;
      this.deps.clock.clearTimer(this.signinTimer);
      this.signinTimer = undefined;
      this.watchHeartbeat();
    }
    this.write(this.codec.encodeResponse(response));
    if (response.retCode === 0 && result.events !== undefined) for (const event of result.events) this.sendEvent(event);
    if (result.effects !== undefined) engine.run(result.effects);
    if (this.signinOverdue && this.agentId === undefined) {
      this.shut('normal', 'no sign-in within agent.signinTimeoutSeconds');
      return;
    }
    if (request.cmdType === 'signin' && FAILED_SIGNIN.has(response.retCode) && ++this.failedSignins >= this.deps.config.agent.signinFailuresPerConnection) {
      this.warn({ failedSignins: this.failedSignins }, 'too many failed sign-ins on this connection; closing');
      this.shut('policy', 'too many failed sign-ins');
    }
  }

  /** Signed out (by itself, a supervisor or the grace timer): back to waiting for a sign-in. */
  unbind(): void {
    if (this.closed) return;
    this.agentId = undefined;
    this.deps.clock.clearTimer(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.armSigninTimeout();
  }

  private armSigninTimeout(): void {
    this.deps.clock.clearTimer(this.signinTimer);
    this.signinOverdue = false;
    this.signinTimer = this.deps.clock.setTimer(this.deps.config.agent.signinTimeoutSeconds * 1000, () => {
      if (this.agentId !== undefined) return;
      if (this.signingIn) this.signinOverdue = true;
      else this.shut('normal', 'no sign-in within agent.signinTimeoutSeconds');
    });
  }

  // ── limits and liveness ─────────────────────────────────────────────────────

  /**
   * Token bucket: bursts of 2 × maxRequestsPerSecond, refilled at maxRequestsPerSecond.
   * Beyond it a request is answered -85 (refuseRate); a client that keeps going is closed.
   */
  private admit(): boolean {
    const now = this.deps.clock.now();
    const rate = this.deps.config.agent.maxRequestsPerSecond;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.tokensAt) / 1000) * rate);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    const second = Math.floor(now / 1000);
    if (second !== this.refusedSecond) {
      this.refusedSecond = second;
      this.refusedThisSecond = 0;
    }
    this.refusedThisSecond++;
    if (this.refusedThisSecond > rate * 4) {
      this.warn({ refused: this.refusedThisSecond }, 'request flood; closing');
      this.shut('policy', 'flood');
    }
    return false;
  }

  /**
   * A connection silent for 3 × heartbeatInterval is dead (spec §3 rule 5). On
   * WebSocket the server pings at each look: a pong is a sign of life, so a browser bar
   * that answers pings stays, and a socket whose peer is gone is removed.
   */
  private watchHeartbeat(): void {
    const intervalMs = this.deps.config.agent.heartbeatIntervalSeconds * 1000;
    const check = (): void => {
      if (this.closed) return;
      const silent = this.deps.clock.now() - this.lastHeard;
      if (silent >= 3 * intervalMs) {
        this.log.info({ agentId: this.agentId, silentMs: silent }, 'no heartbeat; connection is dead');
        this.shut('normal', 'heartbeat timeout');
        return;
      }
      this.wire.ping?.();
      this.heartbeatTimer = this.deps.clock.setTimer(Math.min(intervalMs, 3 * intervalMs - silent), check);
    };
    this.heartbeatTimer = this.deps.clock.setTimer(intervalMs, check);
  }

  private write(text: string): void {
    if (this.closed) return;
    this.outgoing.push(text);
    this.outgoingBytes += Buffer.byteLength(text);
    this.askFlush();
    this.checkBacklog();
  }

  /** Once per turn: the engine calls flushOutgoing at its end. */
  private askFlush(): void {
    if (this.flushAsked) return;
    this.flushAsked = true;
    this.deps.engine.afterRows(() => this.flushOutgoing());
  }

  /** The turn's messages in one write, in order; then the close that waited for them. */
  private flushOutgoing(): void {
    this.flushAsked = false;
    if (this.outgoing.length > 0) {
      const texts = this.outgoing;
      this.outgoing = [];
      this.outgoingBytes = 0;
      this.wire.send(texts);
    }
    const close = this.closeAfter;
    this.closeAfter = undefined;
    if (close !== undefined) this.wire.close(close.kind, close.reason);
  }

  /**
   * A peer that leaves more than agent.maxUnreadBytes of our messages unread is not
   * reading: it is cut off, so its backlog cannot grow polylink's memory without end.
   * Checked at each write (what waits for the end of the turn counts), and by the
   * WebSocket server at each ping it answers.
   */
  checkBacklog(): void {
    if (this.closed) return;
    const buffered = this.wire.buffered() + this.outgoingBytes;
    if (buffered <= this.deps.config.agent.maxUnreadBytes) return;
    this.warn({ buffered, max: this.deps.config.agent.maxUnreadBytes }, 'peer is not reading; closing');
    this.shut('policy', 'slow reader');
  }

  private shut(kind: CloseKind, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.queue.length = 0;
    // What was written before (a -1 answer, a KickOutEvent) goes out first, at the end of the turn.
    this.closeAfter = { kind, reason };
    this.askFlush();
  }

  private stopTimers(): void {
    this.deps.clock.clearTimer(this.signinTimer);
    this.deps.clock.clearTimer(this.heartbeatTimer);
    this.signinTimer = undefined;
    this.heartbeatTimer = undefined;
  }

  /** One log line per bad input, at most one a second per connection (a flood stays one line). */
  private warn(obj: Record<string, unknown>, msg: string): void {
    const now = this.deps.clock.now();
    if (now - this.lastWarnAt < 1000) {
      this.suppressedWarnings++;
      return;
    }
    this.lastWarnAt = now;
    const suppressed = this.suppressedWarnings;
    this.suppressedWarnings = 0;
    this.log.warn({ ...obj, agentId: this.agentId, ...(suppressed > 0 ? { suppressed } : {}) }, msg);
  }
}

function emptyResponse(code: number): AgentResponse {
  return { cmdType: '', agentID: '', seq: undefined, retCode: code, reason: reasonOf(code) };
}

/** A response with `code` that echoes what could be read of the request. */
function echoing(read: { readonly cmdType?: string | undefined; readonly agentID?: string | undefined; readonly seq?: string | undefined }, code: number): AgentResponse {
  return { cmdType: read.cmdType ?? '', agentID: read.agentID ?? '', seq: read.seq, retCode: code, reason: reasonOf(code) };
}
