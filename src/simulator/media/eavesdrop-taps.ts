/**
 * The media bugs eavesdrop and three_way put on the channel they listen to
 * (switch_ivr_eavesdrop_session in src/switch_ivr_async.c, eavesdrop_callback). Each
 * tap keeps the flags that decide who hears whom:
 *
 * - ED_BRIDGE_READ / ED_BRIDGE_WRITE: the listener hears what the target says (the
 *   frames the target's session reads) and what is sent to the target (the frames it
 *   writes); without eavesdrop_bridge_aleg / _bleg both.
 * - ED_MUX_WRITE: the listener's voice is mixed into what is written to the target,
 *   so the target hears it (DTMF 2, eavesdrop_whisper_bleg).
 * - ED_MUX_READ: the listener's voice is mixed into what the target's session reads,
 *   which is what its bridged partner (or conference) hears (DTMF 1,
 *   eavesdrop_whisper_aleg).
 *
 * FreeSWITCH appends a new bug at the end of the target's list
 * (switch_core_media_bug_add), and the order matters: on the write side every bug
 * records the frame before its own mix and after the mixes of the bugs before it
 * (switch_core_session_write_frame), on the read side all mixes happen before any
 * bug records (switch_core_session_read_frame) and each takes its own voice out
 * again (read_demux_frame). The list here keeps that order.
 */
import type { Channel } from '../channels/channel.js';

export interface EavesdropTap {
  readonly listener: Channel;
  readonly target: Channel;
  /** ED_BRIDGE_READ: hears what the target says. */
  readonly hearsTarget: boolean;
  /** ED_BRIDGE_WRITE: hears what is sent to the target. */
  readonly hearsToTarget: boolean;
  /** ED_MUX_WRITE: the target hears the listener. */
  heardByTarget: boolean;
  /** ED_MUX_READ: the target's partner hears the listener. */
  heardByPartner: boolean;
  /** ED_DTMF: the listener's digits 0-3 change the two flags above, `*` ends the eavesdrop. */
  readonly dtmf: boolean;
}

const onTarget = new WeakMap<Channel, EavesdropTap[]>();
const ofListener = new WeakMap<Channel, EavesdropTap>();

export const eavesdropTaps = {
  add(tap: EavesdropTap): void {
    const list = onTarget.get(tap.target) ?? [];
    list.push(tap);
    onTarget.set(tap.target, list);
    ofListener.set(tap.listener, tap);
  },
  remove(tap: EavesdropTap): void {
    const list = onTarget.get(tap.target) ?? [];
    const i = list.indexOf(tap);
    if (i !== -1) list.splice(i, 1);
    if (ofListener.get(tap.listener) === tap) ofListener.delete(tap.listener);
  },
  /** The taps on a channel, oldest first (the bug list's order). */
  on(target: Channel): readonly EavesdropTap[] {
    return onTarget.get(target) ?? [];
  },
  /** The tap a listener's eavesdrop runs, if it runs one. */
  of(listener: Channel): EavesdropTap | undefined {
    return ofListener.get(listener);
  },
};

/** Digit → [ED_MUX_READ, ED_MUX_WRITE]: who hears the listener after it (the partner, the target). */
const DIGIT_FLAGS: Readonly<Record<string, readonly [boolean, boolean]>> = {
  '0': [false, false],
  '1': [true, false],
  '2': [false, true],
  '3': [true, true],
};

/**
 * What a digit does to a tap with ED_DTMF (the switch in switch_ivr_eavesdrop_session's
 * loop): 1 ED_MUX_READ only, 2 ED_MUX_WRITE only, 3 both, 0 neither; 4-6 pick a video
 * layout and `*` ends the loop. Returns whether the eavesdrop goes on.
 */
export function applyEavesdropDigit(tap: EavesdropTap, digit: string): boolean {
  if (digit === '*') return false;
  const flags = Object.hasOwn(DIGIT_FLAGS, digit) ? DIGIT_FLAGS[digit] : undefined;
  if (flags !== undefined) [tap.heardByPartner, tap.heardByTarget] = flags;
  return true;
}
