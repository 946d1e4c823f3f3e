/**
 * The engine: the one place where the core's decisions meet the world. It owns the
 * core services, carries out their effects in order (send to a connection, write a
 * row, set or cancel a timer, close a connection), hands fired timers back to the
 * core, and keeps the registry of agent connections.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './log.js';
import type { Config } from './config/config-schema.js';
import type { AgentEvent } from './core/agent-event.js';
import { AgentService } from './core/agent-service.js';
import type { CoreEffect, CoreTimer, OperationEntry } from './core/effects.js';
import { LeaveService } from './core/leave-service.js';
import type { Organisation, OrganisationData } from './core/organisation.js';
import type { Services } from './protocol/command-types.js';
import { SigninGuardService } from './protocol/signin-guard-service.js';
import { reasonOf } from './protocol/error-codes.js';
import type { Db } from './store/database.js';
import { AcdStore } from './store/acd-store.js';
import { CdrStore } from './store/cdr-store.js';
import { OpenCallStore } from './store/open-call-store.js';
import { StatsStore } from './store/stats-store.js';
import { LeaveStore } from './store/leave-store.js';
import { ReportStore } from './store/report-store.js';
import { CallDesk } from './core/calls/call-desk.js';
import { CallService } from './core/calls/call-service.js';
import type { SwitchCommand, SwitchRef } from './core/calls/switch-command.js';
import { CustomerLists } from './core/queues/customer-lists.js';
import { QueueService } from './core/queues/queue-service.js';
import { builtInKind, DailyStats } from './core/records/daily-stats.js';
import { isCustomStatusNumber } from './core/agent-status.js';
import type { NumberDirectory } from './numbers/customer-number.js';
import type { SwitchPort, SwitchResult } from './switch/switch-port.js';
import { OperationLog } from './store/operation-log.js';
import { saveAgentPassword, saveGroupThreshold } from './store/organisation-repo.js';
import { hashPassword, verifyPassword } from './store/password.js';
import type { DayClock, TimeFormat } from './time-format.js';

/** What the engine needs of an agent connection (TCP or WebSocket alike). */
export interface EngineConnection {
  readonly id: string;
  sendEvent(event: AgentEvent): void;
  /** Closes after what was already sent to it has been written. */
  close(reason: string): void;
  /** Server shutdown: closes as close() does, telling the peer the server goes away; resolves once the transport is closed. */
  goAway(reason: string): Promise<void>;
  /** Server shutdown: takes no new request; resolves once those it has received are answered. */
  finishRequests(): Promise<void>;
  /** Its agent was signed out: it is no longer signed in. */
  unbind(): void;
}

export interface EngineDeps {
  readonly db: Db;
  readonly org: Organisation;
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly formatTime: TimeFormat;
  readonly days: DayClock;
  readonly switch: SwitchPort;
  readonly numbers: NumberDirectory;
  /** Random numbers for the `random` queue strategy (tests pass a seeded one). */
  readonly random?: () => number;
}

export class Engine {
  readonly agents: AgentService;
  readonly leave: LeaveService;
  readonly stats: DailyStats;
  readonly calls: CallService;
  readonly queues: QueueService;
  readonly lists: CustomerLists;
  readonly services: Services;
  private readonly cdrs: CdrStore;
  private readonly openCalls: OpenCallStore;
  private readonly statsStore: StatsStore;
  /** Switch commands sent and not yet answered (shutdown lets them finish). */
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly acdStore: AcdStore;
  private unsubscribe: (() => void) | undefined;
  /** Shut down: nothing runs any more. */
  private closed = false;
  private readonly connections = new Map<string, EngineConnection>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly operationLog: OperationLog;
  private readonly leaveStore: LeaveStore;
  private readonly log: Logger;
  /** The operator's lines about agent sessions and calls (stable `event` names and fields; the switch link's are the switch port's). */
  private readonly journal: Logger;

  constructor(private readonly deps: EngineDeps) {
    const { db, org, config, clock, formatTime } = deps;
    this.log = deps.log.child({ module: 'engine' });
    this.journal = deps.log.child({ module: 'journal' });
    this.operationLog = new OperationLog(db);
    this.leaveStore = new LeaveStore(db);
    const closed = this.leaveStore.closeOpenAtStart(clock.now());
    if (closed > 0) this.log.info({ closed }, 'leave applications left open by the last run closed');
    const port = deps.switch;
    // With no node connected the switch cannot tell: sign-in then does not refuse (-11) on a guess.
    const switchReady = (): boolean => port.nodes().some((n) => n.state === 'ready');
    const isRegistered = (exten: string): boolean | undefined => (switchReady() ? port.isRegistered(exten) : undefined);
    this.agents = new AgentService(org, {
      duplicateSignin: config.agent.duplicateSignin,
      resumeGraceSeconds: config.agent.resumeGraceSeconds,
      leaveRequiresApproval: config.leave.requireApproval,
      isExtensionRegistered: isRegistered,
      newGuid: () => randomUUID(),
    });
    this.leave = new LeaveService(org, this.agents, {
      applyTimeoutSeconds: config.leave.applyTimeoutSeconds,
      approvalTimeoutSeconds: config.leave.approvalTimeoutSeconds,
      formatTime,
      firstApplicationId: this.leaveStore.nextId(),
    });
    this.cdrs = new CdrStore(db);
    this.openCalls = new OpenCallStore(db);
    this.statsStore = new StatsStore(db);
    this.acdStore = new AcdStore(db);
    this.stats = new DailyStats({
      days: deps.days,
      kindOf: (accountId, status) =>
        isCustomStatusNumber(status) ? org.customStatus(accountId, status)?.kind : builtInKind(status),
      maxRestSeconds: config.stats.maxRestSeconds,
    });
    this.stats.load(this.statsStore.day(deps.days.dayOf(clock.now())));
    this.agents.onStatusChange((session, old, now, oldSince) =>
      this.stats.statusChanged(session.profile.agentId, session.profile.accountId, old, oldSince, session.machine.status, now),
    );
    const desk = new CallDesk({
      org,
      agents: this.agents,
      stats: this.stats,
      numbers: deps.numbers,
      options: config.calls,
      newId: () => randomUUID(),
      formatTime,
      switchReady,
      isRegistered,
    });
    this.lists = new CustomerLists(this.acdStore.loadLists());
    this.queues = new QueueService(desk, this.lists, { ...config.acd, random: deps.random ?? Math.random }, this.acdStore.loadPauses());
    this.calls = new CallService(desk, this.queues);
    const reports = new ReportStore(db);
    this.services = {
      org,
      agents: this.agents,
      leave: this.leave,
      formatTime,
      heartbeatIntervalSeconds: config.agent.heartbeatIntervalSeconds,
      minPasswordLength: config.agent.minPasswordLength,
      passwords: {
        verify: verifyPassword,
        hash: hashPassword,
        save: (agentId, hash, now) => saveAgentPassword(db, agentId, hash, now),
      },
      calledNumbers: (agentId) => this.operationLog.recentCalledNumbers(agentId),
      signinGuard: new SigninGuardService(config.agent, { org, agents: this.agents, formatTime, run: (effects) => this.run(effects) }),
      calls: this.calls,
      queues: this.queues,
      dayReport: (accountId, now) => reports.day(accountId, deps.days.startOfDay(now), deps.days.nextDayStart(now)),
    };
  }

  /**
   * Starts listening to the switch and the ACD's periodic check, and takes in the calls
   * that were up when polylink last stopped (core/calls/held-over.ts).
   */
  start(): void {
    this.unsubscribe = this.deps.switch.subscribe((event) => this.run(this.calls.onSwitchEvent(event, this.deps.clock.now())));
    this.run(this.queues.start());
    const saved = this.openCalls.load();
    if (saved.length > 0) {
      this.log.info({ calls: saved.length, callIds: saved.map((c) => c.snapshot.id) }, 'calls up when polylink last stopped: following them again');
      this.run(this.calls.holdOver(saved, this.deps.clock.now()));
    }
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  attach(conn: EngineConnection): void {
    this.connections.set(conn.id, conn);
  }

  /**
   * A sign-in was refused (any code): a line in the log and a row in the operation log,
   * under the agent's tenant ('' for an agent ID polylink does not know).
   */
  signinRefused(agentId: string, code: number, exten: string | null, remote: string | null): void {
    const now = this.deps.clock.now();
    this.run([this.operation(agentId, 'signin-refused', `${code} ${reasonOf(code)}`, exten, remote, now, code)]);
  }

  private operation(agentId: string, operation: string, reason: string, exten: string | null, remote: string | null, now: number, code?: number): CoreEffect {
    const entry = {
      accountId: this.deps.org.agent(agentId)?.accountId ?? '',
      agentId,
      operation,
      oldStatus: null,
      newStatus: null,
      causedBy: agentId,
      reason,
      exten,
      remote,
      at: now,
      ...(code !== undefined ? { code } : {}),
    };
    return { type: 'log-operation', entry };
  }

  /** Shutdown: connections take no new request; resolves when each has answered what it received, or after `timeoutMs`. */
  finishRequests(timeoutMs: number): Promise<void> {
    return withinTime(Promise.all([...this.connections.values()].map((c) => c.finishRequests())), timeoutMs);
  }

  /** Shutdown: every connection closed, going away (WebSocket 1001), waited for up to `timeoutMs`. */
  closeConnections(reason: string, timeoutMs: number): Promise<void> {
    return withinTime(Promise.all([...this.connections.values()].map((c) => c.goAway(reason))), timeoutMs);
  }

  /** The connection is gone; a signed-in agent keeps its session for the resume grace. */
  detach(conn: EngineConnection, signedInAs: string | undefined): void {
    this.connections.delete(conn.id);
    if (signedInAs !== undefined) this.run(this.agents.connectionLost(signedInAs, conn.id, this.deps.clock.now()).effects);
  }

  /**
   * The organisation in the store changed under the running server (`polylink import`,
   * the admin API): the core works on the new one from its next decision, and signed-in
   * agents whose own settings changed are told to sign in again.
   */
  reloadOrganisation(data: OrganisationData): void {
    const org = this.deps.org;
    const before = new Map([...org.allAgents()].map((a) => [a.agentId, a] as const));
    org.replace(data);
    this.run(this.agents.organisationChanged(before, this.deps.clock.now()));
  }

  /** Carries out effects in order. A failing effect is logged and does not stop the rest. */
  run(effects: readonly CoreEffect[]): void {
    if (this.closed) {
      // After shutdown (a switch answer arriving late): the store may be closed already.
      if (effects.length > 0) this.log.debug({ effects: effects.map((e) => e.type) }, 'effects after shutdown dropped');
      return;
    }
    for (const effect of effects) {
      try {
        this.carryOut(effect);
      } catch (err) {
        this.log.error({ err, effect: effect.type }, 'effect failed');
      }
    }
  }

  private carryOut(effect: CoreEffect): void {
    switch (effect.type) {
      case 'send': {
        const connectionId = 'connectionId' in effect ? effect.connectionId : this.agents.session(effect.agentId)?.connectionId;
        if (connectionId !== undefined) this.connections.get(connectionId)?.sendEvent(effect.event);
        return;
      }
      case 'close-connection':
        this.connections.get(effect.connectionId)?.close(effect.reason);
        return;
      case 'unbind-connection':
        this.connections.get(effect.connectionId)?.unbind();
        return;
      case 'log-operation':
        this.operationLog.record(effect.entry);
        this.journalSession(effect.entry);
        return;
      case 'log-event':
        this.journal.info({ event: effect.event, ...effect.fields }, effect.message);
        return;
      case 'set-timer': {
        this.deps.clock.clearTimer(this.timers.get(effect.key));
        const timer = effect.timer;
        this.timers.set(
          effect.key,
          this.deps.clock.setTimer(effect.delayMs, () => {
            this.timers.delete(effect.key);
            this.fire(timer);
          }),
        );
        return;
      }
      case 'cancel-timer':
        this.deps.clock.clearTimer(this.timers.get(effect.key));
        this.timers.delete(effect.key);
        return;
      case 'save-leave':
        this.leaveStore.save(effect.application);
        return;
      case 'save-threshold':
        saveGroupThreshold(this.deps.db, effect.groupId, effect.status, effect.maxNum);
        return;
      case 'switch':
        this.runSwitch(effect.command, effect.ref);
        return;
      case 'save-cdr':
        if (!this.cdrs.save(effect.cdr)) this.log.warn({ callId: effect.cdr.callId }, 'a CDR for this call exists already');
        return;
      case 'save-open-calls':
        this.openCalls.save(effect.calls, effect.at);
        this.log.info({ calls: effect.calls.length, callIds: effect.calls.map((c) => c.id) }, 'calls still up saved for the next start');
        return;
      case 'save-stats':
        this.statsStore.save(effect.row);
        return;
      case 'blacklist-hit':
        this.acdStore.blacklistHit(effect.accountId, effect.number, effect.at);
        return;
      case 'save-membership':
        this.acdStore.saveMembership(effect.queueNum, effect.agentId, effect.member, effect.position);
        return;
      case 'save-pause':
        this.acdStore.savePause(effect.queueNum, effect.agentId, effect.paused, effect.reason, effect.at);
        return;
    }
  }

  /**
   * Sends a command to the switch. The port never rejects; a command with a ref has its
   * result handed back to the call core, in a later turn of the event loop.
   */
  private runSwitch(command: SwitchCommand, ref: SwitchRef | undefined): void {
    const port = this.deps.switch;
    let pending: Promise<SwitchResult<unknown>>;
    switch (command.op) {
      case 'originate':
        pending = port.originate(command.request);
        break;
      case 'answer':
      case 'hold':
      case 'unhold':
      case 'mute':
      case 'unmute':
      case 'park':
      case 'stopPlayback':
      case 'phoneTalk':
        pending = port[command.op](command.uuid);
        break;
      case 'bridge':
        pending = port.bridge(command.uuid, command.otherUuid);
        break;
      case 'transfer':
        pending = port.transfer(command.uuid, command.request);
        break;
      case 'playback':
        pending = port.playback(command.uuid, command.source, command.legs);
        break;
      case 'recordStart':
      case 'recordStop':
        pending = port[command.op](command.uuid, command.path);
        break;
      case 'threeWay':
        pending = port.threeWay(command.uuid, command.conference);
        break;
      case 'kickConferenceMember':
        pending = port.kickConferenceMember(command.conference, command.memberId);
        break;
      case 'kill':
        pending = port.kill(command.uuid, command.cause);
        break;
      case 'setVariable':
        pending = port.setVariable(command.uuid, command.name, command.value);
        break;
      case 'follow':
        pending = port.follow(command.channels);
        break;
    }
    const handled = pending.then((result) => {
      if (!result.ok) this.log.debug({ op: command.op, reason: result.reason, message: result.message, cause: result.cause }, 'switch command failed');
      if (ref !== undefined) this.run(this.calls.onSwitchResult(ref, result, this.deps.clock.now()));
    });
    this.inFlight.add(handled);
    void handled.finally(() => this.inFlight.delete(handled));
  }

  /** Resolves when every switch command sent so far has its answer handled, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    // Handling an answer may send further commands: wait for those too.
    while (this.inFlight.size > 0 && Date.now() < until) await withinTime(Promise.allSettled([...this.inFlight]), until - Date.now());
  }

  /** One line per session event of an agent; other operations (status changes …) stay in the operation log. */
  private journalSession(entry: OperationEntry): void {
    const message = SESSION_LINES[entry.operation];
    if (message === undefined) return;
    this.journal.info(
      {
        event: `agent.${entry.operation}`,
        agentId: entry.agentId,
        exten: entry.exten,
        ...(entry.code !== undefined ? { code: entry.code } : {}),
        ...(entry.newStatus !== null ? { status: entry.newStatus } : {}),
        ...(entry.causedBy !== entry.agentId ? { causedBy: entry.causedBy } : {}),
        ...(entry.reason !== null ? { reason: entry.reason } : {}),
        remote: entry.remote,
      },
      message,
    );
  }

  private fire(timer: CoreTimer): void {
    const now = this.deps.clock.now();
    this.run([
      ...this.agents.onTimer(timer, now),
      ...this.leave.onTimer(timer, now),
      ...this.calls.onTimer(timer, now),
      ...this.queues.onTimer(timer, now),
    ]);
  }

  /**
   * Shutdown, once the calls the switch could end have ended: every agent is signed out
   * (operation log, statistics, SignOutEvent to its bar), the calls still up are saved for
   * the next start, and then nothing more runs (the switch is no longer heard, timers are
   * cancelled).
   */
  shutdown(reason: string): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const now = this.deps.clock.now();
    this.run(this.agents.signOutAll(reason, now));
    this.run(this.calls.saveOpenCalls(now));
    this.stop();
    this.closed = true;
  }

  /** Stops listening to the switch and cancels every timer. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const handle of this.timers.values()) this.deps.clock.clearTimer(handle);
    this.timers.clear();
  }
}

/** Waits for `work`, but no longer than `ms` (shutdown must end in bounded time). */
async function withinTime(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** The operation-log rows that are session events, and their line in the log. */
const SESSION_LINES: Readonly<Record<string, string>> = {
  signin: 'agent signed in',
  signout: 'agent signed out',
  kick: 'agent signed in from another connection; the old one was closed',
  resume: 'agent resumed its session',
  'connection-lost': 'agent connection lost; its session waits for a resume',
  'signin-refused': 'sign-in refused',
  'signin-locked': 'agent ID locked after wrong passwords from many addresses',
  'signin-unlocked': 'agent ID unlocked',
};
