/**
 * Who hears whom right now: the audio paths FreeSWITCH would set up, worked out from
 * the simulator's state, for tests (`sim.media.hears(listener, speaker)`). Nothing here
 * fires events: the real switch does not report audio paths either (capture d2: an
 * eavesdrop leg changing mode fires only its DTMF).
 *
 * What a leg hears is what the switch writes to it:
 * - a leg playing something (a playback, uuid_broadcast, the hold music its held
 *   partner gets) hears that, and its session thread, busy with the file, passes
 *   nothing between it and its partner (switch_ivr_play_file reads and writes the
 *   session itself) — so a held leg and its partner do not hear each other;
 * - a bridged leg hears what its partner's session reads: the partner's voice and the
 *   voice of every eavesdropper on the partner mixing into its read stream (ED_MUX_READ);
 * - a conference member hears what every other member's session reads;
 * - an echo leg hears itself;
 * - an eavesdropper hears what its target says and what is sent to its target (the
 *   media bug's read and write streams; media/eavesdrop-taps.ts has the order rules);
 * - and on top, every eavesdropper on the leg mixing into its write stream (ED_MUX_WRITE).
 * A leg speaks when its media is up (answered or early media), it is not held (uuid_hold
 * puts its phone on hold: it sends nothing) and not muted by uuid_audio read; it hears
 * nothing while muted by uuid_audio write.
 *
 * Not modelled: a loopback pair is not a path (its two halves hear each other only
 * through what they are bridged to), uuid_broadcast mixing (FreeSWITCH interleaves a
 * broadcast with the bridge's frames; here the file wins), conference mute/deaf
 * (the simulator's members all hear and speak), and the order of uuid_audio's own
 * media bug among eavesdrop bugs (a mute here silences the leg for everyone).
 */
import { playing } from '../apps/playback.js';
import type { Channel } from '../channels/channel.js';
import type { Conferences } from '../conference/conference.js';
import { isHeld } from '../core/hold.js';
import type { SwitchCore } from '../core/switch-core.js';
import { type EavesdropTap, eavesdropTaps } from './eavesdrop-taps.js';
import { muted } from './mutes.js';

/** An eavesdrop leg's tap, as tests see it. */
export interface EavesdropInfo {
  /** The eavesdropped channel. */
  readonly target: string;
  /** The target hears the eavesdropper (ED_MUX_WRITE; DTMF 2 or 3). */
  readonly heardByTarget: boolean;
  /** The target's bridged partner hears the eavesdropper (ED_MUX_READ; DTMF 1 or 3). */
  readonly heardByPartner: boolean;
  /** The eavesdropper hears the target (ED_BRIDGE_READ). */
  readonly hearsTarget: boolean;
  /** The eavesdropper hears what is sent to the target (ED_BRIDGE_WRITE). */
  readonly hearsToTarget: boolean;
  /** Digits 0-3 change the mode (ED_DTMF: eavesdrop_enable_dtmf is not false). */
  readonly dtmf: boolean;
}

type Sources = Set<string>;

export class MediaModel {
  constructor(
    private readonly core: SwitchCore,
    private readonly conferences: Conferences,
  ) {}

  /** Whether `listener` hears `speaker` now: a channel uuid, or what plays (e.g. `local_stream://moh`). */
  hears(listener: string, speaker: string): boolean {
    return this.heardBy(listener).includes(speaker);
  }

  /** Everything `listener` hears now, sorted: channel uuids and the paths of what plays to it. */
  heardBy(listener: string): string[] {
    const ch = this.live(listener);
    return ch === undefined ? [] : [...this.hearing(ch)].sort();
  }

  /** For each of `uuids`, which of the others it hears (a call's hearing matrix). */
  matrix(uuids: readonly string[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const listener of uuids) {
      const heard = new Set(this.heardBy(listener));
      out[listener] = uuids.filter((speaker) => speaker !== listener && heard.has(speaker));
    }
    return out;
  }

  /** The eavesdrop a leg runs now, or undefined. */
  eavesdrop(listener: string): EavesdropInfo | undefined {
    const ch = this.live(listener);
    const tap = ch === undefined ? undefined : eavesdropTaps.of(ch);
    if (tap === undefined) return undefined;
    return {
      target: tap.target.uuid,
      heardByTarget: tap.heardByTarget,
      heardByPartner: tap.heardByPartner,
      hearsTarget: tap.hearsTarget,
      hearsToTarget: tap.hearsToTarget,
      dtmf: tap.dtmf,
    };
  }

  private live(uuid: string): Channel | undefined {
    const ch = this.core.findChannel(uuid);
    return ch === undefined || ch.isDown ? undefined : ch;
  }

  private hearing(ch: Channel): Sources {
    if (!mediaUp(ch) || muted.get(ch) === 'write') return new Set();
    const heard = this.written(ch, new Set());
    for (const tap of eavesdropTaps.on(ch)) {
      if (tap.heardByTarget && speaks(tap.listener)) heard.add(tap.listener.uuid);
    }
    return heard;
  }

  /** What the switch sends the leg before the eavesdroppers on it mix in. */
  private written(ch: Channel, visited: Set<Channel>): Sources {
    const out: Sources = new Set();
    if (visited.has(ch) || ch.isDown) return out;
    visited.add(ch);
    const files = playing.paths(ch);
    if (files.length > 0) return new Set(files);
    const room = this.conferences.list().find((r) => r.members.some((m) => m.channel === ch));
    if (room !== undefined) {
      for (const m of room.members) if (m.channel !== ch && forwards(m.channel)) addAll(out, readStream(m.channel));
      return out;
    }
    const partner = ch.bridge?.partner;
    if (partner !== undefined) {
      if (forwards(partner)) addAll(out, readStream(partner));
      return out;
    }
    if (ch.app?.name === 'echo') return readStream(ch);
    const tap = eavesdropTaps.of(ch);
    if (tap !== undefined && !tap.target.isDown) {
      if (tap.hearsTarget) addAll(out, readStream(tap.target, ch));
      if (tap.hearsToTarget) addAll(out, this.writtenAsTapSees(tap, visited));
    }
    return out;
  }

  /** The target's write stream where `tap` records it: after the mixes of the bugs before it. */
  private writtenAsTapSees(tap: EavesdropTap, visited: Set<Channel>): Sources {
    const out = this.written(tap.target, visited);
    for (const other of eavesdropTaps.on(tap.target)) {
      if (other === tap) break;
      if (other.heardByTarget && speaks(other.listener)) out.add(other.listener.uuid);
    }
    return out;
  }
}

function mediaUp(ch: Channel): boolean {
  return !ch.isDown && (ch.answered || ch.answerState === 'early');
}

function speaks(ch: Channel): boolean {
  return mediaUp(ch) && muted.get(ch) !== 'read' && !isHeld(ch);
}

/** The leg's session passes its frames on (it is not busy playing a file). */
function forwards(ch: Channel): boolean {
  return playing.paths(ch).length === 0;
}

/** What the leg's session reads: its own voice and the voices mixed in by ED_MUX_READ taps (but `except`'s own). */
function readStream(ch: Channel, except?: Channel): Sources {
  const out: Sources = new Set();
  if (speaks(ch)) out.add(ch.uuid);
  for (const tap of eavesdropTaps.on(ch)) {
    if (tap.listener !== except && tap.heardByPartner && speaks(tap.listener)) out.add(tap.listener.uuid);
  }
  return out;
}

function addAll(into: Sources, from: Iterable<string>): void {
  for (const x of from) into.add(x);
}
