/**
 * A call and its legs. A Call owns one Leg per FreeSWITCH channel and the relations
 * between them (the customer, the agent serving, a consultee, a three-way party, a
 * check). Legs change only from switch events; `end()` is idempotent (mediasoup's
 * closed-flag habit), so a late or repeated hangup changes nothing.
 */

import { isRefusal } from './hangup-causes.js';

/**
 * What a leg is for. It decides what its ringing, answer, bridge and hangup mean:
 * - customer: the customer's channel (inbound, or dialled out through a gateway);
 * - dialer: the agent's phone rung first for its outbound or internal call;
 * - callee: the called agent of an internal call;
 * - offer: an agent's phone rung with a customer call (queue, transfer);
 * - consult: the consultee (an agent's phone or an outside number);
 * - threeway: the third party of a three-way call;
 * - check: the agent's loop-back test;
 * - monitor: a supervisor's eavesdrop leg. It watches a call without being part of it:
 *   it lives beside the call (supervision.ts), never in its `legs`, so the call's state,
 *   its end and its CDR are the same with or without supervisors.
 */
export type LegPurpose = 'customer' | 'dialer' | 'callee' | 'offer' | 'consult' | 'threeway' | 'check' | 'monitor';

/**
 * A leg's life, as the switch reports it: dialing (originated) → ringing → answered →
 * bridged (to another leg; back to answered when the bridge breaks) → ended. Only the
 * moves of LEG_MOVES happen; anything else (a late ringing, a second answer, an event
 * after the end) changes nothing.
 */
export type LegState = 'dialing' | 'ringing' | 'answered' | 'bridged' | 'ended';

type LegMove = 'ring' | 'answer' | 'bridge' | 'unbridge' | 'end';

const LEG_MOVES: Readonly<Record<LegState, Partial<Record<LegMove, LegState>>>> = {
  dialing: { ring: 'ringing', answer: 'answered', bridge: 'bridged', end: 'ended' },
  ringing: { answer: 'answered', bridge: 'bridged', end: 'ended' },
  answered: { bridge: 'bridged', end: 'ended' },
  // FreeSWITCH reports the answer before the bridge; should a bridge come first, the answer still counts.
  bridged: { answer: 'bridged', bridge: 'bridged', unbridge: 'answered', end: 'ended' },
  ended: {},
};

/**
 * Why polylink asked a leg to end, if it did: `kill` (polylink ended it), `release` (its
 * agent's hangup command), `withdraw` (an offer taken back because its agent signed out),
 * `intercept` (an offer a supervisor took over: rop).
 * A later, more specific reason replaces an earlier one (kill < release < withdraw < intercept).
 */
export type EndRequest = 'kill' | 'release' | 'withdraw' | 'intercept';

const REQUEST_RANK: Readonly<Record<EndRequest, number>> = { kill: 1, release: 2, withdraw: 3, intercept: 4 };

/**
 * How a leg ended, decided once, when it ends, from what polylink had asked and the cause
 * the switch gave:
 * - withdrawn, released, cancelled, intercepted: polylink ended it (endRequest withdraw,
 *   release, kill, intercept);
 * - hung-up: it was answered and its party hung up;
 * - refused: it rang and was not taken (NO_ANSWER, USER_BUSY, CALL_REJECTED … hangup-causes.ts);
 * - originator-cancel: the switch cancelled the originate (ORIGINATOR_CANCEL) on its own;
 * - switch-shutdown: FreeSWITCH hung it up shutting down (SYSTEM_SHUTDOWN, capture h);
 * - unreachable: the phone or the switch could not be reached (any other cause).
 */
export type EndReason = 'withdrawn' | 'released' | 'cancelled' | 'intercepted' | 'hung-up' | 'refused' | 'originator-cancel' | 'switch-shutdown' | 'unreachable';

/** The cause FreeSWITCH gives every channel it hangs up when it shuts down. */
export const SWITCH_SHUTDOWN = 'SYSTEM_SHUTDOWN';

function endReasonOf(request: EndRequest | undefined, answered: boolean, cause: string): EndReason {
  if (request === 'intercept') return 'intercepted';
  if (request === 'withdraw') return 'withdrawn';
  if (request === 'release') return 'released';
  if (request === 'kill') return 'cancelled';
  if (cause === SWITCH_SHUTDOWN) return 'switch-shutdown';
  if (answered) return 'hung-up';
  if (cause === 'ORIGINATOR_CANCEL') return 'originator-cancel';
  return isRefusal(cause) ? 'refused' : 'unreachable';
}

export class Leg {
  state: LegState = 'dialing';
  node: string | undefined;
  ringAt: number | undefined;
  answeredAt: number | undefined;
  bridgedAt: number | undefined;
  endedAt: number | undefined;
  cause: string | undefined;
  /** How it ended (set by end()). */
  endReason: EndReason | undefined;
  /** The uuid this leg is bridged to now. */
  bridgedTo: string | undefined;
  held = false;
  muted = false;
  /** Member id when the leg is in the call's conference. */
  conferenceMember: string | undefined;
  /** Why polylink asked for this leg to end, if it did (so its end is not the party hanging up). */
  endRequest: EndRequest | undefined;
  /** Its agent was already told how it ended (HangupEvent): its end says nothing more. */
  reported = false;
  /** Its answer was counted in the agent's statistics. */
  counted = false;
  /** Its agent handed the customer on (a transfer, the survey): its HangupEvent says so. */
  handedOn = false;
  /** The caller ID its phone was rung with (legs polylink originates). */
  callerId: string | undefined;

  constructor(
    readonly uuid: string,
    readonly purpose: LegPurpose,
    /** The party's number: the customer's number, the agent's extension, an outside number. */
    readonly number: string,
    readonly createdAt: number,
    /** The agent this leg belongs to (agent, consult, three-way and callee legs of agents). */
    readonly agentId: string | undefined,
  ) {}

  get ended(): boolean {
    return this.state === 'ended';
  }

  get answered(): boolean {
    return this.answeredAt !== undefined;
  }

  /** polylink asked for this leg to end (any EndRequest). */
  get endAsked(): boolean {
    return this.endRequest !== undefined;
  }

  /** Its phone rings; false if the table has no such move from where it is. */
  ring(at: number): boolean {
    if (!this.move('ring')) return false;
    this.ringAt = at;
    return true;
  }

  answer(at: number): boolean {
    if (this.answeredAt !== undefined || !this.move('answer')) return false;
    this.answeredAt = at;
    return true;
  }

  /** Bridged to `other` (the first bridge's time is kept: the leg talked). */
  bridge(other: string, at: number): boolean {
    if (!this.move('bridge')) return false;
    this.bridgedTo = other;
    this.bridgedAt ??= at;
    return true;
  }

  unbridge(): void {
    if (this.move('unbridge')) this.bridgedTo = undefined;
  }

  /** polylink asks for this leg to end, for `why`; true the first time it is asked at all. */
  askToEnd(why: EndRequest): boolean {
    const first = this.endRequest === undefined;
    if (first || REQUEST_RANK[why] > REQUEST_RANK[this.endRequest!]) this.endRequest = why;
    return first;
  }

  /** First call wins; later ones report false and change nothing. Decides the end reason. */
  end(cause: string, at: number): boolean {
    if (!this.move('end')) return false;
    this.cause = cause;
    this.endedAt = at;
    this.endReason = endReasonOf(this.endRequest, this.answered, cause);
    this.bridgedTo = undefined;
    return true;
  }

  private move(move: LegMove): boolean {
    const next = LEG_MOVES[this.state][move];
    if (next === undefined) return false;
    this.state = next;
    return true;
  }
}

/** What the call is, seen from the call centre (and CDR callType). */
export type CallKind = 'inbound' | 'outbound' | 'internal' | 'check';

/** Where the customer is in the call's story (cc_cdr cdrState). */
export type CallPhase = 'setup' | 'queue' | 'ringing' | 'talking' | 'ivr' | 'grade' | 'ended';

export interface Timeline {
  start: number;
  agentStart?: number;
  agentRing?: number;
  agentAnswer?: number;
  customerStart?: number;
  customerRing?: number;
  customerAnswer?: number;
  queueEnter?: number;
  queueLeave?: number | undefined;
  bridge?: number;
  ivrEnter?: number;
  gradeStart?: number;
  gradeEnd?: number;
  hangup?: number;
  holdStartedAt?: number | undefined;
  holdSeconds: number;
}

export class Call {
  readonly legs = new Map<string, Leg>();
  phase: CallPhase = 'setup';
  /** The agent serving the customer now (the owner of the call's agent leg). */
  agentId: string | undefined;
  /** Every agent that served the call, in order (transfers). */
  readonly agents: string[] = [];
  /** The customer's leg — for an internal call, the callee's leg (the other party). */
  customerUuid: string | undefined;
  agentUuid: string | undefined;
  consultUuid: string | undefined;
  threeWayUuid: string | undefined;
  /** The conference the call moved into for a three-way call. */
  conference: string | undefined;
  queueNum: string | undefined;
  /** How the call first reached a queue: from its access number or IVR, or otherwise (transfer, overflow). */
  queueEntry: 'direct' | 'other' | undefined;
  ivrNum: string | undefined;
  ivrData: string | undefined;
  dtmf: string | undefined;
  accessNumber: string | undefined;
  displayNumber: string | undefined;
  customerNumber = '';
  /** cust_grade of the customer (1 VIP), as the ACD's lists say. */
  custGrade = 0;
  customerForeignId: string | undefined;
  gateway: string | undefined;
  recordPath: string | undefined;
  score: string | undefined;
  gradeLanguage: 'zh' | 'en' | undefined;
  /** Who ended the call (CDR hangup_side); `supervisor`: a supervisor's forcehangup. */
  hangupSide: 'customer' | 'agent' | 'system' | 'supervisor' | undefined;
  hangupCause: string | undefined;
  failureReason: string | undefined;
  /** A CDR status the call ended with (seed 003 status), when it is not ANSWER. */
  endStatus: string | undefined;
  /** The call id this one was transferred from (seed 003 relativeCallUniqueId). */
  relativeCallId: string | undefined;
  /** The call was handed to an IVR or a transfer: the first agent's part is over. */
  transferred = false;
  /** A queue sent the caller to an outside number (its overflow): if that fails, the call is over. */
  overflowedToNumber = false;
  /** The agent the ACD offered the call to last (the CDR's agent of a call no agent answered). */
  offeredTo: string | undefined;
  /** The agent that last transferred the call away (blind transfer, to a queue). */
  transferredBy: string | undefined;
  /** The caller is on the blacklist: it hears the prompt and is released. */
  blacklisted = false;
  readonly timeline: Timeline;
  private closed = false;

  constructor(
    readonly id: string,
    readonly kind: CallKind,
    readonly accountId: string,
    readonly node: string | undefined,
    start: number,
  ) {
    this.timeline = { start, holdSeconds: 0 };
  }

  get ended(): boolean {
    return this.closed;
  }

  addLeg(leg: Leg): Leg {
    this.legs.set(leg.uuid, leg);
    return leg;
  }

  leg(uuid: string | undefined): Leg | undefined {
    return uuid === undefined ? undefined : this.legs.get(uuid);
  }

  get customer(): Leg | undefined {
    return this.leg(this.customerUuid);
  }

  get agentLeg(): Leg | undefined {
    return this.leg(this.agentUuid);
  }

  liveLegs(): Leg[] {
    return [...this.legs.values()].filter((l) => !l.ended);
  }

  /** First call wins (idempotent). */
  end(at: number): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.phase = 'ended';
    this.timeline.hangup ??= at;
    return true;
  }
}
