/**
 * What the core asks the engine to do. The core returns these as data; the engine
 * carries them out (socket writes, SQLite rows, timers, switch commands, later webhooks),
 * so the core itself stays free of I/O and of time. The rows of one step are written in
 * one SQLite transaction (src/engine/effect-runner.ts): every change of what is stored
 * goes through the core and comes back as one of these.
 */
import type { AgentEvent } from './agent-event.js';
import type { CallSnapshot } from './calls/call-snapshot.js';
import type { SwitchCommand, SwitchRef } from './ports/switch-command.js';
import type { OrganisationData } from './organisation.js';
import type { CustomerEntry } from './queues/customer-lists.js';
import type { CdrRecord } from './records/cdr.js';
import type { StatsRow } from './records/daily-stats.js';
import type { SuspendedSession } from './session-tokens.js';
import type { PushFact } from './records/push-facts.js';

export interface OperationEntry {
  readonly accountId: string;
  readonly agentId: string;
  /** signin, signout, resume, kick, status, force-status, leave-apply, … */
  readonly operation: string;
  readonly oldStatus: number | null;
  readonly newStatus: number | null;
  /** The agent ID that caused it, or 'system'. */
  readonly causedBy: string;
  readonly reason: string | null;
  /** The other party when there is one: a dialled number, a target agent. */
  readonly target?: string | null;
  readonly exten: string | null;
  readonly remote: string | null;
  readonly at: number;
  /** The result code of a refused sign-in (not a column: its reason carries it too). */
  readonly code?: number;
}

/** Timers the core sets; when one fires, the engine hands it back to the core. */
export type CoreTimer =
  | { readonly kind: 'wrap-up-end'; readonly agentId: string }
  /** The satisfaction survey waited long enough for a key. */
  | { readonly kind: 'grade-timeout'; readonly callId: string }
  /** A switch node stayed unreachable too long: its calls are given up. */
  | { readonly kind: 'node-lost'; readonly node: string }
  /** A customer waited the queue's maximum. */
  | { readonly kind: 'queue-timeout'; readonly callId: string }
  /** A customer's exclusive agent had its chance: any agent may take it now. */
  | { readonly kind: 'exclusive-fallback'; readonly callId: string }
  /** The ACD's periodic check. */
  | { readonly kind: 'acd-sweep' }
  /** An agent whose phone could not be reached may be offered calls again. */
  | { readonly kind: 'agent-retry'; readonly agentId: string }
  /** A queue's figures changed within a second of the last QueueStatisChangeEvent: the next one is due. */
  | { readonly kind: 'queue-figures'; readonly queueNum: string }
  | { readonly kind: 'resume-grace-end'; readonly agentId: string; readonly guid: string }
  | { readonly kind: 'leave-apply-timeout'; readonly applicationId: number }
  | { readonly kind: 'leave-approval-timeout'; readonly applicationId: number };

export type CoreEffect =
  /**
   * Send to an agent: to `connectionId` when the core named it (the connection the agent
   * had when this was decided), else to the agent's connection at the time it is carried
   * out. Dropped when there is none (e.g. during the resume grace).
   */
  | { readonly type: 'send'; readonly agentId: string; readonly connectionId?: string | undefined; readonly event: AgentEvent }
  /** Close one connection (a kicked duplicate sign-in), after what was sent to it. */
  | { readonly type: 'close-connection'; readonly connectionId: string; readonly reason: string }
  /** The connection is no longer signed in (its agent was signed out, maybe by someone else). */
  | { readonly type: 'unbind-connection'; readonly connectionId: string }
  | { readonly type: 'log-operation'; readonly entry: OperationEntry }
  | { readonly type: 'set-timer'; readonly key: string; readonly delayMs: number; readonly timer: CoreTimer }
  | { readonly type: 'cancel-timer'; readonly key: string }
  | { readonly type: 'save-leave'; readonly application: LeaveRecord }
  | { readonly type: 'save-threshold'; readonly groupId: string; readonly status: number; readonly maxNum: number }
  /** Ask the switch; with a ref, the result comes back to the core (CallService.onSwitchResult). */
  | { readonly type: 'switch'; readonly command: SwitchCommand; readonly ref?: SwitchRef }
  /** A finished call's record (unique by call id); a call saved open at a shutdown is open no more. */
  | { readonly type: 'save-cdr'; readonly cdr: CdrRecord }
  /**
   * One line of the operator's log, at info: a call began, was answered, handed on, ended.
   * `event` is stable (call.start, call.answer, call.transfer, call.end); so are the field
   * names (callId, agentId, exten, number, cause …).
   */
  | { readonly type: 'log-event'; readonly event: string; readonly message: string; readonly fields: Readonly<Record<string, LogValue>> }
  /** Shutdown: the calls still up, for the next start to take in again (all or none). */
  | { readonly type: 'save-open-calls'; readonly calls: readonly CallSnapshot[]; readonly at: number }
  /**
   * After a step: the calls it changed, saved as they are now, and those that ended or left,
   * taken out (open-call-journal.ts), so that a crash leaves the calls behind for the next start.
   */
  | { readonly type: 'journal-open-calls'; readonly changed: readonly CallSnapshot[]; readonly closed: readonly string[]; readonly at: number }
  /** An agent's statistics of a day, whole. */
  | { readonly type: 'save-stats'; readonly row: StatsRow }
  /** A number was put on (or taken off) a tenant's blacklist (seed 001). */
  | { readonly type: 'save-blacklist'; readonly accountId: string; readonly number: string; readonly on: boolean; readonly reason: string | null; readonly at: number }
  /** One tenant's organisation changed through the admin API: the rows that differ between the two are written. */
  | { readonly type: 'save-organisation'; readonly accountId: string; readonly before: OrganisationData; readonly after: OrganisationData; readonly at: number }
  /** A customer number's grade and exclusive agent (null: off the lists). */
  | { readonly type: 'save-customer'; readonly accountId: string; readonly number: string; readonly entry: CustomerEntry | null }
  /**
   * The session token of an agent's session, hashed (core/session-tokens.ts): saved with no
   * expiry while the session lives, with one when a shutdown ends it; dropped (tokenHash
   * null) when the session ends otherwise.
   */
  | {
      readonly type: 'save-session-token';
      readonly agentId: string;
      readonly tokenHash: string | null;
      readonly expiresAt: number | null;
      /** A shutdown set the session aside for its bar to resume after the restart. */
      readonly session?: SuspendedSession;
    }
  /** An agent's new password hash. */
  | { readonly type: 'save-password'; readonly agentId: string; readonly hash: string; readonly at: number }
  /** A blacklisted number called and was turned away. */
  | { readonly type: 'blacklist-hit'; readonly accountId: string; readonly number: string; readonly at: number }
  /** A queue membership changed at run time (seed 001 agent-login / agent-logout). */
  | { readonly type: 'save-membership'; readonly queueNum: string; readonly agentId: string; readonly member: boolean; readonly position: number }
  /**
   * A fact for the business systems (webhooks): written to the outbox, one row per target
   * that takes it, in the step's transaction, and delivered from there (src/webhooks/).
   */
  | { readonly type: 'push'; readonly fact: PushFact }
  /** An agent was paused or unpaused in one queue (seed 001 agent-pause). */
  | { readonly type: 'save-pause'; readonly queueNum: string; readonly agentId: string; readonly reason: string | null; readonly at: number; readonly paused: boolean };

export type LogValue = string | number | boolean | null;

export type LeaveState = 'pending' | 'approved' | 'active' | 'ended' | 'rejected' | 'cancelled' | 'expired' | 'lapsed';

export interface LeaveRecord {
  readonly id: number;
  readonly accountId: string;
  readonly agentId: string;
  readonly groupId: string;
  readonly targetStatus: number;
  readonly state: LeaveState;
  readonly applyType: number;
  readonly appliedAt: number;
  readonly decidedAt: number | null;
  readonly decidedBy: string | null;
  readonly endedAt: number | null;
}

export function timerKey(timer: CoreTimer): string {
  switch (timer.kind) {
    case 'wrap-up-end':
      return `wrap-up:${timer.agentId}`;
    case 'grade-timeout':
      return `grade:${timer.callId}`;
    case 'node-lost':
      return `node-lost:${timer.node}`;
    case 'queue-timeout':
      return `queue-timeout:${timer.callId}`;
    case 'exclusive-fallback':
      return `exclusive:${timer.callId}`;
    case 'acd-sweep':
      return 'acd-sweep';
    case 'agent-retry':
      return `agent-retry:${timer.agentId}`;
    case 'queue-figures':
      return `queue-figures:${timer.queueNum}`;
    case 'resume-grace-end':
      return `grace:${timer.agentId}`;
    case 'leave-apply-timeout':
      return `leave-apply:${timer.applicationId}`;
    case 'leave-approval-timeout':
      return `leave-approval:${timer.applicationId}`;
  }
}

export function setTimer(timer: CoreTimer, delayMs: number): CoreEffect {
  return { type: 'set-timer', key: timerKey(timer), delayMs, timer };
}

export function cancelTimer(timer: CoreTimer): CoreEffect {
  return { type: 'cancel-timer', key: timerKey(timer) };
}
