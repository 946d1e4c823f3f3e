/**
 * callout (seed 002 DoCallOut / DoCallOutForeignId): the agent's own phone rings first;
 * when the agent answers, the customer is dialled through the gateway of the display
 * number; the two are bridged when the customer answers.
 */
import { PHONE_NUMBER } from '../../numbers/phone-number.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { Call } from './call-model.js';
import { gatewayFor, ring } from './leg-factory.js';

export interface CalloutRequest {
  readonly agentId: string;
  readonly calledID: string;
  readonly displayNum: string;
  readonly customerForeignId: string;
}


export function callout(desk: CallDesk, req: CalloutRequest, now: number): { code: number; effects: CoreEffect[] } {
  const session = desk.agents.session(req.agentId);
  if (session === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
  const status = session.machine.status;
  if (status !== AgentStatus.IDLE && status !== AgentStatus.CALL_OUT) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  if (!PHONE_NUMBER.test(req.calledID)) return { code: Outcome.BAD_PARAMETER, effects: [] };
  if (!session.bindExten || session.exten === null) return { code: Outcome.EXTEN_NOT_BOUND, effects: [] };
  if (!session.extenIsOutbound && desk.deps.isRegistered(session.exten) === false) return { code: Outcome.BOUND_EXTEN_STATE_ERROR, effects: [] };
  const numbers = desk.org.accessNumbersOf(session.profile.accountId);
  const shown = req.displayNum === '' ? numbers.find((n) => n.isDefault) : numbers.find((n) => n.number === req.displayNum);
  if (shown === undefined) return { code: req.displayNum === '' ? Outcome.DISPLAY_NUM_EMPTY : Outcome.DISPLAY_NUM_INVALID, effects: [] };
  if (!desk.deps.switchReady()) return { code: Outcome.CALLOUT_FAILED, effects: [] };

  const call = new Call(desk.deps.newId(), 'outbound', session.profile.accountId, undefined, now);
  call.customerNumber = req.calledID;
  call.displayNumber = shown.number;
  call.accessNumber = shown.number;
  call.customerForeignId = req.customerForeignId === '' ? undefined : req.customerForeignId;
  call.agentId = req.agentId;
  call.agents.push(req.agentId);
  call.gateway = gatewayFor(desk, call);
  call.timeline.agentStart = now;
  desk.registry.add(call);

  desk.count(req.agentId, 'calloutnums', now);
  const effects: CoreEffect[] = [
    desk.note('call.start', 'call started', call, { agentId: req.agentId, exten: session.exten, number: req.calledID, displayNumber: shown.number }),
    ...desk.agentInput(req.agentId, { type: 'DIAL' }, req.agentId, 'callout', now),
    {
      type: 'log-operation',
      entry: {
        accountId: call.accountId,
        agentId: req.agentId,
        operation: 'callout',
        oldStatus: null,
        newStatus: null,
        causedBy: req.agentId,
        reason: call.id,
        target: req.calledID,
        exten: session.exten,
        remote: session.remote,
        at: now,
      },
    },
  ];
  const limit = desk.options.gatewayChannels[call.gateway];
  if (limit !== undefined && (desk.gatewayUse.get(call.gateway) ?? 0) >= limit) {
    // No free line: say so the way the seed does, and leave the agent where it was.
    call.failureReason = 'NORMAL_CIRCUIT_CONGESTION';
    desk.registry.remove(call);
    return {
      code: 0,
      effects: [
        ...effects,
        desk.send(req.agentId, 'AllGetwaysFullEvent', now),
        desk.send(req.agentId, 'HangupEvent', now, { hangupReason: 'NORMAL_CIRCUIT_CONGESTION', retCode: Outcome.CALLOUT_FAILED }),
        ...desk.agentInput(req.agentId, { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 0 }, 'system', 'callout-failed', now),
      ],
    };
  }
  const dial = ring(desk, call, {
    purpose: 'dialer',
    to: { kind: 'agent', agentId: req.agentId },
    // The agent's phone shows whom it is about to call.
    callerIdNumber: req.calledID,
    callerIdName: 'polylink',
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'dialer-leg',
    askedBy: { agentId: req.agentId, cmdType: 'callout' },
  }, now);
  call.agentUuid = dial.leg.uuid;
  effects.push(...dial.effects);
  return { code: 0, effects };
}

/** The agent picked up its own phone: now dial the customer. */
export function dialCustomer(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  const gateway = call.gateway ?? gatewayFor(desk, call);
  desk.gatewayUse.set(gateway, (desk.gatewayUse.get(gateway) ?? 0) + 1);
  call.timeline.customerStart = now;
  const { leg, effects } = ring(desk, call, {
    purpose: 'customer',
    to: { kind: 'number', number: call.customerNumber, gateway },
    callerIdNumber: call.displayNumber ?? '',
    timeoutSeconds: desk.options.customerRingSeconds,
    step: 'customer-leg',
    ...(call.agentId !== undefined ? { askedBy: { agentId: call.agentId, cmdType: 'callout' } } : {}),
  }, now);
  call.customerUuid = leg.uuid;
  return effects;
}
