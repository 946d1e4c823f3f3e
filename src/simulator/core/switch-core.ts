/**
 * The simulated switch's shared state: its identity and clock, the event bus, the
 * channels that exist and the counters `status` and HEARTBEAT report. Call flows
 * (endpoints/, apps/, core/*.ts) work on it; it knows none of them.
 */
import type { Clock, TimerHandle } from '../../clock.js';
import type { Logger } from 'pino';
import type { Channel, ChannelHost } from '../channels/channel.js';
import { EventBus } from '../events/event-bus.js';
import type { SwitchIdentity } from '../events/event-prelude.js';

export interface CoreConfig {
  /** The SIP domain and the address of the simulated SIP profile (FreeSWITCH's default domain is its IP). */
  readonly domain: string;
  readonly sipIp: string;
  readonly sipPort: number;
  /** `status` reports it; originate fails beyond it. */
  readonly maxSessions: number;
  /** FreeSWITCH's version lines: `version` prints `full`, `status` prints `short`. */
  readonly version: { readonly full: string; readonly short: string };
}

export class SwitchCore implements ChannelHost {
  readonly bus: EventBus;
  readonly channels = new Map<string, Channel>();
  readonly startedAtMs: number;
  sessionsSinceStartup = 0;
  /**
   * How long an originate takes to notice that its leg answered or was taken over
   * before it reports (0: at once). FreeSWITCH's originate loop looks every 20 ms
   * (switch_ivr_originate.c, `switch_yield(20000)` when it has no caller session).
   */
  originateReportDelayMs = 0;
  peakSessions = 0;
  private sessionId = 0;
  private readonly timers = new Set<TimerHandle>();

  constructor(
    readonly clock: Clock,
    readonly identity: SwitchIdentity,
    readonly config: CoreConfig,
    readonly log: Logger,
    firstEventSequence: number,
    /** Microseconds since the epoch; default the clock's milliseconds × 1000 (see SimulatorOptions.microseconds). */
    private readonly microseconds: (() => number) | undefined = undefined,
  ) {
    this.bus = new EventBus(identity, () => this.nowUs(), firstEventSequence);
    this.startedAtMs = clock.now();
  }

  /** The switch's time in microseconds: Event-Date-Timestamp and the channels' *_uepoch times. */
  nowUs(): number {
    return this.microseconds?.() ?? Math.floor(this.clock.now()) * 1000;
  }

  nextSessionId(): number {
    return ++this.sessionId;
  }

  addChannel(channel: Channel): void {
    this.channels.set(channel.uuid, channel);
    this.sessionsSinceStartup++;
    if (this.channels.size > this.peakSessions) this.peakSessions = this.channels.size;
  }

  removeChannel(channel: Channel): void {
    if (this.channels.get(channel.uuid) === channel) this.channels.delete(channel.uuid);
  }

  findChannel(uuid: string): Channel | undefined {
    return this.channels.get(uuid);
  }

  /** A timer that stop() cancels; the callback is skipped once the switch is stopped. */
  after(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimer(ms, () => {
      this.timers.delete(handle);
      fn();
    });
    this.timers.add(handle);
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.timers.delete(handle);
  }

  cancelAllTimers(): void {
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
  }
}
