/**
 * The record of a finished call: the fields of the seed 003 `cdr` push and the seed 001
 * `cc_cdr` event, built from the Call when it ends. Times are ms since the epoch;
 * durations are whole seconds.
 */
import type { Call } from '../calls/call-model.js';
import type { Organisation } from '../organisation.js';
import type { CustomerNumberInfo } from '../../numbers/customer-number.js';

export type CdrStatus = 'ANSWER' | 'QUEUE_ABANDON' | 'AGENT_NO_ANSWER' | 'CUSTOMER_NO_ANSWER' | 'CALL_TRANSFER' | 'IVR';

export interface CdrRecord {
  readonly callId: string;
  readonly accountId: string;
  readonly callType: 'incoming' | 'dialout' | 'internal';
  readonly status: CdrStatus;
  readonly cdrState: 'bridged' | 'queue' | 'ivr' | 'feedback' | 'setup';
  readonly customerNumber: string | null;
  readonly customerNumberType: string | null;
  readonly customerAreaCode: string | null;
  readonly customerAreaName: string | null;
  readonly displayNumber: string | null;
  readonly trunkNumber: string | null;
  readonly accessNumberName: string | null;
  readonly agentId: string | null;
  readonly agentName: string | null;
  readonly agentExten: string | null;
  readonly agents: string | null;
  readonly queueNum: string | null;
  readonly queueName: string | null;
  readonly ivrNum: string | null;
  readonly ivrName: string | null;
  readonly ivrDtmf: string | null;
  readonly startTime: number;
  readonly agentStartTime: number | null;
  readonly agentRingTime: number | null;
  readonly agentAnswerTime: number | null;
  readonly customerStartTime: number | null;
  readonly customerRingTime: number | null;
  readonly customerAnswerTime: number | null;
  readonly joinQueueTime: number | null;
  readonly leaveQueueTime: number | null;
  readonly bridgeTime: number | null;
  readonly ivrTime: number | null;
  readonly satisfyStartTime: number | null;
  readonly satisfyEndTime: number | null;
  readonly hangupTime: number;
  readonly endTime: number;
  readonly ringSeconds: number | null;
  readonly customerRingSeconds: number | null;
  readonly queueSeconds: number | null;
  readonly bridgeSeconds: number | null;
  readonly holdSeconds: number;
  readonly satisfySeconds: number | null;
  readonly totalSeconds: number;
  readonly hangupSide: string | null;
  readonly hangupCause: string | null;
  readonly failureReason: string | null;
  readonly recordFile: string | null;
  readonly score: string | null;
  readonly relativeCallId: string | null;
  readonly queueEntry: 'direct' | 'other' | null;
  readonly customerForeignId: string | null;
  readonly gateway: string | null;
  readonly node: string | null;
  readonly createdAt: number;
}

const seconds = (from: number | undefined, to: number | undefined): number | null =>
  from === undefined || to === undefined ? null : Math.max(0, Math.round((to - from) / 1000));

export function buildCdr(call: Call, org: Organisation, number: CustomerNumberInfo | undefined, agentExten: string | null, now: number): CdrRecord {
  const t = call.timeline;
  const hangup = t.hangup ?? now;
  const end = t.gradeEnd ?? hangup;
  const agent = call.agentId === undefined ? undefined : org.agent(call.agentId);
  const access = call.accessNumber === undefined ? undefined : org.accessNumbersOf(call.accountId).find((a) => a.number === call.accessNumber);
  const queue = call.queueNum === undefined ? undefined : org.queue(call.queueNum);
  const ivr = call.ivrNum === undefined ? undefined : org.ivrsOf(call.accountId).find((i) => i.num === call.ivrNum);
  return {
    callId: call.id,
    accountId: call.accountId,
    callType: call.kind === 'inbound' ? 'incoming' : call.kind === 'outbound' ? 'dialout' : 'internal',
    status: statusOf(call),
    cdrState: stateOf(call),
    customerNumber: call.customerNumber === '' ? null : call.customerNumber,
    customerNumberType: number?.phoneType ?? null,
    customerAreaCode: number === undefined || number.areaId === '' ? null : number.areaId,
    customerAreaName: number === undefined || number.areaName === '' ? null : number.areaName,
    displayNumber: call.displayNumber ?? null,
    trunkNumber: call.accessNumber ?? null,
    accessNumberName: access?.name ?? null,
    agentId: call.agentId ?? null,
    agentName: agent?.name ?? null,
    agentExten,
    agents: call.agents.length === 0 ? null : call.agents.join(','),
    queueNum: call.queueNum ?? null,
    queueName: queue?.name ?? null,
    ivrNum: call.ivrNum ?? null,
    ivrName: ivr?.name ?? null,
    ivrDtmf: call.dtmf ?? null,
    startTime: t.start,
    agentStartTime: t.agentStart ?? null,
    agentRingTime: t.agentRing ?? null,
    agentAnswerTime: t.agentAnswer ?? null,
    customerStartTime: t.customerStart ?? null,
    customerRingTime: t.customerRing ?? null,
    customerAnswerTime: t.customerAnswer ?? null,
    joinQueueTime: t.queueEnter ?? null,
    leaveQueueTime: t.queueLeave ?? null,
    bridgeTime: t.bridge ?? null,
    ivrTime: t.ivrEnter ?? null,
    satisfyStartTime: t.gradeStart ?? null,
    satisfyEndTime: t.gradeEnd ?? null,
    hangupTime: hangup,
    endTime: end,
    ringSeconds: seconds(t.agentRing, t.agentAnswer ?? (t.agentRing === undefined ? undefined : hangup)),
    customerRingSeconds: call.kind === 'outbound' ? seconds(t.customerStart, t.customerAnswer) : 0,
    queueSeconds: seconds(t.queueEnter, t.queueLeave ?? (t.queueEnter === undefined ? undefined : hangup)),
    bridgeSeconds: seconds(t.bridge, t.bridge === undefined ? undefined : (t.gradeStart ?? t.ivrEnter ?? hangup)),
    holdSeconds: t.holdSeconds,
    satisfySeconds: seconds(t.gradeStart, t.gradeEnd),
    totalSeconds: Math.max(0, Math.round((end - t.start) / 1000)),
    hangupSide: call.hangupSide ?? null,
    hangupCause: call.hangupCause ?? null,
    failureReason: call.failureReason ?? null,
    recordFile: call.recordPath ?? null,
    score: call.score ?? null,
    relativeCallId: call.relativeCallId ?? null,
    queueEntry: call.queueEntry ?? null,
    customerForeignId: call.customerForeignId ?? null,
    gateway: call.gateway ?? null,
    node: call.node ?? null,
    createdAt: now,
  };
}

function statusOf(call: Call): CdrStatus {
  if (call.endStatus !== undefined) return call.endStatus as CdrStatus;
  const t = call.timeline;
  if (call.kind === 'outbound') return t.customerAnswer !== undefined && t.bridge !== undefined ? 'ANSWER' : 'CUSTOMER_NO_ANSWER';
  if (t.bridge !== undefined) return 'ANSWER';
  if (call.kind === 'internal') return 'CUSTOMER_NO_ANSWER';
  return t.agentRing !== undefined ? 'AGENT_NO_ANSWER' : 'QUEUE_ABANDON';
}

function stateOf(call: Call): CdrRecord['cdrState'] {
  if (call.timeline.gradeStart !== undefined) return 'feedback';
  // Handed to the dialplan and not back when it ended.
  if ((call.endedIn ?? call.phase) === 'ivr') return 'ivr';
  if (call.timeline.bridge !== undefined) return 'bridged';
  if (call.timeline.queueEnter !== undefined) return 'queue';
  return 'setup';
}
