/**
 * New legs and the originate commands that ring them. Every leg polylink creates is
 * registered in its call before the originate goes out (state `dialing`), so a result
 * or an event about it always finds it.
 */
import type { SwitchRef } from '../ports/switch-command.js';
import type { LegRole, OriginateRequest } from '../ports/switch-port.js';
import type { CoreEffect } from '../effects.js';
import type { CallDesk } from './call-desk.js';
import { Leg, type Call, type EndRequest, type LegPurpose } from './call-model.js';
import { raiseProgress } from './call-progress.js';

/** The polylink_leg a leg of this purpose is originated with. */
export function roleOf(purpose: LegPurpose): LegRole {
  return ROLE[purpose];
}

const ROLE: Record<LegPurpose, LegRole> = {
  customer: 'customer',
  dialer: 'agent',
  callee: 'agent',
  offer: 'agent',
  consult: 'consult',
  threeway: 'threeway',
  check: 'check',
  monitor: 'monitor',
};

export type Destination =
  /** An agent: its bound extension (or, when it works from an outside phone, that number through the gateway). */
  | { readonly kind: 'agent'; readonly agentId: string }
  /** An outside number through a gateway. */
  | { readonly kind: 'number'; readonly number: string; readonly gateway: string }
  /** A phone on the switch that no agent is signed in on (seed 001's click-number and transfer). */
  | { readonly kind: 'extension'; readonly extension: string };

export interface RingOptions {
  readonly purpose: LegPurpose;
  readonly to: Destination;
  /** What the rung phone shows. */
  readonly callerIdNumber: string;
  readonly callerIdName?: string;
  readonly timeoutSeconds: number;
  readonly app?: OriginateRequest['app'];
  readonly step: string;
  /** The agent to tell if the switch refuses (ServerResponse). */
  readonly askedBy?: { readonly agentId: string; readonly cmdType: string };
}

/** Creates the leg in the call and returns it with the originate effect. */
export function ring(desk: CallDesk, call: Call, options: RingOptions, now: number): { leg: Leg; effects: CoreEffect[] } {
  const uuid = desk.deps.newId();
  const agentId = options.to.kind === 'agent' ? options.to.agentId : undefined;
  const { target, number } = targetOf(desk, call, options.to);
  const leg = new Leg(uuid, options.purpose, number, now, agentId);
  leg.callerId = options.callerIdNumber;
  desk.registry.addLeg(call, leg);
  if (agentId !== undefined) desk.registry.bindAgent(agentId, call);
  raiseProgress(desk, 'dialled', call, leg, now, target.kind === 'gateway' ? { gateway: target.gateway } : {});
  const request: OriginateRequest & { uuid: string } = {
    uuid,
    target,
    app: options.app ?? { kind: 'park' },
    callerIdNumber: options.callerIdNumber,
    ...(options.callerIdName !== undefined ? { callerIdName: options.callerIdName } : {}),
    timeoutSeconds: options.timeoutSeconds,
    call: call.id,
    leg: ROLE[options.purpose],
    ...(agentId !== undefined ? { agent: agentId } : {}),
    // polylink decides what happens to a leg whose partner leaves (transfers, consults):
    // FreeSWITCH parks it instead of hanging it up.
    parkAfterBridge: true,
    ...(call.node !== undefined ? { node: call.node } : {}),
  };
  const ref = {
    callId: call.id,
    step: options.step,
    legUuid: uuid,
    ...(options.askedBy !== undefined ? { agentId: options.askedBy.agentId, cmdType: options.askedBy.cmdType } : {}),
  };
  return { leg, effects: [desk.switch({ op: 'originate', request }, ref)] };
}

/** Where an originate for `to` goes, and the number its leg is known by. */
export function targetOf(desk: CallDesk, call: Call, to: Destination): { target: OriginateRequest['target']; number: string } {
  if (to.kind === 'number') return { target: { kind: 'gateway', gateway: to.gateway, number: to.number }, number: to.number };
  // A phone of the tenant, rung by the switchboard (seed 001 click-number) without an agent behind it.
  if (to.kind === 'extension') return { target: { kind: 'extension', extension: to.extension }, number: to.extension };
  const session = desk.agents.session(to.agentId);
  const exten = session?.exten ?? '';
  // An agent working from an outside phone is rung through the call's gateway.
  const target: OriginateRequest['target'] = session?.extenIsOutbound === true
    ? { kind: 'gateway', gateway: gatewayFor(desk, call), number: exten }
    : { kind: 'extension', extension: exten };
  return { target, number: exten };
}

/** The gateway of the call's display number (outbound) or of the tenant's default access number. */
export function gatewayFor(desk: CallDesk, call: Call): string {
  const numbers = desk.org.accessNumbersOf(call.accountId);
  const shown = numbers.find((n) => n.number === (call.displayNumber ?? call.accessNumber));
  return shown?.gateway ?? numbers.find((n) => n.isDefault)?.gateway ?? numbers.find((n) => n.gateway !== null)?.gateway ?? 'trunk';
}

/**
 * Asks the switch to end a leg, remembering that it was polylink's doing and why (its end
 * reason follows from it); asked once, the switch is asked once.
 */
export function killLeg(desk: CallDesk, leg: Leg | undefined, cause = 'NORMAL_CLEARING', why: EndRequest = 'kill', ref?: SwitchRef): CoreEffect[] {
  if (leg === undefined || leg.ended || !leg.askToEnd(why)) return [];
  return desk.kill(leg, cause, ref);
}

/** Ends the leg of an agent that hands its customer on (a transfer, the survey): its HangupEvent says so. */
export function handOn(desk: CallDesk, leg: Leg | undefined): CoreEffect[] {
  if (leg !== undefined && !leg.ended && !leg.endAsked) leg.handedOn = true;
  return killLeg(desk, leg);
}
