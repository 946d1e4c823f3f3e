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
import type { CoreEffect, CoreTimer } from './core/effects.js';
import { LeaveService } from './core/leave-service.js';
import type { Organisation } from './core/organisation.js';
import type { Services } from './protocol/command-types.js';
import { SigninGuard } from './protocol/signin-guard.js';
import type { Db } from './store/database.js';
import { LeaveStore } from './store/leave-store.js';
import { OperationLog } from './store/operation-log.js';
import { saveAgentPassword, saveGroupThreshold } from './store/organisation-repo.js';
import { hashPassword, verifyPassword } from './store/password.js';
import type { TimeFormat } from './time-format.js';

/** What the engine needs of an agent connection (TCP or WebSocket alike). */
export interface EngineConnection {
  readonly id: string;
  sendEvent(event: AgentEvent): void;
  /** Closes after what was already sent to it has been written. */
  close(reason: string): void;
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
  /** Registration state of an extension, once a switch can tell (undefined: unknown). */
  readonly isExtensionRegistered?: (exten: string) => boolean | undefined;
}

export class Engine {
  readonly agents: AgentService;
  readonly leave: LeaveService;
  readonly services: Services;
  private readonly connections = new Map<string, EngineConnection>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly operationLog: OperationLog;
  private readonly leaveStore: LeaveStore;
  private readonly log: Logger;

  constructor(private readonly deps: EngineDeps) {
    const { db, org, config, clock, formatTime } = deps;
    this.log = deps.log.child({ module: 'engine' });
    this.operationLog = new OperationLog(db);
    this.leaveStore = new LeaveStore(db);
    const closed = this.leaveStore.closeOpenAtStart(clock.now());
    if (closed > 0) this.log.info({ closed }, 'leave applications left open by the last run closed');
    this.agents = new AgentService(org, {
      duplicateSignin: config.agent.duplicateSignin,
      resumeGraceSeconds: config.agent.resumeGraceSeconds,
      leaveRequiresApproval: config.leave.requireApproval,
      isExtensionRegistered: deps.isExtensionRegistered ?? (() => undefined),
      newGuid: () => randomUUID(),
    });
    this.leave = new LeaveService(org, this.agents, {
      applyTimeoutSeconds: config.leave.applyTimeoutSeconds,
      approvalTimeoutSeconds: config.leave.approvalTimeoutSeconds,
      formatTime,
      firstApplicationId: this.leaveStore.nextId(),
    });
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
      signinGuard: new SigninGuard(),
    };
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  attach(conn: EngineConnection): void {
    this.connections.set(conn.id, conn);
  }

  /** The connection is gone; a signed-in agent keeps its session for the resume grace. */
  detach(conn: EngineConnection, signedInAs: string | undefined): void {
    this.connections.delete(conn.id);
    if (signedInAs !== undefined) this.run(this.agents.connectionLost(signedInAs, conn.id, this.deps.clock.now()).effects);
  }

  /** Carries out effects in order. A failing effect is logged and does not stop the rest. */
  run(effects: readonly CoreEffect[]): void {
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
    }
  }

  private fire(timer: CoreTimer): void {
    const now = this.deps.clock.now();
    this.run([...this.agents.onTimer(timer, now), ...this.leave.onTimer(timer, now)]);
  }

  /** Cancels every timer (shutdown). */
  stop(): void {
    for (const handle of this.timers.values()) this.deps.clock.clearTimer(handle);
    this.timers.clear();
  }
}
