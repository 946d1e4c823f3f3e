/** A customer waiting in a queue, and the order customers are served in. */
import type { Call } from '../calls/call-model.js';

export interface WaitingCustomer {
  readonly call: Call;
  readonly queueNum: string;
  /** When the customer entered the queue (kept when it goes back to the head). */
  readonly enteredAt: number;
  /** 1 for VIP (seed cust_grade): served ahead of ordinary customers. */
  readonly grade: number;
  /** The exclusive agent that gets this customer first, until exclusiveUntil. */
  exclusiveAgent: string | undefined;
  exclusiveUntil: number;
  /** Offer legs ringing now (several for ring-all). */
  readonly offering: Set<string>;
  /** A sequence number: ties in enteredAt keep arrival order. */
  readonly seq: number;
}

/** VIPs first, then who has waited longest. */
export function servedBefore(a: WaitingCustomer, b: WaitingCustomer): number {
  return b.grade - a.grade || a.enteredAt - b.enteredAt || a.seq - b.seq;
}
