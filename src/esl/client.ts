/**
 * A FreeSWITCH event-socket client for one node that stays connected: it opens a
 * session (connection.ts), and when the session ends for any reason it waits
 * (backoff.ts) and opens a new one, which authenticates and subscribes again. While
 * a session is ready, a liveness monitor (liveness.ts) replaces a half-open link.
 *
 * Wrong passwords and ACL rejections raise an alarm and back off like any other
 * failure: never a tight loop, and the password never reaches a log line. While the
 * switch is away (it closed the link or shut down, and nothing listens on its port:
 * FreeSWITCH is restarting) the next try comes within `retryWhileAwayMs`, so the link
 * is back within about a second of the switch listening again.
 *
 * The layer above can suspend the client when it cannot take more events (its backlog
 * is full): the session is closed, which it hears as a normal `onDown`, and no new one
 * is opened until it resumes the client; then it reconciles as after any reconnect.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from 'pino';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import type { EslCommand, EventFormat } from './commands.js';
import { type CloseReason, type DiscardedEvent, EslConnection } from './connection.js';
import type { JobResult } from './correlator.js';
import type { EslError } from './errors.js';
import type { EslEvent } from './event.js';
import { HeaderSelection } from './header-selection.js';
import { Listeners } from './listeners.js';
import { DEFAULT_LIVENESS, LivenessMonitor, type LivenessOptions } from './liveness.js';
import { type Result, fail, ok } from './result.js';

export interface EslNodeConfig {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export interface EslClientOptions {
  readonly node: EslNodeConfig;
  readonly clock: Clock;
  /** The parent logger; the client logs as `{ module: 'esl', node }`. */
  readonly log: Logger;
  readonly events: ReadonlyArray<string>;
  readonly subclasses?: ReadonlyArray<string>;
  /** `json` by default. */
  readonly eventFormat?: EventFormat;
  /** Reply time limit of an api command (and of a bgapi's acknowledgement). */
  readonly commandTimeoutMs?: number;
  /** Time limit of a bgapi's BACKGROUND_JOB. */
  readonly jobTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** `false` turns the liveness probe off. */
  readonly liveness?: Partial<LivenessOptions> | false;
  /** A session that stayed ready this long resets the backoff when it ends. */
  readonly stableAfterMs?: number;
  /**
   * The longest wait before trying again while the switch is away: it closed the
   * connection or said it is shutting down, or refused a connect (ECONNREFUSED: the
   * host answers at once that nothing listens). A refused connect costs both sides one
   * SYN and one RST, so the switch is tried this often (1 s by default) whatever the
   * backoff has grown to. Failures that show a switch that is up but will not have us
   * (password, ACL, subscription, handshake timeout, broken stream, liveness) or a
   * host that does not answer keep the full backoff.
   */
  readonly retryWhileAwayMs?: number;
  /** Event bodies longer than this are skipped unread and reported (connection.ts, EVENT_BODY_LIMIT: 1 MiB). */
  readonly eventBodyLimit?: number;
  /** Consecutive failed attempts to reach the node before the `unreachable` alarm. */
  readonly unreachableAfter?: number;
  /** Jitter source (tests pass a fixed one). */
  readonly random?: () => number;
  /**
   * The event headers the owner reads: a JSON event's other headers are not decoded
   * (header-selection.ts; the client's own — Event-Name, Event-Subclass, Job-UUID — always
   * are). Without it an event carries every header.
   */
  readonly headers?: ReadonlyArray<string>;
}

/** What the client reads of an event itself: its name, and the job a BACKGROUND_JOB answers (connection.ts). */
const CLIENT_HEADERS = ['Event-Name', 'Event-Subclass', 'Job-UUID'];

export type EslClientState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';

export type EslAlarmKind = 'auth-failed' | 'rejected' | 'subscribe-failed' | 'unreachable' | 'backlog';

export interface EslAlarm {
  readonly node: string;
  readonly kind: EslAlarmKind;
  readonly message: string;
  /** Failed attempts in a row so far. */
  readonly attempts: number;
  /** Delay before the next attempt. */
  readonly retryInMs: number;
}

export interface EslClientStats {
  readonly state: EslClientState;
  readonly sessions: number;
  readonly bytes: number;
  readonly events: number;
  /** Commands waiting for their reply, and bgapi jobs waiting for their BACKGROUND_JOB. */
  readonly pendingCommands: number;
  /** Of those, the commands waiting for their reply. */
  readonly pendingReplies: number;
  readonly lateReplies: number;
  readonly foreignJobs: number;
  readonly malformedFrames: number;
  /** Events over the size limit, skipped unread (connection.ts, EVENT_BODY_LIMIT). */
  readonly discardedEvents: number;
  /** Sessions closed because the layer above suspended the client. */
  readonly suspensions: number;
}

export interface ApiOptions {
  readonly timeoutMs?: number;
}

export interface BgapiOptions {
  /** Chosen by the caller when it must know the job before the command is sent. */
  readonly jobUuid?: string;
  readonly timeoutMs?: number;
  readonly jobTimeoutMs?: number;
}

const ALARM_KINDS: ReadonlySet<string> = new Set(['auth-failed', 'rejected', 'subscribe-failed']);

export class EslClient {
  /** Each time a session is authenticated and subscribed. */
  readonly onReady: Listeners<void>;
  /** Each time a ready session ends. */
  readonly onDown: Listeners<CloseReason>;
  readonly onAlarm: Listeners<EslAlarm>;
  readonly onAlarmCleared: Listeners<EslAlarmKind>;
  /** Every event in stream order, synchronously: listeners must not block. */
  readonly onEvent: Listeners<EslEvent>;
  /** An event was skipped because it was too big: listeners must resynchronise. */
  readonly onEventDiscarded: Listeners<DiscardedEvent>;

  private readonly log: Logger;
  private readonly backoff: Backoff;
  private readonly commandTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly stableAfterMs: number;
  private readonly unreachableAfter: number;
  private readonly retryWhileAwayMs: number;
  /** Set by suspend(): no session is opened until resume(). */
  private suspended = false;
  private suspensions = 0;
  private readonly livenessOptions: LivenessOptions | undefined;
  private connection: EslConnection | undefined;
  private liveness: LivenessMonitor | undefined;
  private retryTimer: TimerHandle | undefined;
  private currentState: EslClientState = 'idle';
  private readyAt = 0;
  private failuresInARow = 0;
  private alarm: EslAlarm | undefined;
  private sessions = 0;
  private totals = { bytes: 0, events: 0, lateReplies: 0, foreignJobs: 0, malformed: 0, discarded: 0 };
  private stopped: (() => void) | undefined;
  private readonly headers: HeaderSelection | undefined;

  constructor(private readonly options: EslClientOptions) {
    this.log = options.log.child({ module: 'esl', node: options.node.id });
    this.headers = options.headers === undefined ? undefined : new HeaderSelection([...options.headers, ...CLIENT_HEADERS]);
    this.backoff = new Backoff({ ...DEFAULT_BACKOFF, ...options.backoff }, options.random);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
    this.jobTimeoutMs = options.jobTimeoutMs ?? 120_000;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
    this.unreachableAfter = options.unreachableAfter ?? 3;
    this.retryWhileAwayMs = options.retryWhileAwayMs ?? 1_000;
    this.livenessOptions = options.liveness === false ? undefined : { ...DEFAULT_LIVENESS, ...options.liveness };
    this.onReady = new Listeners(this.log, 'ready');
    this.onDown = new Listeners(this.log, 'down');
    this.onAlarm = new Listeners(this.log, 'alarm');
    this.onAlarmCleared = new Listeners(this.log, 'alarm-cleared');
    this.onEvent = new Listeners(this.log, 'event');
    this.onEventDiscarded = new Listeners(this.log, 'event-discarded');
  }

  get node(): string {
    return this.options.node.id;
  }

  get state(): EslClientState {
    return this.currentState;
  }

  /** The alarm standing now, if any. */
  get activeAlarm(): EslAlarm | undefined {
    return this.alarm;
  }

  get stats(): EslClientStats {
    const c = this.connection?.counters;
    return {
      state: this.currentState,
      sessions: this.sessions,
      bytes: this.totals.bytes + (c?.bytes ?? 0),
      events: this.totals.events + (c?.events ?? 0),
      pendingCommands: this.connection?.pendingCommands ?? 0,
      pendingReplies: this.connection?.pendingReplies ?? 0,
      lateReplies: this.totals.lateReplies + (this.connection?.lateReplies ?? 0),
      foreignJobs: this.totals.foreignJobs + (c?.foreignJobs ?? 0),
      malformedFrames: this.totals.malformed + (c?.malformed ?? 0),
      discardedEvents: this.totals.discarded + (c?.discarded ?? 0),
      suspensions: this.suspensions,
    };
  }

  /** Starts connecting; the client then stays connected until stop(). */
  start(): void {
    if (this.currentState !== 'idle') return;
    if (this.suspended) this.currentState = 'waiting';
    else this.openSession();
  }

  /** Closes the session and stops reconnecting. Pending commands fail. */
  stop(): Promise<void> {
    if (this.currentState === 'stopped') return Promise.resolve();
    this.currentState = 'stopped';
    this.options.clock.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    const connection = this.connection;
    if (connection === undefined || connection.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => {
      this.stopped = resolve;
      connection.close({ kind: 'local', message: 'client stopped' });
    });
  }

  /**
   * Closes the session (listeners hear `onDown` with reason `backlog`) and opens no new
   * one until resume(): for a layer above whose backlog of events is full. Closing,
   * rather than no longer reading the socket: commands waiting for a reply fail at once
   * instead of hanging behind unread bytes, and FreeSWITCH drops our listener and its
   * queue instead of holding up to 100,000 events for us (mod_event_socket.c,
   * MAX_QUEUE_LEN). What happens on the switch meanwhile is found by the reconcile that
   * follows every connect. Raises the `backlog` alarm, cleared when a session is ready.
   */
  suspend(message: string): void {
    if (this.currentState === 'stopped' || this.suspended) return;
    this.suspended = true;
    this.suspensions++;
    this.options.clock.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.alarm = { node: this.node, kind: 'backlog', message, attempts: 0, retryInMs: 0 };
    this.log.error({ alarm: 'backlog', message }, 'alarm raised; disconnecting until the backlog drains');
    this.onAlarm.emit(this.alarm);
    const connection = this.connection;
    if (connection !== undefined && connection.state !== 'closed') connection.close({ kind: 'backlog', message });
    else if (this.currentState !== 'idle') this.currentState = 'waiting';
  }

  /** Ends a suspension: connects again at once (a full backlog is no failure of the node). */
  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    if (this.currentState !== 'waiting' || this.retryTimer !== undefined) return;
    this.backoff.reset();
    this.log.info('backlog drained; connecting again');
    this.openSession();
  }

  /** Runs an API command; resolves with the reply text (`+OK …`, `-ERR …`, or data). */
  async api(command: string | EslCommand, options: ApiOptions = {}): Promise<Result<string, EslError>> {
    const text = this.textOf(command, 'api');
    if (!text.ok) return text;
    const connection = this.readyConnection();
    if (!connection.ok) return connection;
    const reply = await connection.value.api(text.value, options.timeoutMs ?? this.commandTimeoutMs);
    return reply.ok ? ok(reply.value.text) : reply;
  }

  /** Runs a command in the background; resolves with its BACKGROUND_JOB result. */
  async bgapi(command: string | EslCommand, options: BgapiOptions = {}): Promise<Result<JobResult, EslError>> {
    const text = this.textOf(command, 'bgapi');
    if (!text.ok) return text;
    const connection = this.readyConnection();
    if (!connection.ok) return connection;
    return connection.value.bgapi(
      text.value,
      options.jobUuid ?? randomUUID(),
      options.timeoutMs ?? this.commandTimeoutMs,
      options.jobTimeoutMs ?? this.jobTimeoutMs,
    );
  }

  private textOf(command: string | EslCommand, as: 'api' | 'bgapi'): Result<string, EslError> {
    if (typeof command === 'string') return ok(command);
    // Bare ESL commands (auth, event, exit) belong to the session, not to callers.
    if (command.kind === 'command') {
      return fail({ kind: 'unsafe-command', node: this.node, message: `a bare ESL command cannot be sent as ${as}` });
    }
    return ok(command.text);
  }

  private readyConnection(): Result<EslConnection, EslError> {
    const connection = this.connection;
    if (connection === undefined || connection.state !== 'ready' || this.currentState !== 'ready') {
      return fail({ kind: 'not-connected', node: this.node, message: `node ${this.node} is ${this.currentState}` });
    }
    return ok(connection);
  }

  private openSession(): void {
    this.currentState = 'connecting';
    this.sessions++;
    const { node, clock } = this.options;
    const connection = new EslConnection(
      {
        node: node.id,
        host: node.host,
        port: node.port,
        password: node.password,
        eventFormat: this.options.eventFormat ?? 'json',
        events: this.options.events,
        subclasses: this.options.subclasses ?? [],
        clock,
        log: this.log,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 5_000,
        ...(this.options.eventBodyLimit === undefined ? {} : { eventBodyLimit: this.options.eventBodyLimit }),
        ...(this.headers === undefined ? {} : { headers: this.headers }),
      },
      {
        ready: () => this.sessionReady(connection),
        event: (event) => this.onEvent.emit(event),
        discarded: (event) => this.onEventDiscarded.emit(event),
        closed: (reason, wasReady) => this.sessionClosed(connection, reason, wasReady),
      },
    );
    this.connection = connection;
    this.log.debug({ host: node.host, port: node.port, attempt: this.failuresInARow + 1 }, 'connecting');
    connection.open();
  }

  private sessionReady(connection: EslConnection): void {
    if (this.currentState === 'stopped') return;
    this.currentState = 'ready';
    this.readyAt = this.options.clock.now();
    this.failuresInARow = 0;
    if (this.alarm !== undefined) {
      const kind = this.alarm.kind;
      this.alarm = undefined;
      this.log.info({ alarm: kind }, 'alarm cleared');
      this.onAlarmCleared.emit(kind);
    }
    this.log.info({ host: this.options.node.host, port: this.options.node.port }, 'connected');
    if (this.livenessOptions !== undefined) {
      const liveness = new LivenessMonitor(this.options.clock, this.livenessOptions, {
        lastActivity: () => connection.lastActivity,
        probe: async (timeoutMs) => (await connection.api('status', timeoutMs)).ok,
        dead: (message) => {
          this.log.warn({ message }, 'half-open link; reconnecting');
          connection.close({ kind: 'liveness', message });
        },
      });
      this.liveness = liveness;
      liveness.start();
    }
    this.onReady.emit();
  }

  private sessionClosed(connection: EslConnection, reason: CloseReason, wasReady: boolean): void {
    this.liveness?.stop();
    this.liveness = undefined;
    this.totals.bytes += connection.counters.bytes;
    this.totals.events += connection.counters.events;
    this.totals.foreignJobs += connection.counters.foreignJobs;
    this.totals.malformed += connection.counters.malformed;
    this.totals.discarded += connection.counters.discarded;
    this.totals.lateReplies += connection.lateReplies;
    if (this.connection === connection) this.connection = undefined;

    if (wasReady) {
      this.log.warn({ reason: reason.kind, message: reason.message }, 'disconnected');
      this.onDown.emit(reason);
    }
    if (this.currentState === 'stopped') {
      this.stopped?.();
      this.stopped = undefined;
      return;
    }
    if (this.suspended) {
      this.currentState = 'waiting';
      return;
    }

    if (wasReady && this.options.clock.now() - this.readyAt >= this.stableAfterMs) this.backoff.reset();
    if (!wasReady) this.failuresInARow++;
    let delay = this.backoff.next();
    if (switchAway(reason)) delay = Math.min(delay, this.retryWhileAwayMs);
    this.raiseAlarmIfDue(reason, delay);
    if (!wasReady) {
      // First failure of a run at warn, the rest at debug: a dead node must not flood the log.
      const entry = { reason: reason.kind, message: reason.message, attempt: this.failuresInARow, retryInMs: delay };
      if (this.failuresInARow === 1) this.log.warn(entry, 'could not connect');
      else this.log.debug(entry, 'could not connect');
    }
    this.currentState = 'waiting';
    this.retryTimer = this.options.clock.setTimer(delay, () => {
      this.retryTimer = undefined;
      if (this.currentState === 'waiting') this.openSession();
    });
  }

  private raiseAlarmIfDue(reason: CloseReason, retryInMs: number): void {
    let kind: EslAlarmKind | undefined;
    if (ALARM_KINDS.has(reason.kind)) kind = reason.kind as EslAlarmKind;
    else if (this.failuresInARow >= this.unreachableAfter) kind = 'unreachable';
    if (kind === undefined) return;
    const fresh = this.alarm === undefined || this.alarm.kind !== kind;
    this.alarm = { node: this.node, kind, message: reason.message, attempts: this.failuresInARow, retryInMs };
    if (fresh) {
      this.log.error({ alarm: kind, message: reason.message, attempts: this.failuresInARow }, 'alarm raised');
      this.onAlarm.emit(this.alarm);
    }
  }
}

/** The switch went away (closed the link, shut down) or nothing listens on its port. */
function switchAway(reason: CloseReason): boolean {
  if (reason.kind === 'connect-failed') return reason.code === 'ECONNREFUSED';
  return reason.kind === 'closed' || reason.kind === 'disconnect-notice';
}
