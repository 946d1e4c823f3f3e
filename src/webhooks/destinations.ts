/**
 * Where each outbox row goes and how it is signed: a target's row to the target's URL of
 * the moment with its secret, a callback row (seed 004) to its own URL signed auth-v2.
 * Used by the delivery wherever it runs (the delivery thread keeps its own copy of the
 * targets, sent by the main thread after each change).
 */
import type { Destination } from './delivery.js';
import type { OutboxRow } from './outbox.js';
import { pushHeaders } from './signature.js';
import type { WebhookTarget } from './target.js';

/** Signs a callback that is not a target's (seed 004's auth-v2): undefined when its app is gone. */
export type CallbackSigner = (auth: string, url: string, body: string, now: number) => Record<string, string> | undefined;

export class Destinations {
  private readonly byId = new Map<string, WebhookTarget>();

  constructor(
    targets: readonly WebhookTarget[],
    private readonly signCallback: CallbackSigner | undefined,
    private readonly callbackTimeoutMs: number,
  ) {
    this.set(targets);
  }

  set(targets: readonly WebhookTarget[]): void {
    this.byId.clear();
    for (const t of targets) this.byId.set(t.id, t);
  }

  /** Undefined when the row's target is gone, or its callback's app. */
  of(row: OutboxRow): Destination | undefined {
    if (row.auth !== null) {
      const sign = this.signCallback;
      const url = row.url;
      if (sign === undefined || url === null) return undefined;
      return {
        url,
        timeoutMs: this.callbackTimeoutMs,
        headers: (body, now) => sign(row.auth!, url, body, now) ?? { 'Content-Type': 'application/json;charset=UTF-8' },
      };
    }
    const target = this.byId.get(row.lane);
    if (target === undefined) return undefined;
    return {
      url: target.url,
      timeoutMs: target.timeoutMs,
      headers: (body, now, attempt) => pushHeaders(target.secret, body, now, { event: row.event, eventId: row.eventId, attempt, pushId: row.id, factAt: row.factAt }),
    };
  }
}
