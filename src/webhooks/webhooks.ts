/**
 * The webhooks beside the core: the targets of the moment (read from SQLite, where the
 * config file seeds them and the admin API changes them), the fan-out of push facts into
 * outbox rows (called by the engine's store inside a step's transaction), the delivery
 * worker, and what the admin API and /health read.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { PushFact } from '../core/records/push-facts.js';
import type { DeliveryRunner, DeliveryRunnerFactory } from './delivery-runner.js';
import { PushFanOut } from './fan-out.js';
import type { FormatContext } from './formats/push-body.js';
import { backlogStats, type LaneCounts, type Outbox, type OutboxEntry, type OutboxRow } from './outbox.js';
import type { WebhookTarget } from './target.js';

/** Where targets are kept (the engine's store implements it). */
export interface TargetStore {
  load(): WebhookTarget[];
  seed(targets: readonly WebhookTarget[], now: number): string[];
  save(target: WebhookTarget, now: number): void;
  remove(id: string, now: number): boolean;
}

export interface WebhooksOptions {
  readonly targets: TargetStore;
  readonly outbox: Outbox;
  /** Targets of the config file: written when their id was never stored. */
  readonly seed: readonly WebhookTarget[];
  /** The delivery worker over the targets read at start (in its own thread, or in this one: delivery-runner.ts). */
  readonly delivery: DeliveryRunnerFactory;
  readonly format: FormatContext;
  readonly clock: Clock;
  readonly log: Logger;
}

/** For /health: pushes waiting (over all targets and callbacks) and how long the oldest has waited, dead pushes, POSTs under way. */
export interface WebhooksHealth {
  readonly backlog: number;
  readonly oldestAgeSeconds: number | null;
  readonly dead: number;
  readonly inFlight: number;
}

/** A target as the admin API shows it: its secret is never shown. */
export interface TargetView extends Omit<WebhookTarget, 'secret'> {
  readonly backlog: LaneCounts & { readonly oldestAgeSeconds: number | null };
}

export type TargetChange = Partial<Omit<WebhookTarget, 'id'>>;

export class Webhooks {
  private targets: WebhookTarget[];
  private readonly byId = new Map<string, WebhookTarget>();
  private readonly fanOut: PushFanOut;
  private readonly delivery: DeliveryRunner;
  private readonly log: Logger;

  constructor(private readonly o: WebhooksOptions) {
    this.log = o.log.child({ module: 'webhooks' });
    const seeded = o.targets.seed(o.seed, o.clock.now());
    if (seeded.length > 0) this.log.info({ targets: seeded }, 'push targets of the config file stored');
    this.targets = o.targets.load();
    for (const t of this.targets) this.byId.set(t.id, t);
    this.fanOut = new PushFanOut(() => this.targets, o.format);
    this.delivery = o.delivery(this.targets);
  }

  /** The outbox rows of a fact, for the store to write in the step's transaction. */
  render(fact: PushFact): OutboxEntry[] {
    return this.fanOut.render(fact);
  }

  /** After a commit: lanes with new rows are woken; those whose oldest rows were made dead are read again. */
  changed(c: { touched: ReadonlySet<string>; evicted: ReadonlySet<string> }): void {
    for (const lane of c.evicted) this.delivery.reread(lane);
    for (const lane of c.touched) if (!c.evicted.has(lane)) this.delivery.wake(lane);
  }

  start(): void {
    this.delivery.start();
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }

  /** For /health: pushes waiting and how long the oldest has waited, dead pushes, sends under way. */
  health(): WebhooksHealth {
    return { ...backlogStats(this.o.outbox, this.o.outbox.knownLanes(), this.o.clock.now()), inFlight: this.delivery.progress().inFlight };
  }

  // ── the admin API ──────────────────────────────────────────────────────────

  list(): TargetView[] {
    return this.targets.map((t) => this.view(t));
  }

  get(id: string): TargetView | undefined {
    const t = this.byId.get(id);
    return t === undefined ? undefined : this.view(t);
  }

  /** False when a target has this id already. */
  add(target: WebhookTarget): boolean {
    if (this.byId.has(target.id)) return false;
    this.o.targets.save(target, this.o.clock.now());
    this.setTargets([...this.targets, target]);
    this.log.info({ target: target.id, url: target.url, format: target.format }, 'push target added');
    return true;
  }

  /** Changes a target; pushes already in its lane keep the body they were written with. Undefined when there is no such target. */
  change(id: string, change: TargetChange): TargetView | undefined {
    const old = this.byId.get(id);
    if (old === undefined) return undefined;
    const next: WebhookTarget = { ...old, ...change, id };
    this.o.targets.save(next, this.o.clock.now());
    this.setTargets(this.targets.map((t) => (t.id === id ? next : t)));
    this.log.info({ target: id, changed: Object.keys(change) }, 'push target changed');
    this.delivery.wake(id);
    return this.view(next);
  }

  /** Removes a target and the pushes waiting for it (pending and dead). False when there is no such target. */
  remove(id: string): boolean {
    if (!this.o.targets.remove(id, this.o.clock.now())) return false;
    this.setTargets(this.targets.filter((t) => t.id !== id));
    this.delivery.forget(id);
    const dropped = this.o.outbox.dropLane(id);
    this.log.info({ target: id, droppedPushes: dropped }, 'push target removed');
    return true;
  }

  /** The secret of a target (never shown; the admin API's change keeps it when not given). */
  secretOf(id: string): string | undefined {
    return this.byId.get(id)?.secret;
  }

  pushes(id: string, state: 'pending' | 'dead', afterId: number, limit: number): OutboxRow[] {
    return this.o.outbox.list(id, state, afterId, limit);
  }

  /** Dead pushes of a target sent again (one, or all): how many. */
  resend(id: string, pushId?: number): number {
    const n = this.o.outbox.resend(id, pushId);
    if (n > 0) {
      this.log.info({ target: id, pushes: n }, 'dead pushes queued again');
      this.delivery.reread(id);
    }
    return n;
  }

  private view(t: WebhookTarget): TargetView {
    const b = backlogStats(this.o.outbox, [t.id], this.o.clock.now());
    const { secret: _secret, ...shown } = t;
    return { ...shown, backlog: { pending: b.backlog, dead: b.dead, oldestAgeSeconds: b.oldestAgeSeconds } };
  }

  private setTargets(targets: WebhookTarget[]): void {
    this.targets = targets;
    this.byId.clear();
    for (const t of targets) this.byId.set(t.id, t);
    this.delivery.targets(targets);
  }
}
