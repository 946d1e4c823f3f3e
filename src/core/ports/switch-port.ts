/**
 * The switch port: everything the core asks of the telephone switch, with no ESL in
 * sight. The core owns it (ports and adapters: the inside defines what it needs);
 * src/switch/freeswitch/ implements it over ESL, for FreeSWITCH and the built-in
 * simulator alike. Every operation resolves
 * to a typed result, never rejects; a value that fails validation is a failure and
 * no command is sent. An operation on a channel goes to the node that channel lives
 * on.
 */
import type { NodeId, PolylinkVars, SwitchEvent } from './switch-events.js';

export type { NodeId, SwitchEvent } from './switch-events.js';

export type SwitchFailureReason =
  /** A value did not pass its pattern (docs/esl-commands.md, "Values"); nothing was sent. */
  | 'invalid-value'
  /** No node is known for this channel (or conference). */
  | 'unknown-channel'
  /** No connected node to run it on. */
  | 'no-node'
  /** The node's connection is down. */
  | 'not-connected'
  | 'timeout'
  /** The connection dropped before the answer came. */
  | 'disconnected'
  /** FreeSWITCH answered -ERR / -USAGE. */
  | 'rejected'
  /** The two channels live on different nodes. */
  | 'cross-node';

export interface SwitchFailure {
  readonly ok: false;
  readonly reason: SwitchFailureReason;
  readonly message: string;
  /** FreeSWITCH's cause, e.g. USER_BUSY, USER_NOT_REGISTERED, NO_ANSWER (originate). */
  readonly cause?: string;
  /** The offending field, for invalid-value. */
  readonly field?: string;
  readonly node?: NodeId;
}

export type SwitchResult<T = undefined> = { readonly ok: true; readonly value: T } | SwitchFailure;

export type OriginateTarget =
  /** A registered extension (an agent's phone): user/<ext>[@domain]. */
  | { readonly kind: 'extension'; readonly extension: string; readonly domain?: string }
  /** A customer through a gateway: sofia/gateway/<gw>/<number>. */
  | { readonly kind: 'gateway'; readonly gateway: string; readonly number: string }
  /** A dialplan number: loopback/<number>/<context>. */
  | { readonly kind: 'loopback'; readonly number: string; readonly context?: string };

/**
 * Who hears a supervisor's eavesdrop leg (it always hears both sides of the channel it
 * watches): `listen` nobody, `whisper` the watched channel (eavesdrop the agent's leg to
 * coach the agent), `whisper-partner` the watched channel's partner, `barge` both.
 */
export type EavesdropMode = 'listen' | 'whisper' | 'whisper-partner' | 'barge';

export type OriginateApp =
  | { readonly kind: 'park' }
  /** The agent's loop-back check. */
  | { readonly kind: 'echo' }
  /** A supervisor's leg on the channel `uuid`, starting in `mode` (setEavesdropMode moves it later). */
  | { readonly kind: 'eavesdrop'; readonly uuid: string; readonly mode: EavesdropMode }
  /** The third party of a three-way call. */
  | { readonly kind: 'conference'; readonly name: string };

export type LegRole = 'customer' | 'agent' | 'consult' | 'threeway' | 'monitor' | 'check';

export type HoldMusic = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'local-stream'; readonly name: string };

export type PlaybackSource =
  | HoldMusic
  | {
      readonly kind: 'tone';
      readonly tones: ReadonlyArray<{ readonly onMs: number; readonly offMs: number; readonly frequencies: ReadonlyArray<number> }>;
      readonly loops?: number;
    };

export interface OriginateRequest {
  /** The new leg's uuid; generated when absent. */
  readonly uuid?: string;
  readonly target: OriginateTarget;
  readonly app: OriginateApp;
  readonly callerIdNumber: string;
  readonly callerIdName?: string;
  readonly timeoutSeconds: number;
  /** polylink_call: the call's relation_uuid. */
  readonly call: string;
  readonly leg: LegRole;
  /** polylink_agent, for agent-side legs. */
  readonly agent?: string;
  /** The leg survives its partner hanging up (e.g. the customer during a consult). */
  readonly parkAfterBridge?: boolean;
  /** hangup_after_bridge=false. */
  readonly keepAfterBridge?: boolean;
  readonly holdMusic?: HoldMusic;
  /**
   * Where to originate. Default: the eavesdropped channel's node (eavesdrop), the
   * conference's node (conference), the node the extension is registered on
   * (extension), else the first connected node.
   */
  readonly node?: NodeId;
}

export interface Originated {
  readonly uuid: string;
  readonly node: NodeId;
}

/** Which legs hear a playback: this channel, its bridged partner, or both. */
export type PlaybackLegs = 'this' | 'partner' | 'both';

export interface TransferRequest {
  readonly extension: string;
  /** Dialplan context; `default` when absent. */
  readonly context?: string;
  /** Transfer this leg (default), its partner, or both. */
  readonly legs?: 'this' | 'partner' | 'both';
}

/** A channel polylink followed before it stopped, to be followed again (or reported gone). */
export interface FollowedChannel {
  readonly uuid: string;
  /** The node it was on, when known. */
  readonly node?: NodeId;
  readonly vars: PolylinkVars;
  /** When polylink last knew it up (ms since the epoch). */
  readonly since: number;
}

/**
 * The switch events read but not yet taken by polylink's core (issue 16: an overloaded
 * polylink shows here first). Bounded: at `limit` the switch links are suspended until the
 * core has caught up to a tenth of it; what the switch did meanwhile is reconciled.
 */
export interface SwitchBacklog {
  /** Events waiting now. */
  readonly waiting: number;
  /** The most that ever waited since the start. */
  readonly highWater: number;
  readonly limit: number;
  /** Times the backlog reached the limit (and the links were suspended). */
  readonly fullTimes: number;
  /** Whether the links are suspended now because of it. */
  readonly full: boolean;
  /** How long the oldest waiting event has waited, ms (0: none waits). */
  readonly oldestAgeMs: number;
  /** Whether polylink counts as behind the switch now (freeswitch.overload: age or depth, with hysteresis). */
  readonly behind: boolean;
  /** Times it fell behind since the start. */
  readonly behindTimes: number;
}

/** The subscriber fell behind the switch (`behind`) or caught up, with the backlog at that moment. */
export interface BehindChange {
  readonly behind: boolean;
  readonly waiting: number;
  readonly oldestAgeMs: number;
}

export interface NodeStatus {
  readonly id: NodeId;
  readonly state: 'idle' | 'connecting' | 'ready' | 'waiting' | 'stopped';
  readonly alarm?: string;
  readonly channels: number;
}

export type SwitchEventConsumer = (event: SwitchEvent) => void | Promise<void>;

/** What the core may read of the switch without asking it anything (sign-in's -11, the ACD's free agents). */
export interface SwitchStatus {
  /** Is any node connected and ready? */
  ready(): boolean;
  /** Does this extension have a registration on any node? */
  isRegistered(extension: string): boolean;
}

export interface SwitchPort {
  originate(request: OriginateRequest): Promise<SwitchResult<Originated>>;
  answer(uuid: string): Promise<SwitchResult>;
  bridge(uuid: string, otherUuid: string): Promise<SwitchResult>;
  hold(uuid: string): Promise<SwitchResult>;
  unhold(uuid: string): Promise<SwitchResult>;
  /** The partner hears nothing of this leg. */
  mute(uuid: string): Promise<SwitchResult>;
  unmute(uuid: string): Promise<SwitchResult>;
  /** Sends DTMF digits (`[0-9*#A-D]`) out to the party on this leg, as its phone's keys would. */
  sendDtmf(uuid: string, digits: string): Promise<SwitchResult>;
  transfer(uuid: string, request: TransferRequest): Promise<SwitchResult>;
  park(uuid: string): Promise<SwitchResult>;
  /** The phone of a ringing leg is told to pick up (SIP NOTIFY talk); phones that support it answer. */
  phoneTalk(uuid: string): Promise<SwitchResult>;
  playback(uuid: string, source: PlaybackSource, legs?: PlaybackLegs): Promise<SwitchResult>;
  stopPlayback(uuid: string): Promise<SwitchResult>;
  recordStart(uuid: string, path: string): Promise<SwitchResult>;
  recordStop(uuid: string, path: string): Promise<SwitchResult>;
  /** Moves both legs of the call `uuid` is in into the named conference. */
  threeWay(uuid: string, conference: string): Promise<SwitchResult>;
  kickConferenceMember(conference: string, memberId: string): Promise<SwitchResult>;
  kill(uuid: string, cause?: string): Promise<SwitchResult>;
  /**
   * Moves a running eavesdrop leg to another mode without dialling it again. The switch
   * reports no mode change (only the leg's DTMF event for the digit, capture d2).
   */
  setEavesdropMode(uuid: string, mode: EavesdropMode): Promise<SwitchResult>;
  setVariable(uuid: string, name: string, value: string): Promise<SwitchResult>;
  /**
   * Channels of calls polylink had before a restart: they are treated as channels seen on
   * their node (events about them reach the core; no channel-adopted), and the next
   * reconcile reports each one that is gone with its one channel-hangup.
   */
  follow(channels: readonly FollowedChannel[]): Promise<SwitchResult>;
  /** Sign-in's question: does this extension have a registration on any node? */
  isRegistered(extension: string, domain?: string): boolean;
  /**
   * Events in order. The consumer may be async: it is awaited before the next
   * event, while the switch keeps reading (events buffer in memory meanwhile).
   * `onBehind` hears, out of band (ahead of the events waiting), when the consumer falls
   * behind and when it has caught up.
   */
  subscribe(consumer: SwitchEventConsumer, onBehind?: (change: BehindChange) => void): () => void;
  nodes(): NodeStatus[];
  backlog(): SwitchBacklog;
  start(): void;
  stop(): Promise<void>;
}
