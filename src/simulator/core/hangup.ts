/**
 * Hanging a channel up, with the events in FreeSWITCH's order and the variables each
 * side of a bridge gets (captures b, b3, c1, c2, d, e2, i, h, g):
 *
 *   CHANNEL_HANGUP → (the running app ends: UNPARK, PLAYBACK_STOP…, EXECUTE_COMPLETE)
 *   → STATE CS_HANGUP → CALLSTATE HANGUP → (PRESENCE_IN, inbound sofia) → STATE
 *   CS_REPORTING → CHANNEL_HANGUP_COMPLETE → CHANNEL_DESTROY → STATE CS_DESTROY.
 *
 * A bridged pair ends together unless the survivor has park_after_bridge=true (it
 * parks) or hangup_after_bridge=false (it stays up). FreeSWITCH runs the two legs in
 * two threads, so how their events interleave varies from run to run (compare b plain
 * with b json); the simulator always lets the bridge's B side finish first, the order
 * of b plain, c1, e2 and i.
 */
import type { Channel } from '../channels/channel.js';
import { sipStatusFor } from '../channels/hangup-causes.js';
import { hangupCauseVars, timestampVars } from '../channels/timestamps.js';
import { playing } from '../apps/playback.js';
import { rtpStatsVars } from '../endpoints/sofia-variables.js';
import { ORIGIN } from '../events/event-origins.js';
import { stopAllRecordings } from './record.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { HangupOptions, SimContext } from './sim-context.js';

/** Time mod_loopback takes to notice that the other half hung up (it checks on its next read). */
export const LOOPBACK_HANGUP_DELAY_MS = 20;

/** Per channel: the hold periods (microseconds), for hold_events at hangup (capture c1). */
export const holdRecords = new WeakMap<Channel, Array<[number, number]>>();

export function hangup(sim: SimContext, ch: Channel, cause: string, options: HangupOptions = {}): void {
  if (ch.isDown) return;
  announce(sim, ch, cause, options);
  teardown(sim, ch, options);
}

/**
 * Hangs up many channels the way switch_core_session_hupall does: every channel is
 * told first (all CHANNEL_HANGUP events), then each tears down (captures h, v).
 */
export function hangupMany(sim: SimContext, channels: readonly Channel[], cause: string, verbose = false): void {
  const told = channels.filter((ch) => !ch.isDown);
  if (verbose) for (const ch of told) ch.verbose = true;
  hangupFromOneThread(sim, told.map((ch) => ({ ch, cause })), told);
}

/**
 * One thread hangs up several channels: switch_channel_hangup only marks a channel and
 * fires its CHANNEL_HANGUP, each channel's own thread tears it down afterwards. So all
 * are told, in order, then they tear down in `teardownOrder` (the thread that is
 * already running first).
 */
export function hangupFromOneThread(
  sim: SimContext,
  legs: ReadonlyArray<{ readonly ch: Channel; readonly cause: string; readonly options?: HangupOptions }>,
  teardownOrder: readonly Channel[],
): void {
  const told = new Map<Channel, HangupOptions>();
  for (const { ch, cause, options = {} } of legs) {
    if (ch.isDown) continue;
    announce(sim, ch, cause, options);
    told.set(ch, options);
  }
  for (const ch of teardownOrder) {
    const options = told.get(ch);
    // A bridged partner may already have been taken down with its other half.
    if (options !== undefined && ch.runningState !== 'CS_REPORTING' && ch.runningState !== 'CS_DESTROY') teardown(sim, ch, options);
  }
}

/** CHANNEL_HANGUP and what the tech records with it. */
function announce(sim: SimContext, ch: Channel, cause: string, options: HangupOptions): void {
  const core = sim.core;
  ch.hangupCause = cause;
  ch.answerState = 'hangup';
  ch.requestState('CS_HANGUP');
  for (const t of ch.timers.splice(0)) core.cancel(t);
  if (ch.tech === 'sofia' && options.remote === true && ch.answered) {
    // The far end sent BYE (capture b3).
    ch.vars.set('sip_term_status', '200');
    ch.vars.set('proto_specific_hangup_cause', 'sip:200');
    ch.vars.set('sip_term_cause', '16');
  }
  // switch_channel_perform_hangup tells the partner named by signal_bond first
  // (switch_channel_set_variable_partner), bridged or not yet (capture d2: intercept).
  const bonded = core.findChannel(ch.vars.get('signal_bond') ?? '');
  if (bonded !== undefined && !bonded.isDown) bonded.vars.set('last_bridge_hangup_cause', cause);
  const bridge = ch.bridge;
  if (bridge !== undefined) ch.vars.set('last_bridge_role', bridge.side === 'a' ? 'originator' : 'originatee');
  ch.fire('CHANNEL_HANGUP', ORIGIN.hangup);
  ch.markTime('hungup');
  if (ch.loopbackPeer !== undefined && !ch.loopbackPeer.isDown) {
    const peer = ch.loopbackPeer;
    core.after(LOOPBACK_HANGUP_DELAY_MS, () => hangup(sim, peer, cause));
  }
}

/** Everything after CHANNEL_HANGUP: the app ends, the bridge ends, the states to CS_DESTROY. */
function teardown(sim: SimContext, ch: Channel, options: HangupOptions): void {
  const core = sim.core;
  const cause = ch.hangupCause ?? 'NORMAL_CLEARING';
  const bridge = ch.bridge;
  playing.stopAll(ch);
  stopAllRecordings(core, ch);
  if (bridge === undefined) {
    ch.app?.interrupt('hangup');
    finish(sim, ch, options);
    return;
  }
  const partner = bridge.partner;
  if (bridge.side === 'a') {
    // The B side leaves the bridge and, unless it survives, ends completely…
    const partnerEnds = leaveBridge(sim, partner, cause, options);
    // …then the A side, which ran the bridge, reports the unbridge.
    ch.vars.set('bridge_hangup_cause', cause);
    ch.vars.delete('bridge_to');
    if (ch.tech === 'sofia' && options.remote === true) ch.vars.set('sip_hangup_disposition', 'recv_bye');
    fireUnbridge(ch, partner);
    partner.vars.set('bridge_hangup_cause', cause);
    enterHangupState(ch);
    if (partnerEnds) destroy(sim, partner);
    report(sim, ch, options);
    destroy(sim, ch);
  } else {
    // The B side hung up: it ends first (capture i), then the A side unbridges.
    ch.vars.delete('bridge_to');
    ch.bridge = undefined;
    finish(sim, ch, options);
    partner.vars.set('last_bridge_hangup_cause', cause);
    partner.vars.set('bridge_hangup_cause', cause);
    partner.vars.delete('bridge_to');
    fireUnbridge(partner, ch);
    partner.runningState = 'CS_EXECUTE';
    afterBridge(sim, partner);
  }
}

/** The B side of a bridge whose A side hung up; returns true when it ends too (its DESTROY is still due). */
function leaveBridge(sim: SimContext, partner: Channel, cause: string, options: HangupOptions): boolean {
  partner.vars.set('last_bridge_hangup_cause', cause);
  if (options.remote === true && partner.tech === 'sofia') {
    partner.vars.set('sip_hangup_phrase', sipStatusFor('NORMAL_CLEARING').phrase);
    partner.vars.set('last_bridge_proto_specific_hangup_cause', 'sip:200');
  }
  partner.vars.delete('bridge_to');
  partner.bridge = undefined;
  if (survives(partner)) {
    partner.runningState = 'CS_EXECUTE';
    afterBridge(sim, partner);
    return false;
  }
  if (partner.hangupCause === undefined) {
    partner.hangupCause = 'NORMAL_CLEARING';
    partner.answerState = 'hangup';
    partner.requestState('CS_HANGUP');
    for (const t of partner.timers.splice(0)) sim.core.cancel(t);
    partner.fire('CHANNEL_HANGUP', ORIGIN.hangup);
    partner.markTime('hungup');
  }
  playing.stopAll(partner);
  stopAllRecordings(sim.core, partner);
  partner.app?.interrupt('hangup');
  enterHangupState(partner);
  report(sim, partner, {});
  return true;
}

function survives(ch: Channel): boolean {
  return ch.vars.get('park_after_bridge') === 'true' || ch.vars.get('hangup_after_bridge') === 'false';
}

/**
 * A leg whose partner left: parks, stays up, or hangs up NORMAL_CLEARING. FreeSWITCH
 * (src/switch_ivr_bridge.c): the B side, in audio_bridge_on_exchange_media, parks when
 * park_after_bridge is true (switch_ivr_park_session) and otherwise hangs up; the A side,
 * at the end of switch_ivr_multi_threaded_bridge, parks when park_after_bridge is true and
 * its peer had answered, and hangs up when hangup_after_bridge is true. This is what lets
 * polylink hand a customer on: it sets park_after_bridge on every leg it originates
 * (core/calls/leg-factory.ts) and on every customer it takes in (core/queues/arrival.ts),
 * so the customer of a transfer or a consult outlives the agent leg it was bridged to.
 */
function afterBridge(sim: SimContext, ch: Channel): void {
  if (ch.vars.get('park_after_bridge') === 'true') {
    sim.flows.runActions(ch, [{ app: 'park' }]);
  } else if (ch.vars.get('hangup_after_bridge') !== 'false') {
    sim.flows.hangup(ch, 'NORMAL_CLEARING');
  }
}

function fireUnbridge(a: Channel, b: Channel): void {
  a.bridge = undefined;
  a.fire('CHANNEL_UNBRIDGE', ORIGIN.unbridge, {
    before: [HeaderBlock.of([['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid]])],
  });
}

/** A channel that is not bridged (any more) runs its hangup to the end. */
function finish(sim: SimContext, ch: Channel, options: HangupOptions): void {
  enterHangupState(ch);
  report(sim, ch, options);
  destroy(sim, ch);
}

function enterHangupState(ch: Channel): void {
  ch.enterState('CS_HANGUP', 'CS_HANGUP');
}

function report(sim: SimContext, ch: Channel, options: HangupOptions): void {
  if (options.lateVars !== undefined) ch.vars.setMany(options.lateVars);
  // The CDR variables are there from CS_HANGUP on (capture h: its verbose CALLSTATE carries them).
  ch.vars.setMany(hangupCauseVars(ch));
  ch.vars.setMany(timestampVars(ch, holdRecords.get(ch) ?? []));
  ch.setCallState('HANGUP');
  if (ch.tech === 'sofia' && ch.direction === 'inbound') firePresence(ch);
  if (ch.tech === 'sofia') {
    if (!ch.vars.has('sip_hangup_disposition')) ch.vars.set('sip_hangup_disposition', disposition(ch, options));
    if (ch.vars.has('read_codec')) ch.vars.setMany(rtpStatsVars(0));
  } else {
    ch.vars.set('is_loopback', 'true');
  }
  ch.enterState('CS_REPORTING', 'CS_REPORTING');
  ch.fire('CHANNEL_HANGUP_COMPLETE', ORIGIN.hangupComplete);
  const cause = ch.hangupCause ?? 'NORMAL_CLEARING';
  for (const listener of ch.hangupListeners.splice(0)) listener(cause);
  void sim;
}

function disposition(ch: Channel, options: HangupOptions): string {
  const remote = options.remote === true;
  if (ch.answered) return remote ? 'recv_bye' : 'send_bye';
  if (ch.direction === 'inbound') return remote ? 'recv_cancel' : 'send_refuse';
  return remote ? 'recv_refuse' : 'send_cancel';
}

function destroy(sim: SimContext, ch: Channel): void {
  ch.fire('CHANNEL_DESTROY', ORIGIN.destroy);
  ch.enterState('CS_DESTROY', 'CS_DESTROY');
  sim.core.removeChannel(ch);
}

/** PRESENCE_IN of an inbound sofia call (capture b): at routing, answer and hangup. */
export function firePresence(ch: Channel): void {
  const from = ch.vars.get('presence_id') ?? '';
  const callState =
    ch.answerState === 'hangup' ? 'terminated' : ch.answerState === 'answered' ? 'active' : 'alerting';
  ch.fire('PRESENCE_IN', ORIGIN.presenceIn, {
    after: [
      HeaderBlock.of([
        ['proto', 'any'],
        ['login', 'src/switch_channel.c'],
        ['from', from],
        ['rpid', 'unknown'],
        ['status', ch.runningState],
        ['event_type', 'presence'],
        ['alt_event_type', 'dialog'],
        ['presence-call-info-state', callState],
        ['presence-call-direction', ch.direction],
        ['event_count', '0'],
        ['Presence-Calling-File', 'src/switch_core_state_machine.c'],
        ['Presence-Calling-Function', 'check_presence'],
        ['Presence-Calling-Line', '521'],
      ]),
    ],
    withVariables: false,
  });
}
