/**
 * A call and its legs. A Call owns one Leg per FreeSWITCH channel and the relations
 * between them (the customer, the agent serving, a consultee, a three-way party, a
 * check). Legs change only from switch events; `end()` is idempotent (mediasoup's
 * closed-flag habit), so a late or repeated hangup changes nothing.
 */

/**
 * What a leg is for. It decides what its ringing, answer, bridge and hangup mean:
 * - customer: the customer's channel (inbound, or dialled out through a gateway);
 * - dialer: the agent's phone rung first for its outbound or internal call;
 * - callee: the called agent of an internal call;
 * - offer: an agent's phone rung with a customer call (queue, transfer);
 * - consult: the consultee (an agent's phone or an outside number);
 * - threeway: the third party of a three-way call;
 * - check: the agent's loop-back test.
 */
export type LegPurpose = 'customer' | 'dialer' | 'callee' | 'offer' | 'consult' | 'threeway' | 'check';

export type LegState = 'dialing' | 'ringing' | 'answered' | 'ended';

export class Leg {
  state: LegState = 'dialing';
  node: string | undefined;
  ringAt: number | undefined;
  answeredAt: number | undefined;
  bridgedAt: number | undefined;
  endedAt: number | undefined;
  cause: string | undefined;
  /** The uuid this leg is bridged to now. */
  bridgedTo: string | undefined;
  held = false;
  muted = false;
  /** Member id when the leg is in the call's conference. */
  conferenceMember: string | undefined;
  /** polylink asked for this leg to end (so its end is not the party hanging up). */
  killed = false;
  /** The agent ended it with the hangup command (counts agentrelease). */
  releasedByAgent = false;
  /** Its agent was already told how it ended (HangupEvent): its end says nothing more. */
  reported = false;
  /** An offer taken back because its agent signed out while it rang: no no-answer, the customer is offered again. */
  withdrawn = false;
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

  /** First call wins; later ones report false and change nothing. */
  end(cause: string, at: number): boolean {
    if (this.state === 'ended') return false;
    this.state = 'ended';
    this.cause = cause;
    this.endedAt = at;
    this.bridgedTo = undefined;
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
  hangupSide: 'customer' | 'agent' | 'system' | undefined;
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
