/**
 * callout (seed 002 DoCallOut / DoCallOutForeignId): the agent's own phone rings first;
 * when the agent answers, the customer is dialled through the gateway of the display
 * number; the two are bridged when the customer answers. Seed 001's click-number places
 * the same call (placeOutbound), from an agent's phone or any phone on the switch, also to
 * an extension.
 */
import { PHONE_NUMBER } from '../../numbers/phone-number.js';
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import { Call } from './call-model.js';
import { gatewayFor, ring, type Destination } from './leg-factory.js';

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
  const placed = placeOutbound(desk, {
    accountId: session.profile.accountId,
    caller: { kind: 'agent', agentId: req.agentId },
    number: req.calledID,
    toExtension: false,
    shown: shown.number,
    customerForeignId: req.customerForeignId,
    operation: 'callout',
  }, now);
  return { code: 0, effects: placed.effects };
}

/** An outbound call as polylink places it: who is rung first, whom it calls, what the called phone shows. */
export interface OutboundCall {
  readonly accountId: string;
  /** Rung first: an agent (its bound phone; its state follows the call), or a phone no agent is on. */
  readonly caller: { readonly kind: 'agent'; readonly agentId: string } | { readonly kind: 'extension'; readonly extension: string };
  /** Called once the caller answers. */
  readonly number: string;
  /** `number` is a phone on the switch (user/<number>), not an outside number through a gateway. */
  readonly toExtension: boolean;
  /** The access number shown to an outside number (and naming the gateway); the caller's extension is shown to an extension. */
  readonly shown: string | undefined;
  readonly customerForeignId: string;
  /** The operation-log row of an agent's call, and the cause of its state change. */
  readonly operation: 'callout' | 'click-to-dial';
}

/**
 * Places an outbound call whose checks passed: the call is registered, the caller's phone
 * rung. An agent's call is counted (calloutnums), moves the agent to CALLING_OUT and has a
 * row in the operation log, as seed 002's callout.
 */
export function placeOutbound(desk: CallDesk, out: OutboundCall, now: number): { call: Call | undefined; effects: CoreEffect[] } {
  const agentId = out.caller.kind === 'agent' ? out.caller.agentId : undefined;
  const session = agentId === undefined ? undefined : desk.agents.session(agentId);
  const callerExten = out.caller.kind === 'agent' ? (session?.exten ?? '') : out.caller.extension;
  const call = new Call(desk.deps.newId(), 'outbound', out.accountId, undefined, now);
  call.customerNumber = out.number;
  call.customerIsExtension = out.toExtension;
  call.displayNumber = out.shown;
  call.accessNumber = out.shown;
  call.customerForeignId = out.customerForeignId === '' ? undefined : out.customerForeignId;
  call.timeline.agentStart = now;
  if (agentId !== undefined) {
    call.agentId = agentId;
    call.agents.push(agentId);
  }
  if (!out.toExtension) call.gateway = gatewayFor(desk, call);
  desk.registry.add(call);

  const effects: CoreEffect[] = [desk.note('call.start', 'call started', call, { agentId, exten: callerExten, number: out.number, displayNumber: out.shown })];
  if (agentId !== undefined) {
    desk.count(agentId, 'calloutnums', now);
    effects.push(...desk.agentInput(agentId, { type: 'DIAL' }, agentId, out.operation, now), {
      type: 'log-operation',
      entry: {
        accountId: call.accountId,
        agentId,
        operation: out.operation,
        oldStatus: null,
        newStatus: null,
        causedBy: agentId,
        reason: call.id,
        target: out.number,
        exten: callerExten,
        remote: session?.remote ?? null,
        at: now,
      },
    });
  }
  const limit = call.gateway === undefined ? undefined : desk.options.gatewayChannels[call.gateway];
  if (call.gateway !== undefined && limit !== undefined && (desk.gatewayUse.get(call.gateway) ?? 0) >= limit) {
    // No free line: say so the way the seed does, and leave the agent where it was.
    call.failureReason = 'NORMAL_CIRCUIT_CONGESTION';
    desk.registry.remove(call);
    if (agentId === undefined) return { call: undefined, effects };
    return {
      call: undefined,
      effects: [
        ...effects,
        desk.send(agentId, 'AllGetwaysFullEvent', now),
        desk.send(agentId, 'HangupEvent', now, { hangupReason: 'NORMAL_CIRCUIT_CONGESTION', retCode: Outcome.CALLOUT_FAILED }),
        ...desk.agentInput(agentId, { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 0 }, 'system', 'callout-failed', now),
      ],
    };
  }
  const dial = ring(desk, call, {
    purpose: 'dialer',
    to: agentId !== undefined ? { kind: 'agent', agentId } : { kind: 'extension', extension: callerExten },
    // The caller's phone shows whom it is about to call.
    callerIdNumber: out.number,
    callerIdName: 'polylink',
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'dialer-leg',
    ...(agentId !== undefined ? { askedBy: { agentId, cmdType: out.operation } } : {}),
  }, now);
  call.agentUuid = dial.leg.uuid;
  effects.push(...dial.effects);
  return { call, effects };
}

/** The agent picked up its own phone: now dial the customer. */
export function dialCustomer(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  call.timeline.customerStart = now;
  let to: Destination;
  if (call.customerIsExtension) {
    to = { kind: 'extension', extension: call.customerNumber };
  } else {
    const gateway = call.gateway ?? gatewayFor(desk, call);
    call.gateway = gateway;
    desk.gatewayUse.set(gateway, (desk.gatewayUse.get(gateway) ?? 0) + 1);
    to = { kind: 'number', number: call.customerNumber, gateway };
  }
  const { leg, effects } = ring(desk, call, {
    purpose: 'customer',
    to,
    // A phone on the switch sees who calls it; an outside number sees the call centre's number.
    callerIdNumber: call.customerIsExtension ? (call.agentLeg?.number ?? '') : (call.displayNumber ?? ''),
    timeoutSeconds: desk.options.customerRingSeconds,
    step: 'customer-leg',
    ...(call.agentId !== undefined ? { askedBy: { agentId: call.agentId, cmdType: 'callout' } } : {}),
  }, now);
  call.customerUuid = leg.uuid;
  return effects;
}
