/**
 * The read-only side of the core, beside its one entry point: what the protocol's queries,
 * the HTTP APIs and the engine may read. Nothing here changes state (Core.handle does).
 */
import type { AgentService } from './agent-service.js';
import type { Call } from './calls/call-model.js';
import type { CallRegistry } from './calls/call-registry.js';
import type { CallService } from './calls/call-service.js';
import type { LeaveService } from './leave-service.js';
import type { Organisation } from './organisation.js';
import type { CustomerLists } from './queues/customer-lists.js';
import type { OverloadFigures } from './queues/overload-gate.js';
import type { QueueService } from './queues/queue-service.js';
import type { DailyStats } from './records/daily-stats.js';
import type { SigninAttempts } from './signin-attempts.js';

export type AgentQueries = Pick<
  AgentService,
  'session' | 'allSessions' | 'idleAgents' | 'idleMembersOf' | 'onlineCount' | 'statusOf' | 'agentOfGuid' | 'tokenProves' | 'agentOfExten' | 'supervisorsOf' | 'customerChannelOf' | 'afterHangupOf'
>;
export type LeaveQueries = Pick<LeaveService, 'applyList' | 'thresholds'>;
export type CallQueries = Pick<CallService, 'callOf' | 'count' | 'monitorsOf' | 'legsOnExtension'> & {
  /** The calls polylink follows, by id, leg and agent. */
  readonly desk: { readonly registry: Pick<CallRegistry, 'get' | 'all' | 'ofLeg' | 'ofAgent' | 'size'>; callTypeOf(call: Call): string };
};
export type QueueQueries = Pick<QueueService, 'customersOf' | 'waitingIn' | 'recipientsOf' | 'candidatesOf' | 'waitingCount' | 'earliestEnter' | 'isPaused' | 'isSittingOut' | 'figuresOf' | 'centreFiguresOf'> & {
  readonly overload: OverloadFigures;
};
export type StatsQueries = Pick<DailyStats, 'today'>;
export type ListQueries = Pick<CustomerLists, 'blacklistOf' | 'isBlacklisted' | 'customersOf' | 'customer'>;
/** Whether a sign-in would be refused before its password is checked, and an agent ID's lock. */
export type SigninQueries = Pick<SigninAttempts, 'refusal' | 'lockOf'>;

export interface CoreQueries {
  readonly org: Organisation;
  readonly agents: AgentQueries;
  readonly leave: LeaveQueries;
  readonly calls: CallQueries;
  readonly queues: QueueQueries;
  readonly stats: StatsQueries;
  readonly lists: ListQueries;
  readonly signin: SigninQueries;
}
