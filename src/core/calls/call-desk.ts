/**
 * What every call feature shares: the registry of calls, the services it talks to
 * (agents, statistics, numbers), its options, and small helpers that return effects
 * (send an event, move an agent's state, ask the switch, count a statistic). Features
 * (outbound.ts, consult.ts, …) are functions over a CallDesk; CallService wires them.
 */
import { agentEvent, outcomeText, type AgentEvent } from '../agent-event.js';
import type { AgentInput } from '../agent-machine.js';
import type { AgentService } from '../agent-service.js';
import type { DomainEvents } from '../domain-events.js';
import type { CoreEffect, LogValue } from '../effects.js';
import type { Organisation } from '../organisation.js';
import type { CountedField, DailyStats } from '../records/daily-stats.js';
import type { NumberDirectory } from '../../numbers/customer-number.js';
import { encodeMakeStr } from '../../numbers/make-str.js';

import type { Call, Leg } from './call-model.js';
import { CallRegistry } from './call-registry.js';
import type { SwitchCommand, SwitchRef } from '../ports/switch-command.js';

export interface CallOptions {
  readonly agentRingSeconds: number;
  readonly customerRingSeconds: number;
  readonly internalCallStates: readonly number[];
  readonly holdMusic: string;
  readonly recordingsDir: string;
  readonly recordOutbound: boolean;
  readonly gatewayChannels: Readonly<Record<string, number>>;
  readonly nodeLostSeconds: number;
  readonly grade: {
    readonly prompts: { readonly zh: string; readonly en: string };
    readonly thanks: { readonly zh: string; readonly en: string };
    readonly digitTimeoutSeconds: number;
  };
}

export interface CallDeps {
  readonly org: Organisation;
  readonly agents: AgentService;
  /** Today's figures, read by the ACD's fewest-calls and least-talk-time strategies. */
  readonly stats: DailyStats;
  /** Where the call core raises what it counted and the calls that ended. */
  readonly events: DomainEvents;
  readonly numbers: NumberDirectory;
  readonly options: CallOptions;
  readonly newId: () => string;
  readonly formatTime: (ms: number) => string;
  /** Is any switch node connected? Commands answer -57 / -60 at once when none is. */
  readonly switchReady: () => boolean;
  /** The registration state of an extension (undefined: the switch cannot tell). */
  readonly isRegistered: (exten: string) => boolean | undefined;
}

/** callType values of the seed (CallInEvent and friends), and ours for internal calls. */
export const CallType = {
  COMMON_CALL_IN: 'CTI_CALL_TYPE_COMMON_CALL_IN',
  MANUAL_CALL_OUT: 'CTI_CALL_TYPE_MANUAL_CALL_OUT',
  PREDICT_CALL_OUT: 'CTI_CALL_TYPE_PREDICT_CALL_OUT',
  INTERNAL_CALL: 'CTI_CALL_TYPE_INTERNAL_CALL',
} as const;

export class CallDesk {
  readonly registry = new CallRegistry();
  /** Outbound calls up on each gateway (calls.gatewayChannels caps them). */
  readonly gatewayUse = new Map<string, number>();

  constructor(readonly deps: CallDeps) {}

  get org(): Organisation {
    return this.deps.org;
  }

  get agents(): AgentService {
    return this.deps.agents;
  }

  get options(): CallOptions {
    return this.deps.options;
  }

  send(agentId: string, eventType: string, now: number, fields: AgentEvent['fields'] = {}): CoreEffect {
    return { type: 'send', agentId, event: agentEvent(eventType, now, fields) };
  }

  /** A line of the operator's log about a call (undefined fields are left out). */
  note(event: 'call.start' | 'call.answer' | 'call.transfer' | 'call.end', message: string, call: Call, fields: Readonly<Record<string, LogValue | undefined>> = {}): CoreEffect {
    const defined = Object.fromEntries(Object.entries(fields).filter((e): e is [string, LogValue] => e[1] !== undefined));
    return { type: 'log-event', event, message, fields: { callId: call.id, kind: call.kind, ...defined } };
  }

  /** ServerResponse: a command accepted earlier failed at the switch (spec §2). */
  serverResponse(agentId: string, cmdType: string, code: number, now: number): CoreEffect {
    return this.send(agentId, 'ServerResponse', now, { cmdType, retCode: code, reason: outcomeText(code) });
  }

  /** Moves an agent's state; a refusal (a stale input) changes nothing and says nothing. */
  agentInput(agentId: string, input: AgentInput, causedBy: string, operation: string, now: number): CoreEffect[] {
    return this.agents.apply(agentId, input, causedBy, operation, now).effects;
  }

  switch(command: SwitchCommand, ref?: SwitchRef): CoreEffect {
    return ref === undefined ? { type: 'switch', command } : { type: 'switch', command, ref };
  }

  kill(leg: Leg | undefined, cause = 'NORMAL_CLEARING', ref?: SwitchRef): CoreEffect[] {
    return leg === undefined || leg.ended ? [] : [this.switch({ op: 'kill', uuid: leg.uuid, cause }, ref)];
  }

  /** Counts a figure of the agent's day: the statistics take it after this step (agent-counted). */
  count(agentId: string | undefined, field: CountedField, now: number): void {
    const profile = agentId === undefined ? undefined : this.org.agent(agentId);
    if (profile !== undefined) this.deps.events.raise({ type: 'agent-counted', agentId: profile.agentId, accountId: profile.accountId, field, at: now });
  }

  /** The agent's bound extension, if it has one. */
  extenOf(agentId: string): string | undefined {
    return this.agents.session(agentId)?.exten ?? undefined;
  }

  accessName(call: Call): string {
    if (call.accessNumber === undefined) return '';
    return this.org.accessNumbersOf(call.accountId).find((a) => a.number === call.accessNumber)?.name ?? '';
  }

  /** makeStr of CallInEvent / CallOutRingEvent (seed 002 §3.2.6, spec §5). */
  makeStr(call: Call, agentId: string | undefined): string {
    const n = this.deps.numbers.describe(call.customerNumber);
    return encodeMakeStr([
      ['customer_num', call.customerNumber],
      ['callcenter_num', call.accessNumber ?? call.displayNumber ?? ''],
      ['access_num_name', this.accessName(call)],
      ['agent_num', agentId ?? ''],
      ['relation_uuid', call.id],
      ['area_id', n.areaId],
      ['area_name', n.areaName],
      ['cust_grade', String(call.custGrade)],
      ['customer_num_format_local', n.local],
      ['customer_num_format_national', n.national],
      ['customer_num_format_e164', n.e164],
      ['customer_num_phone_type', n.phoneType],
      ['customerForeignId', call.customerForeignId ?? ''],
    ]);
  }

  /** The fields ConsultCallInEvent, TransferBlindCallInEvent, ThreeWayCallRingEvent share. */
  customerFields(call: Call, recipient: string, callerAgent: string, callerKey: string, callType: string): AgentEvent['fields'] {
    const n = this.deps.numbers.describe(call.customerNumber);
    return {
      agentID: recipient,
      customerNum: call.customerNumber,
      callcenterNum: call.accessNumber ?? call.displayNumber ?? '',
      accessNumName: this.accessName(call),
      [callerKey]: callerAgent,
      callType,
      areaID: n.areaId,
      areaName: n.areaName,
      custGrade: String(call.custGrade),
      outExtraParamsFromIvr: call.ivrData === undefined ? '' : Buffer.from(call.ivrData, 'utf8').toString('base64'),
      makeStr: this.makeStr(call, recipient),
    };
  }

  callTypeOf(call: Call): string {
    return call.kind === 'outbound' ? CallType.MANUAL_CALL_OUT : call.kind === 'internal' ? CallType.INTERNAL_CALL : CallType.COMMON_CALL_IN;
  }
}
