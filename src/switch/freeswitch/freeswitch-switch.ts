/**
 * The switch port over FreeSWITCH: a pool of nodes, each channel's node remembered
 * (channel-registry.ts), registrations tracked for sign-in and routing, and every
 * operation built by the pure command builders (esl/commands.ts) before anything is
 * sent. Events reach each subscriber through its own delivery queue, so a slow core
 * never slows the sockets.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import * as cmd from '../../esl/commands.js';
import type { Built, EslCommand } from '../../esl/commands.js';
import { DEFAULT_BEHIND_LIMITS, type BehindLimits } from '../../esl/behind-gauge.js';
import { DEFAULT_BACKLOG_LIMIT, DeliveryQueue } from '../../esl/delivery-queue.js';
import type { EslError } from '../../esl/errors.js';
import { replyCause, replyMessage, replyStatus } from '../../esl/reply.js';
import { type InvalidValue, refuse } from '../../esl/validate.js';
import type { Logger } from '../../log.js';
import type { NodeId, PolylinkVars, SwitchEvent } from '../../core/ports/switch-events.js';
import type {
  EavesdropMode,
  FollowedChannel,
  NodeStatus,
  OriginateRequest,
  Originated,
  PlaybackLegs,
  PlaybackSource,
  BehindChange,
  SwitchBacklog,
  SwitchEventConsumer,
  SwitchFailure,
  SwitchPort,
  SwitchResult,
  TransferRequest,
} from '../../core/ports/switch-port.js';
import { ChannelRegistry } from './channel-registry.js';
import { FreeSwitchNode, type NodeClientOptions } from './freeswitch-node.js';
import { VANISHED_CAUSE } from './reconcile.js';
import { RegistrationTracker } from './registration-tracker.js';

export interface FreeSwitchNodeConfig {
  readonly id: NodeId;
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export interface FreeSwitchOptions {
  readonly nodes: ReadonlyArray<FreeSwitchNodeConfig>;
  readonly clock: Clock;
  readonly log: Logger;
  /** ESL client settings shared by every node (event format, timeouts, backoff, liveness). */
  readonly client?: NodeClientOptions;
  /** How often each node is reconciled while connected. */
  readonly reconcileIntervalMs?: number;
  /** How long a missing CHANNEL_CREATE may be late before it counts as lost. */
  readonly reorderGraceMs?: number;
  /** Dialplan context for transfers and loopback originates. */
  readonly defaultContext?: string;
  /** Extra time given to an originate's BACKGROUND_JOB beyond its ring timeout. */
  readonly originateMarginMs?: number;
  /** The local_stream names polylink plays (hold music, queues' music): each node is checked for them at connect. */
  readonly holdMusicStreams?: readonly string[];
  /** Switch events a subscriber may be behind before the nodes are disconnected (esl/delivery-queue.ts): the last resort. */
  readonly backlogLimit?: number;
  /** When a subscriber counts as behind the switch (esl/behind-gauge.ts): the core then sheds new customers. */
  readonly behind?: BehindLimits;
}

/** Which one of our tokens names which uuid_broadcast / uuid_transfer flag. */
const BROADCAST_LEGS: Partial<Record<string, cmd.BroadcastLegs>> = { this: 'aleg', partner: 'bleg', both: 'both' };
const TRANSFER_LEGS: Partial<Record<string, cmd.TransferLegs>> = { this: 'aleg', partner: 'bleg', both: 'both' };

/** Success test for a reply: most commands fail with a leading `-`; mod_conference answers failures without one. */
type Expect = 'no-error' | 'plus';

export class FreeSwitchSwitch implements SwitchPort {
  private readonly registry = new ChannelRegistry();
  private readonly registrations = new RegistrationTracker();
  private readonly pool: FreeSwitchNode[];
  private readonly consumers = new Set<DeliveryQueue<SwitchEvent>>();
  /** Subscribers' queues at their limit: while any is, every node's client is suspended. */
  private readonly full = new Set<DeliveryQueue<SwitchEvent>>();
  private readonly log: Logger;
  private readonly journal: Logger;
  private readonly context: string;
  private readonly originateMarginMs: number;

  constructor(private readonly options: FreeSwitchOptions) {
    if (options.nodes.length === 0) throw new Error('FreeSwitchSwitch needs at least one node');
    const ids = new Set(options.nodes.map((n) => n.id));
    if (ids.size !== options.nodes.length) throw new Error('FreeSWITCH node ids must be unique');
    this.log = options.log.child({ module: 'switch' });
    this.journal = options.log.child({ module: 'journal' });
    this.context = options.defaultContext ?? 'default';
    this.originateMarginMs = options.originateMarginMs ?? 15_000;
    this.pool = options.nodes.map(
      (config) =>
        new FreeSwitchNode({
          config,
          clock: options.clock,
          log: options.log,
          client: options.client ?? {},
          registry: this.registry,
          registrations: this.registrations,
          reconcileIntervalMs: options.reconcileIntervalMs ?? 60_000,
          reorderGraceMs: options.reorderGraceMs ?? 2_000,
          holdMusicStreams: options.holdMusicStreams ?? [],
          emit: (event) => {
            this.journalLink(event);
            this.publish(event);
          },
        }),
    );
  }

  start(): void {
    for (const node of this.pool) node.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.pool.map((node) => node.stop()));
    for (const queue of this.consumers) queue.close();
    this.consumers.clear();
    this.full.clear();
  }

  subscribe(consumer: SwitchEventConsumer, onBehind?: (change: BehindChange) => void): () => void {
    const queue: DeliveryQueue<SwitchEvent> = new DeliveryQueue<SwitchEvent>(consumer, {
      log: this.log,
      name: 'switch-events',
      warnAt: 1_000,
      limit: this.options.backlogLimit ?? DEFAULT_BACKLOG_LIMIT,
      onFull: (depth) => this.backlogFull(queue, depth),
      onDrained: () => this.backlogDrained(queue),
      behind: {
        limits: this.options.behind ?? DEFAULT_BEHIND_LIMITS,
        onChange: (behind, waiting, oldestAgeMs) => {
          // Once per change: the operator sees when polylink shed load and when it stopped.
          if (behind) this.journal.warn({ event: 'switch.behind', waiting, oldestAgeMs }, 'behind the switch: new customers go to their queue overflow');
          else this.journal.info({ event: 'switch.caught-up', waiting, oldestAgeMs }, 'caught up with the switch: new customers are queued again');
          onBehind?.({ behind, waiting, oldestAgeMs });
        },
      },
    });
    this.consumers.add(queue);
    return () => {
      queue.close();
      this.consumers.delete(queue);
      this.backlogDrained(queue);
    };
  }

  /**
   * A subscriber is too far behind: the nodes are disconnected (each emits node-down)
   * rather than its queue left to grow without bound. Everything read so far is queued
   * and agrees with the channel registry; what happens on the switch meanwhile is found
   * by the reconcile after the reconnect, once the backlog has drained.
   */
  private backlogFull(queue: DeliveryQueue<SwitchEvent>, depth: number): void {
    this.full.add(queue);
    if (this.full.size > 1) return;
    for (const node of this.pool) node.client.suspend(`a subscriber is ${depth} switch events behind`);
  }

  private backlogDrained(queue: DeliveryQueue<SwitchEvent>): void {
    if (!this.full.delete(queue) || this.full.size > 0) return;
    for (const node of this.pool) node.client.resume();
  }

  nodes(): NodeStatus[] {
    return this.pool.map((node) => {
      const alarm = node.client.activeAlarm;
      const status = { id: node.id, state: node.client.state, channels: this.registry.countOnNode(node.id) };
      return alarm === undefined ? status : { ...status, alarm: `${alarm.kind}: ${alarm.message}` };
    });
  }

  /** The subscribers' backlogs together (there is one subscriber: the engine). */
  backlog(): SwitchBacklog {
    const queues = [...this.consumers];
    return {
      waiting: queues.reduce((n, q) => n + q.depth, 0),
      highWater: queues.reduce((n, q) => Math.max(n, q.highWater), 0),
      limit: this.options.backlogLimit ?? DEFAULT_BACKLOG_LIMIT,
      fullTimes: queues.reduce((n, q) => n + q.fullTimes, 0),
      full: this.full.size > 0,
      oldestAgeMs: Math.round(queues.reduce((n, q) => Math.max(n, q.oldestAgeMs), 0)),
      behind: queues.some((q) => q.isBehind),
      behindTimes: queues.reduce((n, q) => n + q.behindTimes, 0),
    };
  }

  /** The node object itself, for diagnostics and tests. */
  node(id: NodeId): FreeSwitchNode | undefined {
    return this.pool.find((n) => n.id === id);
  }

  isRegistered(extension: string, domain?: string): boolean {
    return this.registrations.isRegistered(extension, domain);
  }

  /** The phones registered on every node, as the events and snapshots said (seed 001 extension-status). */
  registered(): ReturnType<RegistrationTracker['list']> {
    return this.registrations.list();
  }

  /** Which node a channel lives on, if known. */
  nodeOf(uuid: string): NodeId | undefined {
    return this.registry.nodeOf(uuid);
  }

  async originate(request: OriginateRequest): Promise<SwitchResult<Originated>> {
    const uuid = request.uuid ?? randomUUID();
    const built = cmd.originate({
      uuid,
      endpoint: endpointOf(request, this.context),
      application: request.app,
      callerIdNumber: request.callerIdNumber,
      timeoutSeconds: request.timeoutSeconds,
      call: request.call,
      leg: request.leg,
      ...(request.callerIdName === undefined ? {} : { callerIdName: request.callerIdName }),
      ...(request.agent === undefined ? {} : { agent: request.agent }),
      ...(request.parkAfterBridge === undefined ? {} : { parkAfterBridge: request.parkAfterBridge }),
      ...(request.keepAfterBridge === undefined ? {} : { keepAfterBridge: request.keepAfterBridge }),
      ...(request.holdMusic === undefined ? {} : { holdMusic: request.holdMusic }),
    });
    if (!built.ok) return invalid(built.error);
    if (this.registry.get(uuid) !== undefined || this.registry.hasEnded(uuid)) {
      return { ok: false, reason: 'invalid-value', field: 'uuid', message: `uuid ${uuid} is already in use` };
    }
    const node = this.originateNode(request);
    if (!node.ok) return node;

    const jobUuid = randomUUID();
    const vars: PolylinkVars = request.agent === undefined ? { call: request.call, leg: request.leg } : { call: request.call, leg: request.leg, agent: request.agent };
    this.registry.reserve(uuid, node.value.id, this.options.clock.now(), vars);
    node.value.trackOriginate(jobUuid, { uuid, vars });
    try {
      const job = await node.value.client.bgapi(built.value, {
        jobUuid,
        jobTimeoutMs: request.timeoutSeconds * 1_000 + this.originateMarginMs,
      });
      if (!job.ok) {
        this.registry.release(uuid);
        return transportFailure(job.error);
      }
      const body = job.value.body;
      if (replyStatus(body) !== 'ok') {
        this.registry.release(uuid);
        const cause = replyCause(body);
        const failure: SwitchFailure = { ok: false, reason: 'rejected', message: replyMessage(body), node: node.value.id };
        return cause === undefined ? failure : { ...failure, cause };
      }
      return { ok: true, value: { uuid, node: node.value.id } };
    } finally {
      node.value.forgetOriginate(jobUuid);
    }
  }

  answer(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.answer(uuid));
  }

  async bridge(uuid: string, otherUuid: string): Promise<SwitchResult> {
    const built = cmd.bridge(uuid, otherUuid);
    if (!built.ok) return invalid(built.error);
    const a = this.registry.nodeOf(uuid);
    const b = this.registry.nodeOf(otherUuid);
    if (a !== undefined && b !== undefined && a !== b) {
      return { ok: false, reason: 'cross-node', message: `${uuid} is on ${a} and ${otherUuid} on ${b}` };
    }
    return this.onChannel(uuid, built);
  }

  hold(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.hold(uuid));
  }

  unhold(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.unhold(uuid));
  }

  mute(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.mute(uuid));
  }

  unmute(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.unmute(uuid));
  }

  sendDtmf(uuid: string, digits: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.sendDtmf(uuid, digits));
  }

  async transfer(uuid: string, request: TransferRequest): Promise<SwitchResult> {
    const legs = TRANSFER_LEGS[request.legs ?? 'this'];
    if (legs === undefined) return invalid(refuse('legs', 'name', request.legs));
    return this.onChannel(uuid, cmd.transfer(uuid, request.extension, request.context ?? this.context, legs));
  }

  park(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.park(uuid));
  }

  phoneTalk(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.phoneTalk(uuid));
  }

  async playback(uuid: string, source: PlaybackSource, legs: PlaybackLegs = 'this'): Promise<SwitchResult> {
    const which = BROADCAST_LEGS[legs];
    if (which === undefined) return invalid(refuse('legs', 'name', legs));
    return this.onChannel(uuid, cmd.broadcast(uuid, source, which));
  }

  stopPlayback(uuid: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.stopPlayback(uuid));
  }

  recordStart(uuid: string, path: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.recordStart(uuid, path));
  }

  recordStop(uuid: string, path: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.recordStop(uuid, path));
  }

  threeWay(uuid: string, conference: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.transferToConference(uuid, conference));
  }

  async kickConferenceMember(conference: string, memberId: string): Promise<SwitchResult> {
    const built = cmd.conferenceKick(conference, memberId);
    if (!built.ok) return invalid(built.error);
    const node = this.pool.find((n) => n.hasConference(conference));
    if (node === undefined) return { ok: false, reason: 'unknown-channel', message: `no node has a conference named ${conference}` };
    return this.send(node, built.value, 'plus');
  }

  kill(uuid: string, cause?: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.kill(uuid, cause));
  }

  setEavesdropMode(uuid: string, mode: EavesdropMode): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.setEavesdropMode(uuid, mode));
  }

  setVariable(uuid: string, name: string, value: string): Promise<SwitchResult> {
    return this.onChannel(uuid, cmd.setVariable(uuid, name, value));
  }

  follow(channels: readonly FollowedChannel[]): Promise<SwitchResult> {
    const now = this.options.clock.now();
    const nodes = new Set<FreeSwitchNode>();
    for (const channel of channels) {
      const node = this.pool.find((n) => n.id === channel.node) ?? this.pool[0]!;
      if (this.registry.hasEnded(channel.uuid)) {
        // It ended while no one listened (before the core subscribed): its one hangup now.
        this.publish({ type: 'channel-hangup', node: node.id, at: now, uuid: channel.uuid, vars: channel.vars, cause: VANISHED_CAUSE, synthetic: true });
        continue;
      }
      this.registry.follow(channel.uuid, node.id, channel.since, channel.vars);
      nodes.add(node);
    }
    for (const node of nodes) node.reconciler.request('channels followed before a restart');
    return Promise.resolve({ ok: true, value: undefined });
  }

  /** The operator's line for each change of a node's link (whether or not anyone subscribed yet). */
  private journalLink(event: SwitchEvent): void {
    if (event.type === 'node-up') this.journal.info({ event: 'switch.up', node: event.node }, 'switch link up');
    else if (event.type === 'node-down') this.journal.warn({ event: 'switch.down', node: event.node, reason: event.reason }, 'switch link down');
  }

  private publish(event: SwitchEvent): void {
    for (const queue of this.consumers) queue.push(event);
  }

  /** Validates first (nothing is sent for a bad value), then runs on the channel's node. */
  private async onChannel(uuid: string, built: Built): Promise<SwitchResult> {
    if (!built.ok) return invalid(built.error);
    const nodeId = this.registry.nodeOf(uuid);
    const node = nodeId === undefined ? undefined : this.pool.find((n) => n.id === nodeId);
    if (node === undefined) return { ok: false, reason: 'unknown-channel', message: `no node is known for channel ${uuid}` };
    return this.send(node, built.value, 'no-error');
  }

  private async send(node: FreeSwitchNode, command: EslCommand, expect: Expect): Promise<SwitchResult> {
    const reply = await node.client.api(command);
    if (!reply.ok) return transportFailure(reply.error);
    const text = reply.value;
    const succeeded = expect === 'plus' ? replyStatus(text) === 'ok' : replyStatus(text) !== 'error';
    if (succeeded) return { ok: true, value: undefined };
    return { ok: false, reason: 'rejected', message: replyMessage(text) || text.trim(), node: node.id };
  }

  private originateNode(request: OriginateRequest): SwitchResult<FreeSwitchNode> {
    const connected = (id: NodeId | undefined) => this.pool.find((n) => n.id === id && n.connected);
    if (request.node !== undefined) {
      const node = this.pool.find((n) => n.id === request.node);
      if (node === undefined) return { ok: false, reason: 'no-node', message: `no node named ${request.node}` };
      if (!node.connected) return { ok: false, reason: 'not-connected', message: `node ${node.id} is ${node.client.state}`, node: node.id };
      return { ok: true, value: node };
    }
    // A leg that joins an existing channel or conference must be created where that lives.
    if (request.app.kind === 'eavesdrop') {
      const id = this.registry.nodeOf(request.app.uuid);
      if (id !== undefined) {
        const node = connected(id);
        return node ? { ok: true, value: node } : { ok: false, reason: 'not-connected', message: `node ${id} is not connected`, node: id };
      }
    }
    if (request.app.kind === 'conference') {
      const name = request.app.name;
      const node = this.pool.find((n) => n.connected && n.hasConference(name));
      if (node !== undefined) return { ok: true, value: node };
    }
    if (request.target.kind === 'extension') {
      for (const id of this.registrations.nodesOf(request.target.extension, request.target.domain)) {
        const node = connected(id);
        if (node !== undefined) return { ok: true, value: node };
      }
    }
    const first = this.pool.find((n) => n.connected);
    return first ? { ok: true, value: first } : { ok: false, reason: 'no-node', message: 'no FreeSWITCH node is connected' };
  }
}

function endpointOf(request: OriginateRequest, context: string): cmd.Endpoint {
  const target = request.target;
  switch (target.kind) {
    case 'extension':
      return target.domain === undefined ? { kind: 'user', extension: target.extension } : { kind: 'user', extension: target.extension, domain: target.domain };
    case 'gateway':
      return { kind: 'gateway', gateway: target.gateway, number: target.number };
    case 'loopback':
      return { kind: 'loopback', number: target.number, context: target.context ?? context };
    default:
      return target as unknown as cmd.Endpoint; // the builder refuses an unknown kind
  }
}

function invalid(error: InvalidValue): SwitchFailure {
  return { ok: false, reason: 'invalid-value', field: error.field, message: `${error.field} is not a valid ${error.expected}: ${error.value}` };
}

function transportFailure(error: EslError): SwitchFailure {
  const reason = error.kind === 'unsafe-command' ? 'invalid-value' : error.kind;
  return { ok: false, reason, message: error.message, node: error.node };
}
