/**
 * A supervisor's leg on an agent's call (seed 002 §3.2.3 DoListen, DoWhisper, DoBargein;
 * seed 001 extensions/extenSpy): polylink rings the supervisor's phone with FreeSWITCH's
 * eavesdrop application on the agent's own leg. The supervisor always hears both sides;
 * who hears the supervisor is the leg's mode (docs/esl-commands.md, "Supervisor
 * intervention"): listen — nobody; whisper — the agent (ED_MUX_WRITE on the agent's
 * channel); barge-in — the agent and the customer.
 *
 * One leg, several modes: a supervisor already on the call that sends another of the
 * three commands moves its leg with `uuid_recv_dtmf <leg> 0|2|3` instead of being dialled
 * again. FreeSWITCH reports no mode change, only the DTMF event of the digit the eavesdrop
 * loop read (capture d2; switch_ivr_eavesdrop_session in src/switch_ivr_async.c), whether
 * polylink injected it or the supervisor pressed it on its phone — so the mode polylink
 * keeps follows those events, and the result event (EavesdropEvent, WhisperEvent,
 * BargeinEvent) goes out when the switch has read the digit.
 *
 * The leg watches the call without being part of it: it is kept here, not among the
 * call's legs, so the agent's state, its statistics and the call's CDR are the same with
 * or without a supervisor. The supervisor's own phone is busy while the leg is up (CAMP_ON
 * while it is dialled, RING, TALKING, then back to where it was): no queue call reaches it.
 * When the watched leg ends the supervisor's leg is ended too (the switch does the same
 * within 20 ms); when the supervisor hangs up, the call goes on.
 */
import { outcomeText, type FieldRecord } from '../agent-event.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { SwitchRef } from '../ports/switch-command.js';
import type { ChannelEvent } from '../ports/switch-events.js';
import type { EavesdropMode, OriginateRequest, SwitchResult } from '../ports/switch-port.js';
import { PHONE_NUMBER } from '../../numbers/phone-number.js';
import type { CallDesk } from './call-desk.js';
import { Leg, type Call } from './call-model.js';
import { legInfo } from './call-detail.js';
import { killLeg, targetOf } from './leg-factory.js';
import { interventionRow, interventionTarget, supervisorPhoneFree, talkingLegOf } from './supervisor-checks.js';

/** The three commands that put a supervisor's leg on a call, and what each asks of it. */
export type Intervention = 'listen' | 'whisper' | 'bargein';

const MODE_OF: Readonly<Record<Intervention, EavesdropMode>> = { listen: 'listen', whisper: 'whisper', bargein: 'barge' };
const RING_EVENT: Readonly<Record<Intervention, string>> = {
  listen: 'EavesdropCallRingEvent',
  whisper: 'WhisperCallRingEvent',
  bargein: 'BargeinCallRingEvent',
};
/** The result event of each mode (the supervisor's phone alone can choose whisper-partner: no seed event). */
const RESULT_EVENT: Readonly<Record<EavesdropMode, string | undefined>> = {
  listen: 'EavesdropEvent',
  whisper: 'WhisperEvent',
  'whisper-partner': undefined,
  barge: 'BargeinEvent',
};
/** The digit the eavesdrop loop reads for each mode (src/esl/commands.ts EAVESDROP_MODE_DIGITS, the switch's rule). */
const MODE_OF_DIGIT: Readonly<Record<string, EavesdropMode>> = { '0': 'listen', '1': 'whisper-partner', '2': 'whisper', '3': 'barge' };
/** relation_type of GetDetailCallInfoEvent's Relation_Info_Struct for each mode. */
const RELATION_OF: Readonly<Record<EavesdropMode, string>> = { listen: 'listen', whisper: 'whisper', 'whisper-partner': 'whisper-partner', barge: 'bargein' };

const STEP_LEG = 'monitor-leg';
const STEP_MODE = 'monitor-mode';

type Decision = { code: number; effects: CoreEffect[] };

/** One supervisor's leg on one call. */
interface Monitor {
  readonly leg: Leg;
  /** The agent whose phone it is (undefined: extenSpy from an extension no agent has bound). */
  readonly supervisorId: string | undefined;
  readonly targetId: string;
  readonly callId: string;
  /** The channel it eavesdrops: the target agent's own leg. */
  readonly watched: string;
  /** The mode the switch is in, as its DTMF events tell. */
  mode: EavesdropMode;
  /** The mode the switch was last told to take (the originate's, or the last digit sent). */
  sent: EavesdropMode;
  /** The mode last asked for; sent once the leg is up. */
  wanted: EavesdropMode;
  readonly ringEvent: string;
}

export class Supervision {
  private readonly byLeg = new Map<string, Monitor>();
  private readonly bySupervisor = new Map<string, Monitor>();
  private readonly byWatched = new Map<string, Set<Monitor>>();

  constructor(private readonly desk: CallDesk) {}

  /** Is this channel a supervisor's leg? */
  owns(uuid: string): boolean {
    return this.byLeg.has(uuid);
  }

  /** Is this agent's phone on a supervisor's leg? */
  isMonitoring(agentId: string): boolean {
    return this.bySupervisor.has(agentId);
  }

  /** listen / whisper / bargein: a new leg on the target's call, or the supervisor's leg moved to this mode. */
  intervene(supervisorId: string, targetId: string, kind: Intervention, now: number): Decision {
    const target = interventionTarget(this.desk, supervisorId, targetId);
    if (target.value === undefined) return refuse(target.code);
    const mode = MODE_OF[kind];
    const mine = this.bySupervisor.get(supervisorId);
    if (mine !== undefined) return mine.targetId === targetId ? this.changeMode(mine, mode, now) : refuse(Outcome.AGENT_STATE_ERROR);
    const talking = talkingLegOf(this.desk, target.value);
    if (talking.value === undefined) return refuse(talking.code);
    const supervisor = this.desk.agents.session(supervisorId);
    if (supervisor === undefined) return refuse(Outcome.NOT_SIGNED_IN);
    const phone = supervisorPhoneFree(this.desk, supervisor, false);
    if (phone !== 0) return refuse(phone);
    const { call, leg } = talking.value;
    const started = this.start(call, leg.uuid, { supervisorId, targetId, mode, ringEvent: RING_EVENT[kind] }, now);
    return {
      code: 0,
      effects: [
        interventionRow(this.desk, supervisorId, targetId, kind, call, now),
        ...this.desk.agentInput(supervisorId, { type: 'RESERVE' }, supervisorId, 'monitor', now),
        ...started,
      ],
    };
  }

  /**
   * Seed 001 extenSpy: the phone of extension `src` listens to the call of the agent bound
   * to extension `dst`. When an agent of the tenant has `src` bound, that agent is the
   * supervisor (its phone is busy meanwhile, it hears the listen events).
   */
  spy(accountId: string, src: string, dst: string, now: number): Decision {
    if (src === dst) return refuse(Outcome.CALLER_IS_CALLEE);
    const targetId = this.desk.agents.agentOfExten(dst);
    const target = targetId === undefined ? undefined : this.desk.agents.session(targetId);
    if (targetId === undefined || target === undefined || target.profile.accountId !== accountId) return refuse(Outcome.TARGET_AGENT_NOT_FOUND);
    const talking = talkingLegOf(this.desk, target);
    if (talking.value === undefined) return refuse(talking.code);
    const supervisorId = this.desk.agents.agentOfExten(src);
    const supervisor = supervisorId === undefined ? undefined : this.desk.agents.session(supervisorId);
    if (supervisor !== undefined && supervisor.profile.accountId !== accountId) return refuse(Outcome.EXTEN_BOUND_BY_OTHER);
    if (supervisor !== undefined) {
      const phone = supervisorPhoneFree(this.desk, supervisor, this.bySupervisor.has(supervisor.profile.agentId));
      if (phone !== 0) return refuse(phone);
    } else {
      if (this.desk.deps.isRegistered(src) === false) return refuse(Outcome.EXTEN_NOT_REGISTERED);
      if (!this.desk.deps.switchReady()) return refuse(Outcome.CALL_MODULE_FAILED);
    }
    const { call, leg } = talking.value;
    const by = supervisor?.profile.agentId;
    const started = this.start(call, leg.uuid, { supervisorId: by, targetId, mode: 'listen', ringEvent: RING_EVENT.listen, exten: src }, now);
    return {
      code: 0,
      effects: [
        interventionRow(this.desk, by ?? src, targetId, 'exten-spy', call, now),
        ...(by === undefined ? [] : this.desk.agentInput(by, { type: 'RESERVE' }, by, 'monitor', now)),
        ...started,
      ],
    };
  }

  /** The supervisor's hangup command: its leg ends, the call goes on. Undefined: it has no leg. */
  hangUp(supervisorId: string): Decision | undefined {
    const m = this.bySupervisor.get(supervisorId);
    if (m === undefined) return undefined;
    return { code: 0, effects: killLeg(this.desk, m.leg, 'NORMAL_CLEARING', 'release') };
  }

  /**
   * The supervisor signs out (or is signed out) while its leg is still being dialled or
   * rings: the leg is cancelled and the phone is free at once, as an offer is taken back.
   */
  withdraw(supervisorId: string, now: number): CoreEffect[] {
    const m = this.bySupervisor.get(supervisorId);
    if (m === undefined || m.leg.answered) return [];
    m.leg.reported = true;
    return [...this.settle(m, 'ORIGINATOR_CANCEL', now), ...killLeg(this.desk, m.leg, 'ORIGINATOR_CANCEL', 'withdraw')];
  }

  /** A leg of a call has ended: the supervisors watching it are put down too. */
  watchedLegEnded(uuid: string): CoreEffect[] {
    const watching = this.byWatched.get(uuid);
    if (watching === undefined) return [];
    return [...watching].flatMap((m) => killLeg(this.desk, m.leg));
  }

  /** A node given up (calls.nodeLostSeconds): its supervisors' legs are over, no hangup will come. */
  nodeLost(node: string, now: number): CoreEffect[] {
    return [...this.byLeg.values()].filter((m) => m.leg.node === node).flatMap((m) => this.ended(m, 'SWITCH_CONNECTION_LOST', now));
  }

  /** What the switch says about a supervisor's leg. */
  onEvent(event: ChannelEvent, now: number): CoreEffect[] {
    const m = this.byLeg.get(event.uuid);
    if (m === undefined) return [];
    const { leg } = m;
    switch (event.type) {
      case 'channel-created':
        leg.node = event.node;
        return [];
      case 'channel-ringing': {
        if (!leg.ring(now) || m.supervisorId === undefined) return [];
        const call = this.desk.registry.get(m.callId);
        return [
          ...this.desk.agentInput(m.supervisorId, { type: 'OFFER' }, m.supervisorId, 'monitor', now),
          ...(call === undefined ? [] : [this.desk.send(m.supervisorId, m.ringEvent, now, this.desk.customerFields(call, m.supervisorId, m.targetId, 'desAgentID', this.desk.callTypeOf(call)))]),
        ];
      }
      case 'channel-answered': {
        if (!leg.answer(now)) return [];
        const effects = m.supervisorId === undefined ? [] : this.desk.agentInput(m.supervisorId, { type: 'ANSWER' }, m.supervisorId, 'monitor', now);
        // Asked for another mode while the phone rang: the leg moves now that the eavesdrop runs.
        return [...effects, ...(m.wanted !== m.sent ? this.sendMode(m) : this.result(m, m.mode, 0, now))];
      }
      case 'dtmf': {
        const mode = MODE_OF_DIGIT[event.digit];
        // `*` ends the eavesdrop and the leg hangs up: its hangup says so.
        if (mode === undefined) return [];
        const before = m.mode;
        m.mode = mode;
        // No digit of polylink's on its way: the supervisor pressed a key, and that mode is what it wants now.
        if (m.sent === before) {
          m.sent = mode;
          m.wanted = mode;
        }
        return mode === before ? [] : this.result(m, mode, 0, now);
      }
      case 'channel-hangup':
        return this.ended(m, event.cause, now);
      case 'originate-failed':
        // Once answered, the leg's own hangup is the truth (as for every leg: call-service.ts).
        return leg.answered ? [] : this.ended(m, event.cause, now);
      default:
        return [];
    }
  }

  /** Does this command result belong to a supervisor's leg? */
  ownsResult(ref: SwitchRef): boolean {
    return ref.step === STEP_LEG || ref.step === STEP_MODE;
  }

  onResult(ref: SwitchRef, result: SwitchResult<unknown>, now: number): CoreEffect[] {
    if (result.ok || ref.legUuid === undefined) return [];
    const m = this.byLeg.get(ref.legUuid);
    if (m === undefined) return [];
    if (ref.step === STEP_LEG) {
      // An originate the switch refused (or that never reached it); an answered leg outlives its result.
      return m.leg.answered ? [] : this.ended(m, result.cause ?? 'NORMAL_TEMPORARY_FAILURE', now);
    }
    // The digit did not reach the leg: the switch stays in the mode it has.
    const asked = m.wanted;
    m.sent = m.mode;
    m.wanted = m.mode;
    return this.result(m, asked, Outcome.CALL_MODULE_FAILED, now);
  }

  /** GetDetailCallInfoEvent: the supervisors' legs on a call and whom each watches in which mode. */
  detailOf(call: Call, formatTime: (ms: number) => string): { legs: FieldRecord[]; relations: FieldRecord[] } {
    const legs: FieldRecord[] = [];
    const relations: FieldRecord[] = [];
    for (const m of this.byLeg.values()) {
      if (m.callId !== call.id || m.leg.ended) continue;
      legs.push(legInfo(m.leg, formatTime));
      relations.push({ relation_uuid: call.id, relation_type: RELATION_OF[m.mode], from_uuid: m.leg.uuid, to_uuid: m.watched });
    }
    return { legs, relations };
  }

  // ── inside ─────────────────────────────────────────────────────────────────

  private start(
    call: Call,
    watched: string,
    who: { supervisorId: string | undefined; targetId: string; mode: EavesdropMode; ringEvent: string; exten?: string },
    now: number,
  ): CoreEffect[] {
    const { desk } = this;
    const uuid = desk.deps.newId();
    const routed = who.supervisorId !== undefined
      ? targetOf(desk, call, { kind: 'agent', agentId: who.supervisorId })
      : { target: { kind: 'extension', extension: who.exten! } as const, number: who.exten! };
    const leg = new Leg(uuid, 'monitor', routed.number, now, who.supervisorId);
    const m: Monitor = { leg, supervisorId: who.supervisorId, targetId: who.targetId, callId: call.id, watched, mode: who.mode, sent: who.mode, wanted: who.mode, ringEvent: who.ringEvent };
    this.byLeg.set(uuid, m);
    if (who.supervisorId !== undefined) this.bySupervisor.set(who.supervisorId, m);
    let watchers = this.byWatched.get(watched);
    if (watchers === undefined) this.byWatched.set(watched, (watchers = new Set()));
    watchers.add(m);
    // The supervisor's phone shows whom it is about to hear: the customer's number, else the agent's extension.
    const shown = PHONE_NUMBER.test(call.customerNumber) ? call.customerNumber : (desk.extenOf(who.targetId) ?? who.targetId);
    leg.callerId = shown;
    const watchedLeg = call.leg(watched);
    const request: OriginateRequest & { uuid: string } = {
      uuid,
      target: routed.target,
      app: { kind: 'eavesdrop', uuid: watched, mode: who.mode },
      callerIdNumber: shown,
      callerIdName: who.targetId,
      timeoutSeconds: desk.options.agentRingSeconds,
      call: call.id,
      leg: 'monitor',
      ...(who.supervisorId !== undefined ? { agent: who.supervisorId } : {}),
      // The eavesdrop must run where the watched channel lives.
      ...(watchedLeg?.node !== undefined ? { node: watchedLeg.node } : call.node !== undefined ? { node: call.node } : {}),
    };
    const ref: SwitchRef = { callId: call.id, step: STEP_LEG, legUuid: uuid, ...(who.supervisorId !== undefined ? { agentId: who.supervisorId } : {}) };
    return [desk.switch({ op: 'originate', request }, ref)];
  }

  private changeMode(m: Monitor, mode: EavesdropMode, now: number): Decision {
    if (m.leg.endAsked) return refuse(Outcome.AGENT_STATE_ERROR);
    m.wanted = mode;
    // Still ringing: the mode waits for the answer. Already there: the result at once.
    if (!m.leg.answered) return { code: 0, effects: [] };
    if (mode === m.sent) return { code: 0, effects: mode === m.mode ? this.result(m, mode, 0, now) : [] };
    return { code: 0, effects: this.sendMode(m) };
  }

  private sendMode(m: Monitor): CoreEffect[] {
    m.sent = m.wanted;
    const ref: SwitchRef = { callId: m.callId, step: STEP_MODE, legUuid: m.leg.uuid, ...(m.supervisorId !== undefined ? { agentId: m.supervisorId } : {}) };
    return [this.desk.switch({ op: 'setEavesdropMode', uuid: m.leg.uuid, mode: m.wanted }, ref)];
  }

  /** EavesdropEvent / WhisperEvent / BargeinEvent to the supervisor. */
  private result(m: Monitor, mode: EavesdropMode, code: number, now: number, cause?: string): CoreEffect[] {
    const eventType = RESULT_EVENT[mode];
    if (m.supervisorId === undefined || eventType === undefined) return [];
    return [
      this.desk.send(m.supervisorId, eventType, now, {
        agentid: m.supervisorId,
        retCode: code,
        reason: outcomeText(code),
        desAgentID: m.targetId,
        ...(cause !== undefined ? { hangupReason: cause } : {}),
      }),
    ];
  }

  /** The leg is gone: the supervisor hears why and its phone is free again. */
  private ended(m: Monitor, cause: string, now: number): CoreEffect[] {
    if (!m.leg.end(cause, now)) return [];
    return this.settle(m, cause, now);
  }

  private settle(m: Monitor, cause: string, now: number): CoreEffect[] {
    this.forget(m);
    const supervisorId = m.supervisorId;
    if (supervisorId === undefined) return [];
    const effects: CoreEffect[] = [];
    // Never up: the command's result says it failed (the supervisor did not answer, its phone could not be reached).
    if (!m.leg.answered) effects.push(...this.result(m, m.wanted, Outcome.CALL_MODULE_FAILED, now, cause));
    if (!m.leg.reported && (m.leg.ringAt !== undefined || m.leg.answered)) {
      effects.push(this.desk.send(supervisorId, 'HangupEvent', now, { hangupReason: cause, retCode: 0 }));
    }
    m.leg.reported = true;
    const status = this.desk.agents.statusOf(supervisorId);
    const input = status === AgentStatus.CAMP_ON
      ? ({ type: 'RELEASE' } as const)
      : ({ type: 'CALL_END', talked: m.leg.answered, internal: true, afterHangup: null, wrapUpSeconds: 0 } as const);
    return [...effects, ...this.desk.agentInput(supervisorId, input, supervisorId, 'monitor-end', now)];
  }

  private forget(m: Monitor): void {
    this.byLeg.delete(m.leg.uuid);
    if (m.supervisorId !== undefined && this.bySupervisor.get(m.supervisorId) === m) this.bySupervisor.delete(m.supervisorId);
    const watchers = this.byWatched.get(m.watched);
    watchers?.delete(m);
    if (watchers?.size === 0) this.byWatched.delete(m.watched);
  }
}

function refuse(code: number): Decision {
  return { code, effects: [] };
}
