/**
 * One session per connection, the same for TCP and WebSocket (aedes' Client): it
 * decodes messages, keeps requests in order, limits their rate, watches the sign-in
 * timeout and the heartbeat, and writes responses and events through its Wire.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { Config } from '../config/config-schema.js';
import type { AgentEvent } from '../core/agent-event.js';
import type { Engine, EngineConnection } from '../engine/engine.js';
import type { CommandSpec } from '../protocol/command-types.js';
import { dispatch } from '../protocol/command-table.js';
import { ErrorCode, reasonOf } from '../protocol/error-codes.js';
import type { AgentRequest, AgentResponse, Codec, UnreadableRequest } from '../protocol/message.js';
import type { CloseKind, Wire } from './wire.js';

/** Requests waiting for their turn; a client that queues more is flooding. */
const MAX_QUEUED_REQUESTS = 200;
/** A peer that leaves this much unread is not reading: it is closed. */
const MAX_UNREAD_BYTES = 4 * 1024 * 1024;

type Work = { kind: 'request'; request: AgentRequest } | { kind: 'answer'; response: AgentResponse };

export interface ConnectionDeps {
  readonly engine: Engine;
  readonly table: ReadonlyMap<string, CommandSpec>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: Config;
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
  private readonly log: Logger;
  private readonly capacity: number;

  constructor(
    private readonly wire: Wire,
    private readonly codec: Codec,
    private readonly deps: ConnectionDeps,
  ) {
    this.id = `${wire.transport}-${nextConnection++}`;
    this.transportClosed = new Promise((r) => (this.markTransportClosed = r));
    this.log = deps.log.child({ module: 'agent-connection', conn: this.id, remote: wire.remote });
    const now = deps.clock.now();
    this.lastHeard = now;
    this.capacity = deps.config.agent.maxRequestsPerSecond * 2;
    this.tokens = this.capacity;
    this.tokensAt = now;
    deps.engine.attach(this);
    this.armSigninTimeout();
    this.log.debug({ codec: codec.name }, 'connected');
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
    if (this.closed || this.leaving) return;
    this.heard();
    if (!this.admit()) return;
    const decoded = this.codec.decode(text);
    if (decoded.ok) this.enqueue({ kind: 'request', request: decoded.request });
    else this.unreadable(decoded.error);
  }

  /** A message that is not text of the protocol at all (binary frame, bad UTF-8): -1. */
  receiveGarbage(detail: string): void {
    if (this.closed || this.leaving) return;
    this.heard();
    if (!this.admit()) return;
    this.unreadable({ code: ErrorCode.XML_PARSE_ERROR, detail });
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
    if (this.detached) return;
    this.detached = true;
    this.closed = true;
    this.stopTimers();
    this.queue.length = 0;
    const agentId = this.agentId;
    this.agentId = undefined;
    this.deps.engine.detach(this, agentId);
    this.log.debug({ agentId }, 'closed');
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
    const response: AgentResponse = readable
      ? { cmdType: error.cmdType ?? '', agentID: error.agentID ?? '', seq: error.seq, retCode: error.code, reason: reasonOf(error.code) }
      : emptyResponse(error.code);
    this.enqueue({ kind: 'answer', response });
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
    const { response, result } = await dispatch(
      table,
      request,
      { signedInAs: this.agentId, connectionId: this.id, remote: this.wire.remote },
      engine.services,
      clock,
      (err) => this.log.error({ err, cmdType: request.cmdType }, 'handler failed'),
    );
    if (request.cmdType === 'signin' && response.retCode !== 0) {
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
    this.signinTimer = this.deps.clock.setTimer(this.deps.config.agent.signinTimeoutSeconds * 1000, () => {
      if (this.agentId === undefined) this.shut('normal', 'no sign-in within agent.signinTimeoutSeconds');
    });
  }

  // ── limits and liveness ─────────────────────────────────────────────────────

  /**
   * Token bucket: bursts of 2 × maxRequestsPerSecond, refilled at maxRequestsPerSecond.
   * Beyond it a request is answered -85; a client that keeps going is closed.
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
      return false;
    }
    this.enqueue({ kind: 'answer', response: emptyResponse(ErrorCode.TOO_MANY_REQUESTS) });
    return false;
  }

  /** A connection silent for 3 × heartbeatInterval is dead (spec §3 rule 5). */
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
      this.heartbeatTimer = this.deps.clock.setTimer(Math.min(intervalMs, 3 * intervalMs - silent), check);
    };
    this.heartbeatTimer = this.deps.clock.setTimer(intervalMs, check);
  }

  private write(text: string): void {
    if (this.closed) return;
    this.wire.send(text);
    if (this.wire.buffered() > MAX_UNREAD_BYTES) {
      this.warn({ buffered: this.wire.buffered() }, 'peer is not reading; closing');
      this.shut('policy', 'slow reader');
    }
  }

  private shut(kind: CloseKind, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.queue.length = 0;
    this.wire.close(kind, reason);
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
