/**
 * Call control: the agent commands of seed 002 that need the switch, and everything the
 * switch reports about calls. Commands return a code and effects; switch events and
 * command results come back in as data. Features live in their own modules (outbound,
 * internal-call, controls, consult, three-way, transfers, grade, check); this class
 * routes to them and ends calls whose last leg is gone.
 */
import type { CoreEffect, CoreTimer } from '../effects.js';
import { cancelTimer, setTimer } from '../effects.js';
import type { ChannelAdopted, SwitchEvent } from '../ports/switch-events.js';
import type { SwitchResult } from '../ports/switch-port.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { endCallIfDone } from './call-end.js';
import { callout, type CalloutRequest } from './outbound.js';
import { callAgent } from './internal-call.js';
import { answer, hangup, hold, mute, muteDone } from './controls.js';
import { consult, consultTransfer, stopConsult } from './consult.js';
import { threeWay, threeWayCancel } from './three-way.js';
import { transferAgent, transferQueue, transferToDialplan } from './transfers.js';
import { grade, gradeDigit, gradeTimeout } from './grade.js';
import { check } from './check.js';
import { onAnswered, onBridged, onHeld, onPlaybackStopped, onRecord, onRinging, onUnbridged } from './leg-events.js';
import { onLegEnded } from './leg-ended.js';
import { killLeg } from './leg-factory.js';
import { switchLinkLost } from './switch-link.js';
import type { QueueHooks } from './queue-hooks.js';
import type { SwitchRef } from '../ports/switch-command.js';
import type { CallSnapshot } from './call-snapshot.js';
import { holdOver, stillUp } from './held-over.js';
import { Supervision, type Intervention } from './supervision.js';
import { ForceHangups } from './force-hangup.js';
import { intercept } from './intercept.js';

type Decision = { code: number; effects: CoreEffect[] };

/** The access number a customer call came in on, or an outbound call goes out with (its display number). */
function customerChannelOf(call: Call | undefined): string {
  return call === undefined || call.kind === 'internal' || call.kind === 'check' ? '' : (call.accessNumber ?? '');
}

/** What the ACD adds to the hooks: taking inbound calls the dialplan parked for polylink. */
export interface InboundDesk extends QueueHooks {
  /** A customer arrived (or came back from an IVR): `call` is undefined for a new one. */
  arrival(event: Extract<SwitchEvent, { type: 'channel-parked' | 'channel-adopted' }>, call: Call | undefined, now: number): CoreEffect[];
  /** The customer pressed a key (outside the satisfaction survey): a waiting customer may leave its queue. */
  customerPressed(call: Call, digit: string, now: number): CoreEffect[];
  /** A phone registered: its agent may be free for queue calls now. */
  registrationChanged(exten: string, now: number): CoreEffect[];
}

/** A customer the dialplan (or its own park_after_bridge) handed to polylink: an access number, parked, in no bridge. */
function waitsForPolylink(event: ChannelAdopted): boolean {
  return event.vars.accessNumber !== undefined && event.vars.call === undefined && event.parked && event.otherUuid === undefined;
}

export class CallService {
  /** Supervisors' legs on agents' calls (listen, whisper, barge-in, extenSpy). */
  private readonly supervision: Supervision;
  private readonly forced: ForceHangups;

  constructor(
    readonly desk: CallDesk,
    private readonly inbound: InboundDesk,
  ) {
    this.supervision = new Supervision(desk);
    this.forced = new ForceHangups(desk);
  }

  /** customer_enter_channel of an agent: the access number of the customer call it is on. */
  customerChannelOf(agentId: string): string {
    return customerChannelOf(this.desk.registry.ofAgent(agentId));
  }

  /**
   * The agent signs out while a customer's call rings its phone: the ringing stops, the
   * agent leaves RING, and when the leg is gone the customer is offered again from the
   * head of its queue. Nothing when the agent's call is more than a ringing offer.
   */
  withdrawOffer(agentId: string, now: number): CoreEffect[] {
    // A supervisor's leg still being dialled or ringing is cancelled the same way.
    if (this.supervision.isMonitoring(agentId)) return this.supervision.withdraw(agentId, now);
    const call = this.desk.registry.ofAgent(agentId);
    if (call === undefined) return [];
    const mine = call.liveLegs().filter((l) => l.agentId === agentId);
    const offer = mine[0];
    if (mine.length !== 1 || offer === undefined || offer.purpose !== 'offer' || offer.answered) return [];
    offer.reported = true;
    this.desk.registry.unbindAgent(agentId, call);
    return [
      ...this.desk.agentInput(agentId, { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 0 }, agentId, 'offer-withdrawn', now),
      ...killLeg(this.desk, offer, 'ORIGINATOR_CANCEL', 'withdraw'),
    ];
  }

  // ── commands ───────────────────────────────────────────────────────────────

  callout(req: CalloutRequest, now: number): Decision {
    return callout(this.desk, req, now);
  }

  callAgent(agentId: string, calleeId: string, now: number): Decision {
    return callAgent(this.desk, agentId, calleeId, now);
  }

  answer(agentId: string): Decision {
    return answer(this.desk, agentId);
  }

  /** The agent's hangup command; a supervisor on an agent's call hangs up its own leg, and the call goes on. */
  hangup(agentId: string): Decision {
    return this.supervision.hangUp(agentId) ?? hangup(this.desk, agentId);
  }

  hold(agentId: string, on: boolean): Decision {
    return hold(this.desk, agentId, on);
  }

  mute(agentId: string, on: boolean): Decision {
    return mute(this.desk, agentId, on);
  }

  consult(agentId: string, target: string, outbound: boolean, now: number): Decision {
    return consult(this.desk, agentId, target, outbound, now);
  }

  stopConsult(agentId: string): Decision {
    return stopConsult(this.desk, agentId);
  }

  consultTransfer(agentId: string, now: number): Decision {
    return consultTransfer(this.desk, agentId, now);
  }

  threeWay(agentId: string, target: string, outbound: boolean, now: number): Decision {
    return threeWay(this.desk, agentId, target, outbound, now);
  }

  threeWayCancel(agentId: string): Decision {
    return threeWayCancel(this.desk, agentId);
  }

  transferAgent(agentId: string, target: string, outbound: boolean, now: number): Decision {
    return transferAgent(this.desk, agentId, target, outbound, now);
  }

  transferIvr(agentId: string, ivrNum: string, now: number): Decision {
    return transferToDialplan(this.desk, agentId, ivrNum, 'ivr', now);
  }

  transferIvrProfile(agentId: string, profileNum: string, now: number): Decision {
    return transferToDialplan(this.desk, agentId, profileNum, 'profile', now);
  }

  transferQueue(agentId: string, queueNum: string, now: number): Decision {
    return transferQueue(this.desk, agentId, queueNum, (call, q, at) => this.inbound.enqueue(call, q, at), now);
  }

  grade(agentId: string, language: 'zh' | 'en', now: number): Decision {
    return grade(this.desk, agentId, language, now);
  }

  check(agentId: string, now: number): Decision {
    return check(this.desk, agentId, now);
  }

  // ── supervisors (seed 002 §3.2.3) ─────────────────────────────────────────

  /** listen, whisper, bargein: the supervisor's leg on the target agent's call, or its leg moved to that mode. */
  intervene(supervisorId: string, targetId: string, kind: Intervention, now: number): Decision {
    return this.supervision.intervene(supervisorId, targetId, kind, now);
  }

  /** Seed 001 extenSpy: extension `src` listens to the call of the agent bound to extension `dst`. */
  spy(accountId: string, src: string, dst: string, now: number): Decision {
    return this.supervision.spy(accountId, src, dst, now);
  }

  forceHangup(supervisorId: string, targetId: string, now: number): Decision {
    return this.forced.forceHangup(supervisorId, targetId, now);
  }

  /** rop: the supervisor takes the customer ringing the target agent. */
  rop(supervisorId: string, targetId: string, now: number): Decision {
    return intercept(this.desk, this.inbound, supervisorId, targetId, this.supervision.isMonitoring(supervisorId), now);
  }

  /** The supervisors' legs on a call, for GetDetailCallInfoEvent. */
  monitorsOf(call: Call, formatTime: (ms: number) => string): ReturnType<Supervision['detailOf']> {
    return this.supervision.detailOf(call, formatTime);
  }

  /** Shutdown: the calls still up, saved for the next start. */
  saveOpenCalls(now: number): CoreEffect[] {
    const calls = stillUp(this.desk);
    return calls.length === 0 ? [] : [{ type: 'save-open-calls', calls, at: now }];
  }

  /** Start: the calls the last shutdown saved, followed again (held-over.ts). */
  holdOver(saved: ReadonlyArray<{ snapshot: CallSnapshot; savedAt: number }>, now: number): CoreEffect[] {
    return holdOver(this.desk, this.inbound, saved, now);
  }

  /** Calls polylink follows now. */
  get count(): number {
    return this.desk.registry.size;
  }

  /** The call an agent takes part in. */
  callOf(agentId: string): Call | undefined {
    return this.desk.registry.ofAgent(agentId);
  }

  // ── what the switch says ───────────────────────────────────────────────────

  onSwitchEvent(event: SwitchEvent, now: number): CoreEffect[] {
    switch (event.type) {
      case 'node-down':
        return [setTimer({ kind: 'node-lost', node: event.node }, this.desk.options.nodeLostSeconds * 1000), ...switchLinkLost(this.desk, event.node, now)];
      case 'node-up':
        return [cancelTimer({ kind: 'node-lost', node: event.node })];
      case 'registration':
        return event.registered ? this.inbound.registrationChanged(event.user, now) : [];
      case 'channel-parked': {
        const call = this.desk.registry.ofLeg(event.uuid);
        // A customer the dialplan hands to polylink: new, or back from an IVR it was sent to.
        if (event.vars.accessNumber !== undefined && (call === undefined || call.phase === 'ivr')) return this.inbound.arrival(event, call, now);
        return [];
      }
      case 'channel-adopted':
        return this.adopted(event, now);
      case 'channels-listed':
        return this.strays(event, now);
      default:
        break;
    }
    // A supervisor's leg is not one of a call's legs (supervision.ts).
    if (this.supervision.owns(event.uuid)) return this.supervision.onEvent(event, now);
    const call = this.desk.registry.ofLeg(event.uuid);
    const leg = call?.leg(event.uuid);
    if (call === undefined || leg === undefined) return [];
    switch (event.type) {
      case 'channel-created':
        leg.node = event.node;
        return [];
      case 'channel-ringing':
        return onRinging(this.desk, call, leg, now);
      case 'channel-answered': {
        if (leg.purpose !== 'offer') return onAnswered(this.desk, call, leg, now);
        // Answered just as it was taken back (its agent signed out, a supervisor took the
        // customer: rop): the kill is on its way.
        if (leg.endRequest === 'withdraw' || leg.endRequest === 'intercept') return [];
        // Ring-all: only the first offer answered takes the customer.
        const taken = this.inbound.offerAnswered(call, leg.uuid, now);
        return taken.won ? [...taken.effects, ...onAnswered(this.desk, call, leg, now)] : [...taken.effects, ...killLeg(this.desk, leg, 'LOSE_RACE')];
      }
      case 'channel-bridged':
        return onBridged(this.desk, call, leg, call.leg(event.otherUuid), now);
      case 'channel-unbridged':
        onUnbridged(call, leg);
        return [];
      case 'channel-held':
        return onHeld(this.desk, call, leg, true, now);
      case 'channel-unheld':
        return onHeld(this.desk, call, leg, false, now);
      case 'channel-hangup':
        return this.legEnded(call, event.uuid, event.cause, now);
      case 'originate-failed':
        // Once a leg has answered, its own events are the truth. polylink bridges a leg on its
        // CHANNEL_ANSWER; a uuid_bridge that takes it before `bgapi originate` has reported
        // makes the job say -ERR ORIGINATOR_CANCEL of a channel that is up and bridged
        // (switch_ivr_originate.c: check_channel_status counts a leg that lost CF_ORIGINATING
        // as gone, the cause defaults to ORIGINATOR_CANCEL and the leg is not hung up;
        // capture m). If the leg does end, its CHANNEL_HANGUP_COMPLETE says so.
        return leg.answered ? [] : this.legEnded(call, event.uuid, event.cause, now);
      case 'dtmf':
        if (leg.uuid !== call.customerUuid) return [];
        return call.phase === 'grade' ? gradeDigit(this.desk, call, event.digit, now) : this.inbound.customerPressed(call, event.digit, now);
      case 'playback-stopped':
        return [...onPlaybackStopped(this.desk, call, event.path), ...this.inbound.playbackStopped(call, event.path, now)];
      case 'record-started':
        return onRecord(this.desk, call, true, event.path, now);
      case 'record-stopped':
        return onRecord(this.desk, call, false, event.path, now);
      case 'conference-member-added':
        leg.conferenceMember = event.memberId;
        return [];
      case 'conference-member-removed':
        leg.conferenceMember = undefined;
        return [];
      default:
        return [];
    }
  }

  /** The result of a switch command sent with a ref. */
  onSwitchResult(ref: SwitchRef, result: SwitchResult<unknown>, now: number): CoreEffect[] {
    // Their call may be over already: these find their own way.
    if (this.supervision.ownsResult(ref)) return this.supervision.onResult(ref, result, now);
    if (this.forced.ownsResult(ref)) return this.forced.onResult(ref, result, now);
    const call = this.desk.registry.get(ref.callId);
    if (call === undefined) return [];
    if (result.ok) {
      if (ref.step === 'mute' || ref.step === 'stopmute') return ref.agentId === undefined ? [] : muteDone(this.desk, call, ref.agentId, ref.step === 'mute', now);
      return [];
    }
    const effects: CoreEffect[] = [];
    const switchTrouble = result.reason !== 'rejected';
    if (ref.legUuid !== undefined) {
      // An originate that FreeSWITCH refused (or that never reached it): the leg is over.
      const leg = call.leg(ref.legUuid);
      // An answered leg outlives its originate's result (see 'originate-failed' in onSwitchEvent).
      if (leg?.answered === true) return [];
      if (switchTrouble && ref.agentId !== undefined && ref.cmdType !== undefined) {
        effects.push(this.desk.serverResponse(ref.agentId, ref.cmdType, ref.cmdType === 'callout' ? Outcome.CALLOUT_FAILED : Outcome.CALL_MODULE_FAILED, now));
      }
      if (leg !== undefined && !leg.ended) effects.push(...this.legEnded(call, leg.uuid, result.cause ?? 'NORMAL_TEMPORARY_FAILURE', now));
      return effects;
    }
    if (ref.agentId !== undefined && ref.cmdType !== undefined) {
      effects.push(this.desk.serverResponse(ref.agentId, ref.cmdType, ref.cmdType === 'answer' ? Outcome.BOUND_EXTEN_STATE_ERROR : Outcome.CALL_MODULE_FAILED, now));
    }
    switch (ref.step) {
      case 'bridge':
      case 'transfer-bridge':
      case 'transfer-ivr':
        // Legs that cannot be joined (or a customer left with no one): the call cannot go on.
        call.failureReason ??= `${ref.step}: ${result.message}`;
        for (const l of call.liveLegs()) effects.push(...killLeg(this.desk, l));
        break;
      case 'blacklist-prompt':
        // No message to play: the blacklisted caller is released all the same.
        effects.push(...killLeg(this.desk, call.customer, 'CALL_REJECTED'));
        break;
      case 'consult-park':
        effects.push(...killLeg(this.desk, call.leg(call.consultUuid), 'ORIGINATOR_CANCEL'));
        break;
      case 'threeway-conference':
        call.conference = undefined;
        effects.push(...killLeg(this.desk, call.leg(call.threeWayUuid), 'ORIGINATOR_CANCEL'));
        break;
      default:
        break;
    }
    return effects;
  }

  onTimer(timer: CoreTimer, now: number): CoreEffect[] {
    if (timer.kind === 'grade-timeout') {
      const call = this.desk.registry.get(timer.callId);
      return call === undefined ? [] : gradeTimeout(this.desk, call, now);
    }
    if (timer.kind === 'node-lost') return this.nodeLost(timer.node, now);
    return [];
  }

  private legEnded(call: Call, uuid: string, cause: string, now: number): CoreEffect[] {
    const leg = call.leg(uuid);
    if (leg === undefined) return [];
    return [
      ...onLegEnded(this.desk, this.inbound, call, leg, cause, now),
      ...this.forced.legEnded(uuid, now),
      ...this.supervision.watchedLegEnded(uuid),
      ...endCallIfDone(this.desk, call, now),
    ];
  }

  /**
   * A channel found on the switch that polylink was not following (after a reconnect or
   * a restart): a customer waiting for polylink is taken in; a leg of a call polylink
   * no longer knows cannot be resumed and is hung up.
   */
  private adopted(event: Extract<SwitchEvent, { type: 'channel-adopted' }>, now: number): CoreEffect[] {
    const call = this.desk.registry.ofLeg(event.uuid);
    if (call !== undefined || this.supervision.owns(event.uuid)) return [];
    if (event.vars.call !== undefined) return [this.desk.switch({ op: 'kill', uuid: event.uuid, cause: 'NORMAL_CLEARING' })];
    if (waitsForPolylink(event)) return this.inbound.arrival(event, undefined, now);
    return [];
  }

  /**
   * The channels with polylink_* variables a reconcile found up that the core had been
   * told about. A live leg of a known call is fine. A leg of no call (its call was given
   * up when its node was lost, or ended while the channel stayed up) or a leg the call
   * ended is hung up: nothing follows it any more. A customer parked for polylink that
   * belongs to no call is taken in, as after a restart; a customer still in the
   * dialplan's hands (an IVR, a bridge of its own) is left to it.
   */
  private strays(event: Extract<SwitchEvent, { type: 'channels-listed' }>, now: number): CoreEffect[] {
    const effects: CoreEffect[] = [];
    for (const ch of event.channels) {
      if (this.supervision.owns(ch.uuid)) continue;
      const call = this.desk.registry.ofLeg(ch.uuid);
      const leg = call?.leg(ch.uuid);
      if (leg !== undefined && !leg.ended) continue;
      if (leg === undefined && ch.vars.call === undefined) {
        const adopted = { ...ch, type: 'channel-adopted', node: event.node, at: event.at, held: false } as const;
        if (waitsForPolylink(adopted)) effects.push(...this.inbound.arrival(adopted, undefined, now));
        continue;
      }
      effects.push(this.desk.switch({ op: 'kill', uuid: ch.uuid, cause: 'NORMAL_CLEARING' }));
    }
    return effects;
  }

  /** A node unreachable for calls.nodeLostSeconds: its calls are given up (their agents freed, their CDRs written). */
  private nodeLost(node: string, now: number): CoreEffect[] {
    const effects: CoreEffect[] = [];
    for (const call of [...this.desk.registry.all()]) {
      const onNode = [...call.legs.values()].some((l) => l.node === node);
      if (!onNode) continue;
      call.failureReason ??= 'SWITCH_CONNECTION_LOST';
      call.hangupSide ??= 'system';
      for (const leg of call.liveLegs()) effects.push(...this.legEnded(call, leg.uuid, 'SWITCH_CONNECTION_LOST', now));
    }
    return [...effects, ...this.supervision.nodeLost(node, now)];
  }
}
