/**
 * DTMF a channel receives: a phone or a customer presses keys (RTP telephone events),
 * or `uuid_recv_dtmf` injects them (source APP). FreeSWITCH queues each digit on the
 * channel (switch_channel_queue_dtmf) and fires the DTMF event when whatever the
 * channel runs dequeues it (switch_channel_dequeue_dtmf: the channel's data without
 * variables, then DTMF-Digit, DTMF-Duration, DTMF-Source). Nearly every application
 * reads its digits at once; one that does not (eavesdrop with eavesdrop_enable_dtmf=false)
 * leaves them queued: no event, nothing happens.
 */
import type { Channel } from '../channels/channel.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';

export type DtmfSource = 'RTP' | 'APP';

/** SWITCH_DEFAULT_DTMF_DURATION, _MIN_, _MAX_ (switch_types.h), in samples at 8 kHz. */
export const DEFAULT_DTMF_DURATION = 2000;
const MIN_DTMF_DURATION = 400;
const MAX_DTMF_DURATION = 192_000;

/** is_dtmf (switch_utils.h): the keys, and w / W (pauses) and F / f (flash) that a string may carry. */
const DIGIT = /^[0-9*#A-Da-dwWfF]$/;

const listeners = new WeakMap<Channel, Set<(digit: string) => void>>();
/** Channels whose running application does not read DTMF: their digits stay in the queue. */
const notReading = new WeakSet<Channel>();

export function onDtmf(ch: Channel, fn: (digit: string) => void): () => void {
  let set = listeners.get(ch);
  if (set === undefined) listeners.set(ch, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * While the returned function has not been called, the channel's digits stay in its
 * queue. They are dropped then: the simulator's apps that stop reading (eavesdrop) end
 * with the call, and a hangup flushes the queue without events (switch_channel_flush_dtmf).
 */
export function stopReadingDtmf(ch: Channel): () => void {
  notReading.add(ch);
  return () => notReading.delete(ch);
}

export interface QueuedDigit {
  readonly digit: string;
  /** Samples. */
  readonly duration: number;
}

/**
 * A `uuid_recv_dtmf` string as switch_channel_queue_dtmf_string reads it: an optional
 * leading `~`, groups separated by `+`, each with an optional `@<ms>` duration (longer
 * than the minimum, else the default), every other character a digit or bad input.
 * `bad` counts the characters that are not DTMF: with no digit at all FreeSWITCH
 * answers the usage line.
 */
export function parseDtmfString(text: string): { digits: QueuedDigit[]; bad: number } {
  const digits: QueuedDigit[] = [];
  let bad = 0;
  for (const group of text.replace(/^~/, '').split('+')) {
    const at = group.indexOf('@');
    const keys = at === -1 ? group : group.slice(0, at);
    const ms = at === -1 ? 0 : Number.parseInt(group.slice(at + 1), 10) || 0;
    const duration = ms > MIN_DTMF_DURATION / 8 ? Math.min(ms * 8, MAX_DTMF_DURATION) : DEFAULT_DTMF_DURATION;
    for (const key of keys) {
      if (DIGIT.test(key)) digits.push({ digit: key, duration });
      else bad++;
    }
  }
  return { digits, bad };
}

export function fireDtmf(ch: Channel, digits: string, source: DtmfSource = 'RTP', duration = DEFAULT_DTMF_DURATION): void {
  for (const digit of digits) {
    if (ch.isDown) return;
    if (!DIGIT.test(digit) || notReading.has(ch)) continue;
    ch.fire('DTMF', ORIGIN.dtmf, {
      after: [
        HeaderBlock.of([
          // A phone's RFC 2833 event maps to "0123456789*#ABCD"; an injected digit stays as given.
          ['DTMF-Digit', source === 'RTP' ? digit.toUpperCase() : digit],
          ['DTMF-Duration', String(duration)],
          ['DTMF-Source', source],
        ]),
      ],
    });
    for (const fn of [...(listeners.get(ch) ?? [])]) fn(digit);
  }
}

/** The tones each channel's endpoint sent out (uuid_send_dtmf): what its far end heard, for tests. */
const sentOut = new WeakMap<Channel, string>();
/** switch_core_session_send_dtmf_string refuses a longer string ("Attempt to send very large dtmf string ignored!"). */
const MAX_SEND_LENGTH = 99;
/** The pause FreeSWITCH counts after each digit sent, in ms. */
const PAUSE_AFTER_DIGIT_MS = 250;

/**
 * `uuid_send_dtmf`'s work as switch_core_session_send_dtmf_string (src/switch_core_io.c)
 * does it: the string (an optional `~`, then at most 99 characters) in `+` groups with
 * optional `@<ms>` durations, like uuid_recv_dtmf's; each DTMF character goes out to the
 * channel's far end (w / W are pauses, nothing heard); no event is fired; the channel's
 * `last_dtmf_duration` becomes the ms it took, 250 ms of pause counted after each digit.
 * False — FreeSWITCH's `-ERR Operation failed` — for a channel that is down, a string too
 * long, or one without a single DTMF character. Not modelled: the pre-answer FreeSWITCH
 * makes of an inbound channel still ringing (polylink sends keys only to answered legs).
 */
export function sendDtmfString(ch: Channel, text: string): boolean {
  if (ch.isDown || text.replace(/^~/, '').length > MAX_SEND_LENGTH) return false;
  const { digits } = parseDtmfString(text);
  if (digits.length === 0) return false;
  const heard = digits.map((d) => d.digit).filter((d) => d !== 'w' && d !== 'W');
  sentOut.set(ch, (sentOut.get(ch) ?? '') + heard.join(''));
  const totalMs = digits.reduce((sum, d) => sum + d.duration / 8 + PAUSE_AFTER_DIGIT_MS, 0);
  ch.vars.set('last_dtmf_duration', String(totalMs));
  return true;
}

/** Every DTMF character the channel's endpoint has sent out so far, in order. */
export function dtmfSentOut(ch: Channel): string {
  return sentOut.get(ch) ?? '';
}
