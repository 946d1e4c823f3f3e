/**
 * Customers calling in through the simulator at a steady rate, each to the access
 * number of one queue in turn, each with a caller number of its own (the benchmark
 * matches a CallInEvent to its customer by it). A customer talks for a random time
 * once an agent answered — counted from the bridge, not from polylink answering the
 * customer's call at park (which the simulator's hangupAfterMs would count from) —
 * then hangs up.
 */
import { randomUUID } from 'node:crypto';
import type { SwitchSimulator } from '../../src/simulator/switch-simulator.js';
import type { CustomerCall } from '../../src/simulator/customers/customer-call.js';
import { monotonicMs } from './clock.js';

export interface CustomerLoadOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly accessNumbers: readonly string[];
  readonly talkMs: readonly [number, number];
}

interface Customer {
  call: CustomerCall | undefined;
  readonly caller: string;
  readonly placedAt: number;
  bridgedAt: number | undefined;
}

export class CustomerLoad {
  placed = 0;
  bridged = 0;
  ended = 0;
  /** Ended without ever being bridged to an agent. */
  unserved = 0;
  /** Monotonic ms of each bridge (a customer reaching its agent): the answered rate. */
  readonly bridgeTimes: number[] = [];
  readonly placeTimes: number[] = [];
  private readonly byUuid = new Map<string, Customer>();
  private readonly hangups = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private unobserve: (() => void) | undefined;

  constructor(
    private readonly sim: SwitchSimulator,
    private readonly options: CustomerLoadOptions,
  ) {}

  /** Caller number of a customer's channel (the simulator's uuid). */
  callerOf(uuid: string): string | undefined {
    return this.byUuid.get(uuid)?.caller;
  }

  get live(): number {
    return this.byUuid.size;
  }

  get arriving(): boolean {
    return this.timer !== undefined;
  }

  /** Starts placing calls; resolves when the arrivals are over. */
  start(): Promise<void> {
    this.unobserve = this.sim.onEvent((event) => {
      // The simulator fires CHANNEL_BRIDGE for both legs; the customer's is the one we know.
      if (event.name === 'CHANNEL_BRIDGE' && event.uniqueId !== undefined) this.onBridge(event.uniqueId);
    });
    this.startedAt = monotonicMs();
    return new Promise((resolve) => this.tick(resolve));
  }

  /** Hangs up whoever is still on the line (the run is over). */
  stop(): void {
    this.unobserve?.();
    clearTimeout(this.timer);
    for (const t of this.hangups) clearTimeout(t);
    this.hangups.clear();
    for (const c of this.byUuid.values()) c.call?.hangup();
  }

  private tick(done: () => void): void {
    const elapsed = monotonicMs() - this.startedAt;
    const total = Math.floor(this.options.seconds * this.options.rate);
    const due = Math.min(total, Math.floor((elapsed / 1000) * this.options.rate));
    while (this.placed < due) this.placeOne();
    if (this.placed >= total) {
      this.timer = undefined;
      done();
      return;
    }
    // Calls go out in 10 ms batches: one call per tick at 100/s, cheap in timers.
    this.timer = setTimeout(() => this.tick(done), 10);
  }

  private placeOne(): void {
    const n = this.placed++;
    const caller = `13${String(n).padStart(9, '0')}`;
    const to = this.options.accessNumbers[n % this.options.accessNumbers.length]!;
    // Known before the call exists: the dialplan may park it (CHANNEL_PARK) before placeCall returns.
    const uuid = randomUUID();
    const customer: Customer = { call: undefined, caller, placedAt: monotonicMs(), bridgedAt: undefined };
    this.placeTimes.push(customer.placedAt);
    this.byUuid.set(uuid, customer);
    const call = this.sim.placeCall({ uuid, from: caller, to });
    customer.call = call;
    void call.ended.then(() => {
      this.ended++;
      if (customer.bridgedAt === undefined) this.unserved++;
      this.byUuid.delete(uuid);
    });
  }

  private onBridge(uuid: string): void {
    const customer = this.byUuid.get(uuid);
    if (customer === undefined || customer.bridgedAt !== undefined) return;
    customer.bridgedAt = monotonicMs();
    this.bridged++;
    this.bridgeTimes.push(customer.bridgedAt);
    const [min, max] = this.options.talkMs;
    const talk = min + Math.random() * (max - min);
    const t = setTimeout(() => {
      this.hangups.delete(t);
      customer.call?.hangup();
    }, talk);
    this.hangups.add(t);
  }
}
