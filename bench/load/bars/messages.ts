/**
 * What the harness, the bars' process (main.ts) and its worker threads (worker.ts) tell
 * each other. The harness sends one command at a time and waits for its answer; the
 * process hands each command to every worker and merges their answers.
 */
import type { Transport } from './connection.js';
import type { Records } from './recorder.js';

export interface BarAgent {
  readonly id: string;
  readonly exten: string;
  readonly queue: string;
  readonly transport: Transport;
  /** Its place in the whole list: a spread sign-in starts agent i at i × spread / agents. */
  readonly index: number;
}

export interface BarSupervisor {
  readonly id: string;
  readonly queue: string;
  readonly transport: Transport;
}

export interface Breaks {
  /** How often an agent takes a break (BUSY), on average; 0: never. */
  readonly perAgentPerHour: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface BarsSetup {
  readonly ports: { readonly tcp: number; readonly http: number };
  readonly password: string;
  readonly heartbeatSeconds: number;
  readonly agents: readonly BarAgent[];
  readonly supervisors: readonly BarSupervisor[];
  readonly breaks: Breaks;
  /** A supervisor asks for its queue's figures (getqueuestatis) this often; 0: never. */
  readonly supervisorQueryEveryMs: number;
  /** What it asks: its queue's figures, or every queue's (getallqueuestatis, the wallboard of issue 11). */
  readonly supervisorQueryCmd: 'getqueuestatis' | 'getallqueuestatis';
  /** Worker threads (the bars process's main thread only relays). */
  readonly workers: number;
}

export type SignInMode = { readonly kind: 'window'; readonly window: number } | { readonly kind: 'spread'; readonly spreadMs: number };

/** A worker's share of the bars. */
export interface WorkerSetup extends BarsSetup {
  /** Agents in all workers: a spread sign-in starts agent i at i × spread / totalAgents. */
  readonly totalAgents: number;
}

export interface SignInResult {
  readonly attempted: number;
  readonly ok: number;
  /** retCode ≠ 0 or a connection that failed: the first few, with the reason. */
  readonly failed: string[];
  readonly failedCount: number;
  /** No answer within the time allowed. */
  readonly unanswered: number;
  readonly resumed: number;
  /** From starting to connect to having read the signin response, ms. */
  readonly latencyMs: number[];
  /** From sending the signin request to having read its response, ms. */
  readonly requestMs: number[];
  /** requestMs of the sign-ins that presented a session token, and of those that did not. */
  readonly tokenRequestMs: number[];
  readonly passwordRequestMs: number[];
  readonly durationMs: number;
}

export interface StateChangeResult {
  readonly target: number;
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  /** Request sent → response read, ms. */
  readonly rttMs: number[];
  /** Request sent → the agent's AgentStatusChangeEvent to the target read, ms. */
  readonly eventMs: number[];
  /** Accepted, but no AgentStatusChangeEvent to the target within the time allowed. */
  readonly noEvent: number;
}

export interface FinalCheck {
  /** Agent → the status its bar holds (from the events it read). */
  readonly barStatus: Record<string, number>;
  /** Agent → the status polylink reports for it (getonlineagent), NaN when it did not answer. */
  readonly polylinkStatus: Record<string, number>;
  /** Supervisor → agent → the status its bar holds for that agent. */
  readonly supervisorViews: Record<string, Record<string, number>>;
}

export type ToBars =
  | { readonly type: 'setup'; readonly setup: BarsSetup }
  /** startAtUs: when a spread sign-in starts (wallMicroseconds), the same for every worker; set by the bars process. */
  | { readonly type: 'sign-in'; readonly who: 'agents' | 'supervisors'; readonly mode: SignInMode; readonly timeoutMs: number; readonly startAtUs?: number }
  /** The load starts (record, take breaks, supervisors query) or stops (no new breaks, recording goes on). */
  | { readonly type: 'load'; readonly on: boolean }
  /** polylink is about to stop (a restart): the connections it closes are not anomalies. */
  | { readonly type: 'expect-close' }
  /** Breaks end now: every agent on a break goes back to IDLE. */
  | { readonly type: 'quiesce' }
  | { readonly type: 'state-change'; readonly target: number; readonly timeoutMs: number }
  /** Every agent asks polylink for its own status; those not answered by the deadline are not asked. */
  | { readonly type: 'final-check'; readonly deadlineMs: number }
  | { readonly type: 'collect' }
  /** Each signed-in agent's session token (the guid of its sign-in response), for HTTP clients that present it (bench/http). */
  | { readonly type: 'tokens' }
  | { readonly type: 'close' };

export type FromBars =
  | { readonly type: 'ready' }
  | { readonly type: 'signed-in'; readonly result: SignInResult }
  | { readonly type: 'done' }
  | { readonly type: 'state-changed'; readonly result: StateChangeResult }
  | { readonly type: 'checked'; readonly check: FinalCheck }
  | { readonly type: 'records'; readonly records: Records }
  /** Agent id → its session token. */
  | { readonly type: 'tokens'; readonly tokens: Record<string, string> }
  | { readonly type: 'failed'; readonly error: string };
