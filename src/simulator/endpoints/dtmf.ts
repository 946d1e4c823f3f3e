/**
 * DTMF a phone or a customer presses: one DTMF event per digit (switch_channel_dequeue_dtmf:
 * the channel's data without variables, then DTMF-Digit, DTMF-Duration, DTMF-Source).
 * Digits also reach whatever the channel runs that listens for them (an IVR).
 */
import type { Channel } from '../channels/channel.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';

const listeners = new WeakMap<Channel, Set<(digit: string) => void>>();

export function onDtmf(ch: Channel, fn: (digit: string) => void): () => void {
  let set = listeners.get(ch);
  if (set === undefined) listeners.set(ch, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

export function fireDtmf(ch: Channel, digits: string): void {
  for (const digit of digits) {
    if (ch.isDown) return;
    if (!/^[0-9*#A-Da-d]$/.test(digit)) continue;
    ch.fire('DTMF', ORIGIN.dtmf, {
      after: [
        HeaderBlock.of([
          ['DTMF-Digit', digit.toUpperCase()],
          ['DTMF-Duration', '2000'],
          ['DTMF-Source', 'RTP'],
        ]),
      ],
    });
    for (const fn of [...(listeners.get(ch) ?? [])]) fn(digit);
  }
}
