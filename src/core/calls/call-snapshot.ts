/**
 * A call still up when polylink stops, as plain data: what the next start needs to go on
 * following it and to write its one CDR when it ends (its fields, its timeline, its live
 * legs). The field lists are checked against the classes by the compiler, so a renamed
 * field cannot silently drop out of what is saved.
 */
import { Call, Leg, type CallKind, type CallPhase, type LegPurpose, type Timeline } from './call-model.js';

const CALL_FIELDS = [
  'agentId', 'customerUuid', 'agentUuid', 'consultUuid', 'threeWayUuid', 'conference', 'queueNum', 'queueEntry',
  'ivrNum', 'ivrData', 'dtmf', 'accessNumber', 'displayNumber', 'customerNumber', 'customerIsExtension', 'custGrade', 'customerForeignId',
  'gateway', 'recordPath', 'score', 'gradeLanguage', 'hangupSide', 'hangupCause', 'failureReason', 'endStatus',
  'relativeCallId', 'overflowedToNumber', 'offeredTo', 'transferredBy', 'blacklisted',
] as const satisfies readonly (keyof Call)[];

const LEG_FIELDS = [
  'state', 'node', 'ringAt', 'answeredAt', 'bridgedAt', 'bridgedTo', 'held', 'muted', 'conferenceMember', 'endRequest',
  'reported', 'counted',
] as const satisfies readonly (keyof Leg)[];

type CallFields = { -readonly [K in (typeof CALL_FIELDS)[number]]: Call[K] };
type LegFields = { -readonly [K in (typeof LEG_FIELDS)[number]]: Leg[K] };

export interface LegSnapshot extends Partial<LegFields> {
  /** Written by polylink 0.1 before a leg's end request was one field (restoreCall reads them). */
  readonly killed?: boolean;
  readonly releasedByAgent?: boolean;
  readonly withdrawn?: boolean;
  readonly uuid: string;
  readonly purpose: LegPurpose;
  readonly number: string;
  readonly createdAt: number;
  readonly agentId: string | undefined;
}

export interface CallSnapshot extends Partial<CallFields> {
  readonly id: string;
  readonly kind: CallKind;
  readonly accountId: string;
  readonly node: string | undefined;
  /** Where the call was (a snapshot of polylink 0.1 also has `transferred`, which phase 'ivr' says now). */
  readonly phase: CallPhase;
  readonly agents: readonly string[];
  readonly timeline: Timeline;
  /** The legs up when it was saved. */
  readonly legs: readonly LegSnapshot[];
}

const jsonOf = new WeakMap<CallSnapshot, string>();

/**
 * The snapshot as `open_calls` keeps it (JSON), worked out once per snapshot: the journal
 * compares it with what was written, and the store writes the same string.
 */
export function snapshotJson(snapshot: CallSnapshot): string {
  let json = jsonOf.get(snapshot);
  if (json === undefined) {
    json = JSON.stringify(snapshot);
    jsonOf.set(snapshot, json);
  }
  return json;
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

export function snapshotOf(call: Call): CallSnapshot {
  return {
    id: call.id,
    kind: call.kind,
    accountId: call.accountId,
    node: call.node,
    phase: call.phase,
    agents: [...call.agents],
    timeline: { ...call.timeline },
    ...pick(call as CallFields, CALL_FIELDS),
    legs: call.liveLegs().map((leg) => ({
      uuid: leg.uuid,
      purpose: leg.purpose,
      number: leg.number,
      createdAt: leg.createdAt,
      agentId: leg.agentId,
      ...pick(leg as LegFields, LEG_FIELDS),
    })),
  };
}

/** The call again, with the legs that were up (none of them known to have ended since). */
export function restoreCall(s: CallSnapshot): Call {
  const call = new Call(s.id, s.kind, s.accountId, s.node, s.timeline.start, s.phase);
  Object.assign(call.timeline, s.timeline);
  Object.assign(call as CallFields, pick(s as Partial<CallFields>, CALL_FIELDS));
  call.agents.push(...s.agents);
  for (const l of s.legs) {
    const leg = new Leg(l.uuid, l.purpose, l.number, l.createdAt, l.agentId);
    Object.assign(leg as LegFields, pick(l as Partial<LegFields>, LEG_FIELDS));
    leg.endRequest ??= l.withdrawn === true ? 'withdraw' : l.releasedByAgent === true ? 'release' : l.killed === true ? 'kill' : undefined;
    call.addLeg(leg);
  }
  return call;
}
