/** What the main thread and the delivery thread (delivery-thread.ts) tell each other. */
import type { CallbackApp } from '../exports/callback-signer.js';
import type { DeliveryOptions, DeliveryProgress } from './delivery.js';
import type { OutboxChanges } from './outbox.js';
import type { CoreLoadReport, PaceOptions } from './pace.js';
import type { ThreadOutboxOptions } from './thread-outbox.js';
import type { WebhookTarget } from './target.js';

/** The thread's start: the database file it opens, how it delivers, whom to. */
export interface DeliveryThreadData {
  readonly dbPath: string;
  readonly delivery: DeliveryOptions;
  readonly deletes: ThreadOutboxOptions;
  /** How fast it POSTs, after the main thread's load (pace.ts). */
  readonly pace: PaceOptions;
  /** The thread's nice value (Linux: set on the thread alone); 0 leaves it as the core's. */
  readonly nice: number;
  readonly targets: readonly WebhookTarget[];
  readonly apps: readonly CallbackApp[];
  readonly callbackTimeoutMs: number;
  readonly logLevel: string;
  /** How often the thread reports its progress (in flight, delivered, failures). */
  readonly progressMs: number;
}

/** Main → thread, coalesced: one message per turn of the main loop at most. */
export type ToDeliveryThread =
  | {
      readonly type: 'lanes';
      /** The targets of the moment, when they changed: applied first. */
      readonly targets?: readonly WebhookTarget[];
      readonly forget: readonly string[];
      readonly reread: readonly string[];
      readonly wake: readonly string[];
    }
  /** The main thread's event loop over the last second (core-load.ts), for the pace. */
  | { readonly type: 'load'; readonly load: CoreLoadReport }
  | { readonly type: 'stop'; readonly timeoutMs: number };

/** Thread → main. */
export type FromDeliveryThread =
  | { readonly type: 'changes'; readonly changes: OutboxChanges }
  | { readonly type: 'progress'; readonly progress: DeliveryProgress }
  /** A pino line of the thread's logger, logged again by the main thread's. */
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'stopped' };
