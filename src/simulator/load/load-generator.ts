/**
 * Customers calling in at a steady rate, for load tests of polylink against the
 * simulator: `callsPerSecond` for `durationMs`, each to one of the access numbers,
 * talking a random time once answered (and giving up if nobody answers in time).
 * Agents' answer delays are their phones' behaviour (setPhoneBehaviour with
 * afterMs/afterMsMax). Runs on the simulator's clock.
 *
 * polylink answers a customer the moment it parks, long before an agent takes the call:
 * with `talkFrom: 'bridge'` the talk time counts from the customer's first bridge (to
 * its agent) instead, as a real conversation would. With `timeline` every customer's
 * switch-side times are kept (call-timeline.ts).
 */
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock.js';
import type { CustomerCall } from '../customers/customer-call.js';
import type { SwitchSimulator } from '../switch-simulator.js';
import { CallTimeline } from './call-timeline.js';

export interface LoadProfile {
  readonly callsPerSecond: number;
  readonly durationMs: number;
  readonly accessNumbers: readonly string[];
  /** Talk time once answered, ms: uniform in [min, max]. */
  readonly talkMs: readonly [number, number];
  /** What the talk time counts from: the customer's answer (default) or its first bridge. */
  readonly talkFrom?: 'answer' | 'bridge';
  /**
   * A customer gives up after this long without being answered (ORIGINATOR_CANCEL) — with
   * talkFrom 'bridge', without being bridged to an agent (it hangs up while it waits in
   * the queue, answered by polylink). Default: never.
   */
  readonly patienceMs?: number;
  /** Caller numbers are this prefix plus a running number of seven digits. */
  readonly callerPrefix?: string;
  /** Keep each customer's switch-side times (`timeline`). */
  readonly timeline?: boolean;
  readonly random?: () => number;
}

export interface LoadStats {
  placed: number;
  answered: number;
  /** Customers bridged (to an agent); counted with talkFrom 'bridge' or a timeline. */
  bridged: number;
  ended: number;
  abandoned: number;
  /** Ended without ever being bridged; counted with talkFrom 'bridge' or a timeline. */
  unserved: number;
}

interface Customer {
  readonly call: CustomerCall;
  readonly talkMs: number;
  bridged: boolean;
  gaveUp: boolean;
  /** The end of its talk, or of its patience while it waits for an agent. */
  hangup: TimerHandle | undefined;
}

export class LoadGenerator {
  readonly stats: LoadStats = { placed: 0, answered: 0, bridged: 0, ended: 0, abandoned: 0, unserved: 0 };
  readonly timeline: CallTimeline | undefined;
  private timer: TimerHandle | undefined;
  private startedMs = 0;
  private readonly live = new Map<string, Customer>();
  private resolveDone: (() => void) | undefined;
  private unobserve: (() => void) | undefined;

  constructor(
    private readonly sim: SwitchSimulator,
    private readonly profile: LoadProfile,
  ) {
    if (profile.timeline === true) this.timeline = new CallTimeline(sim.core);
  }

  /** Starts placing calls; resolves when the last call placed has ended. */
  run(): Promise<void> {
    const clock = this.sim.options.clock;
    this.startedMs = clock.now();
    if (this.profile.talkFrom === 'bridge' || this.timeline !== undefined) {
      this.unobserve = this.sim.onEvent(
        (event) => {
          this.timeline?.observe(event);
          if (event.name === 'CHANNEL_BRIDGE' && event.uniqueId !== undefined) this.onBridge(event.uniqueId);
        },
        this.timeline === undefined ? ['CHANNEL_BRIDGE'] : [...CallTimeline.EVENT_NAMES],
      );
    }
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.tick();
    return done;
  }

  /** No more calls are placed; those on the line go on. */
  stop(): void {
    this.sim.options.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.checkDone();
  }

  /** No more calls, and every customer still on the line hangs up now. */
  hangupAll(): void {
    this.stop();
    for (const c of [...this.live.values()]) c.call.hangup();
  }

  get activeCalls(): number {
    return this.live.size;
  }

  /** Still placing calls. */
  get arriving(): boolean {
    return this.timer !== undefined;
  }

  private tick(): void {
    const clock = this.sim.options.clock;
    const elapsed = clock.now() - this.startedMs;
    const due = Math.min(
      Math.floor((elapsed / 1000) * this.profile.callsPerSecond),
      Math.floor((this.profile.durationMs / 1000) * this.profile.callsPerSecond),
    );
    while (this.stats.placed < due) this.placeOne();
    if (elapsed >= this.profile.durationMs) {
      this.timer = undefined;
      this.checkDone();
      return;
    }
    // Place calls in 10 ms batches: smooth enough, cheap in timers.
    this.timer = clock.setTimer(10, () => this.tick());
  }

  private placeOne(): void {
    const p = this.profile;
    const random = p.random ?? Math.random;
    const n = this.stats.placed++;
    const to = p.accessNumbers[n % p.accessNumbers.length]!;
    const talkMs = Math.round(p.talkMs[0] + random() * (p.talkMs[1] - p.talkMs[0]));
    const from = `${p.callerPrefix ?? '+4930'}${String(n).padStart(7, '0')}`;
    // Known before the call exists: the dialplan may park it before placeCall returns.
    const uuid = randomUUID();
    this.timeline?.expect(uuid, from, to);
    const fromBridge = p.talkFrom === 'bridge';
    const call = this.sim.placeCall({
      uuid,
      from,
      to,
      ...(fromBridge ? {} : { hangupAfterMs: talkMs }),
      ...(p.patienceMs !== undefined && !fromBridge ? { abandonAfterMs: p.patienceMs } : {}),
    });
    const customer: Customer = { call, talkMs, bridged: false, gaveUp: false, hangup: undefined };
    this.live.set(uuid, customer);
    if (fromBridge && p.patienceMs !== undefined) {
      customer.hangup = this.sim.options.clock.setTimer(p.patienceMs, () => {
        customer.gaveUp = true;
        call.hangup();
      });
    }
    void call.answered.then(() => this.stats.answered++);
    void call.ended.then((cause) => {
      this.stats.ended++;
      if (customer.gaveUp || cause === 'ORIGINATOR_CANCEL') this.stats.abandoned++;
      if (this.unobserve !== undefined && !customer.bridged) this.stats.unserved++;
      this.sim.options.clock.clearTimer(customer.hangup);
      this.live.delete(uuid);
      this.checkDone();
    });
  }

  /** The simulator fires CHANNEL_BRIDGE for both legs; the customer's is the one known here. */
  private onBridge(uuid: string): void {
    const customer = this.live.get(uuid);
    if (customer === undefined || customer.bridged) return;
    customer.bridged = true;
    this.stats.bridged++;
    if (this.profile.talkFrom !== 'bridge') return;
    this.sim.options.clock.clearTimer(customer.hangup);
    customer.hangup = this.sim.options.clock.setTimer(customer.talkMs, () => customer.call.hangup());
  }

  private checkDone(): void {
    if (this.timer !== undefined || this.live.size > 0) return;
    this.unobserve?.();
    this.unobserve = undefined;
    this.resolveDone?.();
  }
}
