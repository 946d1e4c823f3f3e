/**
 * Signed-in agents: presence (sign-in, sign-out, duplicate sign-in, resume after a
 * dropped connection), status (own changes, forced changes, wrap-up), and who hears
 * about it (the agent, and the supervisors whose role monitors its group).
 *
 * Pure in the sense that matters: no sockets, no SQLite, no timers, no clock. Every
 * method takes `now` and returns effects for the engine to carry out.
 */
import { agentEvent, outcomeText, type AgentEvent } from './agent-event.js';
import { AgentStatus, isCallStatus, isCustomStatusNumber, isSelectableStatus, parseStatus } from './agent-status.js';
import { OFFLINE_STATE, transition, type AgentInput, type AgentMachineState } from './agent-machine.js';
import type { DomainEvents } from './domain-events.js';
import { cancelTimer, setTimer, type CoreEffect, type CoreTimer } from './effects.js';
import { sameAgentSettings, type AgentProfile, type Organisation } from './organisation.js';
import { Outcome } from './outcomes.js';
import { SavedSessionTokens, sameHash, type SavedSessionToken, type SuspendedSession, type TokenHash } from './session-tokens.js';

export interface AgentServiceOptions {
  readonly duplicateSignin: 'kick' | 'reject';
  readonly resumeGraceSeconds: number;
  /** Status 7 only through an approved leave application. */
  readonly leaveRequiresApproval: boolean;
  /** Whether an extension is registered: undefined while no switch can tell. */
  readonly isExtensionRegistered: (exten: string) => boolean | undefined;
  readonly newGuid: () => string;
  /** Tokens of sessions an earlier run ended (shutdown or crash) that may still be presented. */
  readonly savedTokens: readonly SavedSessionToken[];
  /** How a session token is hashed for keeping (SHA-256, hex). */
  readonly hashToken: TokenHash;
  /**
   * customer_enter_channel of an agent (seed: 客户进线通道): the access number of the customer
   * call it rings for or talks on; empty when none. A read of the call registry, never a change.
   */
  readonly customerChannelOf: (agentId: string) => string;
}

/** One signed-in agent (also while its connection is gone, within the resume grace). */
export interface AgentSession {
  readonly profile: AgentProfile;
  machine: AgentMachineState;
  /** Undefined while the connection is gone and the session waits for a resume. */
  connectionId: string | undefined;
  guid: string;
  bindExten: boolean;
  exten: string | null;
  extenIsOutbound: boolean;
  readonly signedInAt: number;
  remote: string | null;
  /** Signed out by the grace timer while on a call: sign out when the call ends. */
  signOutWhenFree: boolean;
  /** Set by the leave workflow while an approved leave waits for the agent to be free. */
  leaveApplicationId: number | undefined;
  /**
   * AgentStateAfterHangup of this session (seed 002; the bar's tsddbAfterHangup): where the
   * agent goes when a call it talked on ends; null: ACW after customer calls. Starts as the
   * organisation file's afterHangupStatus; the bar may choose another.
   */
  afterHangupStatus: number | null;
  /**
   * The queues whose customers the bar asked for in this session (getcustomerofqueue), or
   * 'mine' (getcustomerofmyqueue: every queue the agent is a member of). With
   * acd.queueEvents `asked` only these bring the agent the queue events.
   */
  watched: Set<string> | 'mine';
}

export function watchesQueue(session: AgentSession, queueNum: string): boolean {
  return session.watched === 'mine' || session.watched.has(queueNum);
}

export interface SignInRequest {
  readonly agentId: string;
  readonly connectionId: string;
  readonly bindExten: boolean;
  readonly exten: string | null;
  readonly extenIsOutbound: boolean;
  /** Already parsed; validity against this tenant's statuses is checked here. */
  readonly initStatus: number;
  readonly remote: string | null;
  /** The session token the sign-in presented, when it proved the agent (AgentService.tokenProves). */
  readonly token?: string;
}

export interface SignInOutcome {
  readonly code: number;
  readonly resumed: boolean;
  readonly guid: string;
  readonly effects: CoreEffect[];
}

export interface Decision {
  readonly code: number;
  readonly effects: CoreEffect[];
}

const ok = (effects: CoreEffect[]): Decision => ({ code: 0, effects });
const fail = (code: number): Decision => ({ code, effects: [] });
const NO_AGENTS: ReadonlySet<string> = new Set();

export class AgentService {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly byExten = new Map<string, string>();
  private readonly byGuid = new Map<string, string>();
  private readonly savedTokens: SavedSessionTokens;
  /**
   * Sessions restored at start from a shutdown's (restoreSuspended) whose bar has not come
   * back yet: only the hash of their token is known (their guid is '' until then).
   */
  private readonly restoredHash = new Map<string, string>();
  /** groupId → signed-in agents whose role monitors that group and has the monitor right. */
  private readonly supervisorsByGroup = new Map<string, Set<string>>();
  /**
   * Signed-in agents whose status is IDLE, kept at every change of a session's machine: the
   * ACD looks for free agents among these rather than among every member of a queue.
   */
  private readonly idle = new Set<string>();
  /**
   * queueNum → its members in `idle`: a queue's free agents are looked for among these (a
   * dispatch walked every IDLE agent of the centre and looked each one's membership up).
   * Kept with `idle` while the memberships stay as they were when it was built
   * (`idleByQueueAt`, the organisation's membership version); after a join, a leave or a
   * reload it is built again from `idle` when next read.
   */
  private readonly idleByQueue = new Map<string, Set<string>>();
  private idleByQueueAt = -1;
  /**
   * Moves on whenever who hears a queue's events may change (a session begins or ends, a bar
   * asks for queues, the supervisors of a group change): the ACD's recipient lists are kept
   * until it moves (queue-audience.ts).
   */
  private audience = 0;

  constructor(
    private readonly org: Organisation,
    private readonly options: AgentServiceOptions,
    /** Every status change is raised here (agent-status-changed) for the rest of the core. */
    private readonly events: DomainEvents,
  ) {
    this.savedTokens = new SavedSessionTokens(options.savedTokens, options.hashToken);
  }

  // ── reading ────────────────────────────────────────────────────────────────

  session(agentId: string): AgentSession | undefined {
    return this.sessions.get(agentId);
  }

  allSessions(): IterableIterator<AgentSession> {
    return this.sessions.values();
  }

  /** The signed-in agents whose status is IDLE now. */
  idleAgents(): ReadonlySet<string> {
    return this.idle;
  }

  /** The members of a queue whose status is IDLE now. */
  idleMembersOf(queueNum: string): ReadonlySet<string> {
    if (this.idleByQueueAt !== this.org.membershipVersion()) {
      this.idleByQueue.clear();
      for (const agentId of this.idle) this.indexIdle(agentId, true);
      this.idleByQueueAt = this.org.membershipVersion();
    }
    return this.idleByQueue.get(queueNum) ?? NO_AGENTS;
  }

  /** Changes whenever a queue's event recipients may have changed (see `audience`). */
  audienceVersion(): number {
    return this.audience;
  }

  onlineCount(): number {
    return this.sessions.size;
  }

  statusOf(agentId: string): number {
    return this.sessions.get(agentId)?.machine.status ?? AgentStatus.OFFLINE;
  }

  agentOfGuid(guid: string): string | undefined {
    return this.byGuid.get(guid);
  }

  /**
   * Whether a sign-in presenting `token` proves it is the agent without its password: the
   * token of the agent's session (connected elsewhere, or waiting for its resume), or one
   * a shutdown or crash of an earlier run left valid for the resume grace time.
   */
  tokenProves(agentId: string, token: string, now: number): boolean {
    const session = this.sessions.get(agentId);
    if (session === undefined) return this.savedTokens.proves(agentId, token, now);
    const restored = this.restoredHash.get(agentId);
    return restored === undefined ? this.byGuid.get(token) === agentId : sameHash(this.options.hashToken(token), restored);
  }

  agentOfExten(exten: string): string | undefined {
    return this.byExten.get(exten);
  }

  /** Signed-in supervisors who monitor `groupId` (the agent itself excluded by callers). */
  supervisorsOf(groupId: string | null): ReadonlySet<string> {
    return (groupId === null ? undefined : this.supervisorsByGroup.get(groupId)) ?? new Set();
  }

  /** Is this status one an agent of this tenant may pick by hand (RESTORE included)? */
  checkOwnTarget(accountId: string, text: string): { code: number; status?: number } {
    const status = parseStatus(text);
    if (status === undefined) return { code: Outcome.TARGET_STATUS_INVALID };
    if (status === AgentStatus.RESTORE) return { code: 0, status };
    return this.checkSelectable(accountId, status, Outcome.TARGET_STATUS_INVALID);
  }

  private checkSelectable(accountId: string, status: number, invalidCode: number): { code: number; status?: number } {
    if (isCustomStatusNumber(status)) {
      return this.org.customStatus(accountId, status) === undefined ? { code: invalidCode } : { code: 0, status };
    }
    if (isSelectableStatus(status)) {
      if (status === AgentStatus.LEAVE && this.options.leaveRequiresApproval) {
        return { code: Outcome.CANNOT_SWITCH_TO_TARGET_STATUS };
      }
      return { code: 0, status };
    }
    // A real Agent_Status the agent cannot choose (RING, TALKING, ACW …), or no status at all.
    return { code: status in AGENT_STATUS_VALUES ? Outcome.CANNOT_SWITCH_TO_TARGET_STATUS : invalidCode };
  }

  /** Where the agent goes when a call it talked on ends (null: ACW after customer calls). */
  afterHangupOf(agentId: string): number | null {
    const session = this.sessions.get(agentId);
    return session === undefined ? (this.org.agent(agentId)?.afterHangupStatus ?? null) : session.afterHangupStatus;
  }

  /** The bar asked for the customers of these queues ('mine': of all its own): it wants their queue events. */
  watchQueues(agentId: string, queues: readonly string[] | 'mine'): number {
    const session = this.sessions.get(agentId);
    if (session === undefined) return Outcome.NOT_SIGNED_IN;
    if (queues === 'mine') session.watched = 'mine';
    else if (session.watched !== 'mine') for (const q of queues) session.watched.add(q);
    this.audience++;
    return 0;
  }

  /**
   * The bar chooses AgentStateAfterHangup for its session: a state the agent may pick by
   * hand (0, 6, 7, 8 or a custom status), or 4 (ACW) for the seed's default.
   */
  setAfterHangup(agentId: string, text: string): number {
    const session = this.sessions.get(agentId);
    if (session === undefined) return Outcome.NOT_SIGNED_IN;
    const status = parseStatus(text);
    if (status === AgentStatus.ACW) {
      session.afterHangupStatus = null;
      return 0;
    }
    if (status === undefined) return Outcome.TARGET_STATUS_INVALID;
    const checked = this.checkSelectable(session.profile.accountId, status, Outcome.TARGET_STATUS_INVALID);
    if (checked.code === 0) session.afterHangupStatus = status;
    return checked.code;
  }

  // ── presence ───────────────────────────────────────────────────────────────

  signIn(req: SignInRequest, now: number): SignInOutcome {
    const profile = this.org.agent(req.agentId);
    if (profile === undefined) return { code: Outcome.AGENT_NOT_REGISTERED, resumed: false, guid: '', effects: [] };
    const existing = this.sessions.get(req.agentId);
    if (existing !== undefined) return this.takeOver(existing, req, now);

    if (req.initStatus === AgentStatus.RESTORE || req.initStatus === AgentStatus.OFFLINE) {
      return { code: Outcome.INITSTATUS_INVALID, resumed: false, guid: '', effects: [] };
    }
    const init = this.checkSelectable(profile.accountId, req.initStatus, Outcome.INITSTATUS_INVALID);
    if (init.code !== 0) {
      const code = init.code === Outcome.CANNOT_SWITCH_TO_TARGET_STATUS ? Outcome.INITSTATUS_INVALID : init.code;
      return { code, resumed: false, guid: '', effects: [] };
    }
    const extenCode = this.checkExten(req, undefined);
    if (extenCode !== 0) return { code: extenCode, resumed: false, guid: '', effects: [] };

    const result = transition(OFFLINE_STATE, { type: 'SIGN_IN', initStatus: req.initStatus }, now);
    if (!result.ok) return { code: result.code, resumed: false, guid: '', effects: [] };
    const session: AgentSession = {
      profile,
      machine: result.state,
      connectionId: req.connectionId,
      guid: this.options.newGuid(),
      bindExten: req.bindExten,
      exten: req.bindExten ? req.exten : null,
      extenIsOutbound: req.extenIsOutbound,
      signedInAt: now,
      remote: req.remote,
      signOutWhenFree: false,
      leaveApplicationId: undefined,
      afterHangupStatus: profile.afterHangupStatus,
      watched: new Set(),
    };
    this.sessions.set(profile.agentId, session);
    this.noteStatus(session);
    this.byGuid.set(session.guid, profile.agentId);
    this.savedTokens.forget(profile.agentId);
    if (session.exten !== null) this.byExten.set(session.exten, profile.agentId);
    this.addSupervisor(profile);

    const effects: CoreEffect[] = [
      this.send(profile.agentId, 'SignInEvent', now, { AgentID: profile.agentId, blnSuccess: 'true', Reason: outcomeText(Outcome.OK) }),
      this.send(profile.agentId, 'GetRoleNameEvent', now, { roleName: this.org.role(profile.roleId)?.name ?? '' }),
      ...this.statusChanged(session, AgentStatus.OFFLINE, now),
      this.log(session, 'signin', AgentStatus.OFFLINE, session.machine.status, profile.agentId, null, now),
      this.keepToken(session, null),
    ];
    return { code: 0, resumed: false, guid: session.guid, effects };
  }

  /**
   * A sign-in for an agent that already has a session: a resume (its connection is
   * gone), a kick (policy `kick`), or a refusal (policy `reject`, or the same connection).
   */
  private takeOver(session: AgentSession, req: SignInRequest, now: number): SignInOutcome {
    const agentId = session.profile.agentId;
    if (session.connectionId === req.connectionId) return { code: Outcome.DUPLICATE_SIGNIN, resumed: false, guid: '', effects: [] };
    const kicking = session.connectionId !== undefined;
    if (kicking && this.options.duplicateSignin === 'reject') {
      return { code: Outcome.DUPLICATE_SIGNIN, resumed: false, guid: '', effects: [] };
    }
    // A free agent may move to another phone; one on a call keeps the phone the call is on.
    const onCall = isCallStatus(session.machine.status);
    if (!onCall) {
      const extenCode = this.checkExten(req, agentId);
      if (extenCode !== 0) return { code: extenCode, resumed: false, guid: '', effects: [] };
    }
    const effects: CoreEffect[] = [];
    if (kicking) {
      effects.push(
        this.send(agentId, 'KickOutEvent', now, {
          AgentID: agentId,
          retCode: Outcome.DUPLICATE_SIGNIN,
          Reason: 'Signed in from another connection',
        }),
        { type: 'close-connection', connectionId: session.connectionId!, reason: 'kicked by a new sign-in' },
      );
      // The old holder of the token must not keep using it.
      this.byGuid.delete(session.guid);
      session.guid = this.options.newGuid();
      this.byGuid.set(session.guid, agentId);
      effects.push(this.keepToken(session, null));
    } else {
      effects.push(cancelTimer({ kind: 'resume-grace-end', agentId, guid: session.guid }));
      if (this.restoredHash.delete(agentId)) {
        // Restored after a restart: the token it proved itself with is its guid again (a
        // sign-in by password gets a new one, as a kick does).
        session.guid = req.token ?? this.options.newGuid();
        this.byGuid.set(session.guid, agentId);
        effects.push(this.keepToken(session, null));
      }
    }
    session.connectionId = req.connectionId;
    session.remote = req.remote;
    if (!onCall) this.rebind(session, req);
    const status = session.machine.status;
    effects.push(
      this.send(agentId, 'SignInEvent', now, { AgentID: agentId, blnSuccess: 'true', Reason: outcomeText(Outcome.OK) }),
      this.send(agentId, 'GetRoleNameEvent', now, { roleName: this.org.role(session.profile.roleId)?.name ?? '' }),
      this.send(agentId, 'AgentStatusChangeEvent', now, this.statusFields(session, status)),
      this.log(session, kicking ? 'kick' : 'resume', status, status, agentId, kicking ? 'duplicate sign-in' : null, now),
    );
    return { code: 0, resumed: true, guid: session.guid, effects };
  }

  private checkExten(req: SignInRequest, self: string | undefined): number {
    if (!req.bindExten || req.exten === null) return 0;
    const holder = this.byExten.get(req.exten);
    if (holder !== undefined && holder !== self) return Outcome.EXTEN_BOUND_BY_OTHER;
    // An outside number (extenIsOutbound) is not a registered extension of the switch.
    if (!req.extenIsOutbound && this.options.isExtensionRegistered(req.exten) === false) return Outcome.EXTEN_NOT_REGISTERED;
    return 0;
  }

  private rebind(session: AgentSession, req: SignInRequest): void {
    if (session.exten !== null && this.byExten.get(session.exten) === session.profile.agentId) this.byExten.delete(session.exten);
    session.bindExten = req.bindExten;
    session.exten = req.bindExten ? req.exten : null;
    session.extenIsOutbound = req.extenIsOutbound;
    if (session.exten !== null) this.byExten.set(session.exten, session.profile.agentId);
  }

  /**
   * The agent signs out (its own signout). A ringing offer must have been taken back
   * first (the core's entry point asks the call core: Core.signOut in core.ts).
   */
  signOut(agentId: string, causedBy: string, reason: string | null, now: number): Decision {
    const session = this.sessions.get(agentId);
    if (session === undefined) return fail(Outcome.NOT_SIGNED_IN);
    const result = transition(session.machine, { type: 'SIGN_OUT' }, now);
    if (!result.ok) return fail(result.code);
    return ok(this.end(session, causedBy, reason, now));
  }

  /** customer_enter_channel of AgentStatusChangeEvent and Agent_Online_Struct. */
  customerChannelOf(agentId: string): string {
    return this.options.customerChannelOf(agentId);
  }

  /**
   * Shutdown: an agent free in a state of its own choosing is set aside with its token for
   * the restart (suspend); every other agent is signed out, whatever it is doing (a call it
   * is on goes on in the switch, or has ended with it), with its SignOutEvent and
   * operation-log row, and keeps its token for the grace time.
   */
  signOutAll(reason: string, now: number): CoreEffect[] {
    // The bars may sign in again with their tokens once polylink is back (issue 16's storm):
    // a free agent's session is set aside to be resumed; the others keep their token only.
    const graceMs = this.options.resumeGraceSeconds * 1000;
    if (graceMs <= 0) return [...this.sessions.values()].flatMap((session) => this.end(session, 'system', reason, now));
    return [...this.sessions.values()].flatMap((session) =>
      this.suspendable(session) ? this.suspend(session, reason, now, now + graceMs) : this.end(session, 'system', reason, now, now + graceMs),
    );
  }

  /**
   * A session that may wait through a restart: a state of the agent's own choosing that no
   * call, timer or leave application holds it in (IDLE, BUSY, CALL_OUT, a custom status).
   */
  private suspendable(session: AgentSession): boolean {
    const status = session.machine.status;
    const own = status === AgentStatus.IDLE || status === AgentStatus.BUSY || status === AgentStatus.CALL_OUT || isCustomStatusNumber(status);
    return own && session.machine.pending === undefined && !session.signOutWhenFree && session.leaveApplicationId === undefined;
  }

  /**
   * Shutdown: the session is set aside with its token for the restart (no SignOutEvent: the
   * bar reconnects and resumes it, `resumed` yes, state and extension kept).
   */
  private suspend(session: AgentSession, reason: string, now: number, until: number): CoreEffect[] {
    const agentId = session.profile.agentId;
    const m = session.machine;
    const saved: SuspendedSession = {
      status: m.status,
      since: m.since,
      restore: m.restore ?? null,
      bindExten: session.bindExten,
      exten: session.exten,
      extenIsOutbound: session.extenIsOutbound,
      signedInAt: session.signedInAt,
      afterHangupStatus: session.afterHangupStatus,
      watched: session.watched === 'mine' ? 'mine' : [...session.watched],
    };
    const effects: CoreEffect[] = [
      ...(session.connectionId !== undefined ? [{ type: 'unbind-connection', connectionId: session.connectionId } as const] : []),
      cancelTimer({ kind: 'resume-grace-end', agentId, guid: session.guid }),
      this.log(session, 'connection-lost', m.status, m.status, 'system', reason, now),
      { type: 'save-session-token', agentId, tokenHash: this.tokenHashOf(session), expiresAt: until, session: saved },
    ];
    this.forgetSession(session);
    return effects;
  }

  /**
   * Start: the sessions the last shutdown set aside wait for their bars as after a dropped
   * connection, for what is left of the grace time; then they are signed out.
   */
  restoreSuspended(now: number): CoreEffect[] {
    const effects: CoreEffect[] = [];
    for (const saved of this.savedTokens.suspended(now)) {
      const s = saved.session!;
      const profile = this.org.agent(saved.agentId);
      if (profile === undefined || !profile.enabled || this.sessions.has(saved.agentId)) continue;
      if (s.exten !== null && this.byExten.has(s.exten)) continue;
      const session: AgentSession = {
        profile,
        machine: { status: s.status, since: s.since, restore: s.restore ?? undefined, pending: undefined, beforeCall: undefined },
        connectionId: undefined,
        guid: '',
        bindExten: s.bindExten,
        exten: s.exten,
        extenIsOutbound: s.extenIsOutbound,
        signedInAt: s.signedInAt,
        remote: null,
        signOutWhenFree: false,
        leaveApplicationId: undefined,
        afterHangupStatus: s.afterHangupStatus,
        watched: s.watched === 'mine' ? 'mine' : new Set(s.watched),
      };
      this.sessions.set(profile.agentId, session);
      this.noteStatus(session);
      this.restoredHash.set(profile.agentId, saved.tokenHash);
      if (session.exten !== null) this.byExten.set(session.exten, profile.agentId);
      this.addSupervisor(profile);
      effects.push(setTimer({ kind: 'resume-grace-end', agentId: profile.agentId, guid: '' }, saved.expiresAt - now));
    }
    return effects;
  }

  private tokenHashOf(session: AgentSession): string {
    return this.restoredHash.get(session.profile.agentId) ?? this.options.hashToken(session.guid);
  }

  /** Drops a session from every index. */
  private forgetSession(session: AgentSession): void {
    const agentId = session.profile.agentId;
    this.sessions.delete(agentId);
    this.setIdle(agentId, false);
    this.audience++;
    this.byGuid.delete(session.guid);
    this.restoredHash.delete(agentId);
    // A token an earlier run left for this agent proves nothing once its session has ended.
    this.savedTokens.forget(agentId);
    if (session.exten !== null && this.byExten.get(session.exten) === agentId) this.byExten.delete(session.exten);
    this.removeSupervisor(session.profile);
  }

  /** The session's token row, valid while the session lives (expiresAt null) or until `expiresAt`. */
  private keepToken(session: AgentSession, expiresAt: number | null): CoreEffect {
    return { type: 'save-session-token', agentId: session.profile.agentId, tokenHash: this.tokenHashOf(session), expiresAt };
  }

  /**
   * Removes a session; the caller has checked the agent may go. Its token goes with it,
   * unless a shutdown keeps it valid until `tokenKeptUntil`.
   */
  private end(session: AgentSession, causedBy: string, reason: string | null, now: number, tokenKeptUntil?: number): CoreEffect[] {
    const agentId = session.profile.agentId;
    const old = session.machine.status;
    const oldSince = session.machine.since;
    session.machine = { ...OFFLINE_STATE, since: now };
    this.noteStatus(session);
    const effects: CoreEffect[] = [
      ...this.statusChanged(session, old, now, oldSince),
      this.send(agentId, 'SignOutEvent', now, { AgentID: agentId, retCode: 0, Reason: reason ?? outcomeText(Outcome.OK) }),
      ...(session.connectionId !== undefined ? [{ type: 'unbind-connection', connectionId: session.connectionId } as const] : []),
      cancelTimer({ kind: 'wrap-up-end', agentId }),
      cancelTimer({ kind: 'resume-grace-end', agentId, guid: session.guid }),
      this.log(session, 'signout', old, AgentStatus.OFFLINE, causedBy, reason, now),
      tokenKeptUntil !== undefined ? this.keepToken(session, tokenKeptUntil) : { type: 'save-session-token', agentId, tokenHash: null, expiresAt: null },
    ];
    this.forgetSession(session);
    return effects;
  }

  /** The agent's connection closed or went silent: keep the session for the grace time. */
  connectionLost(agentId: string, connectionId: string, now: number): Decision {
    const session = this.sessions.get(agentId);
    if (session === undefined || session.connectionId !== connectionId) return ok([]);
    session.connectionId = undefined;
    const effects: CoreEffect[] = [this.log(session, 'connection-lost', session.machine.status, session.machine.status, 'system', null, now)];
    if (this.options.resumeGraceSeconds <= 0) return ok([...effects, ...this.graceOver(session, now)]);
    effects.push(setTimer({ kind: 'resume-grace-end', agentId, guid: session.guid }, this.options.resumeGraceSeconds * 1000));
    return ok(effects);
  }

  private graceOver(session: AgentSession, now: number): CoreEffect[] {
    const result = transition(session.machine, { type: 'SIGN_OUT' }, now);
    if (!result.ok) {
      // Its calls go on; the agent is signed out when they end.
      session.signOutWhenFree = true;
      return [];
    }
    return this.end(session, 'system', 'resume grace time over', now);
  }

  // ── status ─────────────────────────────────────────────────────────────────

  /** setagentdefinestatus: the target was checked with checkOwnTarget. */
  setOwnStatus(agentId: string, target: number, now: number): Decision & { deferred?: boolean } {
    const session = this.sessions.get(agentId);
    if (session === undefined) return fail(Outcome.NOT_SIGNED_IN);
    const result = transition(session.machine, { type: 'SET_STATUS', target }, now);
    if (!result.ok) return fail(result.code);
    if (result.deferred) {
      session.machine = result.state;
      this.noteStatus(session);
      return { code: 0, deferred: true, effects: [this.log(session, 'status-deferred', session.machine.status, result.state.pending ?? null, agentId, null, now)] };
    }
    return ok(this.applyResult(session, result, agentId, 'status', null, now));
  }

  /**
   * forcechangestatus, checked: may `byAgentId` force `targetAgentId` to `statusText`? The
   * status it names when it may (OFFLINE signs the target out: a ringing offer is taken
   * back first, by the core's entry point).
   */
  checkForce(byAgentId: string, targetAgentId: string, statusText: string): { code: number; status?: number } {
    const by = this.org.agent(byAgentId);
    const targetProfile = this.org.agent(targetAgentId);
    if (by === undefined || targetProfile === undefined || targetProfile.accountId !== by.accountId) {
      return { code: Outcome.TARGET_AGENT_NOT_FOUND };
    }
    if (byAgentId !== targetAgentId && !this.org.monitorsGroup(byAgentId, targetProfile.groupId)) return { code: Outcome.NO_RIGHT };
    if (!this.sessions.has(targetAgentId)) return { code: Outcome.TARGET_AGENT_NOT_FOUND };
    const status = parseStatus(statusText);
    if (status === undefined) return { code: Outcome.TARGET_STATUS_INVALID };
    return { code: 0, status };
  }

  /** forcechangestatus, checked with checkForce. */
  forceStatus(byAgentId: string, targetAgentId: string, status: number, now: number): Decision {
    const session = this.sessions.get(targetAgentId);
    const targetProfile = this.org.agent(targetAgentId);
    if (session === undefined || targetProfile === undefined) return fail(Outcome.TARGET_AGENT_NOT_FOUND);
    if (status === AgentStatus.OFFLINE) {
      const result = transition(session.machine, { type: 'SIGN_OUT' }, now);
      if (!result.ok) return fail(Outcome.TARGET_STATUS_CANNOT_BE_FORCED);
      return ok([
        this.send(targetAgentId, 'WarnAgentForceChangeStatusEvent', now, { executorAgentID: byAgentId }),
        ...this.end(session, byAgentId, 'signed out by a supervisor', now),
      ]);
    }
    // A supervisor may force LEAVE without an application: that is what forcing is for.
    const valid = isCustomStatusNumber(status)
      ? this.org.customStatus(targetProfile.accountId, status) !== undefined
      : isSelectableStatus(status);
    if (!valid) return fail(Outcome.TARGET_STATUS_INVALID);
    const result = transition(session.machine, { type: 'FORCE_STATUS', target: status }, now);
    if (!result.ok) return fail(result.code);
    return ok([
      this.send(targetAgentId, 'WarnAgentForceChangeStatusEvent', now, { executorAgentID: byAgentId }),
      ...this.applyResult(session, result, byAgentId, 'force-status', null, now),
    ]);
  }

  /**
   * Applies a machine input for the rest of the core (calls, queues, leave approvals).
   * `causedBy` is an agent ID or 'system'.
   */
  apply(agentId: string, input: AgentInput, causedBy: string, operation: string, now: number): Decision {
    const session = this.sessions.get(agentId);
    if (session === undefined) return fail(Outcome.NOT_SIGNED_IN);
    const result = transition(session.machine, input, now);
    if (!result.ok) return fail(result.code);
    if (result.deferred) {
      session.machine = result.state;
      this.noteStatus(session);
      return ok([]);
    }
    return ok(this.applyResult(session, result, causedBy, operation, null, now));
  }

  onTimer(timer: CoreTimer, now: number): CoreEffect[] {
    if (timer.kind === 'wrap-up-end') {
      const session = this.sessions.get(timer.agentId);
      if (session === undefined) return [];
      const result = transition(session.machine, { type: 'WRAP_UP_END' }, now);
      return result.ok ? this.applyResult(session, result, 'system', 'wrap-up-end', null, now) : [];
    }
    if (timer.kind === 'resume-grace-end') {
      const session = this.sessions.get(timer.agentId);
      // A resume or a new sign-in since then makes this timer stale.
      if (session === undefined || session.connectionId !== undefined || session.guid !== timer.guid) return [];
      return this.graceOver(session, now);
    }
    return [];
  }

  /** Is this resume-grace timer still the agent's (no resume, no new sign-in since)? */
  graceRunsOut(timer: Extract<CoreTimer, { kind: 'resume-grace-end' }>): boolean {
    const session = this.sessions.get(timer.agentId);
    return session !== undefined && session.connectionId === undefined && session.guid === timer.guid;
  }

  private applyResult(
    session: AgentSession,
    result: Extract<ReturnType<typeof transition>, { ok: true }>,
    causedBy: string,
    operation: string,
    reason: string | null,
    now: number,
  ): CoreEffect[] {
    const agentId = session.profile.agentId;
    const old = session.machine.status;
    const oldSince = session.machine.since;
    session.machine = result.state;
    this.noteStatus(session);
    const effects: CoreEffect[] = [];
    for (const e of result.effects) {
      if (e.type === 'start-wrap-up') effects.push(setTimer({ kind: 'wrap-up-end', agentId }, e.seconds * 1000));
      else effects.push(cancelTimer({ kind: 'wrap-up-end', agentId }));
    }
    if (result.changed) {
      effects.push(...this.statusChanged(session, old, now, oldSince));
      effects.push(this.log(session, operation, old, session.machine.status, causedBy, reason, now));
    }
    // The agent left during the call (grace over): it goes when the call does, without ACW.
    if (session.signOutWhenFree && !isCallStatus(session.machine.status) && session.connectionId === undefined) {
      effects.push(...this.end(session, 'system', 'resume grace time over', now));
    }
    return effects;
  }

  // ── the organisation changed ───────────────────────────────────────────────

  /**
   * The organisation was replaced (an import while the server runs; the admin API): each
   * signed-in agent whose own settings differ from `before` (its profile until now; gone
   * or disabled counts) gets WarnAgentResigninEvent (seed 002: 由于坐席信息更改而提醒坐席重新
   * 签入) — its session keeps the settings it signed in with until it signs in again.
   * Who supervises which group follows the new roles at once.
   */
  organisationChanged(before: ReadonlyMap<string, AgentProfile>, now: number): CoreEffect[] {
    this.supervisorsByGroup.clear();
    this.audience++;
    const effects: CoreEffect[] = [];
    for (const session of this.sessions.values()) {
      const agentId = session.profile.agentId;
      const old = before.get(agentId) ?? session.profile;
      const current = this.org.agent(agentId);
      if (current !== undefined) this.addSupervisor(current);
      if (current !== undefined && current.enabled && sameAgentSettings(old, current)) continue;
      effects.push(
        this.send(agentId, 'WarnAgentResigninEvent', now, {}),
        this.log(session, 'settings-changed', session.machine.status, session.machine.status, 'system', current === undefined ? 'agent removed' : 'agent settings changed', now),
      );
    }
    return effects;
  }

  // ── who hears what ─────────────────────────────────────────────────────────

  private statusFields(session: AgentSession, old: number): Record<string, string> {
    return {
      agent_num: session.profile.agentId,
      old_status: String(old),
      new_status: String(session.machine.status),
      is_bind_exten: session.bindExten ? '1' : '0',
      customer_enter_channel: this.options.customerChannelOf(session.profile.agentId),
    };
  }

  /**
   * AgentStatusChangeEvent to the agent and to every supervisor monitoring its group; the
   * change is raised for the rest of the core, which reacts after this step.
   */
  private statusChanged(session: AgentSession, old: number, now: number, oldSince = 0): CoreEffect[] {
    const fields = this.statusFields(session, old);
    const event = agentEvent('AgentStatusChangeEvent', now, fields);
    const effects: CoreEffect[] = [{ type: 'send', agentId: session.profile.agentId, connectionId: session.connectionId, event }];
    for (const supervisor of this.supervisorsOf(session.profile.groupId)) {
      if (supervisor !== session.profile.agentId) effects.push({ type: 'send', agentId: supervisor, event });
    }
    this.events.raise({
      type: 'agent-status-changed',
      agentId: session.profile.agentId,
      accountId: session.profile.accountId,
      from: old,
      to: session.machine.status,
      fromSince: oldSince,
      at: now,
      exten: session.exten,
      outsidePhone: session.extenIsOutbound,
    });
    return effects;
  }

  /** Keeps `idle` right after a session's machine was set (or the session was added). */
  private noteStatus(session: AgentSession): void {
    const agentId = session.profile.agentId;
    this.setIdle(agentId, session.machine.status === AgentStatus.IDLE && this.sessions.get(agentId) === session);
  }

  private setIdle(agentId: string, idle: boolean): void {
    if (this.idle.has(agentId) === idle) return;
    if (idle) this.idle.add(agentId);
    else this.idle.delete(agentId);
    // An index built for other memberships is rebuilt whole when next read.
    if (this.idleByQueueAt === this.org.membershipVersion()) this.indexIdle(agentId, idle);
  }

  /** Adds an IDLE agent to (or takes it from) the IDLE members of each of its queues. */
  private indexIdle(agentId: string, idle: boolean): void {
    for (const m of this.org.queuesOfAgent(agentId)) {
      let set = this.idleByQueue.get(m.queueNum);
      if (idle) {
        if (set === undefined) this.idleByQueue.set(m.queueNum, (set = new Set()));
        set.add(agentId);
      } else {
        set?.delete(agentId);
      }
    }
  }

  private addSupervisor(profile: AgentProfile): void {
    this.audience++;
    if (!this.org.hasRight(profile.agentId, 'monitor')) return;
    for (const g of this.org.monitoredGroups(profile.agentId)) {
      let set = this.supervisorsByGroup.get(g.groupId);
      if (set === undefined) this.supervisorsByGroup.set(g.groupId, (set = new Set()));
      set.add(profile.agentId);
    }
  }

  private removeSupervisor(profile: AgentProfile): void {
    this.audience++;
    for (const set of this.supervisorsByGroup.values()) set.delete(profile.agentId);
  }

  /** An event for an agent, addressed to the connection it has now. */
  send(agentId: string, eventType: string, now: number, fields: AgentEvent['fields']): CoreEffect {
    return { type: 'send', agentId, connectionId: this.sessions.get(agentId)?.connectionId, event: agentEvent(eventType, now, fields) };
  }

  private log(
    session: AgentSession,
    operation: string,
    oldStatus: number | null,
    newStatus: number | null,
    causedBy: string,
    reason: string | null,
    now: number,
  ): CoreEffect {
    return {
      type: 'log-operation',
      entry: {
        accountId: session.profile.accountId,
        agentId: session.profile.agentId,
        operation,
        oldStatus,
        newStatus,
        causedBy,
        reason,
        exten: session.exten,
        remote: session.remote,
        at: now,
      },
    };
  }
}

/** The numbers that are Agent_Status values (as opposed to no status at all). */
const AGENT_STATUS_VALUES: Record<number, true> = Object.fromEntries(Object.values(AgentStatus).map((v) => [v, true]));
