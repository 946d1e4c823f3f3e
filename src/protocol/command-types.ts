/**
 * The shape of the command table (aedes' handler table, our protocol): each cmdType
 * names its fields with the codes their absence or invalidity gets, the right it needs,
 * and a small handler.
 */
import type { AgentEvent } from '../core/agent-event.js';
import type { AgentService } from '../core/agent-service.js';
import type { CallService } from '../core/calls/call-service.js';
import type { QueueService } from '../core/queues/queue-service.js';
import type { DayReport } from '../store/report-store.js';
import type { CoreEffect } from '../core/effects.js';
import type { LeaveService } from '../core/leave-service.js';
import type { Organisation } from '../core/organisation.js';
import type { Right } from '../core/rights.js';
import type { AgentRequest } from './message.js';

export interface FieldRule {
  readonly name: string;
  readonly required: boolean;
  /** The code a missing or empty required field gets; -59 where the seed has none. */
  readonly emptyCode?: number;
  /** Checks a present, non-empty value: 0 or the code it gets. */
  readonly check?: (value: string) => number;
}

/** What handlers may use. The core services do the work; the rest is I/O handlers need. */
export interface Services {
  readonly org: Organisation;
  readonly agents: AgentService;
  readonly leave: LeaveService;
  readonly formatTime: (ms: number) => string;
  readonly heartbeatIntervalSeconds: number;
  readonly minPasswordLength: number;
  readonly passwords: {
    verify(password: string, hash: string): Promise<boolean>;
    hash(password: string): Promise<string>;
    /** Persists a new hash for the agent. */
    save(agentId: string, hash: string, now: number): void;
  };
  /** The numbers the agent dialled lately, newest first (GetAccessNumberEvent's callHistory). */
  readonly calledNumbers: (agentId: string) => string[];
  readonly calls: CallService;
  readonly queues: QueueService;
  /** Today's figures of a tenant from its CDRs (the wallboard's report). */
  readonly dayReport: (accountId: string, now: number) => DayReport;
  /** Throttles failed sign-ins per address and locks agent IDs under a distributed attack (signin-guard.ts). */
  readonly signinGuard: SigninGuardPort;
}

export interface SigninGuardPort {
  /** Resolves when the address may have a sign-in checked; call the function it gives once done. */
  turn(address: string): Promise<() => void>;
  /** Before the password is checked: 0, -89 (the address failed too often) or -90 (the agent ID is locked). */
  refusal(agentId: string, address: string, now: number): number;
  /** A wrong password for `agentId`, or (`known` false) an agent ID that does not exist. */
  failed(agentId: string, address: string, known: boolean, now: number): void;
  succeeded(agentId: string): void;
  /**
   * Lifts the lock of an agent ID (a supervisor's `unlockagent`; the admin API calls it
   * too, `by` naming the admin): its supervisors hear AgentUnlockedEvent. True if it was locked.
   */
  unlock(agentId: string, by: string, now: number): boolean;
}

export interface CommandContext {
  /** The agent the request is for (the signed-in agent, or signin's agentID). */
  readonly agentId: string;
  readonly connectionId: string;
  readonly remote: string | null;
  /** The peer's address as the per-address limits count it (transport/address-key.ts). */
  readonly address: string;
  readonly now: number;
  readonly services: Services;
}

export interface CommandResult {
  readonly code: number;
  /** Extra fields of the response. */
  readonly extra?: Readonly<Record<string, string>>;
  /** Result events for this connection, sent right after a successful response. */
  readonly events?: readonly AgentEvent[];
  /** Core effects, carried out after the response and its events. */
  readonly effects?: readonly CoreEffect[];
  /** signin: the connection is now this agent's. */
  readonly signedIn?: { readonly agentId: string };
}

export type CommandHandler = (ctx: CommandContext, req: AgentRequest) => CommandResult | Promise<CommandResult>;

export interface CommandSpec {
  readonly cmdType: string;
  /** The seed 002 method it implements. */
  readonly seed: string;
  readonly fields: readonly FieldRule[];
  readonly right?: Right;
  /** Only signin may come before sign-in. */
  readonly beforeSignin?: boolean;
  readonly handler: CommandHandler;
}

export const result = (code: number, more: Omit<CommandResult, 'code'> = {}): CommandResult => ({ code, ...more });
