/**
 * Where the delivery worker runs. In a thread of its own (DeliveryThread) when the outbox
 * is a database file: the core's event loop is busy with calls, and a push that waits
 * for a turn of that loop between its answer and the next POST of its lane (one at a time,
 * for order) made delivery as slow as the loop (bench/README.md, the webhooks benchmark).
 * In the main thread (localDelivery) for an in-memory database, which a second connection
 * cannot open, and when running from the TypeScript sources (tests), where no compiled
 * thread module exists.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { OutboxStore } from '../store/outbox-store.js';
import { CoreLoad } from './core-load.js';
import { Delivery, type DeliveryOptions, type DeliveryProgress } from './delivery.js';
import type { DeliveryThreadData, FromDeliveryThread, ToDeliveryThread } from './delivery-thread-messages.js';
import { type CallbackSigner, Destinations } from './destinations.js';
import type { Post } from './http-post.js';
import type { WebhookTarget } from './target.js';

/** What the webhooks tell the delivery, wherever it runs. */
export interface DeliveryRunner {
  start(): void;
  /** A lane has new rows (after the commit that wrote them). */
  wake(lane: string): void;
  /** What the delivery holds of a lane is stale (rows made dead or sent again). */
  reread(lane: string): void;
  /** A lane whose target is gone. */
  forget(lane: string): void;
  /** The targets of the moment. */
  targets(targets: readonly WebhookTarget[]): void;
  progress(): DeliveryProgress;
  /** No new sends; waits up to `timeoutMs` for those under way. */
  stop(timeoutMs?: number): Promise<void>;
}

export type DeliveryRunnerFactory = (targets: readonly WebhookTarget[]) => DeliveryRunner;

/** The delivery in the main thread, on the store's own outbox. */
export function localDelivery(o: { outbox: OutboxStore; post: Post; delivery: DeliveryOptions; signCallback?: CallbackSigner; callbackTimeoutMs: number; clock: Clock; log: Logger }): DeliveryRunnerFactory {
  return (targets) => {
    const destinations = new Destinations(targets, o.signCallback, o.callbackTimeoutMs);
    const delivery = new Delivery(o.outbox, (row) => destinations.of(row), o.post, o.delivery, o.clock, o.log);
    return {
      start: () => delivery.start(),
      wake: (lane) => delivery.wake(lane),
      reread: (lane) => delivery.reread(lane),
      forget: (lane) => delivery.forget(lane),
      targets: (t) => destinations.set(t),
      progress: () => delivery.progress(),
      stop: (timeoutMs) => delivery.stop(timeoutMs),
    };
  };
}

const THREAD_MODULE = new URL('./delivery-thread.js', import.meta.url);

/** True when the compiled thread module is there (not when running from the TypeScript sources). */
export function deliveryThreadAvailable(): boolean {
  return existsSync(fileURLToPath(THREAD_MODULE));
}

/** A thread that dies unexpectedly is started again after this long (its pushes wait in the outbox). */
const RESTART_DELAY_MS = 1000;
/** Beyond the delivery's own wait at stop: the thread's last deletes and its database closed, before it is terminated. */
const STOP_GRACE_MS = 1000;
/** How often the main thread tells the thread its event loop's load (the pace adapts once a second: pace.ts). */
const LOAD_REPORT_MS = 1000;

export interface DeliveryThreadOptions extends Omit<DeliveryThreadData, 'targets'> {
  /** The main thread's outbox: its counts follow what the thread deleted and made dead; what it wrote sets the pace's floor. */
  readonly outbox: Pick<OutboxStore, 'counted' | 'written'>;
  readonly log: Logger;
}

export function threadDelivery(o: DeliveryThreadOptions): DeliveryRunnerFactory {
  return (targets) => new DeliveryThread(o, targets);
}

/** The main thread's side of the delivery thread: coalesces what it tells it, counts what it did. */
class DeliveryThread implements DeliveryRunner {
  private worker: Worker | undefined;
  private last: DeliveryProgress = { inFlight: 0, delivered: 0, failures: 0 };
  /** Totals of threads that ended before this one (a restart). */
  private before = { delivered: 0, failures: 0 };
  private pending = { targets: undefined as readonly WebhookTarget[] | undefined, forget: new Set<string>(), reread: new Set<string>(), wake: new Set<string>() };
  private scheduled = false;
  private stopping = false;
  private stopped: (() => void) | undefined;
  private readonly log: Logger;
  /** The core's load, told to the thread for its pace (not sampled when pacing is off). */
  private readonly load: CoreLoad | undefined;

  constructor(
    private readonly o: DeliveryThreadOptions,
    private current: readonly WebhookTarget[],
  ) {
    this.log = o.log.child({ module: 'webhooks' });
    if (o.pace.floorPerSecond > 0) this.load = new CoreLoad(LOAD_REPORT_MS, () => o.outbox.written, (load) => this.post({ type: 'load', load }));
  }

  start(): void {
    if (this.worker !== undefined || this.stopping) return;
    const { outbox: _outbox, log: _log, ...shared } = this.o;
    const data: DeliveryThreadData = { ...shared, targets: this.current };
    const worker = new Worker(THREAD_MODULE, { workerData: data });
    this.worker = worker;
    worker.on('message', (m: FromDeliveryThread) => this.heard(m));
    this.load?.start();
    worker.on('error', (err) => this.log.error({ err }, 'the delivery thread failed'));
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.before = { delivered: this.before.delivered + this.last.delivered, failures: this.before.failures + this.last.failures };
      this.last = { inFlight: 0, delivered: 0, failures: 0 };
      this.load?.stop();
      if (this.stopping) {
        this.stopped?.();
        return;
      }
      this.log.error({ code }, 'the delivery thread ended; started again: its pushes wait in the outbox');
      setTimeout(() => this.start(), RESTART_DELAY_MS).unref();
    });
  }

  wake(lane: string): void {
    this.pending.wake.add(lane);
    this.schedule();
  }

  reread(lane: string): void {
    this.pending.reread.add(lane);
    this.schedule();
  }

  forget(lane: string): void {
    this.pending.forget.add(lane);
    this.pending.reread.delete(lane);
    this.pending.wake.delete(lane);
    this.schedule();
  }

  targets(targets: readonly WebhookTarget[]): void {
    this.current = targets;
    this.pending.targets = targets;
    this.schedule();
  }

  progress(): DeliveryProgress {
    return { inFlight: this.last.inFlight, delivered: this.before.delivered + this.last.delivered, failures: this.before.failures + this.last.failures };
  }

  async stop(timeoutMs = 2000): Promise<void> {
    this.stopping = true;
    this.load?.stop();
    const worker = this.worker;
    if (worker === undefined) return;
    const ended = new Promise<void>((resolve) => (this.stopped = resolve));
    this.post({ type: 'stop', timeoutMs });
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), timeoutMs + STOP_GRACE_MS).unref());
    if ((await Promise.race([ended, deadline])) === 'late') {
      this.log.warn({ timeoutMs }, 'the delivery thread did not stop in time: terminated (its pushes stay in the outbox)');
      await worker.terminate();
    }
  }

  private heard(m: FromDeliveryThread): void {
    switch (m.type) {
      case 'changes':
        this.o.outbox.counted(m.changes);
        return;
      case 'progress':
        this.last = m.progress;
        return;
      case 'log':
        this.relog(m.line);
        return;
      case 'stopped':
        return;
    }
  }

  /** A line of the thread's pino logger, logged again by this one (one log, one destination). */
  private relog(line: string): void {
    const { level, msg, time: _time, pid: _pid, hostname: _hostname, app: _app, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const label = pino.levels.labels[level as number] as 'info' | 'warn' | 'error' | 'fatal' | 'debug' | 'trace' | undefined;
    if (label !== undefined) this.o.log[label]({ thread: 'delivery', ...fields }, String(msg ?? ''));
  }

  /** Sends what was asked in this turn of the loop in one message, after the commit that asked it. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const p = this.pending;
      this.pending = { targets: undefined, forget: new Set(), reread: new Set(), wake: new Set() };
      this.post({ type: 'lanes', ...(p.targets === undefined ? {} : { targets: p.targets }), forget: [...p.forget], reread: [...p.reread], wake: [...p.wake] });
    });
  }

  private post(m: ToDeliveryThread): void {
    this.worker?.postMessage(m);
  }
}
