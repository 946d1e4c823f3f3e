/**
 * Every input the core takes, as data: what agents ask over the agent protocol, what the
 * HTTP APIs ask, what the switch reports, a timer that fired, a change of the stored
 * organisation, and the server's start and stop. One entry point takes them all
 * (Core.handle); nothing else changes the core's state.
 */
import type { AgentInput } from './agent-machine.js';
import type { SignInRequest } from './agent-service.js';
import type { CallSnapshot } from './calls/call-snapshot.js';
import type { CalloutRequest } from './calls/outbound.js';
import type { CoreTimer } from './effects.js';
import type { CustomerEntry } from './queues/customer-lists.js';
import type { ThresholdQuery } from './leave-service.js';
import type { OrganisationData } from './organisation.js';
import type { SwitchEvent } from './ports/switch-events.js';
import type { SwitchRef } from './ports/switch-command.js';
import type { SwitchResult } from './ports/switch-port.js';

/** The call commands of seed 002 an agent sends about its own call. */
export type CallCommand =
  | ({ readonly kind: 'callout' } & Omit<CalloutRequest, 'agentId'>)
  | { readonly kind: 'callagent'; readonly callee: string }
  | { readonly kind: 'answer' | 'hangup' | 'stopconsult' | 'consulttransfer' | 'threewaycancel' | 'check' }
  | { readonly kind: 'hold' | 'mute'; readonly on: boolean }
  | { readonly kind: 'consult' | 'threeway' | 'transferagent'; readonly target: string; readonly outbound: boolean }
  | { readonly kind: 'transferivr' | 'transferivrprofile' | 'transferqueue'; readonly target: string }
  | { readonly kind: 'grade'; readonly language: 'zh' | 'en' }
  /** The agent bar's keypad during a call: DTMF to the party the agent talks to. */
  | { readonly kind: 'senddtmf'; readonly digits: string };

/** What a supervisor does to an agent's call (seed 002 §3.2.3: DoListen, DoWhisper, DoBargein, DoForceHangup, Rop). */
export type SupervisorAction = 'listen' | 'whisper' | 'bargein' | 'forcehangup' | 'rop';

/** Who lifts a sign-in lock: a supervisor (its agent ID) or an admin (the name the admin API knows it by). */
export type Unlocker = { readonly supervisor: string } | { readonly admin: string };

export type CoreInput =
  // ── agents (the agent protocol) ──────────────────────────────────────────
  /**
   * A sign-in whose password was checked (`passwordOk`) off the event loop, from `address`
   * as the per-address limits count it: failures count against the address and the agent ID.
   */
  | { readonly type: 'signin'; readonly request: SignInRequest; readonly address: string; readonly passwordOk: boolean }
  /** A sign-in was refused (any code, also by the protocol's own checks): a row in the operation log. */
  | { readonly type: 'signin-refused'; readonly agentId: string; readonly code: number; readonly reason: string; readonly exten: string | null; readonly remote: string | null }
  | { readonly type: 'signout'; readonly agentId: string }
  /**
   * Lifts the sign-in lock of `target` (AGENT_LOCKED): a supervisor's `unlockagent`, for the
   * groups its role monitors, or the admin API's, for any agent of the organisation.
   */
  | { readonly type: 'unlock-agent'; readonly target: string; readonly by: Unlocker }
  /** The agent's connection closed or went silent. */
  | { readonly type: 'connection-lost'; readonly agentId: string; readonly connectionId: string }
  /** setagentdefinestatus; LEAVE with `needsApproval` is an application. */
  | { readonly type: 'set-status'; readonly agentId: string; readonly target: string; readonly needsApproval: boolean }
  | { readonly type: 'force-status'; readonly agentId: string; readonly target: string; readonly status: string }
  | { readonly type: 'set-after-hangup'; readonly agentId: string; readonly status: string }
  /** The bar asked for these queues' customers ('mine': its own queues'): it wants their queue events (acd.queueEvents). */
  | { readonly type: 'watch-queues'; readonly agentId: string; readonly queues: readonly string[] | 'mine' }
  /** A new password, already hashed (the old one was checked off the event loop). */
  | { readonly type: 'set-password'; readonly agentId: string; readonly hash: string }
  | { readonly type: 'leave-apply' | 'leave-cancel'; readonly agentId: string; readonly target: string }
  | { readonly type: 'leave-approve'; readonly agentId: string; readonly applicant: string; readonly target: string; readonly passFlag: string }
  | { readonly type: 'leave-thresholds'; readonly query: ThresholdQuery; readonly maxNum: string }
  | { readonly type: 'call'; readonly agentId: string; readonly command: CallCommand }
  /** A supervisor (`agentId`) steps into the call of agent `target`. */
  | { readonly type: 'supervise'; readonly agentId: string; readonly target: string; readonly action: SupervisorAction }
  /**
   * Moves an agent's status machine as the call core does for a call (OFFER, ANSWER,
   * CALL_END …): for tests and tools that stand in for a call the switch does not carry.
   */
  | { readonly type: 'agent-input'; readonly agentId: string; readonly input: AgentInput; readonly causedBy: string; readonly operation: string }
  // ── the HTTP APIs (seed 001) ──────────────────────────────────────────────
  | { readonly type: 'queue-join' | 'queue-leave'; readonly agentId: string; readonly queueNum: string }
  | { readonly type: 'queue-pause'; readonly agentId: string; readonly queueNum: string; readonly paused: boolean; readonly reason: string | null }
  | { readonly type: 'blacklist'; readonly accountId: string; readonly number: string; readonly on: boolean; readonly reason: string | null }
  /**
   * extensions/extenSpy: the phone of extension `src` listens to the call of the agent
   * bound to extension `dst`, in tenant `accountId` (a signed-in agent bound to `src` is
   * the supervisor: its phone is busy meanwhile and it hears the listen events).
   */
  | { readonly type: 'exten-spy'; readonly accountId: string; readonly src: string; readonly dst: string }
  /** click-number: ring `src` (an agent's extension or a phone), then call `dst` and bridge them. */
  | { readonly type: 'click-to-dial'; readonly accountId: string; readonly src: string; readonly dst: string }
  /** The call of an extension ends as if its phone hung up. */
  | { readonly type: 'extension-hangup'; readonly accountId: string; readonly extension: string }
  /** The customer the agent on `src` talks to is transferred blind to `dst`. */
  | { readonly type: 'extension-transfer'; readonly accountId: string; readonly src: string; readonly dst: string }
  // ── the admin API ─────────────────────────────────────────────────────────
  /** One tenant's organisation as the admin API edited and checked it: in effect and stored in this step. */
  | { readonly type: 'organisation-edit'; readonly accountId: string; readonly data: OrganisationData }
  /** A customer number's VIP grade and exclusive agent; null takes the number off the customer lists. */
  | { readonly type: 'customer-entry'; readonly accountId: string; readonly number: string; readonly entry: CustomerEntry | null }
  // ── the switch ────────────────────────────────────────────────────────────
  | { readonly type: 'switch-event'; readonly event: SwitchEvent }
  | { readonly type: 'switch-result'; readonly ref: SwitchRef; readonly result: SwitchResult<unknown> }
  /** polylink fell behind the switch's events (`on`) or caught up: new customers go to their queue's overflow meanwhile (queues/overload-gate.ts). */
  | { readonly type: 'overload'; readonly on: boolean }
  // ── time and the store ────────────────────────────────────────────────────
  | { readonly type: 'timer'; readonly timer: CoreTimer }
  /** The stored organisation changed (`polylink import`, the admin API): the core works on the new one. */
  | { readonly type: 'organisation-replaced'; readonly data: OrganisationData }
  // ── the server's life ─────────────────────────────────────────────────────
  /** Start: the ACD's sweep, and the calls the last stop saved, followed again. */
  | { readonly type: 'start'; readonly openCalls: ReadonlyArray<{ readonly snapshot: CallSnapshot; readonly savedAt: number }> }
  /** An orderly stop: free agents set aside for the restart, the others signed out, the calls still up saved for the next start. */
  | { readonly type: 'shutdown'; readonly reason: string };

export type CoreInputType = CoreInput['type'];

/** What some inputs answer beside their code. */
export interface Replies {
  readonly signin: { readonly resumed: boolean; readonly guid: string };
  readonly 'unlock-agent': { readonly wasLocked: boolean };
  readonly 'set-status': { readonly deferred: boolean };
  readonly 'leave-thresholds': { readonly fields?: Record<string, string | Map<string, string>> };
  readonly 'queue-join': { readonly changed: boolean };
  readonly 'queue-leave': { readonly changed: boolean };
  readonly 'queue-pause': { readonly changed: boolean };
  readonly blacklist: { readonly changed: boolean };
  readonly 'click-to-dial': { readonly callId?: string };
  readonly 'customer-entry': { readonly changed: boolean };
}

export type ReplyOf<T extends CoreInputType> = T extends keyof Replies ? Replies[T] : object;
