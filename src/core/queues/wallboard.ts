/**
 * The wallboard's figures, live: each queue's tally of the day (queue-tally.ts), kept as
 * customers enter and leave its queue, calls end and agents finish their after-call
 * work, read with the customers waiting now (the longest wait) and the agents' states.
 * Nothing is recomputed from the CDR table when asked.
 *
 * Supervisors watching a queue (those whose role monitors a group of its members) get
 * QueueStatisChangeEvent when its figures change — at most once a second per queue: the
 * first change after a quiet second goes out in its own step, later ones wait for a
 * `queue-figures` timer that sends the figures as they are then.
 */
import { agentEvent, type FieldRecord } from '../agent-event.js';
import type { AgentService } from '../agent-service.js';
import { AgentStatus } from '../agent-status.js';
import type { DomainEvent } from '../domain-events.js';
import { setTimer, type CoreEffect } from '../effects.js';
import type { Organisation, Queue } from '../organisation.js';
import type { CdrRecord } from '../records/cdr.js';
import type { DayClock } from '../../time-format.js';
import { addTally, countExit, emptyTally, tallyFields, type QueueExit, type Tally, type TallyThresholds } from './queue-tally.js';

/** At most one QueueStatisChangeEvent per queue in this many ms. */
export const PUSH_INTERVAL_MS = 1000;

export interface WallboardDeps {
  readonly org: Organisation;
  readonly agents: AgentService;
  readonly days: DayClock;
  readonly thresholds: TallyThresholds;
  readonly formatTime: (ms: number) => string;
  /** The earliest enter time of the customers waiting in a queue, or in all of a tenant's queues. */
  readonly earliestEnter: (accountId: string, queueNum?: string) => number | undefined;
  /** A queue's whole Queue_Statis_Struct now (queue-statis.ts). */
  readonly statisOf: (queue: Queue, now: number) => FieldRecord;
}

export class Wallboard {
  /** The calendar day the tallies are of. */
  private day = '';
  private readonly tallies = new Map<string, Tally>();
  /** Agents in after-call work → the queue of the call it follows (its time counts in that queue's handle time). */
  private readonly wrapUpOf = new Map<string, string>();
  private readonly lastPush = new Map<string, number>();
  /** Queues whose change waits for its queue-figures timer. */
  private readonly waiting = new Set<string>();

  constructor(private readonly deps: WallboardDeps) {}

  // ── counting ───────────────────────────────────────────────────────────────

  /** A customer came to a queue (it may be turned away at once: `exited` follows). */
  entered(queueNum: string, now: number): CoreEffect[] {
    this.tallyOf(queueNum, now).offered++;
    return this.changed(queueNum, now);
  }

  /** A customer's time in a queue ended after `waitedMs`. */
  exited(queueNum: string, exit: QueueExit, waitedMs: number, now: number): CoreEffect[] {
    countExit(this.tallyOf(queueNum, now), exit, waitedMs, this.deps.thresholds);
    return this.changed(queueNum, now);
  }

  /** A call ended: an answered queue call adds its talk and hold; its agent's after-call work will follow. */
  callEnded(cdr: CdrRecord, now: number): CoreEffect[] {
    const queueNum = cdr.queueNum;
    if (queueNum === null || cdr.callType !== 'incoming' || cdr.bridgeTime === null || this.deps.org.queue(queueNum) === undefined) return [];
    const t = this.tallyOf(queueNum, now);
    t.handled++;
    t.handleMs += (cdr.bridgeSeconds ?? 0) * 1000;
    if (cdr.agentId !== null && this.deps.agents.statusOf(cdr.agentId) === AgentStatus.ACW) this.wrapUpOf.set(cdr.agentId, queueNum);
    return this.changed(queueNum, now);
  }

  /** An agent's state changed: its queues' agents by state did; after-call work that ends counts in its call's queue. */
  statusChanged(event: Extract<DomainEvent, { type: 'agent-status-changed' }>, now: number): CoreEffect[] {
    const wrapped = event.from === AgentStatus.ACW ? this.wrapUpOf.get(event.agentId) : undefined;
    if (wrapped !== undefined) {
      this.wrapUpOf.delete(event.agentId);
      if (event.fromSince > 0) this.tallyOf(wrapped, now).handleMs += Math.max(0, event.at - event.fromSince);
    }
    return this.deps.org.queuesOfAgent(event.agentId).flatMap((m) => this.changed(m.queueNum, now));
  }

  // ── reading ────────────────────────────────────────────────────────────────

  /** A queue's figures of today now (Queue_Statis_Struct's added fields). */
  queueFields(queue: Queue, now: number): Record<string, string> {
    return this.fields(this.todayOf(queue.queueNum, now), this.deps.earliestEnter(queue.accountId, queue.queueNum), now);
  }

  /** The whole centre's (a tenant's queues together). */
  centreFields(accountId: string, now: number): Record<string, string> {
    const total = emptyTally();
    for (const q of this.deps.org.queuesOf(accountId)) addTally(total, this.todayOf(q.queueNum, now));
    return this.fields(total, this.deps.earliestEnter(accountId), now);
  }

  // ── pushing ────────────────────────────────────────────────────────────────

  /** The queue-figures timer: the figures as they are now, to the queue's supervisors. */
  onTimer(queueNum: string, now: number): CoreEffect[] {
    this.waiting.delete(queueNum);
    return this.push(queueNum, now);
  }

  private changed(queueNum: string, now: number): CoreEffect[] {
    if (this.waiting.has(queueNum)) return [];
    const due = (this.lastPush.get(queueNum) ?? -Infinity) + PUSH_INTERVAL_MS;
    if (now >= due) return this.push(queueNum, now);
    this.waiting.add(queueNum);
    return [setTimer({ kind: 'queue-figures', queueNum }, due - now)];
  }

  private push(queueNum: string, now: number): CoreEffect[] {
    const queue = this.deps.org.queue(queueNum);
    if (queue === undefined) return [];
    const to = this.supervisorsOf(queueNum);
    this.lastPush.set(queueNum, now);
    if (to.size === 0) return [];
    const event = agentEvent('QueueStatisChangeEvent', now, { current_time: this.deps.formatTime(now), ...this.deps.statisOf(queue, now) });
    return [...to].map((agentId) => ({ type: 'send', agentId, event }));
  }

  /** Signed-in supervisors whose role monitors a group of the queue's members. */
  private supervisorsOf(queueNum: string): Set<string> {
    const { org, agents } = this.deps;
    const groups = new Set<string>();
    for (const m of org.membersOfQueue(queueNum)) {
      const group = org.agent(m.agentId)?.groupId;
      if (group !== null && group !== undefined) groups.add(group);
    }
    const out = new Set<string>();
    for (const g of groups) for (const s of agents.supervisorsOf(g)) out.add(s);
    return out;
  }

  // ── inside ─────────────────────────────────────────────────────────────────

  private fields(t: Tally, earliest: number | undefined, now: number): Record<string, string> {
    return {
      ...tallyFields(t, this.deps.thresholds),
      longest_wait_seconds: earliest === undefined ? '0' : String(Math.max(0, Math.floor((now - earliest) / 1000))),
    };
  }

  /** Today's tally of a queue, to count in; a new day starts every queue from zero. */
  private tallyOf(queueNum: string, now: number): Tally {
    const day = this.deps.days.dayOf(now);
    if (day !== this.day) {
      this.day = day;
      this.tallies.clear();
    }
    let t = this.tallies.get(queueNum);
    if (t === undefined) this.tallies.set(queueNum, (t = emptyTally()));
    return t;
  }

  /** Today's tally of a queue, to read (yesterday's counts are not today's). */
  private todayOf(queueNum: string, now: number): Tally {
    return this.deps.days.dayOf(now) === this.day ? (this.tallies.get(queueNum) ?? emptyTally()) : emptyTally();
  }
}
