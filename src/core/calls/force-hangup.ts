/**
 * forcehangup (seed 002 DoForceHangup, 强拆): a supervisor ends the call an agent talks
 * on. When the agent serves the call (or it is an internal call), every leg of the call
 * is hung up and the CDR's hangup_side is `supervisor`; when the agent is only a
 * consultee or a three-way party, its own leg is hung up and the call goes on as when
 * that party hangs up (the agent it helped is back with the customer). The agent hears
 * HangupEvent and follows its after-call rules (ACW, AgentStateAfterHangup) as after any
 * call it talked on; nothing counts as its own release (`agentrelease`). The supervisor
 * gets ForceHangupEvent once the agent's leg has ended (retCode 0), or with -60 when the
 * switch could not hang it up. The operation log keeps who ended whose call.
 */
import { outcomeText } from '../agent-event.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { SwitchRef } from '../ports/switch-command.js';
import type { SwitchResult } from '../ports/switch-port.js';
import type { CallDesk } from './call-desk.js';
import { killLeg } from './leg-factory.js';
import { interventionRow, interventionTarget, talkingLegOf } from './supervisor-checks.js';

const STEP = 'force-hangup';

/** A call the agent has answered may be ended, whether it talks, holds, is muted or still dials its customer. */
const FORCEABLE = [AgentStatus.TALKING, AgentStatus.HOLD, AgentStatus.MUTE, AgentStatus.CALLING_OUT];

export class ForceHangups {
  /** The target's leg → the supervisor waiting to hear that it ended. */
  private readonly pending = new Map<string, string>();

  constructor(private readonly desk: CallDesk) {}

  forceHangup(supervisorId: string, targetId: string, now: number): { code: number; effects: CoreEffect[] } {
    const { desk } = this;
    const target = interventionTarget(desk, supervisorId, targetId);
    if (target.value === undefined) return { code: target.code, effects: [] };
    const talking = talkingLegOf(desk, target.value, FORCEABLE);
    if (talking.value === undefined) return { code: talking.code, effects: [] };
    const { call, leg } = talking.value;
    const whole = call.agentId === targetId || call.kind === 'internal';
    if (whole) call.hangupSide = 'supervisor';
    this.pending.set(leg.uuid, supervisorId);
    // Its result comes back here (ownsResult), never as an originate's.
    const ref: SwitchRef = { callId: call.id, step: STEP, legUuid: leg.uuid, agentId: supervisorId, cmdType: 'forcehangup' };
    const others = whole ? call.liveLegs().filter((l) => l !== leg) : call.liveLegs().filter((l) => l !== leg && l.agentId === targetId);
    return {
      code: 0,
      effects: [
        interventionRow(desk, supervisorId, targetId, 'forcehangup', call, now),
        ...killLeg(desk, leg, 'NORMAL_CLEARING', 'kill', ref),
        ...others.flatMap((l) => killLeg(desk, l, l.answered ? 'NORMAL_CLEARING' : 'ORIGINATOR_CANCEL')),
      ],
    };
  }

  /** Does this command result belong to a force hang-up? */
  ownsResult(ref: SwitchRef): boolean {
    return ref.step === STEP;
  }

  /** The switch could not hang the agent's leg up: the supervisor hears it failed. */
  onResult(ref: SwitchRef, result: SwitchResult<unknown>, now: number): CoreEffect[] {
    // A leg that ended meanwhile (its party hung up first) has had its answer already.
    if (result.ok || ref.legUuid === undefined || ref.agentId === undefined || !this.pending.delete(ref.legUuid)) return [];
    return [forceHangupEvent(this.desk, ref.agentId, Outcome.CALL_MODULE_FAILED, now)];
  }

  /** A leg ended: if a supervisor forced it, it hears so. */
  legEnded(uuid: string, now: number): CoreEffect[] {
    const supervisorId = this.pending.get(uuid);
    if (supervisorId === undefined) return [];
    this.pending.delete(uuid);
    return [forceHangupEvent(this.desk, supervisorId, 0, now)];
  }
}

function forceHangupEvent(desk: CallDesk, supervisorId: string, code: number, now: number): CoreEffect {
  return desk.send(supervisorId, 'ForceHangupEvent', now, { agentid: supervisorId, retCode: code, reason: outcomeText(code) });
}
