/**
 * Seed 003's event push (事件推送): pushType dialoutRing, dialoutHangup, incomingRing,
 * incomingHangup, link, cdr, callStatus, mediaFailreason, login and logout, with the
 * seed's field names and value formats: call events carry statusTime as Unix seconds
 * ("1620455977"), login/logout as `yyyy-MM-dd HH:mm:ss`; every push has its own
 * eventUniqueId (32 hex digits). A target subscribes to pushType names.
 */
import { AgentStatus } from '../../core/agent-status.js';
import type { CallFacts, PushFact } from '../../core/records/push-facts.js';
import type { CdrRecord } from '../../core/records/cdr.js';
import { failureOf, sipCodeOf } from './hangup-causes.js';
import { timeText, unixSeconds, type FormatContext, type PushBody } from './push-body.js';

export const SEED003_EVENTS = ['dialoutRing', 'dialoutHangup', 'incomingRing', 'incomingHangup', 'link', 'cdr', 'callStatus', 'mediaFailreason', 'login', 'logout'] as const;

/**
 * seed 003's agent states (坐席状态: 0 空闲, 1 忙碌, 2 呼叫中, 3 振铃, 4 通话中, 5 整理, 6 保持,
 * 7 静音, 8 未连接, from 100 custom) for polylink's. LEAVE and the outbound-only mode are
 * not available for queue calls: 忙碌. A custom status keeps its number and name.
 */
const STATES: Readonly<Record<number, readonly [number, string]>> = {
  [AgentStatus.IDLE]: [0, '空闲'],
  [AgentStatus.BUSY]: [1, '忙碌'],
  [AgentStatus.LEAVE]: [1, '忙碌'],
  [AgentStatus.CALL_OUT]: [1, '忙碌'],
  [AgentStatus.CALLING_OUT]: [2, '呼叫中'],
  [AgentStatus.CAMP_ON]: [2, '呼叫中'],
  [AgentStatus.RING]: [3, '振铃'],
  [AgentStatus.TALKING]: [4, '通话中'],
  [AgentStatus.ACW]: [5, '整理'],
  [AgentStatus.HOLD]: [6, '保持'],
  [AgentStatus.MUTE]: [7, '静音'],
  [AgentStatus.OFFLINE]: [8, '未连接'],
};

export function seed003State(status: number, customName: string | null): { number: string; name: string } {
  const known = STATES[status];
  if (known !== undefined) return { number: String(known[0]), name: known[1] };
  return { number: String(status), name: customName ?? String(status) };
}

function callType(call: CallFacts | null): string {
  if (call === null) return '';
  return call.kind === 'inbound' ? 'incoming' : call.kind === 'outbound' ? 'dialout' : '';
}

/** The fields every call event of seed 003 has. */
function callFields(call: CallFacts | null, agentId: string | null, agentName: string | null) {
  return {
    accountId: call?.accountId ?? '',
    callUniqueId: call?.callId ?? '',
    customerNumber: call === null || call.kind === 'internal' ? '' : call.customerNumber,
    trunkNumber: call?.kind === 'inbound' ? (call.accessNumber ?? '') : '',
    displayNumber: call?.kind === 'outbound' ? (call.displayNumber ?? '') : '',
    callType: callType(call),
    agentNumber: agentId ?? '',
    agentName: agentName ?? '',
    extras: call?.customerForeignId ?? '',
  };
}

export function seed003(fact: PushFact, c: FormatContext): PushBody[] {
  switch (fact.kind) {
    case 'agent-status':
      return agentStatus(fact, c);
    case 'call':
      return callProgress(fact, c);
    case 'call-ended':
      return callEnded(fact, c);
  }
}

function push(c: FormatContext, pushType: string, fields: Record<string, unknown>): PushBody {
  const eventId = c.newEventId();
  return { event: pushType, eventId, body: { eventUniqueId: eventId, pushType, ...fields } };
}

function agentStatus(fact: Extract<PushFact, { kind: 'agent-status' }>, c: FormatContext): PushBody[] {
  const out: PushBody[] = [];
  const when = c.formatTime(fact.at);
  if (fact.from === AgentStatus.OFFLINE) {
    // PSTN: an outside phone; SIP: an extension of the switch; '' when it bound no phone.
    const loginType = fact.exten === null ? '' : fact.outsidePhone ? 'PSTN' : 'SIP';
    out.push(push(c, 'login', { accountId: fact.accountId, loginType, statusTime: when, agentNumber: fact.agentId, agentName: fact.agentName }));
  }
  const state = seed003State(fact.to, fact.toName);
  const agentName = fact.agentName;
  out.push(
    push(c, 'callStatus', {
      ...callFields(fact.call, fact.agentId, agentName),
      accountId: fact.accountId,
      statusTime: unixSeconds(fact.at),
      callEvent: fact.callEvent,
      statusName: state.name,
      statusNumber: state.number,
    }),
  );
  if (fact.to === AgentStatus.OFFLINE) {
    out.push(push(c, 'logout', { accountId: fact.accountId, logoutType: 'normal', statusTime: when, agentNumber: fact.agentId, agentName: fact.agentName }));
  }
  return out;
}

function callProgress(fact: Extract<PushFact, { kind: 'call' }>, c: FormatContext): PushBody[] {
  const { call, leg } = fact;
  if (call.kind === 'internal' || leg === null) return [];
  if (fact.change === 'ringing' && leg.agentId !== null) {
    // The agent's side rings: its own phone for a callout, an offer for an inbound call.
    const pushType = call.kind === 'outbound' && leg.purpose === 'dialer' ? 'dialoutRing' : call.kind === 'inbound' && leg.purpose === 'offer' ? 'incomingRing' : undefined;
    if (pushType === undefined) return [];
    return [push(c, pushType, { ...callFields(call, leg.agentId, agentNameOf(call, leg.agentId)), statusTime: unixSeconds(fact.at), callEvent: 'ring' })];
  }
  if (fact.change === 'linked') {
    // The seed's example wraps this one: {content: {...}, uniqueId}; pushType and eventUniqueId are added beside.
    const eventId = c.newEventId();
    const content = {
      ...callFields(call, leg.agentId, agentNameOf(call, leg.agentId)),
      superUniqueId: call.callId,
      statusTime: unixSeconds(fact.at),
      callEvent: 'link',
      eventUniqueId: eventId,
    };
    return [{ event: 'link', eventId, body: { pushType: 'link', eventUniqueId: eventId, content, uniqueId: eventId } }];
  }
  return [];
}

/** The serving agent's name is in the call's facts; another agent's (a consultee) is not asked for. */
function agentNameOf(call: CallFacts, agentId: string | null): string {
  return agentId !== null && call.agentId === agentId ? (call.agentName ?? '') : '';
}

function callEnded(fact: Extract<PushFact, { kind: 'call-ended' }>, c: FormatContext): PushBody[] {
  const { cdr, call } = fact;
  const out: PushBody[] = [];
  if (call.kind !== 'internal') {
    const base = { ...callFields(call, cdr.agentId, cdr.agentName), statusTime: unixSeconds(cdr.hangupTime), callEvent: 'hangup' };
    out.push(
      call.kind === 'outbound'
        ? push(c, 'dialoutHangup', { ...base, groupIdList: [''], groupNameList: [''] })
        : push(c, 'incomingHangup', { ...base, superUniqueId: call.callId }),
    );
  }
  out.push(push(c, 'cdr', cdrFields(cdr, call, c)));
  const failure = call.kind === 'outbound' && cdr.customerAnswerTime === null ? failureOf(cdr.failureReason) : undefined;
  if (failure !== undefined) {
    out.push(
      push(c, 'mediaFailreason', {
        accountId: cdr.accountId,
        callUniqueId: cdr.callId,
        agentNumber: cdr.agentId ?? '',
        preMediaFailureReason: failure.reason,
        preMediaCode: failure.q850,
        preMediaKeyWord: failure.keyword,
      }),
    );
  }
  return out;
}

/** seed 003's hangUpSide: AGENT, CUSTOMER or SYSTEM. */
function hangUpSide(side: string | null): string {
  return side === null ? '' : side.toUpperCase();
}

/** The area name is `province-city` (numbers/area-table.ts). */
function provinceAndCity(areaName: string | null): [string, string] {
  if (areaName === null) return ['', ''];
  const [province = '', city = province] = areaName.split('-');
  return [province, city];
}

function cdrFields(cdr: CdrRecord, call: CallFacts, c: FormatContext): Record<string, unknown> {
  const t = (ms: number | null) => timeText(c, ms);
  const [province, city] = provinceAndCity(cdr.customerAreaName);
  const inbound = cdr.callType === 'incoming';
  const recorded = cdr.recordFile !== null;
  return {
    callUniqueId: cdr.callId,
    accountId: cdr.accountId,
    actionId: '',
    agentAnswerTime: t(cdr.agentAnswerTime),
    agentAreaCode: '',
    agentCity: '',
    agentCountry: '',
    agentCountryCode: '',
    agentFileUrl: '',
    agentNumber: cdr.agentId ?? '',
    agentProvince: '',
    agentRingDuration: cdr.ringSeconds ?? 0,
    agentStartTime: t(cdr.agentStartTime ?? cdr.agentRingTime),
    agentTelNumber: cdr.agentExten ?? '',
    agentTelType: cdr.agentExten === null ? '' : 'sip',
    applicationId: '',
    billCalls: [],
    bridgeDuration: cdr.bridgeSeconds ?? 0,
    bridgeTime: t(cdr.bridgeTime),
    callId: call.customer?.uuid ?? '',
    callType: cdr.callType,
    cdrType: 'callRecord',
    createTime: t(cdr.createdAt),
    customerAnswerTime: t(cdr.customerAnswerTime),
    customerAreaCode: cdr.customerAreaCode ?? '',
    customerCity: city,
    customerCountry: '',
    customerCountryCode: '',
    customerFileUrl: '',
    customerNumber: cdr.customerNumber ?? '',
    customerNumberType: cdr.customerNumberType ?? '',
    customerProvince: province,
    customerRingDuration: cdr.customerRingSeconds ?? 0,
    customerStartTime: t(cdr.customerStartTime),
    displayNumber: cdr.displayNumber ?? '',
    doubleTrackFileUrl: '',
    endTime: t(cdr.endTime),
    extras: cdr.customerForeignId ?? '',
    failureReason: cdr.failureReason ?? '',
    gatewayIP: cdr.gateway ?? '',
    hangUpSide: hangUpSide(cdr.hangupSide),
    hangupTime: t(cdr.hangupTime),
    hotLineNumber: inbound ? (cdr.trunkNumber ?? '') : '',
    id: cdr.callId,
    _id: cdr.callId,
    ivrId: cdr.ivrNum ?? '',
    ivrTime: t(cdr.ivrTime),
    joinQueueTime: t(cdr.joinQueueTime),
    loginType: '',
    playNumberDuration: 0,
    queueNumber: cdr.queueNum ?? '',
    recordFileUrl: cdr.recordFile ?? '',
    recordType: recorded ? 'normal' : '',
    recordingDuration: recorded ? (cdr.bridgeSeconds ?? 0) : 0,
    relativeCallUniqueId: cdr.relativeCallId ?? '',
    satisfyDuration: cdr.satisfySeconds ?? 0,
    satisfyEndTime: t(cdr.satisfyEndTime),
    satisfyIvrId: '',
    satisfyKeys: cdr.score === null ? [] : [cdr.score],
    satisfyStartTime: t(cdr.satisfyStartTime),
    sipCode: sipCodeOf(cdr.bridgeTime !== null, cdr.hangupCause === 'NORMAL_CLEARING' ? cdr.failureReason : (cdr.failureReason ?? cdr.hangupCause)),
    startTime: t(cdr.startTime),
    status: cdr.status,
    systemAnswerTime: t(inbound ? cdr.startTime : cdr.agentAnswerTime),
    taskId: '',
    totalDuration: cdr.totalSeconds,
    trunkNumber: inbound ? (cdr.trunkNumber ?? '') : '',
    uniqueId: cdr.callId,
    virtualNumber: '',
    waitDuration: cdr.queueSeconds ?? 0,
    ivrName: cdr.ivrName ?? '',
    queueName: cdr.queueName ?? '',
    agentName: cdr.agentName ?? '',
    agentId: cdr.agentId ?? '',
    matchResult: '',
    customerId: cdr.customerForeignId ?? '',
    customerName: '',
    saveTime: t(cdr.createdAt),
    groupIdList: [],
    groupNameList: [],
    voiceMailUrl: '',
  };
}
