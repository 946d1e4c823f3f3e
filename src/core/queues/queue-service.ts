/**
 * The ACD: customers the dialplan parks for polylink wait in queues and are given to
 * agents. Event-driven: a waiting customer and an idle agent meet in the same
 * event-loop turn — on arrival, when an agent becomes IDLE, when an offer fails, when a
 * phone registers, when a pause or an exclusive wait ends. Nothing polls; a periodic
 * sweep only repairs what should never happen.
 *
 * Offers: the chosen agent goes to RING and gets CallInEvent at once (the popup does not
 * wait for the phone), its phone is rung for the queue's ring timeout; ring-all rings
 * every agent of the best tier and the first to answer wins. A phone that rings out
 * sends the agent to acd.noAnswerStatus (BUSY) and the customer back to the head.
 */
import type { AgentEvent, FieldRecord } from '../agent-event.js';
import type { AgentSession } from '../agent-service.js';
import type { DomainEvent } from '../domain-events.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect, CoreTimer } from '../effects.js';
import { cancelTimer, setTimer } from '../effects.js';
import type { Queue, QueueMember } from '../organisation.js';
import type { CallDesk } from '../calls/call-desk.js';
import type { Call } from '../calls/call-model.js';
import type { InboundDesk } from '../calls/call-service.js';
import { musicOf } from '../calls/consult.js';
import { killLeg, ring } from '../calls/leg-factory.js';
import { callInEvent } from '../calls/leg-events.js';
import type { OfferFailure } from '../calls/queue-hooks.js';
import { takeArrival, type Arrival } from './arrival.js';
import type { CustomerLists } from './customer-lists.js';
import { overflowCall, overflowLeadsSomewhere } from './overflow.js';
import { OverloadGate } from './overload-gate.js';
import { customerInfo, LeaveReason, QueueNews } from './queue-events.js';
import { QueueAudience } from './queue-audience.js';
import { chooseAgents, type Candidate, type RoutingState, type Strategy } from './routing.js';
import { servedBefore, type WaitingCustomer } from './waiting-customer.js';
import { WaitingLine } from './waiting-line.js';
import { queueStatis } from './queue-statis.js';
import type { QueueExit } from './queue-tally.js';
import { Wallboard } from './wallboard.js';
import type { CdrRecord } from '../records/cdr.js';
import type { DayClock } from '../../time-format.js';

/** What a customer's leaving a queue (seed reason) is, on the wallboard. */
const EXIT_OF: Readonly<Record<string, QueueExit>> = {
  [LeaveReason.SERVED]: 'answered',
  [LeaveReason.HUNG_UP]: 'abandoned',
  [LeaveReason.LEFT_BY_KEY]: 'overflowed',
  [LeaveReason.TIMEOUT]: 'overflowed',
  [LeaveReason.QUEUE_FULL]: 'overflowed',
};

export interface QueueOptions {
  readonly noAnswerStatus: number;
  readonly blacklistPrompt: string;
  readonly positionPromptDir: string;
  readonly voicemailExtension: string;
  readonly sweepIntervalSeconds: number;
  /** How long an agent whose phone could not be reached is not offered calls. */
  readonly unreachableRetrySeconds: number;
  /** The key a waiting customer presses to leave the queue for its overflow (seed reason 3); null: none. */
  readonly leaveKey: string | null;
  /** The wallboard's thresholds (queue-tally.ts). */
  readonly serviceLevelSeconds: number;
  readonly shortAbandonSeconds: number;
  /** Members receive the queue events always (`members`), or once they asked for the queue's customers (`asked`). */
  readonly queueEvents: 'members' | 'asked';
  readonly random: () => number;
}

export interface PauseRecord {
  readonly queueNum: string;
  readonly agentId: string;
  readonly reason: string | null;
}

export class QueueService implements InboundDesk {
  private readonly queues = new Map<string, WaitingLine>();
  private readonly byCall = new Map<string, WaitingCustomer>();
  /** agentId → the waiting customers it is the exclusive agent of: what an agent's becoming free looks at besides its queues. */
  private readonly exclusiveOf = new Map<string, Set<WaitingCustomer>>();
  private readonly routing = new Map<string, RoutingState>();
  /** Agents whose phone could not be reached: they sit out until their agent-retry timer. */
  private readonly sittingOut = new Set<string>();
  /** queueNum → agentId → reason. */
  private readonly paused = new Map<string, Map<string, string | null>>();
  private seq = 0;
  private readonly news: QueueNews;
  private readonly wallboard: Wallboard;
  /** Whether polylink is behind the switch, and the customers turned away for it (overload-gate.ts). */
  readonly overload = new OverloadGate();
  private readonly audience: QueueAudience;

  constructor(
    private readonly desk: CallDesk,
    private readonly lists: CustomerLists,
    private readonly options: QueueOptions,
    pauses: readonly PauseRecord[],
    days: DayClock,
  ) {
    this.news = new QueueNews(this, desk.org, desk.deps.formatTime);
    this.audience = new QueueAudience(desk.org, desk.agents, options.queueEvents === 'asked');
    this.wallboard = new Wallboard({
      org: desk.org,
      agents: desk.agents,
      days,
      thresholds: { serviceLevelSeconds: options.serviceLevelSeconds, shortAbandonSeconds: options.shortAbandonSeconds },
      formatTime: desk.deps.formatTime,
      earliestEnter: (accountId, queueNum) => this.earliestEnter(accountId, queueNum),
      statisOf: (queue, now) => queueStatis(queue, desk.org, desk.agents, this, now),
    });
    for (const p of pauses) this.pausesOf(p.queueNum).set(p.agentId, p.reason);
  }

  /** The periodic sweep's first timer. */
  start(): CoreEffect[] {
    return [setTimer({ kind: 'acd-sweep' }, this.options.sweepIntervalSeconds * 1000)];
  }

  get noAnswerStatus(): number {
    return this.options.noAnswerStatus;
  }

  // ── arrivals ───────────────────────────────────────────────────────────────

  arrival(event: Arrival, existing: Call | undefined, now: number): CoreEffect[] {
    return takeArrival(this.desk, this.lists, this.options.blacklistPrompt, event, existing, now, (call, queueNum) =>
      this.enqueue(call, queueNum, now, { direct: true }),
    );
  }

  // ── the queue ──────────────────────────────────────────────────────────────

  /** `direct`: the customer came from its access number or an IVR, not from an agent or another queue. */
  enqueue(call: Call, queueNum: string, now: number, options: { front?: boolean; direct?: boolean; hops?: number } = {}): CoreEffect[] {
    const { desk } = this;
    const queue = desk.org.queue(queueNum);
    const customer = call.customer;
    if (queue === undefined || customer === undefined || customer.ended) return [];
    const before = this.byCall.get(call.id);
    const effects: CoreEffect[] = [];
    if (before !== undefined) effects.push(...this.remove(before, LeaveReason.TIMEOUT, now));
    call.queueNum = queueNum;
    call.move('enqueue');
    call.agentUuid = undefined;
    call.agentId = undefined;
    call.transferredBy = undefined;
    call.timeline.queueEnter ??= now;
    call.queueEntry ??= options.direct === true ? 'direct' : 'other';
    call.timeline.queueLeave = undefined;
    const list = this.listOf(queueNum);
    effects.push(...this.wallboard.entered(queueNum, now));
    // Behind the switch, a new customer goes to the queue's overflow when it leads somewhere;
    // a queue without one keeps the caller waiting (an operator would rather a caller waited
    // a few seconds longer than be released because polylink is busy).
    const turnedAway = () => overflowLeadsSomewhere(this.desk, queue, this.options.voicemailExtension) && this.overload.turnsAway(options);
    if (list.length >= queue.maxLength || (this.overload.on && turnedAway())) {
      // Turned away (full, or polylink behind the switch): seed reason 5, then the queue's overflow.
      effects.push(...this.wallboard.exited(queueNum, 'overflowed', 0, now));
      effects.push(...this.toRecipients(queueNum, this.news.removed(queueNum, customer.uuid, LeaveReason.QUEUE_FULL, now)));
      return [...effects, ...this.overflow(call, queue, queue.timeoutAction, queue.timeoutTarget, now, options.hops ?? 0)];
    }
    if (queue.noAgentAction !== 'wait' && !this.anyMemberSignedIn(queue)) {
      effects.push(...this.wallboard.exited(queueNum, 'overflowed', 0, now));
      return [...effects, ...this.overflow(call, queue, queue.noAgentAction, queue.noAgentTarget, now, options.hops ?? 0)];
    }
    const exclusive = this.lists.exclusiveAgentOf(call.accountId, call.customerNumber);
    const enteredAt = options.front === true ? (call.timeline.queueEnter ?? now) : now;
    const w: WaitingCustomer = {
      call,
      queueNum,
      enteredAt,
      grade: call.custGrade,
      exclusiveAgent: exclusive?.agentId,
      exclusiveUntil: exclusive === undefined ? 0 : now + exclusive.fallbackSeconds * 1000,
      offering: new Set(),
      seq: this.seq++,
    };
    list.add(w);
    this.byCall.set(call.id, w);
    if (w.exclusiveAgent !== undefined) this.exclusivesOf(w.exclusiveAgent).add(w);
    const waited = now - enteredAt;
    effects.push(setTimer({ kind: 'queue-timeout', callId: call.id }, Math.max(0, queue.maxWaitSeconds * 1000 - waited)));
    if (exclusive !== undefined && exclusive.fallbackSeconds > 0) effects.push(setTimer({ kind: 'exclusive-fallback', callId: call.id }, exclusive.fallbackSeconds * 1000));
    // The offer (when an agent is free) goes out before the queue's agents hear of the
    // customer, so the chosen agent's CallInEvent does not wait behind one write per member;
    // a customer offered at once is announced already ringing, with no Update after.
    effects.push(...this.dispatch(queueNum, now, w));
    effects.push(...this.toRecipients(queueNum, this.news.added(w, queue, now)));
    if (options.front !== true) effects.push(...this.music(call, queue, list.length));
    return effects;
  }

  /**
   * A waiting customer pressed the leave key: out of the queue (reason 3) to where its
   * timeout would send it (voicemail, another queue …; released when that is to wait).
   * A customer whose call is ringing an agent stays: the agent is about to take it.
   */
  customerPressed(call: Call, digit: string, now: number): CoreEffect[] {
    const w = this.byCall.get(call.id);
    if (this.options.leaveKey === null || digit !== this.options.leaveKey || w === undefined || w.offering.size > 0) return [];
    const queue = this.desk.org.queue(w.queueNum);
    const effects = this.remove(w, LeaveReason.LEFT_BY_KEY, now);
    if (queue === undefined) return effects;
    return [...effects, ...this.overflow(call, queue, queue.timeoutAction === 'wait' ? 'hangup' : queue.timeoutAction, queue.timeoutTarget, now)];
  }

  customerLeft(call: Call, now: number): CoreEffect[] {
    const w = this.byCall.get(call.id);
    return w === undefined ? [] : this.remove(w, LeaveReason.HUNG_UP, now);
  }

  offerFailed(call: Call, agentId: string | undefined, why: OfferFailure, now: number): CoreEffect[] {
    const rest: CoreEffect[] = [];
    if (why === 'unreachable' && agentId !== undefined) {
      // Offering the next customer at once would fail the same way (a congested switch, a
      // phone gone offline): the agent sits out a while, the customer goes to others.
      const ms = this.options.unreachableRetrySeconds * 1000;
      this.sittingOut.add(agentId);
      rest.push(setTimer({ kind: 'agent-retry', agentId }, ms));
    }
    return [...rest, ...this.requeueAfterOffer(call, agentId, now)];
  }

  private requeueAfterOffer(call: Call, agentId: string | undefined, now: number): CoreEffect[] {
    const { desk } = this;
    const customer = call.customer;
    if (customer === undefined || customer.ended) return [];
    const w = this.byCall.get(call.id);
    if (w === undefined) {
      if (call.overflowedToNumber) {
        // The queue's last resort did not answer: nothing is left to try.
        call.failureReason ??= 'overflow number did not answer';
        call.endStatus = 'QUEUE_ABANDON';
        return killLeg(desk, customer);
      }
      // An offer made outside a queue (a blind transfer): back to the call's queue, if it has one.
      if (call.queueNum !== undefined && desk.org.queue(call.queueNum) !== undefined) {
        call.endStatus = undefined;
        return this.enqueue(call, call.queueNum, now, { front: true });
      }
      call.failureReason ??= 'transfer target did not answer';
      return killLeg(desk, customer);
    }
    for (const leg of call.legs.values()) if (leg.purpose === 'offer' && leg.ended) w.offering.delete(leg.uuid);
    if (agentId !== undefined) for (const leg of call.legs.values()) if (leg.agentId === agentId && leg.ended) w.offering.delete(leg.uuid);
    if (w.offering.size > 0) return [];
    call.agentUuid = undefined;
    call.agentId = undefined;
    call.move('enqueue');
    const queue = desk.org.queue(w.queueNum);
    return [
      ...(queue === undefined ? [] : this.toRecipients(w.queueNum, this.news.updated(w, queue, now))),
      ...this.dispatch(w.queueNum, now),
    ];
  }

  offerAnswered(call: Call, legUuid: string, now: number): { won: boolean; effects: CoreEffect[] } {
    const w = this.byCall.get(call.id);
    if (w === undefined) return { won: call.agentUuid === legUuid, effects: [] };
    if (!w.offering.has(legUuid)) return { won: false, effects: [] };
    const leg = call.leg(legUuid)!;
    const effects: CoreEffect[] = [];
    // Ring-all: the first to answer wins; the others stop ringing (no penalty for them).
    for (const other of w.offering) if (other !== legUuid) effects.push(...killLeg(this.desk, call.leg(other), 'ORIGINATOR_CANCEL'));
    call.agentUuid = legUuid;
    call.agentId = leg.agentId;
    effects.push(...this.remove(w, LeaveReason.SERVED, now));
    return { won: true, effects };
  }

  offerMoved(call: Call, legUuid: string): void {
    const w = this.byCall.get(call.id);
    if (w === undefined) return;
    w.offering.clear();
    w.offering.add(legUuid);
  }

  playbackStopped(call: Call, path: string, now: number): CoreEffect[] {
    void now;
    const customer = call.customer;
    if (customer === undefined || customer.ended) return [];
    if (call.blacklisted === true && path === this.options.blacklistPrompt) return killLeg(this.desk, customer, 'CALL_REJECTED');
    const w = this.byCall.get(call.id);
    const queue = w === undefined ? undefined : this.desk.org.queue(w.queueNum);
    if (w !== undefined && queue !== undefined && path.startsWith(`${this.options.positionPromptDir}/`)) {
      // The announcement is over: music until an agent answers.
      return [this.desk.switch({ op: 'playback', uuid: customer.uuid, source: musicOf(queue.musicOnHold), legs: 'this' })];
    }
    return [];
  }

  // ── distribution ───────────────────────────────────────────────────────────

  /**
   * Gives waiting customers of a queue to free agents, best customer first, until one side
   * runs out. `arriving`: a customer its queue has not announced yet (no Update for it).
   */
  private dispatch(queueNum: string, now: number, arriving?: WaitingCustomer): CoreEffect[] {
    const list = this.queues.get(queueNum);
    const queue = this.desk.org.queue(queueNum);
    if (list === undefined || list.length === 0 || queue === undefined) return [];
    const effects: CoreEffect[] = [];
    let general: Candidate[] | undefined;
    // The line is in served order; an offer changes no one's place in it.
    for (const w of list.inOrder()) {
      if (w.offering.size > 0) continue;
      let candidates: Candidate[];
      if (this.exclusiveNow(w, now)) {
        candidates = this.candidates(queue, now, w.exclusiveAgent);
      } else {
        general ??= this.candidates(queue, now);
        if (general.length === 0) {
          // No free agent left for anyone else: only a customer's own exclusive agent can
          // still be offered, so the rest of the line is not walked.
          for (const x of list.exclusiveAfter(w)) {
            if (x.offering.size > 0 || !this.exclusiveNow(x, now)) continue;
            this.offerTo(x, queue, this.candidates(queue, now, x.exclusiveAgent), now, arriving, effects);
          }
          break;
        }
        candidates = general;
      }
      const chosen = this.offerTo(w, queue, candidates, now, arriving, effects);
      // The chosen are taken (an exclusive agent too, if it is also a general candidate).
      if (general !== undefined && chosen.length > 0) {
        const taken = new Set(chosen.map((c) => c.agentId));
        general = general.filter((c) => !taken.has(c.agentId));
      }
    }
    return effects;
  }

  private exclusiveNow(w: WaitingCustomer, now: number): boolean {
    return w.exclusiveAgent !== undefined && now < w.exclusiveUntil;
  }

  /** Offers `w` to the agent(s) chooseAgents picks from `candidates`; returns those chosen. */
  private offerTo(w: WaitingCustomer, queue: Queue, candidates: readonly Candidate[], now: number, arriving: WaitingCustomer | undefined, effects: CoreEffect[]): Candidate[] {
    if (candidates.length === 0) return [];
    const chosen = chooseAgents(queue.strategy as Strategy, candidates, this.routingOf(queue.queueNum), this.options.random);
    effects.push(...this.offer(w, queue, chosen, now, w !== arriving));
    return chosen;
  }

  /** Free agents that may take a call of this queue now (or only the exclusive agent). */
  private candidates(queue: Queue, now: number, only?: string): Candidate[] {
    const { desk } = this;
    const paused = this.paused.get(queue.queueNum);
    const pool = only === undefined
      ? this.idleMembers(queue.queueNum)
      : [desk.org.memberOf(queue.queueNum, only) ?? { queueNum: queue.queueNum, agentId: only, level: 1, penalty: 0, position: -1 }];
    // Only two strategies look at today's figures: the others do not pay for reading them.
    const needsStats = queue.strategy === 'fewest-calls' || queue.strategy === 'least-talk-time';
    const out: Candidate[] = [];
    for (const m of pool) {
      if (paused?.has(m.agentId) === true) continue;
      const session = desk.agents.session(m.agentId);
      if (session === undefined || !this.free(session)) continue;
      const stats = needsStats ? desk.deps.stats.today(m.agentId, session.profile.accountId, now) : undefined;
      out.push({
        agentId: m.agentId,
        idleSince: session.machine.since,
        position: m.position,
        level: m.level,
        penalty: m.penalty,
        callsToday: stats?.answernums ?? 0,
        talkToday: stats?.talktime ?? 0,
      });
    }
    return out;
  }

  /**
   * The members of a queue that are IDLE (AgentService keeps them per queue): only these can
   * be free; the order does not matter, chooseAgents orders the candidates itself.
   */
  private idleMembers(queueNum: string): QueueMember[] {
    const { org, agents } = this.desk;
    const out: QueueMember[] = [];
    for (const agentId of agents.idleMembersOf(queueNum)) {
      const m = org.memberOf(queueNum, agentId);
      if (m !== undefined) out.push(m);
    }
    return out;
  }

  /** IDLE, on a registered phone, not already part of a call, not sitting out after an unreachable offer. */
  private free(session: AgentSession): boolean {
    if (session.machine.status !== AgentStatus.IDLE) return false;
    if (this.sittingOut.has(session.profile.agentId)) return false;
    if (!session.bindExten || session.exten === null) return false;
    if (this.desk.registry.hasAgent(session.profile.agentId)) return false;
    return session.extenIsOutbound || this.desk.deps.isRegistered(session.exten) !== false;
  }

  private offer(w: WaitingCustomer, queue: Queue, chosen: readonly Candidate[], now: number, announce: boolean): CoreEffect[] {
    const { desk } = this;
    const call = w.call;
    const effects: CoreEffect[] = [];
    for (const c of chosen) {
      const dial = ring(desk, call, {
        purpose: 'offer',
        to: { kind: 'agent', agentId: c.agentId },
        callerIdNumber: call.customerNumber,
        timeoutSeconds: queue.ringTimeoutSeconds,
        step: 'offer-leg',
      }, now);
      w.offering.add(dial.leg.uuid);
      // The agent is ringing as far as the agent bar is concerned: the popup does not wait for the phone.
      effects.push(...desk.agentInput(c.agentId, { type: 'OFFER' }, 'system', 'offer', now), callInEvent(desk, call, c.agentId, now), ...dial.effects);
      if (chosen.length === 1) {
        call.agentUuid = dial.leg.uuid;
        call.agentId = c.agentId;
      }
    }
    this.routingOf(queue.queueNum).lastPosition = chosen[0]?.position;
    call.offeredTo = chosen[0]?.agentId;
    call.move('offer');
    call.timeline.agentStart ??= now;
    if (announce) effects.push(...this.toRecipients(queue.queueNum, this.news.updated(w, queue, now)));
    return effects;
  }

  /**
   * An agent became IDLE (handed on after the step that changed it): the customers of its
   * queues may be waiting for exactly that.
   */
  agentStatusChanged(event: Extract<DomainEvent, { type: 'agent-status-changed' }>, now: number): CoreEffect[] {
    const figures = this.wallboard.statusChanged(event, now);
    if (event.to !== AgentStatus.IDLE || event.from === AgentStatus.IDLE) return figures;
    return [...this.dispatchForAgent(event.agentId, now), ...figures];
  }

  /** A call ended (its CDR): the wallboard counts its handle time. */
  callEnded(cdr: CdrRecord, now: number): CoreEffect[] {
    return this.wallboard.callEnded(cdr, now);
  }

  private dispatchForAgent(agentId: string, now: number): CoreEffect[] {
    // The agent's queues (and those where it is a customer's exclusive agent), the one whose
    // best customer has waited longest first.
    const queues = new Set(this.desk.org.queuesOfAgent(agentId).map((m) => m.queueNum));
    for (const w of this.exclusiveOf.get(agentId) ?? []) queues.add(w.queueNum);
    const ordered = [...queues]
      .map((q) => ({ q, head: this.queues.get(q)?.head() }))
      .filter((x) => x.head !== undefined)
      .sort((a, b) => servedBefore(a.head!, b.head!));
    return ordered.flatMap((x) => this.dispatch(x.q, now));
  }

  /** A phone registered: its agent (if IDLE) can now take calls. */
  registrationChanged(exten: string, now: number): CoreEffect[] {
    const agentId = this.desk.agents.agentOfExten(exten);
    return agentId === undefined ? [] : this.dispatchForAgent(agentId, now);
  }

  // ── leaving a queue, overflow ──────────────────────────────────────────────

  private remove(w: WaitingCustomer, reason: string, now: number): CoreEffect[] {
    const list = this.queues.get(w.queueNum);
    if (list === undefined || !list.remove(w)) return [];
    this.byCall.delete(w.call.id);
    if (w.exclusiveAgent !== undefined) {
      const mine = this.exclusiveOf.get(w.exclusiveAgent);
      mine?.delete(w);
      if (mine?.size === 0) this.exclusiveOf.delete(w.exclusiveAgent);
    }
    w.call.timeline.queueLeave = now;
    return [
      cancelTimer({ kind: 'queue-timeout', callId: w.call.id }),
      cancelTimer({ kind: 'exclusive-fallback', callId: w.call.id }),
      ...this.toRecipients(w.queueNum, this.news.removed(w.queueNum, w.call.customerUuid ?? '', reason, now)),
      ...this.wallboard.exited(w.queueNum, EXIT_OF[reason] ?? 'overflowed', now - w.enteredAt, now),
    ];
  }

  /** What a queue does with a customer it cannot keep (full, timed out, nobody signed in, the leave key). */
  private overflow(call: Call, queue: Queue, action: string, target: string | null, now: number, hops = 0): CoreEffect[] {
    return overflowCall(
      {
        desk: this.desk,
        voicemailExtension: this.options.voicemailExtension,
        enqueue: (c, queueNum, at, nextHops) => this.enqueue(c, queueNum, at, { hops: nextHops }),
        tellQueue: (queueNum, event) => this.toRecipients(queueNum, event),
      },
      { call, queue, action, target, hops },
      now,
    );
  }

  onTimer(timer: CoreTimer, now: number): CoreEffect[] {
    switch (timer.kind) {
      case 'queue-timeout': {
        const w = this.byCall.get(timer.callId);
        if (w === undefined) return [];
        // The timer finds the call through the ACD's own list: looked up in the registry too,
        // so that the open-call journal writes where it goes (its overflow queue …).
        this.desk.registry.get(w.call.id);
        // A customer whose phone call is ringing an agent now keeps its chance.
        if (w.offering.size > 0) return [setTimer({ kind: 'queue-timeout', callId: timer.callId }, 5000)];
        const queue = this.desk.org.queue(w.queueNum);
        const effects = this.remove(w, LeaveReason.TIMEOUT, now);
        return queue === undefined ? effects : [...effects, ...this.overflow(w.call, queue, queue.timeoutAction === 'wait' ? 'hangup' : queue.timeoutAction, queue.timeoutTarget, now)];
      }
      case 'exclusive-fallback': {
        const w = this.byCall.get(timer.callId);
        return w === undefined ? [] : this.dispatch(w.queueNum, now);
      }
      case 'acd-sweep':
        return [...this.sweep(now), setTimer({ kind: 'acd-sweep' }, this.options.sweepIntervalSeconds * 1000)];
      case 'agent-retry':
        this.sittingOut.delete(timer.agentId);
        return this.dispatchForAgent(timer.agentId, now);
      case 'queue-figures':
        return this.wallboard.onTimer(timer.queueNum, now);
      default:
        return [];
    }
  }

  /**
   * Repairs what should never happen: a customer whose channel is gone still queued, an
   * offer leg that no longer exists, an agent left RING with no call; then distributes
   * again. Each repair is a bug made harmless: they are logged through the operation log.
   */
  private sweep(now: number): CoreEffect[] {
    const effects: CoreEffect[] = [];
    for (const w of [...this.byCall.values()]) {
      const customer = w.call.customer;
      if (customer === undefined || customer.ended || w.call.ended) effects.push(...this.remove(w, LeaveReason.HUNG_UP, now));
      for (const uuid of [...w.offering]) if (w.call.leg(uuid)?.ended !== false) w.offering.delete(uuid);
    }
    for (const session of this.desk.agents.allSessions()) {
      const agentId = session.profile.agentId;
      if (session.machine.status === AgentStatus.RING && this.desk.registry.ofAgent(agentId) === undefined) {
        effects.push(...this.desk.agentInput(agentId, { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 0 }, 'system', 'sweep', now));
      }
    }
    for (const queueNum of this.queues.keys()) effects.push(...this.dispatch(queueNum, now));
    return effects;
  }

  // ── membership (seed 001) ──────────────────────────────────────────────────

  join(agentId: string, queueNum: string, now: number): { changed: boolean; effects: CoreEffect[] } {
    const member = this.desk.org.addMember(queueNum, agentId);
    if (member === undefined) return { changed: false, effects: [] };
    return {
      changed: true,
      effects: [{ type: 'save-membership', queueNum, agentId, member: true, position: member.position }, ...this.dispatch(queueNum, now)],
    };
  }

  leave(agentId: string, queueNum: string, now: number): { changed: boolean; effects: CoreEffect[] } {
    const changed = this.desk.org.removeMember(queueNum, agentId);
    const effects: CoreEffect[] = changed ? [{ type: 'save-membership', queueNum, agentId, member: false, position: 0 }] : [];
    // A pause in a queue the agent left ends with it, in SQLite too (or a restart would bring it back).
    if (this.paused.get(queueNum)?.delete(agentId) === true) effects.push({ type: 'save-pause', queueNum, agentId, reason: null, at: now, paused: false });
    return { changed, effects };
  }

  /** Pauses (or unpauses) an agent in one queue only: its status elsewhere does not change. */
  pause(agentId: string, queueNum: string, paused: boolean, reason: string | null, now: number): { changed: boolean; effects: CoreEffect[] } {
    const pauses = this.pausesOf(queueNum);
    if (pauses.has(agentId) === paused) return { changed: false, effects: [] };
    if (paused) pauses.set(agentId, reason);
    else pauses.delete(agentId);
    const effects: CoreEffect[] = [{ type: 'save-pause', queueNum, agentId, reason, at: now, paused }];
    if (!paused) effects.push(...this.dispatch(queueNum, now));
    return { changed: true, effects };
  }

  /**
   * The organisation changed (an import, the admin API): a pause whose membership is gone
   * ends with it (in SQLite too), and every queue with customers waiting is dispatched
   * again, so that its new members are offered a call at once.
   */
  organisationChanged(now: number): CoreEffect[] {
    const effects: CoreEffect[] = [];
    for (const [queueNum, pauses] of this.paused) {
      const members = new Set(this.desk.org.membersOfQueue(queueNum).map((m) => m.agentId));
      for (const agentId of [...pauses.keys()]) {
        if (members.has(agentId)) continue;
        pauses.delete(agentId);
        effects.push({ type: 'save-pause', queueNum, agentId, reason: null, at: now, paused: false });
      }
    }
    for (const queueNum of this.queues.keys()) effects.push(...this.dispatch(queueNum, now));
    return effects;
  }

  /** The agent's phone could not be reached lately: no offers until its retry time. */
  isSittingOut(agentId: string): boolean {
    return this.sittingOut.has(agentId);
  }

  isPaused(queueNum: string, agentId: string): boolean {
    return this.paused.get(queueNum)?.has(agentId) === true;
  }

  // ── what monitoring reads ──────────────────────────────────────────────────

  /** Customer_Info_Struct of each customer waiting in a queue, in the order they will be served. */
  customersOf(queueNum: string, now: number): FieldRecord[] {
    const queue = this.desk.org.queue(queueNum);
    const list = this.waitingIn(queueNum);
    return list.map((w, i) => customerInfo(w, queue?.name ?? '', list.length, i + 1, now, this.desk.deps.formatTime));
  }

  /** The wallboard's figures of a queue today, now (Queue_Statis_Struct's added fields). */
  figuresOf(queue: Queue, now: number): Record<string, string> {
    return this.wallboard.queueFields(queue, now);
  }

  /** The same for a tenant's queues together: the whole centre. */
  centreFiguresOf(accountId: string, now: number): Record<string, string> {
    return this.wallboard.centreFields(accountId, now);
  }

  /** The customers waiting in a queue, in the order they will be served. */
  waitingIn(queueNum: string): readonly WaitingCustomer[] {
    return this.queues.get(queueNum)?.inOrder() ?? [];
  }

  /** Who receives a queue's events now: its members (who asked, with queueEvents `asked`) and their supervisors. */
  recipientsOf(queueNum: string): readonly string[] {
    return this.audience.of(queueNum);
  }

  /** The agents a customer of this queue (with no exclusive agent) could be offered now. */
  candidatesOf(queueNum: string, now: number): Candidate[] {
    const queue = this.desk.org.queue(queueNum);
    return queue === undefined ? [] : this.candidates(queue, now);
  }

  waitingCount(queueNum: string): number {
    return this.queues.get(queueNum)?.length ?? 0;
  }

  /** The earliest enter time of the customers waiting in a queue, or in all of a tenant's queues. */
  earliestEnter(accountId: string, queueNum?: string): number | undefined {
    if (queueNum !== undefined) return this.queues.get(queueNum)?.earliestEnter();
    let min: number | undefined;
    for (const [q, list] of this.queues) {
      if (list.length === 0 || this.desk.org.queue(q)?.accountId !== accountId) continue;
      const first = list.earliestEnter();
      if (first !== undefined && (min === undefined || first < min)) min = first;
    }
    return min;
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private listOf(queueNum: string): WaitingLine {
    let list = this.queues.get(queueNum);
    if (list === undefined) this.queues.set(queueNum, (list = new WaitingLine()));
    return list;
  }

  private exclusivesOf(agentId: string): Set<WaitingCustomer> {
    let set = this.exclusiveOf.get(agentId);
    if (set === undefined) this.exclusiveOf.set(agentId, (set = new Set()));
    return set;
  }

  private routingOf(queueNum: string): RoutingState {
    let state = this.routing.get(queueNum);
    if (state === undefined) this.routing.set(queueNum, (state = { lastPosition: undefined }));
    return state;
  }

  private pausesOf(queueNum: string): Map<string, string | null> {
    let pauses = this.paused.get(queueNum);
    if (pauses === undefined) this.paused.set(queueNum, (pauses = new Map()));
    return pauses;
  }

  private anyMemberSignedIn(queue: Queue): boolean {
    return this.desk.org.membersOfQueue(queue.queueNum).some((m) => this.desk.agents.session(m.agentId) !== undefined);
  }

  /** Hold music (after a position announcement when the queue announces positions). */
  private music(call: Call, queue: Queue, position: number): CoreEffect[] {
    const uuid = call.customerUuid;
    if (uuid === undefined) return [];
    if (queue.announcePosition && position <= 99) {
      return [this.desk.switch({ op: 'playback', uuid, source: { kind: 'file', path: `${this.options.positionPromptDir}/position-${position}.wav` }, legs: 'this' })];
    }
    return [this.desk.switch({ op: 'playback', uuid, source: musicOf(queue.musicOnHold), legs: 'this' })];
  }

  /** One event object for every recipient: the codecs encode its fields once per format. */
  private toRecipients(queueNum: string, event: AgentEvent): CoreEffect[] {
    return this.audience.of(queueNum).map((to) => ({ type: 'send', agentId: to, event }));
  }
}
