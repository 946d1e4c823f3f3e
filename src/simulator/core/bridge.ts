/**
 * uuid_bridge <a> <b>: both legs leave what they were doing (park ends: UNPARK and
 * EXECUTE_COMPLETE), go through CS_HIBERNATE / CS_RESET / CS_SOFT_EXECUTE, announce a
 * uuid_bridge pseudo-application, and A — which runs the bridge — fires
 * CHANNEL_BRIDGE; then each leg's sofia sends the other's identity (CALL_UPDATE
 * Direction SEND). Event order and variables as in capture b.
 */
import { randomUUID } from 'node:crypto';
import { dropActions } from '../apps/app-runner.js';
import { playing } from '../apps/playback.js';
import type { Channel } from '../channels/channel.js';
import { CallerProfile } from '../channels/caller-profile.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { SimContext } from './sim-context.js';

/** A fresh caller profile for a leg that is transferred (Caller-Profile-Index + 1, new Transfer-Source). */
export function newProfileForTransfer(ch: Channel, transferSource: string): void {
  const old = ch.profile;
  if (old === undefined) return;
  ch.times.profileCreated = ch.nowUs();
  const index = String(Number(old.fields.profileIndex || '1') + 1);
  ch.profile = new CallerProfile({ ...old.fields, profileIndex: index, transferSource }, ch.times);
}

function transferSource(ch: Channel, what: string, target: string): string {
  return `${Math.floor(ch.nowUs() / 1e6)}:${randomUUID()}:${what}:${target}`;
}

/**
 * Takes a leg out of a bridge because something else wants it (a new uuid_bridge, a
 * transfer, uuid_park): the partner is left alone and follows its after-bridge rules.
 */
export function detachFromBridge(sim: SimContext, ch: Channel): void {
  const link = ch.bridge;
  if (link === undefined) return;
  const partner = link.partner;
  const a = link.side === 'a' ? ch : partner;
  const b = link.side === 'a' ? partner : ch;
  ch.bridge = undefined;
  partner.bridge = undefined;
  for (const leg of [a, b]) leg.vars.delete('bridge_to');
  a.fire('CHANNEL_UNBRIDGE', ORIGIN.unbridge, {
    before: [HeaderBlock.of([['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]])],
  });
  partner.runningState = 'CS_EXECUTE';
  partner.vars.set('last_bridge_hangup_cause', 'NORMAL_CLEARING');
  if (partner.vars.get('park_after_bridge') === 'true') {
    sim.flows.runActions(partner, [{ app: 'park' }]);
  } else if (partner.vars.get('hangup_after_bridge') !== 'false') {
    sim.flows.hangup(partner, 'NORMAL_CLEARING');
  }
}

/** Whatever the leg was running ends because the leg is wanted elsewhere. */
export function takeOver(sim: SimContext, ch: Channel): void {
  dropActions(ch);
  detachFromBridge(sim, ch);
  ch.app?.interrupt('takeover');
  ch.originating?.takenOver();
}

function prepareLeg(ch: Channel, other: Channel, otherProfile: CallerProfile, otherType: 'originator' | 'originatee'): void {
  const p = ch.profile!;
  const source = transferSource(ch, 'uuid_br', other.uuid);
  ch.vars.setMany([
    ['bridge_channel', other.name],
    ['bridge_uuid', other.uuid],
    ['signal_bond', other.uuid],
    ['original_destination_number', p.fields.destinationNumber],
    ['original_caller_id_name', p.fields.callerIdName],
    ['original_caller_id_number', p.fields.callerIdNumber],
    ['transfer_history', source],
    ['transfer_source', source],
  ]);
  newProfileForTransfer(ch, source);
  ch.other = { type: otherType, profile: otherProfile };
}

/**
 * uuid_bridge <first> <second>. The originator (the leg that fires CHANNEL_BRIDGE) is
 * `first`, unless `first` is an outbound leg still ringing and `second` is answered:
 * switch_ivr_uuid_bridge then swaps them ("reversing order of channels so this will
 * work!"), and the originator waits for the ringing leg to answer before it joins it
 * (uuid_bridge_on_soft_execute → switch_ivr_wait_for_answer; capture m). If that leg
 * ends first, the originator is hung up ORIGINATOR_CANCEL.
 *
 * switch_ivr_uuid_bridge sets up both legs' profiles and variables, then changes their
 * states; `onPrepared` runs in between — where the intercept application, which calls
 * it from the originator's own thread, returns (capture d2).
 */
export function uuidBridge(sim: SimContext, first: Channel, second: Channel, onPrepared?: () => void): void {
  const swap = !first.answered && first.direction === 'outbound' && second.answered;
  const a = swap ? second : first;
  const b = swap ? first : second;
  // Each side keeps the other's profile as it was before the transfer (no Other-Leg-Transfer-Source in capture b).
  const aProfile = a.profile!.snapshot();
  const bProfile = b.profile!.snapshot();
  prepareLeg(b, a, aProfile, 'originator');
  a.vars.set('uuid_bridge', b.uuid);
  prepareLeg(a, b, bProfile, 'originatee');
  // A shows B's original caller id, which B's answer flipped into its callee fields (capture b; empty in i).
  const calleeName = b.profile!.fields.calleeIdName;
  const calleeNumber = b.profile!.fields.calleeIdNumber;
  a.profile!.update({ calleeIdName: calleeName, calleeIdNumber: calleeNumber });
  onPrepared?.();
  // The B leg first (capture b: its UNPARK comes before A's). switch_channel_stop_broadcast
  // on both: what uuid_broadcast played on top (a customer's ringback) ends with the rest.
  takeOver(sim, b);
  playing.stopAll(b);
  b.enterState('CS_HIBERNATE', 'CS_RESET');
  b.enterState('CS_RESET', 'CS_SOFT_EXECUTE');
  takeOver(sim, a);
  playing.stopAll(a);
  a.enterState('CS_HIBERNATE', 'CS_RESET');
  a.enterState('CS_RESET', 'CS_SOFT_EXECUTE');
  a.enterState('CS_SOFT_EXECUTE', 'CS_SOFT_EXECUTE');
  b.enterState('CS_SOFT_EXECUTE', 'CS_SOFT_EXECUTE');
  a.vars.delete('uuid_bridge');
  if (b.answered || b.direction === 'inbound') {
    join(sim, a, b, calleeName, calleeNumber);
    return;
  }
  let joined = false;
  // The originator's thread sees the answer on its next look, after the answer's own events.
  b.answerListeners.push(() =>
    a.timers.push(
      sim.core.after(0, () => {
        if (a.isDown || b.isDown) return;
        joined = true;
        join(sim, a, b, b.profile!.fields.calleeIdName, b.profile!.fields.calleeIdNumber);
      }),
    ),
  );
  b.hangupListeners.push(() => {
    if (!joined && !a.isDown) sim.flows.hangup(a, 'ORIGINATOR_CANCEL');
  });
}

/** Both legs are ready: the uuid_bridge pseudo-application, CHANNEL_BRIDGE on A, each side's new identity. */
function join(sim: SimContext, a: Channel, b: Channel, calleeName: string, calleeNumber: string): void {
  a.fire('CHANNEL_EXECUTE', ORIGIN.executeUuidBridgeA, {
    after: [HeaderBlock.of([['Application', 'uuid_bridge'], ['Application-Data', b.uuid]])],
  });
  b.fire('CHANNEL_EXECUTE', ORIGIN.executeUuidBridgeB, {
    after: [HeaderBlock.of([['Application', 'uuid_bridge'], ['Application-Data', a.uuid]])],
  });
  b.enterState('CS_CONSUME_MEDIA', 'CS_EXCHANGE_MEDIA');
  if (b.answered && !a.answered) sim.flows.answer(a);
  a.markTime('bridged');
  b.markTime('bridged');
  a.bridge = { partner: b, side: 'a' };
  b.bridge = { partner: a, side: 'b' };
  a.fire('CHANNEL_BRIDGE', ORIGIN.bridge, {
    before: [HeaderBlock.of([['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]])],
  });
  b.enterState('CS_EXCHANGE_MEDIA', 'CS_EXCHANGE_MEDIA');
  sendConnectedLine(a, b, calleeName, calleeNumber);
  sendConnectedLine(b, a, a.profile!.fields.callerIdName, a.profile!.fields.callerIdNumber);
}

/** Each leg tells its phone who it is now talking to (CALL_UPDATE Direction SEND, sofia_receive_message). */
function sendConnectedLine(ch: Channel, other: Channel, nameOrEmpty: string, number: string): void {
  // sofia sends the number as the name when there is no name (capture i).
  const name = nameOrEmpty || number;
  ch.vars.setMany([
    ['bridge_to', other.uuid],
    ['last_bridge_to', other.uuid],
    ['last_sent_callee_id_name', name],
    ['last_sent_callee_id_number', number],
  ]);
  ch.fire('CALL_UPDATE', ORIGIN.callUpdateSofia, {
    before: [
      HeaderBlock.of([
        ['Direction', 'SEND'],
        ['Sent-Callee-ID-Name', name],
        ['Sent-Callee-ID-Number', number],
        ['Bridged-To', other.uuid],
      ]),
    ],
  });
}
