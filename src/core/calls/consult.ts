/**
 * consult / stopconsult / consulttransfer (seed 002 DoConsult, DoStopConsult,
 * DoConsultTransfer). The customer is parked and hears hold music; the consultee (an
 * agent — ConsultCallInEvent — or an outside number) is rung and bridged to the agent.
 * Stopping returns the agent to the customer; transferring bridges the customer to the
 * consultee and frees the agent.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import { Outcome } from '../outcomes.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';
import { handOn, killLeg, ring } from './leg-factory.js';
import { resolveParty } from './party.js';
import { ownTalkingLeg } from './controls.js';

type Outcome = { code: number; effects: CoreEffect[] };

/** The serving agent, talking to its customer, with nothing else going on. */
export function servingCustomer(desk: CallDesk, agentId: string): Call | undefined {
  if (desk.agents.statusOf(agentId) !== AgentStatus.TALKING) return undefined;
  const own = ownTalkingLeg(desk, agentId);
  if (own === undefined) return undefined;
  const call = own.call;
  if (call.kind === 'internal' || call.agentId !== agentId || call.consultUuid !== undefined || call.conference !== undefined) return undefined;
  const customer = call.customer;
  if (customer === undefined || customer.ended || own.leg.bridgedTo !== customer.uuid) return undefined;
  return call;
}

export function consult(desk: CallDesk, agentId: string, target: string, outbound: boolean, now: number): Outcome {
  const call = servingCustomer(desk, agentId);
  if (call === undefined) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  const party = resolveParty(desk, call, agentId, target, outbound, desk.options.internalCallStates);
  if (party.to === undefined) return { code: party.code, effects: [] };
  const customer = call.customer!;
  desk.count(agentId, 'interhelpnums', now);
  const effects: CoreEffect[] = [
    // Parking the customer takes it out of the bridge; the agent's leg parks too (park_after_bridge).
    desk.switch({ op: 'park', uuid: customer.uuid }, { callId: call.id, step: 'consult-park', agentId, cmdType: 'consult' }),
    desk.switch({ op: 'playback', uuid: customer.uuid, source: musicOf(desk.options.holdMusic), legs: 'this' }),
  ];
  if (party.to.kind === 'agent') effects.push(...desk.agentInput(party.to.agentId, { type: 'RESERVE' }, agentId, 'consult', now));
  const agentSession = desk.agents.session(agentId)!;
  const leg = ring(desk, call, {
    purpose: 'consult',
    to: party.to,
    callerIdNumber: party.to.kind === 'agent' ? (agentSession.exten ?? agentId) : (call.displayNumber ?? call.accessNumber ?? ''),
    callerIdName: agentSession.profile.name,
    timeoutSeconds: desk.options.agentRingSeconds,
    step: 'consult-leg',
    askedBy: { agentId, cmdType: 'consult' },
  }, now);
  call.consultUuid = leg.leg.uuid;
  effects.push(...leg.effects);
  return { code: 0, effects };
}

export function stopConsult(desk: CallDesk, agentId: string): Outcome {
  const call = desk.registry.ofAgent(agentId);
  const consultLeg = call?.leg(call.consultUuid);
  if (call === undefined || call.agentId !== agentId || consultLeg === undefined || consultLeg.ended) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  // Its end brings the agent back to the customer (ConsulteeHangupEvent, then the bridge).
  return { code: 0, effects: killLeg(desk, consultLeg) };
}

export function consultTransfer(desk: CallDesk, agentId: string, now: number): Outcome {
  const call = desk.registry.ofAgent(agentId);
  const consultLeg = call?.leg(call.consultUuid);
  const customer = call?.customer;
  if (call === undefined || call.agentId !== agentId || consultLeg === undefined || !consultLeg.answered || consultLeg.ended || customer === undefined || customer.ended) {
    return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
  }
  return { code: 0, effects: handOverToConsultee(desk, call, now) };
}

/** The customer goes to the consultee; the consulting agent's part is over. */
export function handOverToConsultee(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  const consultLeg = call.leg(call.consultUuid)!;
  const customer = call.customer!;
  const agentLeg = call.agentLeg;
  const consulter = call.agentId;
  const effects: CoreEffect[] = [
    desk.note('call.transfer', 'call transferred', call, { agentId: consulter, how: 'consult', to: consultLeg.agentId ?? consultLeg.number }),
    desk.switch({ op: 'stopPlayback', uuid: customer.uuid }),
    desk.switch({ op: 'bridge', uuid: customer.uuid, otherUuid: consultLeg.uuid }, { callId: call.id, step: 'transfer-bridge' }),
  ];
  desk.count(consulter, consultLeg.agentId !== undefined ? 'transfernums' : 'transferoutnums', now);
  call.consultUuid = undefined;
  // The consultee now serves the call (an outside number serves it without an agent).
  call.agentUuid = consultLeg.uuid;
  call.agentId = consultLeg.agentId;
  if (consultLeg.agentId === undefined) call.endStatus = 'CALL_TRANSFER';
  effects.push(...handOn(desk, agentLeg));
  return effects;
}

export function musicOf(holdMusic: string): { kind: 'local-stream'; name: string } | { kind: 'file'; path: string } {
  return holdMusic.startsWith('local_stream://') ? { kind: 'local-stream', name: holdMusic.slice('local_stream://'.length) } : { kind: 'file', path: holdMusic };
}
