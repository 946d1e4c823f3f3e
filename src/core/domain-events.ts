/**
 * What one part of the core decided, as facts for the others (XState's internal queue).
 * A service raises them during its step and goes on; the core's entry point hands them
 * to the parts that react — the leave workflow, the statistics, the ACD, the records —
 * only after the step that raised them is complete, in the order they were raised. So
 * no service calls back into another in the middle of its own step, and a step's own
 * rows and events always come before those of what it caused.
 */
import type { CdrRecord } from './records/cdr.js';
import type { CountedField } from './records/daily-stats.js';
import type { CallChange, CallFacts, LegFacts } from './records/push-facts.js';

export type DomainEvent =
  /** An agent's status changed (sign-in and sign-out included: OFFLINE is -1). */
  | {
      readonly type: 'agent-status-changed';
      readonly agentId: string;
      readonly accountId: string;
      readonly from: number;
      readonly to: number;
      /** When `from` began (0: unknown). */
      readonly fromSince: number;
      readonly at: number;
      /** The phone the agent works on, for those who report it (webhooks). */
      readonly exten?: string | null;
      /** That phone is an outside number (PSTN). */
      readonly outsidePhone?: boolean;
    }
  /** The call core counted something in an agent's daily figures (seed 000). */
  | { readonly type: 'agent-counted'; readonly agentId: string; readonly accountId: string; readonly field: CountedField; readonly at: number }
  /** A call's last leg is gone: its one record, and the call as it ended. */
  | { readonly type: 'call-ended'; readonly cdr: CdrRecord; readonly call: CallFacts; readonly at: number }
  /**
   * Something happened to a call that business systems are told about (webhooks): a leg
   * dialled, ringing or ended, the customer linked to an agent, the customer out of an IVR.
   */
  | {
      readonly type: 'call-progress';
      readonly change: CallChange;
      readonly call: CallFacts;
      readonly leg: LegFacts | null;
      /** When the IVR began (ivr-left). */
      readonly since: number | null;
      readonly at: number;
    };

/** The queue a step raises into; the entry point drains it after the step. */
export class DomainEvents {
  private readonly queue: DomainEvent[] = [];

  raise(event: DomainEvent): void {
    this.queue.push(event);
  }

  /** The oldest event not yet handed on. */
  next(): DomainEvent | undefined {
    return this.queue.shift();
  }
}
