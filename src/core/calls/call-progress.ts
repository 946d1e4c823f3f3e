/**
 * Raises what happened to a call that business systems are told about (webhooks): a leg
 * dialled, ringing or ended, the customer linked to an agent, the customer out of an IVR.
 * The records turn it into a push after the step (records/push-facts.ts).
 */
import { callFacts, legFacts, type CallChange } from '../records/push-facts.js';
import type { CallDesk } from './call-desk.js';
import type { Call, Leg } from './call-model.js';

export function raiseProgress(
  desk: CallDesk,
  change: CallChange,
  call: Call,
  leg: Leg | undefined,
  now: number,
  more: { gateway?: string; since?: number; queueNum?: string | undefined } = {},
): void {
  // A loop-back check is the agent testing its phone, not a call anyone outside cares about.
  if (call.kind === 'check') return;
  desk.deps.events.raise({
    type: 'call-progress',
    change,
    // The queue an IVR chose is the call's next one before the call joins it.
    call: more.queueNum === undefined ? callFacts(call, desk.org) : { ...callFacts(call, desk.org), queueNum: more.queueNum },
    leg: legFacts(leg, more.gateway ?? (leg !== undefined && leg.uuid === call.customerUuid && call.kind === 'outbound' ? call.gateway : undefined)),
    since: more.since ?? null,
    at: now,
  });
}
