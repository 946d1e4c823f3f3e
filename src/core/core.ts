/**
 * The core's one entry point: `handle(input, now) → effects` for every input — an agent's
 * command, an HTTP command, a switch event or command result, a fired timer, a change of
 * the stored organisation — with read-only queries beside it (agents, calls, queues,
 * leave, stats, lists, org, sign-in refusals).
 *
 * A step runs to completion (XState's macrostep): the part of the core the input is for
 * decides; what it decided that others care about is raised as a domain event on an
 * internal queue (domain-events.ts); only when the step is done does the entry point hand
 * those events, in order, to the leave workflow, the statistics, the ACD and the records,
 * whose reactions may raise more. So the effects of a step come before the effects of what
 * it caused, and no service calls back into another in the middle of its own step.
 *
 * No I/O and no clock: `now` comes in, effects go out as data, and the engine carries out
 * all effects of one call to handle() together (in one SQLite transaction).
 */
import type { SavedSessionToken, TokenHash } from './session-tokens.js';
import { AgentService, type AgentServiceOptions, type Decision } from './agent-service.js';
import { AgentStatus, isCustomStatusNumber } from './agent-status.js';
import { CallDesk, type CallOptions } from './calls/call-desk.js';
import { CallService } from './calls/call-service.js';
import { OpenCallJournal } from './calls/open-call-journal.js';
import { DomainEvents, type DomainEvent } from './domain-events.js';
import type { CoreEffect, CoreTimer } from './effects.js';
import type { CallCommand, CoreInput, CoreInputType, ReplyOf, SupervisorAction } from './inputs.js';
import { LeaveService, type LeaveServiceOptions } from './leave-service.js';
import { tenantPart, withTenantPart, type Organisation, type OrganisationData } from './organisation.js';
import type { CoreQueries } from './queries.js';
import { Outcome } from './outcomes.js';
import type { SwitchStatus } from './ports/switch-port.js';
import { CustomerLists, type CustomerEntry, type CustomerListsData } from './queues/customer-lists.js';
import { QueueService, type PauseRecord, type QueueOptions } from './queues/queue-service.js';
import { builtInKind, DailyStats, type StatsRow } from './records/daily-stats.js';
import { callFacts, PushFacts } from './records/push-facts.js';
import { SigninAttempts } from './signin-attempts.js';
import type { SigninGuardOptions } from './signin-guard.js';
import type { NumberDirectory } from '../numbers/customer-number.js';
import type { DayClock, TimeFormat } from '../time-format.js';

export interface CoreOptions {
  readonly agent: Pick<AgentServiceOptions, 'duplicateSignin' | 'resumeGraceSeconds' | 'leaveRequiresApproval'>;
  readonly leave: Pick<LeaveServiceOptions, 'applyTimeoutSeconds' | 'approvalTimeoutSeconds'>;
  readonly calls: CallOptions;
  readonly acd: Omit<QueueOptions, 'random'>;
  readonly stats: { readonly maxRestSeconds: number };
  readonly signin: SigninGuardOptions;
}

/** What the core is built from: the organisation, its options, its ports, and what the store kept. */
export interface CoreSetup {
  readonly org: Organisation;
  readonly options: CoreOptions;
  readonly formatTime: TimeFormat;
  readonly days: DayClock;
  readonly numbers: NumberDirectory;
  /** What the switch can tell without being asked (nodes up, registrations). */
  readonly switchStatus: SwitchStatus;
  /** Ids of calls and sign-in tokens. */
  readonly newId: () => string;
  /** How a sign-in token is hashed for keeping (store/session-token-store.ts). */
  readonly hashToken: TokenHash;
  /** Random numbers for the `random` queue strategy (tests pass a seeded one). */
  readonly random: () => number;
  /** What the store kept from earlier runs. */
  readonly stored: {
    readonly lists: CustomerListsData;
    readonly pauses: readonly PauseRecord[];
    /** Today's statistics rows. */
    readonly stats: readonly StatsRow[];
    readonly firstLeaveId: number;
    /** Session tokens an earlier run issued that a sign-in may still present (core/session-tokens.ts). */
    readonly sessionTokens: readonly SavedSessionToken[];
  };
}

/** What one step decided: its outcome (0 or a core outcome code), its effects, and what the input answers. */
export type Step<T extends CoreInputType = CoreInputType> = { readonly code: number; readonly effects: readonly CoreEffect[] } & ReplyOf<T>;

/** Which part of the core owns a timer: a fired timer goes to its owner alone. */
const TIMER_OWNER = {
  'wrap-up-end': 'agents',
  'resume-grace-end': 'agents',
  'leave-apply-timeout': 'leave',
  'leave-approval-timeout': 'leave',
  'grade-timeout': 'calls',
  'node-lost': 'calls',
  'queue-timeout': 'queues',
  'exclusive-fallback': 'queues',
  'acd-sweep': 'queues',
  'agent-retry': 'queues',
  'queue-figures': 'queues',
} as const satisfies Record<CoreTimer['kind'], 'agents' | 'leave' | 'calls' | 'queues'>;

export class Core {
  /** What may be read beside the entry point (queries.ts). */
  readonly queries: CoreQueries;
  private readonly org: Organisation;
  private readonly agents: AgentService;
  private readonly leave: LeaveService;
  private readonly stats: DailyStats;
  private readonly calls: CallService;
  private readonly queues: QueueService;
  private readonly lists: CustomerLists;
  /** What the business systems are told (webhooks): push facts from the domain events. */
  private readonly pushes: PushFacts;
  private readonly events = new DomainEvents();
  private readonly signins: SigninAttempts;
  private readonly openCalls: OpenCallJournal;
  private readonly switchStatus: SwitchStatus;
  private stepping = false;

  constructor(setup: CoreSetup) {
    const { org, options, switchStatus } = setup;
    this.org = org;
    this.switchStatus = switchStatus;
    // With no node connected the switch cannot tell: sign-in then does not refuse (-11) on a guess.
    const isRegistered = (exten: string): boolean | undefined => (switchStatus.ready() ? switchStatus.isRegistered(exten) : undefined);
    this.agents = new AgentService(
      org,
      {
        ...options.agent,
        isExtensionRegistered: isRegistered,
        newGuid: setup.newId,
        savedTokens: setup.stored.sessionTokens,
        hashToken: setup.hashToken,
        customerChannelOf: (agentId) => this.calls.customerChannelOf(agentId),
      },
      this.events,
    );
    this.leave = new LeaveService(org, this.agents, { ...options.leave, formatTime: setup.formatTime, firstApplicationId: setup.stored.firstLeaveId });
    this.stats = new DailyStats({
      days: setup.days,
      kindOf: (accountId, status) => (isCustomStatusNumber(status) ? org.customStatus(accountId, status)?.kind : builtInKind(status)),
      maxRestSeconds: options.stats.maxRestSeconds,
    });
    this.stats.load(setup.stored.stats);
    const desk = new CallDesk({
      org,
      agents: this.agents,
      stats: this.stats,
      events: this.events,
      numbers: setup.numbers,
      options: options.calls,
      newId: setup.newId,
      formatTime: setup.formatTime,
      switchReady: () => switchStatus.ready(),
      isRegistered,
    });
    this.lists = new CustomerLists(setup.stored.lists);
    this.queues = new QueueService(desk, this.lists, { ...options.acd, random: setup.random }, setup.stored.pauses, setup.days);
    this.calls = new CallService(desk, this.queues);
    this.openCalls = new OpenCallJournal(desk);
    this.pushes = new PushFacts(org, (agentId) => {
      const call = this.calls.callOf(agentId);
      return call === undefined ? undefined : callFacts(call, org);
    });
    this.signins = new SigninAttempts(options.signin, { org, supervisorsOf: (groupId) => this.agents.supervisorsOf(groupId), formatTime: setup.formatTime });
    this.queries = { org, agents: this.agents, leave: this.leave, calls: this.calls, queues: this.queues, stats: this.stats, lists: this.lists, signin: this.signins };
  }

  /**
   * Runs one input to completion: its own decision, then the reactions to the domain
   * events it raised (and to those the reactions raised), in order.
   */
  handle<I extends CoreInput>(input: I, now: number): Step<I['type']> {
    if (this.stepping) throw new Error(`core re-entered with ${input.type} during a step`);
    this.stepping = true;
    try {
      const step = this.decide(input, now);
      const effects = [...step.effects];
      for (let event = this.events.next(); event !== undefined; event = this.events.next()) effects.push(...this.react(event, now));
      // The calls this step changed, written down as they are now (a crash loses none).
      effects.push(...this.openCalls.changes(now));
      return { ...step, effects } as Step<I['type']>;
    } finally {
      this.stepping = false;
    }
  }

  private decide(input: CoreInput, now: number): { readonly code: number; readonly effects: readonly CoreEffect[] } {
    switch (input.type) {
      case 'signin':
        return this.signIn(input, now);
      case 'signin-refused':
        return done([this.signins.refused(input.agentId, input.code, input.reason, input.exten, input.remote, now)]);
      case 'unlock-agent':
        return this.signins.unlock(input.target, input.by, now);
      case 'signout':
        return this.signOut(input.agentId, now);
      case 'connection-lost':
        return this.agents.connectionLost(input.agentId, input.connectionId, now);
      case 'set-status':
        return this.setStatus(input.agentId, input.target, input.needsApproval, now);
      case 'force-status':
        return this.forceStatus(input.agentId, input.target, input.status, now);
      case 'set-after-hangup':
        return { code: this.agents.setAfterHangup(input.agentId, input.status), effects: [] };
      case 'watch-queues':
        return { code: this.agents.watchQueues(input.agentId, input.queues), effects: [] };
      case 'set-password':
        return this.setPassword(input.agentId, input.hash, now);
      case 'leave-apply':
        return this.leave.apply(input.agentId, input.target, now);
      case 'leave-cancel':
        return this.leave.cancel(input.agentId, input.target, now);
      case 'leave-approve':
        return this.leave.approve(input.agentId, input.applicant, input.target, input.passFlag, now);
      case 'leave-thresholds':
        return this.leave.setThresholds(input.query, input.maxNum);
      case 'call':
        return this.call(input.agentId, input.command, now);
      case 'supervise':
        return this.supervise(input.agentId, input.target, input.action, now);
      case 'agent-input':
        return this.agents.apply(input.agentId, input.input, input.causedBy, input.operation, now);
      case 'queue-join':
        return code0(this.queues.join(input.agentId, input.queueNum, now));
      case 'queue-leave':
        return code0(this.queues.leave(input.agentId, input.queueNum, now));
      case 'queue-pause':
        return code0(this.queues.pause(input.agentId, input.queueNum, input.paused, input.reason, now));
      case 'blacklist':
        return this.blacklist(input.accountId, input.number, input.on, input.reason, now);
      case 'exten-spy':
        return this.calls.spy(input.accountId, input.src, input.dst, now);
      case 'click-to-dial':
        return this.calls.clickToDial(input.accountId, input.src, input.dst, now);
      case 'extension-hangup':
        return this.calls.hangupExtension(input.accountId, input.extension);
      case 'extension-transfer':
        return this.calls.transferExtension(input.accountId, input.src, input.dst, now);
      case 'switch-event':
        return done(this.calls.onSwitchEvent(input.event, now));
      case 'switch-result':
        return done(this.calls.onSwitchResult(input.ref, input.result, now));
      case 'overload':
        this.queues.overload.set(input.on);
        return done([]);
      case 'timer':
        return done(this.timer(input.timer, now));
      case 'organisation-replaced':
        return done(this.replaceOrganisation(input.data, [], now));
      case 'organisation-edit': {
        const before = this.org.snapshot();
        const stored: CoreEffect = { type: 'save-organisation', accountId: input.accountId, before: tenantPart(before, input.accountId), after: input.data, at: now };
        return done(this.replaceOrganisation(withTenantPart(before, input.accountId, input.data), [stored], now));
      }
      case 'customer-entry':
        return this.customerEntry(input.accountId, input.number, input.entry);
      case 'start':
        return done([...this.agents.restoreSuspended(now), ...this.queues.start(), ...(input.openCalls.length > 0 ? this.calls.holdOver(input.openCalls, now) : [])]);
      case 'shutdown':
        return done([...this.agents.signOutAll(input.reason, now), ...this.calls.saveOpenCalls(now)]);
    }
  }

  /** The reactions to one domain event, in a fixed order: leave workflow, statistics, ACD, records (the CDR, then the pushes). */
  private react(event: DomainEvent, now: number): CoreEffect[] {
    switch (event.type) {
      case 'agent-status-changed':
        return [
          ...this.leave.statusChanged(event, now),
          ...this.stats.statusChanged(event.agentId, event.accountId, event.from, event.fromSince, event.to, event.at),
          ...this.queues.agentStatusChanged(event, now),
          ...this.pushes.react(event),
        ];
      case 'agent-counted':
        return this.stats.count(event.agentId, event.accountId, event.field, event.at);
      case 'call-ended':
        return [{ type: 'save-cdr', cdr: event.cdr }, ...this.queues.callEnded(event.cdr, now), ...this.pushes.react(event)];
      case 'call-progress':
        return this.pushes.react(event);
    }
  }

  // ── agents ─────────────────────────────────────────────────────────────────

  private signIn(input: Extract<CoreInput, { type: 'signin' }>, now: number): Decision & { resumed: boolean; guid: string } {
    const checked = this.signins.check(input.request.agentId, input.address, input.passwordOk, now);
    if (checked.code !== 0) return { ...checked, resumed: false, guid: '' };
    const signedIn = this.agents.signIn(input.request, now);
    if (signedIn.code !== 0 || signedIn.resumed) return signedIn;
    return { ...signedIn, effects: [...signedIn.effects, ...this.calls.giveBack(input.request.agentId, now)] };
  }

  /**
   * An agent leaving while a customer's call rings it does not leave the customer waiting
   * for the ring timeout: the call core takes the offer back first, then the agent goes.
   */
  private withdrawRinging(agentId: string, now: number): CoreEffect[] {
    const status = this.agents.statusOf(agentId);
    // CAMP_ON: a supervisor's leg still being dialled.
    return status === AgentStatus.RING || status === AgentStatus.CAMP_ON ? this.calls.withdrawOffer(agentId, now) : [];
  }

  private signOut(agentId: string, now: number): Decision {
    if (this.agents.session(agentId) === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
    const withdrawn = this.withdrawRinging(agentId, now);
    const out = this.agents.signOut(agentId, agentId, null, now);
    return { code: out.code, effects: [...withdrawn, ...out.effects] };
  }

  private setStatus(agentId: string, target: string, needsApproval: boolean, now: number): Decision & { deferred: boolean } {
    // Asking for LEAVE "with approval" is an application, as applychangestatus.
    if (needsApproval && target === String(AgentStatus.LEAVE)) return { ...this.leave.apply(agentId, target, now), deferred: false };
    const profile = this.org.agent(agentId);
    if (profile === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [], deferred: false };
    const checked = this.agents.checkOwnTarget(profile.accountId, target);
    if (checked.code !== 0 || checked.status === undefined) return { code: checked.code, effects: [], deferred: false };
    const outcome = this.agents.setOwnStatus(agentId, checked.status, now);
    return { ...outcome, deferred: outcome.deferred === true };
  }

  private forceStatus(byAgentId: string, targetAgentId: string, statusText: string, now: number): Decision {
    const checked = this.agents.checkForce(byAgentId, targetAgentId, statusText);
    if (checked.code !== 0 || checked.status === undefined) return { code: checked.code, effects: [] };
    const withdrawn = checked.status === AgentStatus.OFFLINE ? this.withdrawRinging(targetAgentId, now) : [];
    const out = this.agents.forceStatus(byAgentId, targetAgentId, checked.status, now);
    return { code: out.code, effects: [...withdrawn, ...out.effects] };
  }

  private setPassword(agentId: string, hash: string, now: number): Decision {
    const profile = this.org.agent(agentId);
    if (profile === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
    profile.passwordHash = hash;
    return { code: 0, effects: [{ type: 'save-password', agentId, hash, at: now }] };
  }

  /**
   * The core works on a new organisation from this step on (the store's, after an import; the
   * admin API's edit, whose rows `stored` writes): pauses of members gone end, waiting
   * customers are offered to the queues' new members, and signed-in agents whose own
   * settings changed are told to sign in again (WarnAgentResigninEvent).
   */
  private replaceOrganisation(data: OrganisationData, stored: readonly CoreEffect[], now: number): CoreEffect[] {
    const before = new Map([...this.org.allAgents()].map((a) => [a.agentId, a] as const));
    this.org.replace(data);
    for (const agentId of before.keys()) if (this.org.agent(agentId) === undefined) this.lists.forgetAgent(agentId);
    return [...stored, ...this.queues.organisationChanged(now), ...this.agents.organisationChanged(before, now)];
  }

  // ── calls and queues ───────────────────────────────────────────────────────

  private call(agentId: string, c: CallCommand, now: number): Decision {
    const calls = this.calls;
    // With no switch node connected a command cannot reach the switch: -60 at once, instead
    // of 0 now and a ServerResponse when its switch command fails (a callout says -57 itself).
    if (c.kind !== 'callout' && !this.switchStatus.ready()) return { code: Outcome.CALL_MODULE_FAILED, effects: [] };
    switch (c.kind) {
      case 'callout':
        return calls.callout({ agentId, calledID: c.calledID, displayNum: c.displayNum, customerForeignId: c.customerForeignId }, now);
      case 'callagent':
        return calls.callAgent(agentId, c.callee, now);
      case 'answer':
        return calls.answer(agentId);
      case 'hangup':
        return calls.hangup(agentId);
      case 'hold':
        return calls.hold(agentId, c.on);
      case 'mute':
        return calls.mute(agentId, c.on);
      case 'consult':
        return calls.consult(agentId, c.target, c.outbound, now);
      case 'stopconsult':
        return calls.stopConsult(agentId);
      case 'consulttransfer':
        return calls.consultTransfer(agentId, now);
      case 'threeway':
        return calls.threeWay(agentId, c.target, c.outbound, now);
      case 'threewaycancel':
        return calls.threeWayCancel(agentId);
      case 'transferagent':
        return calls.transferAgent(agentId, c.target, c.outbound, now);
      case 'transferivr':
        return calls.transferIvr(agentId, c.target, now);
      case 'transferivrprofile':
        return calls.transferIvrProfile(agentId, c.target, now);
      case 'transferqueue':
        return calls.transferQueue(agentId, c.target, now);
      case 'grade':
        return calls.grade(agentId, c.language, now);
      case 'check':
        return calls.check(agentId, now);
      case 'senddtmf':
        return calls.sendDtmf(agentId, c.digits);
    }
  }

  private supervise(supervisorId: string, target: string, action: SupervisorAction, now: number): Decision {
    switch (action) {
      case 'listen':
      case 'whisper':
      case 'bargein':
        return this.calls.intervene(supervisorId, target, action, now);
      case 'forcehangup':
        return this.calls.forceHangup(supervisorId, target, now);
      case 'rop':
        return this.calls.rop(supervisorId, target, now);
    }
  }

  private blacklist(accountId: string, number: string, on: boolean, reason: string | null, now: number): Decision & { changed: boolean } {
    const changed = this.lists.isBlacklisted(accountId, number) !== on;
    if (!changed) return { code: 0, effects: [], changed };
    this.lists.setBlacklisted(accountId, number, on);
    return { code: 0, effects: [{ type: 'save-blacklist', accountId, number, on, reason, at: now }], changed };
  }

  private customerEntry(accountId: string, number: string, entry: CustomerEntry | null): Decision & { changed: boolean } {
    const changed = this.lists.setCustomer(accountId, number, entry);
    return { code: 0, effects: changed ? [{ type: 'save-customer', accountId, number, entry }] : [], changed };
  }

  // ── time ───────────────────────────────────────────────────────────────────

  /** A fired timer goes to the part of the core that set it, and to it alone. */
  private timer(timer: CoreTimer, now: number): CoreEffect[] {
    switch (TIMER_OWNER[timer.kind]) {
      case 'agents':
        // The grace is over while a call rings the agent: the offer is taken back first.
        if (timer.kind === 'resume-grace-end' && this.agents.graceRunsOut(timer)) return [...this.withdrawRinging(timer.agentId, now), ...this.agents.onTimer(timer, now)];
        return this.agents.onTimer(timer, now);
      case 'leave':
        return this.leave.onTimer(timer, now);
      case 'calls':
        return this.calls.onTimer(timer, now);
      case 'queues':
        return this.queues.onTimer(timer, now);
    }
  }
}

function done(effects: readonly CoreEffect[]): { code: number; effects: readonly CoreEffect[] } {
  return { code: 0, effects };
}

function code0<T extends { effects: CoreEffect[] }>(result: T): T & { code: number } {
  return { ...result, code: 0 };
}
