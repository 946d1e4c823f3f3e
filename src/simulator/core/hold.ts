/**
 * uuid_hold: the held leg goes HELD (CHANNEL_CALLSTATE, CHANNEL_HOLD) and its bridged
 * partner hears the held leg's hold_music (PLAYBACK_START on the partner); unhold goes
 * UNHELD then ACTIVE, stops the music and fires CHANNEL_UNHOLD (capture c1). The
 * first hold renegotiates media with the held phone, which leaves a few sip_*
 * variables behind (dlg_req_swap_direction, sip_to_display).
 */
import type { AppRegistry } from '../apps/app-runner.js';
import { execute } from '../apps/app-runner.js';
import { playing } from '../apps/playback.js';
import type { Channel } from '../channels/channel.js';
import { phoneSdp } from '../channels/sip-leg.js';
import { ORIGIN } from '../events/event-origins.js';
import { holdRecords } from './hangup.js';
import type { SimContext } from './sim-context.js';

export const DEFAULT_HOLD_MUSIC = 'local_stream://moh';

/** Per held channel: when the hold began and the music playing to the partner. */
const holds = new WeakMap<Channel, { since: number; partner: Channel | undefined }>();

export function isHeld(ch: Channel): boolean {
  return holds.has(ch);
}

export function hold(sim: SimContext, apps: AppRegistry, ch: Channel, defaultMusic: string): void {
  if (holds.has(ch) || ch.isDown) return;
  const now = ch.nowUs();
  ch.setCallState('HELD');
  ch.markTime('lastHold');
  ch.fire('CHANNEL_HOLD', ORIGIN.hold);
  const partner = ch.bridge?.partner;
  holds.set(ch, { since: now, partner });
  if (partner !== undefined && !partner.isDown) {
    const music = ch.vars.get('hold_music') ?? defaultMusic;
    if (partner.sip !== undefined) partner.vars.setIfAbsent('switch_m_sdp', phoneSdp(partner.sip.remoteIp, partner.sip.remoteMediaPort));
    execute(sim, apps, partner, 'playback', music, { withUuid: true, overlay: true });
  }
}

export function unhold(ch: Channel): void {
  const held = holds.get(ch);
  if (held === undefined || ch.isDown) return;
  holds.delete(ch);
  const now = ch.nowUs();
  const records = holdRecords.get(ch) ?? [];
  records.push([held.since, now]);
  holdRecords.set(ch, records);
  ch.markTime('holdAccum', ch.times.holdAccum + (now - held.since));
  ch.setCallState('UNHELD');
  ch.setCallState('ACTIVE');
  if (held.partner !== undefined) playing.stopAll(held.partner);
  if (ch.sip !== undefined && ch.direction === 'inbound' && !ch.vars.has('dlg_req_swap_direction')) {
    // The re-INVITE went the other way round: sofia records the far end as "to".
    ch.vars.set('sip_reply_host', ch.sip.remoteIp);
    ch.vars.set('sip_reply_port', String(ch.sip.remotePort));
    ch.vars.set('dlg_req_swap_direction', 'true');
    const display = ch.vars.get('sip_from_display');
    if (display !== undefined) {
      ch.vars.set('sip_to_display', display);
      ch.vars.delete('sip_from_display');
    }
  }
  ch.fire('CHANNEL_UNHOLD', ORIGIN.unhold);
}
