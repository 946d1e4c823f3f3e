/**
 * Seed 001's active push (主動推送): the events dialbegein (the seed's spelling),
 * dialend, hangup, extensionstatus, ivr, cdr and cc_cdr, with the seed's fields. Values
 * are text as in the seed's examples (holdTime and pauseTime are numbers there);
 * `timestamp` is seconds.microseconds; `mac` is webhooks.mac where the seed has it. A
 * target subscribes to event names.
 */
import { AgentStatus } from '../../core/agent-status.js';
import type { CallFacts, LegFacts, PushFact } from '../../core/records/push-facts.js';
import type { CdrRecord } from '../../core/records/cdr.js';
import { channelName, dialString } from './leg-names.js';
import { secondsAndMicros, timeText, type FormatContext, type PushBody } from './push-body.js';

export const SEED001_EVENTS = ['dialbegein', 'dialend', 'hangup', 'extensionstatus', 'ivr', 'cdr', 'cc_cdr'] as const;

/** The legs polylink dials to reach a party (its own first ring of an agent's phone for a callout is not a dial of the call). */
const DIALLED = new Set(['offer', 'customer', 'callee', 'consult', 'threeway']);

/**
 * Extension states (seed 001: 0 待機 idle, 1 通話中 in use, 2 忙線 busy, 4 離線 unavailable,
 * 8 振鈴中 ringing, 16 保持 on hold; Asterisk's device states and texts) for polylink's
 * agent statuses. A status that takes no calls (BUSY, LEAVE, ACW, a custom status) is
 * busy; the outbound-only mode's phone is idle.
 */
export function extensionState(status: number): readonly [number, string] {
  switch (status) {
    case AgentStatus.IDLE:
    case AgentStatus.CALL_OUT:
      return [0, 'Idle'];
    case AgentStatus.TALKING:
    case AgentStatus.MUTE:
    case AgentStatus.CALLING_OUT:
      return [1, 'InUse'];
    case AgentStatus.OFFLINE:
      return [4, 'Unavailable'];
    case AgentStatus.RING:
      return [8, 'Ringing'];
    case AgentStatus.HOLD:
      return [16, 'OnHold'];
    default:
      return [2, 'Busy'];
  }
}

export function seed001(fact: PushFact, c: FormatContext): PushBody[] {
  switch (fact.kind) {
    case 'agent-status':
      return extensionStatus(fact, c);
    case 'call':
      return callProgress(fact, c);
    case 'call-ended':
      return [hangup(fact.cdr, fact.call, c), cdr(fact.cdr, c), ccCdr(fact.cdr, c)];
  }
}

function event(c: FormatContext, name: string, fields: Record<string, unknown>): PushBody {
  return { event: name, eventId: c.newEventId(), body: { event: name, ...fields } };
}

function extensionStatus(fact: Extract<PushFact, { kind: 'agent-status' }>, c: FormatContext): PushBody[] {
  const [code, text] = extensionState(fact.to);
  // An agent without a phone has no extension to report; a change within one state says nothing new.
  if (fact.exten === null || code === extensionState(fact.from)[0]) return [];
  return [event(c, 'extensionstatus', { exten: fact.exten, status: String(code), statustext: text })];
}

/** The party that dials `leg`: the customer of an inbound call, the agent otherwise. */
function dialFrom(call: CallFacts, leg: LegFacts): LegFacts | null {
  return leg.uuid === call.customer?.uuid ? call.agent : (call.kind === 'inbound' ? call.customer : call.agent);
}

function callProgress(fact: Extract<PushFact, { kind: 'call' }>, c: FormatContext): PushBody[] {
  const { call, leg } = fact;
  if (fact.change === 'ivr-left') return [ivr(fact, c)];
  // The customer of an inbound call called in: polylink did not dial it.
  if (leg === null || !DIALLED.has(leg.purpose) || (leg.purpose === 'customer' && call.kind !== 'outbound')) return [];
  const from = dialFrom(call, leg);
  const caller = { channel: channelName(from), calleridnum: leg.callerId ?? from?.number ?? '' };
  if (fact.change === 'dialled') {
    return [
      event(c, 'dialbegein', {
        timestamp: secondsAndMicros(fact.at),
        ...caller,
        destchannel: channelName(leg),
        destcalleridnum: leg.number,
        destuniqueid: leg.uuid,
        dialstring: dialString(leg),
        uniqueid: call.callId,
        mac: c.mac,
      }),
    ];
  }
  if (fact.change === 'leg-ended') {
    return [
      event(c, 'dialend', {
        timestamp: secondsAndMicros(fact.at),
        ...caller,
        destchannel: channelName(leg),
        destcalleridnum: leg.number,
        uniqueid: call.callId,
        dialstatus: dialStatus(leg),
      }),
    ];
  }
  return [];
}

/**
 * How a dialled leg ended (seed 001 dialstatus): hangup once it was answered, else
 * Asterisk's DIALSTATUS in lower case (busy, noanswer, cancel, congestion, chanunavail).
 */
export function dialStatus(leg: LegFacts): string {
  if (leg.answered) return 'hangup';
  if (leg.cause === 'USER_BUSY') return 'busy';
  if (leg.cause === 'NORMAL_CIRCUIT_CONGESTION' || leg.cause === 'SWITCH_CONGESTION') return 'congestion';
  if (leg.endReason === 'refused') return 'noanswer';
  if (leg.endReason === 'unreachable' || leg.endReason === 'switch-shutdown') return 'chanunavail';
  return 'cancel';
}

function ivr(fact: Extract<PushFact, { kind: 'call' }>, c: FormatContext): PushBody {
  const { call } = fact;
  const since = fact.since ?? fact.at;
  return event(c, 'ivr', {
    uuid: call.callId,
    caller: call.customerNumber,
    called: '',
    callType: 'IN',
    queueCode: call.queueNum ?? '',
    startTime: c.formatTime(since),
    endTime: c.formatTime(fact.at),
    duration: String(Math.max(0, Math.round((fact.at - since) / 1000))),
    ivrId: call.ivrNum ?? '',
    ivrName: call.ivrName ?? '',
    ivrDtmf: call.dtmf ?? '',
    trunkNumber: call.accessNumber ?? '',
    mac: c.mac,
  });
}

/** Who called whom: the customer calls in, the agent calls out (and an internal call's caller calls its callee). */
function parties(cdr: CdrRecord, call: CallFacts): { caller: string; callerName: string; called: string; calledName: string } {
  const agent = cdr.agentExten ?? cdr.agentId ?? '';
  if (cdr.callType === 'incoming') return { caller: cdr.customerNumber ?? '', callerName: cdr.customerNumber ?? '', called: agent || (cdr.trunkNumber ?? ''), calledName: cdr.agentName ?? '' };
  if (cdr.callType === 'dialout') return { caller: agent, callerName: cdr.agentName ?? '', called: cdr.customerNumber ?? '', calledName: cdr.customerNumber ?? '' };
  return { caller: call.agent?.number ?? agent, callerName: cdr.agentName ?? '', called: call.customer?.number ?? '', calledName: '' };
}

function hangup(cdr: CdrRecord, call: CallFacts, c: FormatContext): PushBody {
  const p = parties(cdr, call);
  return event(c, 'hangup', { calleridnum: p.caller, calleridname: p.callerName, connectedlinenum: p.called, connectedlinename: p.calledName, uniqueid: cdr.callId });
}

/** Asterisk's CDR disposition: ANSWERED, NO ANSWER, BUSY or FAILED. */
function disposition(cdr: CdrRecord): string {
  if (cdr.bridgeTime !== null) return 'ANSWERED';
  const cause = cdr.failureReason ?? cdr.hangupCause;
  if (cause === 'USER_BUSY') return 'BUSY';
  if (cdr.status === 'CUSTOMER_NO_ANSWER' && cause !== null && cause !== 'NO_ANSWER' && cause !== 'NO_USER_RESPONSE' && cause !== 'ORIGINATOR_CANCEL' && cause !== 'NORMAL_CLEARING') return 'FAILED';
  return 'NO ANSWER';
}

function cdr(r: CdrRecord, c: FormatContext): PushBody {
  const from = r.callType === 'dialout' ? (r.agentExten ?? r.agentId ?? '') : (r.customerNumber ?? '');
  const fromName = r.callType === 'dialout' ? (r.agentName ?? from) : from;
  const to = r.callType === 'dialout' ? (r.customerNumber ?? '') : (r.agentExten ?? r.trunkNumber ?? '');
  return event(c, 'cdr', {
    callerid: `"${fromName.replace(/"/g, '')}" <${from}>`,
    source: from,
    destination: to,
    starttime: timeText(c, r.startTime),
    answertime: timeText(c, r.bridgeTime),
    endtime: timeText(c, r.endTime),
    disposition: disposition(r),
    duration: String(r.totalSeconds),
    billableseconds: String(r.bridgeSeconds ?? 0),
    calltype: r.callType === 'incoming' ? 'inbound' : r.callType === 'dialout' ? 'outbound' : '',
    recordfile: r.recordFile ?? '',
    uniqueid: r.callId,
  });
}

/**
 * Why an inbound call no agent took was lost (seed 001 missCause): NO_AGENT_ANSWER (offered,
 * not taken), MEMBER_CANCEL (the caller gave up within 10 s of queueing), NO_ASSIGN (no agent
 * was free for it). The CDR does not tell a queue without agents signed in from one whose
 * agents were all busy, so polylink never says NO_AGENT_LOGIN.
 */
function missCause(r: CdrRecord): string {
  if (r.callType !== 'incoming' || r.bridgeTime !== null) return '';
  if (r.status === 'AGENT_NO_ANSWER') return 'NO_AGENT_ANSWER';
  if (r.status !== 'QUEUE_ABANDON' && r.cdrState !== 'queue') return '';
  if (r.hangupSide === 'customer' && (r.queueSeconds ?? 0) < 10) return 'MEMBER_CANCEL';
  return 'NO_ASSIGN';
}

function ccCdr(r: CdrRecord, c: FormatContext): PushBody {
  return event(c, 'cc_cdr', {
    uuid: r.callId,
    caller: r.callType === 'dialout' ? (r.agentExten ?? r.agentId ?? '') : (r.customerNumber ?? ''),
    called: r.callType === 'dialout' ? (r.customerNumber ?? '') : (r.agentExten ?? r.agentId ?? ''),
    queueCode: r.queueNum ?? '',
    agentCode: r.agentExten ?? r.agentId ?? '',
    callType: r.callType,
    cdrState: r.cdrState,
    hangupSide: r.hangupSide === 'customer' ? 'caller' : (r.hangupSide ?? ''),
    hangupCause: r.hangupCause ?? '',
    startTime: timeText(c, r.startTime),
    endTime: timeText(c, r.endTime),
    duration: String(r.totalSeconds),
    queueTime: String(r.queueSeconds ?? 0),
    feedbackTime: String(r.satisfySeconds ?? 0),
    ivrTime: r.ivrTime === null ? '' : String(Math.max(0, Math.round(((r.joinQueueTime ?? r.hangupTime) - r.ivrTime) / 1000))),
    ringTime: String(r.ringSeconds ?? 0),
    holdTime: r.holdSeconds,
    pauseTime: 0,
    talkingTime: String(r.bridgeSeconds ?? 0),
    voicemailState: '0',
    ivrId: r.ivrNum ?? '',
    ivrName: r.ivrName ?? '',
    ivrDtmf: r.ivrDtmf ?? '',
    fwType: '',
    score: r.score ?? '0',
    trunkNumber: r.trunkNumber ?? '',
    forwardNumber: '',
    filePath: r.recordFile ?? '',
    missCause: missCause(r),
    mac: c.mac,
  });
}
