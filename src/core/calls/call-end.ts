/**
 * The end of a call: when its last leg is gone. Its record is written (customer and
 * internal calls), its gateway line is freed, and it leaves the registry.
 */
import type { CoreEffect } from '../effects.js';
import { buildCdr } from '../records/cdr.js';
import { callFacts } from '../records/push-facts.js';
import type { CallDesk } from './call-desk.js';
import type { Call } from './call-model.js';

export function endCallIfDone(desk: CallDesk, call: Call, now: number): CoreEffect[] {
  if (call.ended || call.liveLegs().length > 0) return [];
  call.end(now);
  if (call.timeline.holdStartedAt !== undefined) {
    call.timeline.holdSeconds += Math.round((now - call.timeline.holdStartedAt) / 1000);
    call.timeline.holdStartedAt = undefined;
  }
  if (call.gateway !== undefined && call.timeline.customerStart !== undefined) {
    desk.gatewayUse.set(call.gateway, Math.max(0, (desk.gatewayUse.get(call.gateway) ?? 1) - 1));
  }
  desk.registry.remove(call);
  if (call.kind === 'check') return [];
  const lastAgent = call.agentId ?? call.agents.at(-1) ?? call.offeredTo;
  const number = call.kind === 'internal' || call.customerNumber === '' ? undefined : desk.deps.numbers.describe(call.customerNumber);
  const exten = lastAgent === undefined ? null : (desk.extenOf(lastAgent) ?? desk.org.agent(lastAgent)?.defaultExten ?? null);
  if (call.agentId === undefined && lastAgent !== undefined) call.agentId = lastAgent;
  const cdr = buildCdr(call, desk.org, number, exten, now);
  // Its record is written by what reacts to call-ended, after this step (records/, later the webhooks' outbox).
  desk.deps.events.raise({ type: 'call-ended', cdr, call: callFacts(call, desk.org), at: now });
  return [
    desk.note('call.end', 'call ended', call, {
      agentId: cdr.agentId,
      exten: cdr.agentExten,
      number: cdr.customerNumber,
      status: cdr.status,
      cause: cdr.hangupCause,
      hangupSide: cdr.hangupSide,
      durationSeconds: cdr.totalSeconds,
      talkSeconds: cdr.bridgeSeconds,
    }),
  ];
}
