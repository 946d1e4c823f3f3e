/**
 * Calls that outlive polylink. Every call up is in `open_calls`: written as it changes
 * (open-call-journal.ts), and all of them again at an orderly shutdown (`save-open-calls`).
 * On a real FreeSWITCH its channels go on while polylink is away — stopped, or killed.
 * At the next start the snapshots come back as calls of the registry, and the switch
 * is asked to follow their channels again: a channel that ended meanwhile is reported gone
 * by the reconcile (its leg ends, and with the last one the call and its one CDR, which
 * covers the whole call); a talking call goes on untouched; a customer that was waiting for
 * an agent waits again in its queue, in the order it came. Agents come back by signing in,
 * and each is given back the call its phone is still on (giveBack).
 */
import type { FollowedChannel } from '../ports/switch-port.js';
import { setTimer, type CoreEffect } from '../effects.js';
import type { CallDesk } from './call-desk.js';
import { restoreCall, snapshotOf, type CallSnapshot } from './call-snapshot.js';
import { killLeg, roleOf } from './leg-factory.js';
import { AgentStatus, isCallStatus } from '../agent-status.js';
import type { QueueHooks } from './queue-hooks.js';

/** Snapshots of the calls still up, for the shutdown to save. */
export function stillUp(desk: CallDesk): CallSnapshot[] {
  return [...desk.registry.all()].filter((c) => !c.ended && c.liveLegs().length > 0).map(snapshotOf);
}

/** The calls saved by the last shutdown, taken in again; `savedAt` is when that was. */
export function holdOver(desk: CallDesk, queues: QueueHooks, saved: ReadonlyArray<{ snapshot: CallSnapshot; savedAt: number }>, now: number): CoreEffect[] {
  const effects: CoreEffect[] = [];
  const channels: FollowedChannel[] = [];
  const waiting = (s: CallSnapshot): boolean => s.phase === 'setup' || s.phase === 'queue' || s.phase === 'ringing';
  // Customers that waited go back in the order they first queued.
  const ordered = [...saved].sort((a, b) => (a.snapshot.timeline.queueEnter ?? a.snapshot.timeline.start) - (b.snapshot.timeline.queueEnter ?? b.snapshot.timeline.start));
  for (const { snapshot, savedAt } of ordered) {
    if (desk.registry.get(snapshot.id) !== undefined) continue;
    const call = restoreCall(snapshot);
    desk.registry.add(call);
    for (const leg of call.legs.values()) {
      desk.registry.addLeg(call, leg);
      const vars = { call: call.id, leg: roleOf(leg.purpose), ...(leg.agentId !== undefined ? { agent: leg.agentId } : {}) };
      const node = leg.node ?? call.node;
      channels.push({ uuid: leg.uuid, vars, since: savedAt, ...(node !== undefined ? { node } : {}) });
    }
    // The call's agents belong to it again, so that each gets it back when it signs in.
    for (const leg of call.liveLegs()) if (leg.agentId !== undefined && leg.answered) desk.registry.bindAgent(leg.agentId, call);
    if (call.gateway !== undefined && call.timeline.customerStart !== undefined) desk.gatewayUse.set(call.gateway, (desk.gatewayUse.get(call.gateway) ?? 0) + 1);
    const customer = call.customer;
    if (waiting(snapshot) && customer !== undefined && !customer.ended) {
      // Phones that rang for it ring for agents no longer signed in: stopped; the customer queues again.
      for (const leg of call.liveLegs()) {
        if (leg === customer) continue;
        leg.reported = true;
        effects.push(...killLeg(desk, leg, 'ORIGINATOR_CANCEL'));
      }
      const queueNum = call.queueNum ?? desk.org.accessNumber(call.accessNumber ?? '')?.defaultQueue ?? undefined;
      if (queueNum === undefined) {
        call.failureReason ??= 'no queue to return to after a restart';
        effects.push(...killLeg(desk, customer));
      } else {
        effects.push(...queues.enqueue(call, queueNum, now, { front: true }));
      }
    }
    if (call.phase === 'grade' && call.score === undefined) {
      effects.push(setTimer({ kind: 'grade-timeout', callId: call.id }, desk.options.grade.digitTimeoutSeconds * 1000));
    }
  }
  // Following first: a kill above goes to the node the channel lives on.
  return channels.length === 0 ? effects : [desk.switch({ op: 'follow', channels }), ...effects];
}

/**
 * An agent signed in (anew, not a resume) while a call held over from before a restart
 * still has its phone up and answered: the call is its own again. Its status goes through
 * the same moves as for an offered call (RING, then TALKING, then HOLD if its leg is held),
 * it hears BridgeEvent if its leg is bridged, and its commands (hold, transfer, hangup …)
 * act on the call; when the call ends it gets HangupEvent and its after-call status.
 */
export function giveBack(desk: CallDesk, agentId: string, now: number): CoreEffect[] {
  const call = desk.registry.ofAgent(agentId);
  if (call === undefined || call.ended) return [];
  const leg = call.liveLegs().find((l) => l.agentId === agentId && l.answered);
  const status = desk.agents.statusOf(agentId);
  if (leg === undefined || status === AgentStatus.OFFLINE || isCallStatus(status)) return [];
  const effects = [
    ...desk.agentInput(agentId, { type: 'OFFER' }, 'system', 'call-given-back', now),
    ...desk.agentInput(agentId, { type: 'ANSWER' }, 'system', 'call-given-back', now),
  ];
  if (leg.held) effects.push(...desk.agentInput(agentId, { type: 'HOLD' }, 'system', 'call-given-back', now));
  if (leg.bridgedTo !== undefined) effects.push(desk.send(agentId, 'BridgeEvent', now));
  return effects;
}
