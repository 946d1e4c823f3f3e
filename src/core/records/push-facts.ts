/**
 * What the business systems around polylink are told (webhooks, seeds 001 and 003), as
 * facts: plain data taken from the core's state in the step that decided them. The core
 * decides WHAT happened and returns it as a `push` effect; how each target's format spells
 * it, and who receives it, is decided outside the core (src/webhooks/), when the engine
 * writes the step's rows — in the same transaction as the fact's own rows.
 */
import { AgentStatus, isCallStatus } from '../agent-status.js';
import type { Call, Leg, LegPurpose } from '../calls/call-model.js';
import type { CoreEffect } from '../effects.js';
import type { DomainEvent } from '../domain-events.js';
import type { Organisation } from '../organisation.js';
import type { CdrRecord } from './cdr.js';

/** One leg of a call as a push reports it. */
export interface LegFacts {
  readonly uuid: string;
  readonly purpose: LegPurpose;
  /** The party's number: the customer's number, an agent's extension, an outside number. */
  readonly number: string;
  readonly agentId: string | null;
  /** The gateway it goes out through (an outside number), if polylink dialled it that way. */
  readonly gateway: string | null;
  /** What the phone showed as calling it (legs polylink originates). */
  readonly callerId: string | null;
  readonly answered: boolean;
  /** The switch's hangup cause, once it ended. */
  readonly cause: string | null;
  readonly endReason: string | null;
}

/** A call as a push reports it, at the moment of the fact. */
export interface CallFacts {
  readonly callId: string;
  readonly accountId: string;
  readonly kind: 'inbound' | 'outbound' | 'internal';
  readonly customerNumber: string;
  /** The access number an inbound call came in on (seed 003 trunkNumber). */
  readonly accessNumber: string | null;
  /** The number an outbound call shows (seed 003 displayNumber). */
  readonly displayNumber: string | null;
  readonly agentId: string | null;
  readonly agentName: string | null;
  readonly queueNum: string | null;
  readonly ivrNum: string | null;
  readonly ivrName: string | null;
  readonly dtmf: string | null;
  readonly customerForeignId: string | null;
  /** The customer's leg (for an internal call: the called agent's). */
  readonly customer: LegFacts | null;
  /** The leg of the agent serving it. */
  readonly agent: LegFacts | null;
}

/** What happened to a call's legs that a push reports. */
export type CallChange =
  /** polylink originated a leg (seed 001 dialbegein). */
  | 'dialled'
  /** A leg's phone rings (seed 003 dialoutRing, incomingRing). */
  | 'ringing'
  /** The customer is connected to an agent (seed 003 link). */
  | 'linked'
  /** A leg polylink dialled has ended (seed 001 dialend). */
  | 'leg-ended'
  /** The customer came out of an IVR to polylink (seed 001 ivr). */
  | 'ivr-left';

/** How an agent's status change relates to a call (seed 003 callEvent). */
export type CallEvent = '' | 'calling' | 'ring' | 'link' | 'hangup';

export type PushFact =
  | {
      readonly kind: 'agent-status';
      readonly accountId: string;
      readonly agentId: string;
      readonly agentName: string;
      /** The phone the agent works on (null: none bound). */
      readonly exten: string | null;
      /** The phone is an outside number (PSTN), not an extension of the switch. */
      readonly outsidePhone: boolean;
      readonly from: number;
      readonly to: number;
      /** The custom status's name, for statuses from 100. */
      readonly toName: string | null;
      readonly call: CallFacts | null;
      readonly callEvent: CallEvent;
      readonly at: number;
    }
  | {
      readonly kind: 'call';
      readonly change: CallChange;
      readonly call: CallFacts;
      readonly leg: LegFacts | null;
      /** When the IVR began, for ivr-left (the arrival itself when polylink did not see it begin). */
      readonly since: number | null;
      readonly at: number;
    }
  | { readonly kind: 'call-ended'; readonly cdr: CdrRecord; readonly call: CallFacts; readonly at: number };

export function legFacts(leg: Leg | undefined, gateway?: string): LegFacts | null {
  if (leg === undefined) return null;
  return {
    uuid: leg.uuid,
    purpose: leg.purpose,
    number: leg.number,
    agentId: leg.agentId ?? null,
    gateway: gateway ?? null,
    callerId: leg.callerId ?? null,
    answered: leg.answered,
    cause: leg.cause ?? null,
    endReason: leg.endReason ?? null,
  };
}

export function callFacts(call: Call, org: Organisation): CallFacts {
  const agentId = call.agentId ?? call.agents.at(-1) ?? call.offeredTo;
  const ivr = call.ivrNum === undefined ? undefined : org.ivrsOf(call.accountId).find((i) => i.num === call.ivrNum);
  return {
    callId: call.id,
    accountId: call.accountId,
    kind: call.kind === 'check' ? 'internal' : call.kind,
    customerNumber: call.customerNumber,
    accessNumber: call.accessNumber ?? null,
    displayNumber: call.displayNumber ?? null,
    agentId: agentId ?? null,
    agentName: agentId === undefined ? null : (org.agent(agentId)?.name ?? null),
    queueNum: call.queueNum ?? null,
    ivrNum: call.ivrNum ?? null,
    ivrName: ivr?.name ?? null,
    dtmf: call.dtmf ?? null,
    customerForeignId: call.customerForeignId ?? null,
    customer: legFacts(call.customer, call.kind === 'outbound' ? call.gateway : undefined),
    agent: legFacts(call.agentLeg),
  };
}

/**
 * The records' reaction that turns domain events into push facts. It remembers the call
 * each agent was last on, so that the status change a call's end causes (TALKING → ACW,
 * decided after the call let the agent go) still names the call (seed 003's 整理 push
 * carries callEvent hangup and the call's numbers). One entry per agent at most.
 */
export class PushFacts {
  private readonly lastCall = new Map<string, CallFacts>();

  constructor(
    private readonly org: Organisation,
    /** The call an agent takes part in now, as facts. */
    private readonly callOf: (agentId: string) => CallFacts | undefined,
  ) {}

  react(event: DomainEvent): CoreEffect[] {
    switch (event.type) {
      case 'agent-status-changed':
        return [this.statusChanged(event)];
      case 'call-progress':
        return [{ type: 'push', fact: { kind: 'call', change: event.change, call: event.call, leg: event.leg, since: event.since, at: event.at } }];
      case 'call-ended':
        return [{ type: 'push', fact: { kind: 'call-ended', cdr: event.cdr, call: event.call, at: event.at } }];
      case 'agent-counted':
        return [];
    }
  }

  private statusChanged(event: Extract<DomainEvent, { type: 'agent-status-changed' }>): CoreEffect {
    const now = this.callOf(event.agentId);
    if (now !== undefined) this.lastCall.set(event.agentId, now);
    // The call just ended for this agent: its end still names it.
    const ended = now === undefined && (isCallStatus(event.from) || event.to === AgentStatus.ACW) ? this.lastCall.get(event.agentId) : undefined;
    if (now === undefined && event.to !== AgentStatus.ACW) this.lastCall.delete(event.agentId);
    const profile = this.org.agent(event.agentId);
    const toName = event.to >= 100 ? (this.org.customStatus(event.accountId, event.to)?.name ?? null) : null;
    return {
      type: 'push',
      fact: {
        kind: 'agent-status',
        accountId: event.accountId,
        agentId: event.agentId,
        agentName: profile?.name ?? '',
        exten: event.exten ?? null,
        outsidePhone: event.outsidePhone === true,
        from: event.from,
        to: event.to,
        toName,
        call: now ?? ended ?? null,
        callEvent: callEventOf(event.to, now !== undefined, ended !== undefined),
        at: event.at,
      },
    };
  }
}

function callEventOf(to: number, onCall: boolean, justEnded: boolean): CallEvent {
  if (onCall) {
    if (to === AgentStatus.RING) return 'ring';
    if (to === AgentStatus.CALLING_OUT || to === AgentStatus.CAMP_ON) return 'calling';
    if (to === AgentStatus.TALKING || to === AgentStatus.HOLD || to === AgentStatus.MUTE) return 'link';
  }
  return justEnded ? 'hangup' : '';
}
