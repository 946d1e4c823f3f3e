/**
 * Settles requests with their responses. The server answers the requests of a connection
 * exactly once each and in the order they were sent (spec §2, §3 rule 6), and echoes each
 * request's `seq`; a response without a seq (a message it could not read, a request refused
 * by rate: -85) answers the oldest request waiting. A query's result travels in a named
 * event sent right after its successful response (spec §2), so the request is settled by
 * that event, which nothing can come between on the same connection.
 */
import { AgentBarError, ErrorCode, networkError } from './errors.js';
import type { EventBody, ResponseBody } from './wire.js';

export interface Settled {
  readonly response: ResponseBody;
  /** The result event of a query. */
  readonly result?: EventBody;
}

export interface RequestOptions {
  /** The events that carry this request's result (a query's named event). */
  readonly resultEvents?: readonly string[];
  /** Asked by the client itself: its failure and result are not passed on as events. */
  readonly quiet?: boolean;
}

export interface Pending {
  readonly seq: string;
  readonly cmdType: string;
  readonly sentAt: number;
  readonly resultEvents: readonly string[];
  readonly quiet: boolean;
  readonly resolve: (settled: Settled) => void;
  readonly reject: (error: AgentBarError) => void;
}

export class Correlator {
  private readonly queue: Pending[] = [];
  private awaitingResult: { readonly pending: Pending; readonly response: ResponseBody } | undefined;
  private counter = 0;

  /** Registers a request about to be sent; its promise settles with the answer. */
  add(cmdType: string, now: number, options: RequestOptions = {}): { readonly seq: string; readonly settled: Promise<Settled> } {
    const seq = String(++this.counter);
    const settled = new Promise<Settled>((resolve, reject) => {
      this.queue.push({ seq, cmdType, sentAt: now, resultEvents: options.resultEvents ?? [], quiet: options.quiet === true, resolve, reject });
    });
    return { seq, settled };
  }

  /** Requests sent and not settled yet. */
  get size(): number {
    return this.queue.length + (this.awaitingResult === undefined ? 0 : 1);
  }

  /** When the oldest request still waiting for its response was sent. */
  oldestSentAt(): number | undefined {
    return this.awaitingResult?.pending.sentAt ?? this.queue[0]?.sentAt;
  }

  /** A response arrived: the request it answers (settled or waiting for its result), if any. */
  response(body: ResponseBody): Pending | undefined {
    this.resultMissing();
    const index = body.seq === undefined ? 0 : this.queue.findIndex((p) => p.seq === body.seq);
    if (index < 0 || this.queue.length === 0) return undefined;
    // Requests before it were never answered: the order is broken, they will not be.
    for (const skipped of this.queue.splice(0, index)) skipped.reject(networkError(skipped.cmdType, 'the server answered a later request first'));
    const pending = this.queue.shift()!;
    if (body.retCode !== 0) pending.reject(new AgentBarError(body.retCode, { reason: body.reason, cmdType: pending.cmdType }));
    else if (pending.resultEvents.length > 0) this.awaitingResult = { pending, response: body };
    else pending.resolve({ response: body });
    return pending;
  }

  /** An event arrived: the request whose result it is, if it is one. */
  event(body: EventBody): Pending | undefined {
    const awaiting = this.awaitingResult;
    if (awaiting === undefined) return undefined;
    if (!awaiting.pending.resultEvents.includes(body.eventType)) {
      this.resultMissing();
      return undefined;
    }
    this.awaitingResult = undefined;
    awaiting.pending.resolve({ response: awaiting.response, result: body });
    return awaiting.pending;
  }

  /** The connection is gone: every request still waiting fails with `error`. */
  failAll(error: (cmdType: string) => AgentBarError): void {
    const waiting = [...(this.awaitingResult === undefined ? [] : [this.awaitingResult.pending]), ...this.queue.splice(0)];
    this.awaitingResult = undefined;
    for (const p of waiting) p.reject(error(p.cmdType));
  }

  /** Something other than the expected result event followed a query's response. */
  private resultMissing(): void {
    const awaiting = this.awaitingResult;
    if (awaiting === undefined) return;
    this.awaitingResult = undefined;
    const { pending } = awaiting;
    pending.reject(
      new AgentBarError(ErrorCode.SYSTEM_ERROR, { cmdType: pending.cmdType, detail: `${pending.resultEvents.join(' / ')} did not follow the response` }),
    );
  }
}
