/**
 * Customers calling in at a steady rate, for load tests of polylink against the
 * simulator: `callsPerSecond` for `durationMs`, each to one of the access numbers,
 * talking a random time once answered (and giving up if nobody answers in time).
 * Agents' answer delays are their phones' behaviour (setPhoneBehaviour with
 * afterMs/afterMsMax). Runs on the simulator's clock.
 */
import type { TimerHandle } from '../../clock.js';
import type { CustomerCall } from '../customers/customer-call.js';
import type { SwitchSimulator } from '../switch-simulator.js';

export interface LoadProfile {
  readonly callsPerSecond: number;
  readonly durationMs: number;
  readonly accessNumbers: readonly string[];
  /** Talk time once answered, ms: uniform in [min, max]. */
  readonly talkMs: readonly [number, number];
  /** A caller not answered within this gives up (ORIGINATOR_CANCEL); default: never. */
  readonly patienceMs?: number;
  /** Caller numbers are this prefix plus a running number. */
  readonly callerPrefix?: string;
  readonly random?: () => number;
}

export interface LoadStats {
  placed: number;
  answered: number;
  ended: number;
  abandoned: number;
}

export class LoadGenerator {
  readonly stats: LoadStats = { placed: 0, answered: 0, ended: 0, abandoned: 0 };
  private timer: TimerHandle | undefined;
  private startedMs = 0;
  private readonly live = new Set<CustomerCall>();
  private resolveDone: (() => void) | undefined;

  constructor(
    private readonly sim: SwitchSimulator,
    private readonly profile: LoadProfile,
  ) {}

  /** Starts placing calls; resolves when the last call placed has ended. */
  run(): Promise<void> {
    const clock = this.sim.options.clock;
    this.startedMs = clock.now();
    const done = new Promise<void>((resolve) => (this.resolveDone = resolve));
    this.tick();
    return done;
  }

  stop(): void {
    this.sim.options.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.checkDone();
  }

  get activeCalls(): number {
    return this.live.size;
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
    const talk = Math.round(p.talkMs[0] + random() * (p.talkMs[1] - p.talkMs[0]));
    const call = this.sim.placeCall({
      from: `${p.callerPrefix ?? '+4930'}${String(n).padStart(7, '0')}`,
      to,
      hangupAfterMs: talk,
      ...(p.patienceMs !== undefined ? { abandonAfterMs: p.patienceMs } : {}),
    });
    this.live.add(call);
    void call.answered.then(() => this.stats.answered++);
    void call.ended.then((cause) => {
      this.stats.ended++;
      if (cause === 'ORIGINATOR_CANCEL') this.stats.abandoned++;
      this.live.delete(call);
      this.checkDone();
    });
  }

  private checkDone(): void {
    if (this.timer === undefined && this.live.size === 0) this.resolveDone?.();
  }
}
