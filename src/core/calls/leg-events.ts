/**
 * What a leg's ringing, answer, bridge, hold, recording and playback mean, by the
 * leg's purpose (call-model.ts). The hangup of a leg is in leg-ended.ts.
 */
import type { CoreEffect } from '../effects.js';
import { AgentStatus } from '../agent-status.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';
import { dialCustomer } from './outbound.js';
import { ringCallee } from './internal-call.js';
import { gradePlaybackStopped } from './grade.js';
import { raiseProgress } from './call-progress.js';

/** China's ringback tone (450 Hz, 1 s on, 4 s off), played to an agent waiting for the other side. */
const RINGBACK = { kind: 'tone', tones: [{ onMs: 1000, offMs: 4000, frequencies: [450] }], loops: 30 } as const;

export function onRinging(desk: CallDesk, call: Call, leg: Leg, now: number): CoreEffect[] {
  if (!leg.ring(now)) return [];
  raiseProgress(desk, 'ringing', call, leg, now);
  const effects: CoreEffect[] = [];
  const serving = call.agentId;
  switch (leg.purpose) {
    case 'dialer':
      call.timeline.agentRing ??= now;
      if (call.kind === 'internal' && leg.agentId !== undefined) {
        effects.push(desk.send(leg.agentId, 'InternalCall_CallInEvent', now, { agentid: leg.agentId, callerid: leg.agentId, callType: desk.callTypeOf(call) }));
      }
      break;
    case 'customer':
      if (call.kind !== 'outbound') break;
      call.timeline.customerRing ??= now;
      // A click-number call from a phone no agent is on: that phone hears the ringback all the same.
      if (serving === undefined) effects.push(...ringback(desk, call.agentLeg));
      if (serving !== undefined) {
        const n = desk.deps.numbers.describe(call.customerNumber);
        effects.push(
          desk.send(serving, 'CallOutRingEvent', now, {
            customerNum: call.customerNumber,
            callcenterNum: call.displayNumber ?? '',
            accessNumName: desk.accessName(call),
            callType: desk.callTypeOf(call),
            areaID: n.areaId,
            areaName: n.areaName,
            makeStr: desk.makeStr(call, serving),
          }),
          ...ringback(desk, call.agentLeg),
        );
      }
      break;
    case 'callee':
      if (leg.agentId !== undefined) {
        effects.push(
          ...desk.agentInput(leg.agentId, { type: 'OFFER' }, serving ?? 'system', 'callagent', now),
          desk.send(leg.agentId, 'InternalCallerRingEvent', now, { agentid: leg.agentId, callerid: serving ?? '', callType: desk.callTypeOf(call) }),
          ...ringback(desk, call.agentLeg),
        );
      }
      break;
    case 'offer':
      call.timeline.agentRing ??= now;
      // A queue offer announced itself when it was made (the agent is RING already); a blind
      // transfer announces itself when the target's phone rings. An offer polylink already
      // took back or ended (its agent signed out, another agent won a ring-all) rings no one,
      // however late its ringing is reported.
      if (leg.agentId !== undefined && !leg.endAsked && desk.agents.statusOf(leg.agentId) !== AgentStatus.RING) {
        const by = call.transferredBy ?? '';
        effects.push(
          ...desk.agentInput(leg.agentId, { type: 'OFFER' }, by === '' ? 'system' : by, 'offer', now),
          desk.send(leg.agentId, 'TransferBlindCallInEvent', now, desk.customerFields(call, leg.agentId, by, 'consulterAgentNum', desk.callTypeOf(call))),
        );
      }
      break;
    case 'consult':
      if (leg.agentId !== undefined && serving !== undefined) {
        effects.push(
          ...desk.agentInput(leg.agentId, { type: 'OFFER' }, serving, 'consult', now),
          desk.send(leg.agentId, 'ConsultCallInEvent', now, desk.customerFields(call, leg.agentId, serving, 'consulterAgentNum', desk.callTypeOf(call))),
        );
      }
      effects.push(...ringback(desk, call.agentLeg));
      break;
    case 'threeway':
      if (leg.agentId !== undefined && serving !== undefined) {
        effects.push(
          ...desk.agentInput(leg.agentId, { type: 'OFFER' }, serving, 'threeway', now),
          // The seed's callerID (来电号码): the number the third party's phone shows as calling it.
          desk.send(leg.agentId, 'ThreeWayCallRingEvent', now, {
            callerID: leg.callerId ?? '',
            ...desk.customerFields(call, leg.agentId, serving, 'callerAgentNum', desk.callTypeOf(call)),
          }),
        );
      }
      break;
    case 'check':
      break;
  }
  return effects;
}

/** A customer offered to an agent by a queue (seed 002 CallInEvent). */
export function callInEvent(desk: CallDesk, call: Call, agentId: string, now: number): CoreEffect {
  return desk.send(agentId, 'CallInEvent', now, {
    callerID: call.customerNumber,
    makeStr: desk.makeStr(call, agentId),
    callType: desk.callTypeOf(call),
    bNeedArea: 'true',
    outExtraParamsFromIvr: call.ivrData === undefined ? '' : Buffer.from(call.ivrData, 'utf8').toString('base64'),
  });
}

function ringback(desk: CallDesk, leg: Leg | undefined): CoreEffect[] {
  if (leg === undefined || leg.ended || !leg.answered) return [];
  return [desk.switch({ op: 'playback', uuid: leg.uuid, source: RINGBACK, legs: 'this' })];
}

export function onAnswered(desk: CallDesk, call: Call, leg: Leg, now: number): CoreEffect[] {
  if (!leg.answer(now)) return [];
  const bridge = (a: Leg | undefined, b: Leg | undefined, waiting: Leg | undefined): CoreEffect[] => {
    if (a === undefined || b === undefined || a.ended || b.ended) return [];
    return [
      ...(waiting !== undefined && !waiting.ended ? [desk.switch({ op: 'stopPlayback', uuid: waiting.uuid })] : []),
      desk.switch({ op: 'bridge', uuid: a.uuid, otherUuid: b.uuid }, { callId: call.id, step: 'bridge' }),
    ];
  };
  switch (leg.purpose) {
    case 'dialer':
      call.timeline.agentAnswer ??= now;
      if (call.kind === 'outbound') return dialCustomer(desk, call, now);
      if (call.kind === 'internal') return ringCallee(desk, call, now);
      return [];
    case 'customer':
      if (call.kind !== 'outbound') return [];
      call.timeline.customerAnswer ??= now;
      return bridge(leg, call.agentLeg, call.agentLeg);
    case 'callee':
      return bridge(leg, call.agentLeg, call.agentLeg);
    case 'offer':
      call.timeline.agentAnswer ??= now;
      return bridge(call.customer, leg, call.customer);
    case 'consult':
      return bridge(call.agentLeg, leg, call.agentLeg);
    case 'threeway':
      // It joins the conference by itself (its originate app); it is talking now.
      return leg.agentId === undefined
        ? []
        : [...desk.agentInput(leg.agentId, { type: 'ANSWER' }, 'system', 'threeway', now), desk.send(leg.agentId, 'BridgeEvent', now)];
    case 'check':
      return leg.agentId === undefined ? [] : [desk.send(leg.agentId, 'CheckExtenEvent', now, { agentid: leg.agentId })];
    case 'monitor':
      // A supervisor's leg is never one of a call's legs (supervision.ts answers for it).
      return [];
  }
}

/**
 * Two legs were bridged. Every agent in the bridge hears BridgeEvent and is talking; the
 * first bridge with the customer starts the call's talk time (and its recording).
 */
export function onBridged(desk: CallDesk, call: Call, leg: Leg, other: Leg | undefined, now: number): CoreEffect[] {
  if (other === undefined || (leg.bridgedTo === other.uuid && other.bridgedTo === leg.uuid)) return [];
  leg.bridge(other.uuid, now);
  other.bridge(leg.uuid, now);
  const effects: CoreEffect[] = [];
  for (const party of [leg, other]) {
    if (party.agentId === undefined) continue;
    const status = desk.agents.statusOf(party.agentId);
    if (status === AgentStatus.RING || status === AgentStatus.CALLING_OUT || status === AgentStatus.CAMP_ON) {
      effects.push(...desk.agentInput(party.agentId, { type: 'ANSWER' }, 'system', 'bridge', now));
    }
    effects.push(desk.send(party.agentId, 'BridgeEvent', now));
  }
  const customer = leg.uuid === call.customerUuid ? leg : other.uuid === call.customerUuid ? other : undefined;
  const agentSide = customer === leg ? other : leg;
  if (customer !== undefined) {
    const first = call.timeline.bridge === undefined;
    // Whoever is bridged to the customer serves the call now (transfers, consults).
    if (call.kind !== 'internal' && agentSide.agentId !== undefined && call.agents.at(-1) !== agentSide.agentId) call.agents.push(agentSide.agentId);
    call.timeline.bridge ??= now;
    call.move('bridge');
    // The customer and its server bridged again after a three-way call (backToBridge): out of the conference.
    if (call.conference !== undefined && call.threeWayUuid === undefined && agentSide.uuid === call.agentUuid) call.conference = undefined;
    raiseProgress(desk, 'linked', call, agentSide, now);
    if (first) effects.push(desk.note('call.answer', 'call answered', call, { agentId: agentSide.agentId, exten: agentSide.agentId === undefined ? undefined : agentSide.number }));
    if (call.kind === 'internal') {
      if (first) for (const a of call.agents) desk.count(a, 'intercallnums', now);
    } else if (agentSide.purpose === 'offer' && agentSide.agentId !== undefined && agentSide.answeredAt !== undefined && !agentSide.counted) {
      agentSide.counted = true;
      desk.count(agentSide.agentId, 'answernums', now);
    }
    if (first && call.kind !== 'internal') effects.push(...startRecording(desk, call, agentSide.agentId, now));
  }
  return effects;
}

export function onUnbridged(call: Call, leg: Leg): void {
  const other = call.leg(leg.bridgedTo);
  if (other !== undefined && other.bridgedTo === leg.uuid) other.unbridge();
  leg.unbridge();
}

export function onHeld(desk: CallDesk, call: Call, leg: Leg, held: boolean, now: number): CoreEffect[] {
  if (leg.held === held) return [];
  leg.held = held;
  if (leg.agentId === undefined || leg.agentId !== call.agentId) return [];
  if (held) {
    call.timeline.holdStartedAt = now;
    desk.count(leg.agentId, 'keepnums', now);
    return desk.agentInput(leg.agentId, { type: 'HOLD' }, leg.agentId, 'hold', now);
  }
  if (call.timeline.holdStartedAt !== undefined) {
    call.timeline.holdSeconds += Math.round((now - call.timeline.holdStartedAt) / 1000);
    call.timeline.holdStartedAt = undefined;
  }
  return desk.agentInput(leg.agentId, { type: 'UNHOLD' }, leg.agentId, 'stophold', now);
}

/** Customer calls are recorded when the queue or the agent says so (outbound: also calls.recordOutbound). */
function startRecording(desk: CallDesk, call: Call, agentId: string | undefined, now: number): CoreEffect[] {
  const queue = call.queueNum === undefined ? undefined : desk.org.queue(call.queueNum);
  const agent = agentId === undefined ? undefined : desk.org.agent(agentId);
  const wanted = queue?.record === true || agent?.recordCalls === true || (call.kind === 'outbound' && desk.options.recordOutbound);
  if (!wanted || call.customerUuid === undefined || call.recordPath !== undefined) return [];
  const day = desk.deps.formatTime(now).slice(0, 10).replace(/-/g, '');
  call.recordPath = `${desk.options.recordingsDir}/${day}/${call.id}.wav`;
  return [desk.switch({ op: 'recordStart', uuid: call.customerUuid, path: call.recordPath }, { callId: call.id, step: 'record' })];
}

export function onRecord(desk: CallDesk, call: Call, started: boolean, path: string, now: number): CoreEffect[] {
  const agentId = call.agentId ?? call.agents.at(-1);
  if (agentId === undefined) return [];
  const agentLeg = call.agentLeg ?? [...call.legs.values()].find((l) => l.agentId === agentId);
  if (started) {
    return [
      desk.send(agentId, 'RecordStart', now, {
        AgentExten: desk.extenOf(agentId) ?? '',
        AgentID: agentId,
        Agent_call_uuid: agentLeg?.uuid ?? '',
        CalleeNum: call.kind === 'outbound' ? call.customerNumber : (call.accessNumber ?? ''),
        CallerNum: call.kind === 'outbound' ? (call.displayNumber ?? '') : call.customerNumber,
        FilePath: path,
      }),
    ];
  }
  return [desk.send(agentId, 'RecordStop', now, { AgentID: agentId, Agent_call_uuid: agentLeg?.uuid ?? '', FilePath: path })];
}

export function onPlaybackStopped(desk: CallDesk, call: Call, path: string): CoreEffect[] {
  return gradePlaybackStopped(desk, call, path);
}
