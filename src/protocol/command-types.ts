/**
 * The shape of the command table (aedes' handler table, our protocol): each cmdType
 * names its fields with the codes their absence or invalidity gets, the right it needs,
 * and a small handler.
 */
import type { AgentEvent } from '../core/agent-event.js';
import type { Core } from '../core/core.js';
import type { CoreEffect } from '../core/effects.js';
import type { Organisation } from '../core/organisation.js';
import type { AgentQueries, CallQueries, LeaveQueries, QueueQueries, SigninQueries } from '../core/queries.js';
import type { DayReport } from '../store/report-store.js';
import type { Right } from '../core/rights.js';
import type { AgentRequest } from './message.js';
import type { SigninTurns } from './signin-turns.js';

export interface FieldRule {
  readonly name: string;
  readonly required: boolean;
  /** The code a missing or empty required field gets; -59 where the seed has none. */
  readonly emptyCode?: number;
  /** Checks a present, non-empty value: 0 or the code it gets. */
  readonly check?: (value: string) => number;
}

/**
 * What handlers may use: the core's one entry point (a command becomes an input, its step's
 * effects are carried out after the response), the core's read-only queries, and the I/O
 * handlers need (password hashing off the event loop, the store's read models).
 */
export interface Services {
  readonly core: Pick<Core, 'handle'>;
  readonly org: Organisation;
  readonly agents: AgentQueries;
  readonly leave: LeaveQueries;
  readonly calls: CallQueries;
  readonly queues: QueueQueries;
  /** Whether a sign-in would be refused (-89, -90) before its password is checked. */
  readonly signin: SigninQueries;
  /** A few sign-ins per address have their password checked at a time. */
  readonly signinTurns: Pick<SigninTurns, 'turn'>;
  readonly formatTime: (ms: number) => string;
  readonly heartbeatIntervalSeconds: number;
  readonly minPasswordLength: number;
  readonly passwords: {
    verify(password: string, hash: string): Promise<boolean>;
    hash(password: string): Promise<string>;
  };
  /** The numbers the agent dialled lately, newest first (GetAccessNumberEvent's callHistory). */
  readonly calledNumbers: (agentId: string) => string[];
  /** Today's figures of a tenant from its CDRs (the wallboard's report). */
  readonly dayReport: (accountId: string, now: number) => DayReport;
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
