/**
 * The current call as the page shows it — who (number, area), through which line and queue,
 * how long the customer waited, how long the agent has been on it — reduced from the SDK's
 * events. A call stays on the card after it ends (for the after-call work) until the next
 * one. Pure: the time is handed in (local milliseconds).
 */
import { decodeMakeStr, type AgentBarEvents } from '../../sdk/src/index.js';
import { serverSecondsBetween } from '../../shared/durations.js';

export type CallKind = 'customer-in' | 'callout' | 'transfer' | 'consult' | 'threeway' | 'internal';

export interface CallCard {
  readonly kind: CallKind;
  /** The call's id (makeStr relation_uuid), empty for an internal call. */
  readonly callId: string;
  /** The customer's number, or the other agent of an internal call. */
  readonly number: string;
  readonly areaName: string;
  /** The access number's name (the line the customer called, or the callout goes out on). */
  readonly line: string;
  /** The queue that offered the customer, and its name when the event carried it. */
  readonly queueNum: string;
  readonly queueName: string;
  /** Seconds the customer waited in the queue before it was offered to the agent. */
  readonly waitedSeconds: number | undefined;
  /** The agent who consulted, transferred or invited this one. */
  readonly fromAgent: string;
  /** makeStr's fields, for the screen pop. */
  readonly fields: ReadonlyMap<string, string>;
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number | undefined;
}

/** What changes the card: the SDK's events, and the page's own dialling (the callout and internal call it asked for). */
export type CardInput =
  | { readonly [K in CardEvent]: { readonly name: K; readonly event: AgentBarEvents[K] } }[CardEvent]
  | { readonly name: 'dialled'; readonly kind: 'callout' | 'internal'; readonly number: string };

type CardEvent =
  | 'CallInEvent'
  | 'TransferBlindCallInEvent'
  | 'ConsultCallInEvent'
  | 'ThreeWayCallRingEvent'
  | 'CallOutRingEvent'
  | 'InternalCallerRingEvent'
  | 'BridgeEvent'
  | 'HangupEvent'
  | 'AddCustomerToQueueEvent'
  | 'UpdateCustomerOfQueueEvent';

export const CARD_EVENTS: readonly CardEvent[] = [
  'CallInEvent',
  'TransferBlindCallInEvent',
  'ConsultCallInEvent',
  'ThreeWayCallRingEvent',
  'CallOutRingEvent',
  'InternalCallerRingEvent',
  'BridgeEvent',
  'HangupEvent',
  'AddCustomerToQueueEvent',
  'UpdateCustomerOfQueueEvent',
];

function fresh(kind: CallKind, number: string, makeStr: string, now: number, fromAgent = ''): CallCard {
  const fields = decodeMakeStr(makeStr);
  return {
    kind,
    callId: fields.get('relation_uuid') ?? '',
    number,
    areaName: fields.get('area_name') ?? '',
    line: fields.get('access_num_name') ?? '',
    queueNum: '',
    queueName: '',
    waitedSeconds: undefined,
    fromAgent,
    fields,
    startedAt: now,
    answeredAt: undefined,
    endedAt: undefined,
  };
}

export function nextCard(card: CallCard | undefined, input: CardInput, now: number): CallCard | undefined {
  switch (input.name) {
    case 'dialled':
      return fresh(input.kind, input.number, '', now);
    case 'CallInEvent':
      return fresh('customer-in', input.event.callerID, input.event.makeStr, now);
    case 'TransferBlindCallInEvent':
      return fresh('transfer', input.event.customerNum, input.event.makeStr, now, input.event.consulterAgentNum);
    case 'ConsultCallInEvent':
      return fresh('consult', input.event.customerNum, input.event.makeStr, now, input.event.consulterAgentNum);
    case 'ThreeWayCallRingEvent':
      return fresh('threeway', input.event.customerNum, input.event.makeStr, now, input.event.callerAgentNum);
    case 'CallOutRingEvent': {
      // The agent's own callout: the card from its dialling gets the call's fields now.
      const next = fresh('callout', input.event.customerNum, input.event.makeStr, card?.kind === 'callout' && card.endedAt === undefined ? card.startedAt : now);
      return { ...next, line: input.event.accessNumName };
    }
    case 'InternalCallerRingEvent':
      return fresh('internal', input.event.callerid, '', now);
    case 'BridgeEvent':
      return card === undefined || card.endedAt !== undefined || card.answeredAt !== undefined ? card : { ...card, answeredAt: now };
    case 'HangupEvent':
      return card === undefined || card.endedAt !== undefined ? card : { ...card, endedAt: now };
    case 'AddCustomerToQueueEvent':
    case 'UpdateCustomerOfQueueEvent': {
      // The queue that offers this customer to the agent says so right after the CallInEvent:
      // the customer, ringing, in the queue it waited in.
      const e = input.event;
      if (card === undefined || card.kind !== 'customer-in' || card.endedAt !== undefined || card.queueNum !== '') return card;
      if (e.customer_status !== 'ringing' || e.customer_num !== card.number) return card;
      const queueName = 'queue_name' in e ? e.queue_name : '';
      return { ...card, queueNum: e.queue_num, queueName, waitedSeconds: serverSecondsBetween(e.enter_queue_time, e.current_time) };
    }
  }
}

/** Seconds talking (from the answer to the end, or to now), or undefined before the answer. */
export function talkSeconds(card: CallCard, now: number): number | undefined {
  return card.answeredAt === undefined ? undefined : ((card.endedAt ?? now) - card.answeredAt) / 1000;
}

/** Seconds ringing before the answer (or before the end, if never answered). */
export function ringSeconds(card: CallCard, now: number): number {
  return ((card.answeredAt ?? card.endedAt ?? now) - card.startedAt) / 1000;
}
