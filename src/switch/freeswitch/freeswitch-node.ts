/**
 * One FreeSWITCH node as the switch layer sees it: its ESL client, and what happens
 * to each of its events, synchronously and in stream order (so that the state here
 * always matches the position in the stream when a command's reply arrives):
 *
 *   ESL event → sequence check → mapping (event-mapper.ts) → channel registry /
 *   registration tracker → switch event handed to `emit` (which queues it for the core)
 *
 * and when to reconcile: at every connect (after asking the switch's Core-UUID and its
 * profiles' registration rules), every `reconcileIntervalMs`, after lost events or a
 * switch restart, and when an event names a channel nobody announced. At
 * every connect it also checks that the node has the hold music polylink names.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import { EslClient, type EslClientOptions } from '../../esl/client.js';
import * as cmd from '../../esl/commands.js';
import { fail } from '../../esl/result.js';
import type { EslEvent } from '../../esl/event.js';
import type { Logger } from '../../log.js';
import type { NodeId, SwitchEvent } from '../../core/ports/switch-events.js';
import type { ChannelRegistry } from './channel-registry.js';
import { type MapContext, type OriginateJob, mapEslEvent } from './event-mapper.js';
import { checkHoldMusic } from './hold-music-check.js';
import { Reconciler } from './reconcile.js';
import { parseRegistrationRules } from './registration-rules.js';
import type { RegistrationTracker } from './registration-tracker.js';
import { type ResyncReason, SequenceMonitor } from './sequence-monitor.js';
import { READ_HEADERS, SUBSCRIBED_EVENTS, SUBSCRIBED_SUBCLASSES } from './subscription.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type NodeClientOptions = Omit<EslClientOptions, 'node' | 'clock' | 'log' | 'events' | 'subclasses'>;

export interface FreeSwitchNodeOptions {
  readonly config: EslClientOptions['node'];
  readonly clock: Clock;
  readonly log: Logger;
  readonly client: NodeClientOptions;
  readonly registry: ChannelRegistry;
  readonly registrations: RegistrationTracker;
  readonly reconcileIntervalMs: number;
  readonly reorderGraceMs: number;
  /** The local_stream names polylink plays as hold music (warned about when the node lacks one). */
  readonly holdMusicStreams: readonly string[];
  emit(event: SwitchEvent): void;
}

export class FreeSwitchNode {
  readonly client: EslClient;
  readonly reconciler: Reconciler;
  readonly monitor: SequenceMonitor;
  private readonly log: Logger;
  private readonly originateJobs = new Map<string, OriginateJob>();
  /** Conference name → member ids on this node. */
  private readonly conferences = new Map<string, Set<string>>();
  private reconcileTimer: TimerHandle | undefined;
  private sequenceTimer: TimerHandle | undefined;
  private readonly mapContext: MapContext & { now: number };

  constructor(private readonly options: FreeSwitchNodeOptions) {
    this.log = options.log.child({ module: 'switch', node: options.config.id });
    this.client = new EslClient({
      ...options.client,
      node: options.config,
      clock: options.clock,
      log: options.log,
      events: SUBSCRIBED_EVENTS,
      subclasses: SUBSCRIBED_SUBCLASSES,
      headers: READ_HEADERS,
    });
    this.monitor = new SequenceMonitor(options.reorderGraceMs);
    this.reconciler = new Reconciler({
      node: options.config.id,
      clock: options.clock,
      log: this.log,
      registry: options.registry,
      registrations: options.registrations,
      api: (command) => this.client.api(command),
      emit: (event) => options.emit(event),
    });
    const jobs = this.originateJobs;
    this.mapContext = { node: options.config.id, now: 0, originateJob: (jobUuid) => jobs.get(jobUuid) };
    this.client.onEvent.add((event) => this.onEvent(event));
    this.client.onReady.add(() => this.onReady());
    this.client.onDown.add((reason) => this.onDown(`${reason.kind}: ${reason.message}`));
    // An event too big to read was skipped: what it said (a hangup, a bridge) is found by a reconcile.
    this.client.onEventDiscarded.add(() => this.reconciler.request('an event over the size limit was skipped'));
  }

  get id(): NodeId {
    return this.options.config.id;
  }

  get connected(): boolean {
    return this.client.state === 'ready';
  }

  start(): void {
    this.client.start();
  }

  async stop(): Promise<void> {
    this.clearTimers();
    await this.client.stop();
    await this.reconciler.idle();
  }

  /** Remembers an originate's job so its BACKGROUND_JOB maps to originate-failed. */
  trackOriginate(jobUuid: string, job: OriginateJob): void {
    this.originateJobs.set(jobUuid, job);
  }

  forgetOriginate(jobUuid: string): void {
    this.originateJobs.delete(jobUuid);
  }

  hasConference(name: string): boolean {
    return (this.conferences.get(name)?.size ?? 0) > 0;
  }

  private onReady(): void {
    const { clock, emit, reconcileIntervalMs } = this.options;
    this.monitor.newSession();
    emit({ type: 'node-up', node: this.id, at: clock.now() });
    void this.beginSession();
    void checkHoldMusic((command) => this.client.api(command), this.options.holdMusicStreams, this.log);
    const tick = (): void => {
      this.reconcileTimer = clock.setTimer(reconcileIntervalMs, () => {
        if (this.connected) this.reconciler.request('timer');
        tick();
      });
    };
    this.clearTimers();
    tick();
  }

  /**
   * On every connect, before the first reconcile: is this the switch we knew (its
   * Core-UUID), and how do its SIP profiles keep registrations (registration-rules.ts).
   * A switch that restarted while we were away is known at once, not at its first event:
   * every channel from before ends, and the reconcile that follows reads channels and
   * registrations afresh.
   */
  private async beginSession(): Promise<void> {
    const { clock, registrations } = this.options;
    let reason = 'connect';
    const core = await this.client.api(cmd.coreUuid());
    const coreUuid = core.ok ? core.value.trim() : '';
    if (UUID.test(coreUuid)) {
      if (this.monitor.identify(coreUuid) === 'switch-restarted') {
        this.log.warn({ coreUuid, ...this.monitor.counters }, 'FreeSWITCH restarted since the last connection: every channel from before is gone');
        this.endEverything(clock.now());
        reason = 'switch-restarted';
      }
    } else {
      this.log.warn({ reply: core.ok ? coreUuid.slice(0, 80) : core.error.message }, 'could not read the Core-UUID; a restart shows at the first event');
    }
    const conf = await this.client.api(cmd.sofiaConfiguration());
    const rules = conf.ok ? parseRegistrationRules(conf.value) : fail(conf.error.message);
    if (rules.ok) {
      registrations.setRules(this.id, rules.value);
      this.log.info({ registrations: Object.fromEntries(rules.value) }, 'how the SIP profiles keep registrations');
    } else {
      this.log.warn({ reply: rules.error }, "could not read sofia.conf: assuming FreeSWITCH's default, one registration per user");
    }
    if (this.connected) this.reconciler.request(reason);
  }

  private onDown(reason: string): void {
    this.clearTimers();
    this.options.emit({ type: 'node-down', node: this.id, at: this.options.clock.now(), reason });
  }

  private onEvent(event: EslEvent): void {
    const now = this.options.clock.now();
    const resync = this.monitor.observe(event, now);
    if (resync === 'switch-restarted') this.endEverything(now);
    this.mapContext.now = now;
    const mapped = mapEslEvent(event, this.mapContext);
    if (mapped !== undefined) this.apply(mapped, now);
    if (resync !== undefined) this.resync(resync);
    this.armSequenceCheck(now);
  }

  private apply(event: SwitchEvent, now: number): void {
    const { registry, registrations, emit } = this.options;
    switch (event.type) {
      case 'registration':
        emit({ ...event, registered: registrations.apply(this.id, event, now) });
        return;
      case 'originate-failed':
        registry.release(event.uuid);
        emit(event);
        return;
      case 'channel-hangup': {
        const ended = registry.end(event.uuid, now);
        if (ended.kind === 'already-ended') return; // one hangup per channel
        emit(ended.kind === 'ended' && Object.keys(event.vars).length === 0 ? { ...event, vars: ended.entry.vars } : event);
        return;
      }
      case 'node-up':
      case 'node-down':
      case 'channels-listed':
        emit(event);
        return;
      default: {
        if (event.type === 'conference-member-added') this.memberJoined(event.conference, event.memberId);
        if (event.type === 'conference-member-removed') this.memberLeft(event.conference, event.memberId);
        const announcing = event.type === 'channel-created' || event.type === 'channel-adopted';
        if (announcing && registry.get(event.uuid)?.announced === true) return; // already adopted
        const touched = registry.touch(event.uuid, this.id, now, announcing, event.vars);
        if (touched === 'ended') {
          this.log.debug({ uuid: event.uuid, event: event.type }, 'event for a channel that already ended; dropped');
          return;
        }
        emit(event);
        if (touched === 'new' && !announcing) this.reconciler.request('unknown channel');
      }
    }
  }

  /**
   * FreeSWITCH restarted: nothing that lived before survives it. Registrations are read
   * afresh by the reconcile that follows, events from before the restart no longer
   * outweighing its snapshot.
   */
  private endEverything(now: number): void {
    const { registry, registrations, emit } = this.options;
    registrations.restarted(this.id);
    for (const entry of registry.onNode(this.id)) {
      if (entry.state !== 'live') continue;
      const ended = registry.end(entry.uuid, now);
      if (ended.kind === 'ended' && ended.entry.announced) {
        emit({ type: 'channel-hangup', node: this.id, at: now, uuid: entry.uuid, vars: entry.vars, cause: 'SYSTEM_SHUTDOWN', synthetic: true });
      }
    }
    this.conferences.clear();
  }

  private resync(reason: ResyncReason): void {
    this.log.warn({ reason, ...this.monitor.counters }, 'resynchronising with the switch');
    this.reconciler.request(reason);
  }

  private armSequenceCheck(now: number): void {
    if (this.sequenceTimer !== undefined) return;
    const due = this.monitor.nextDeadline;
    if (due === undefined) return;
    this.sequenceTimer = this.options.clock.setTimer(Math.max(0, due - now), () => {
      this.sequenceTimer = undefined;
      const at = this.options.clock.now();
      const resync = this.monitor.check(at);
      if (resync !== undefined) this.resync(resync);
      this.armSequenceCheck(at);
    });
  }

  private memberJoined(conference: string, memberId: string): void {
    let members = this.conferences.get(conference);
    if (members === undefined) this.conferences.set(conference, (members = new Set()));
    members.add(memberId);
  }

  private memberLeft(conference: string, memberId: string): void {
    const members = this.conferences.get(conference);
    members?.delete(memberId);
    if (members?.size === 0) this.conferences.delete(conference);
  }

  private clearTimers(): void {
    this.options.clock.clearTimer(this.reconcileTimer);
    this.options.clock.clearTimer(this.sequenceTimer);
    this.reconcileTimer = undefined;
    this.sequenceTimer = undefined;
  }
}
