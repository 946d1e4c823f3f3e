/**
 * Ringing, early media and answer, with the events FreeSWITCH fires for each and the
 * variables the tech sets at that moment (captures b and c1 for sofia, h and v for
 * loopback).
 */
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { Channel, Codec } from './channel.js';

export const PCMU: Codec = { name: 'PCMU', rate: '8000', bitRate: '64000' };
export const L16: Codec = { name: 'L16', rate: '8000', bitRate: '128000' };

/**
 * A sofia channel sets read and write codec together, then announces the real read
 * codec and the write codec (capture b: the first CODEC event already has both).
 */
export function sofiaCodecEvents(ch: Channel): void {
  ch.readCodec = PCMU;
  ch.writeCodec = PCMU;
  ch.fire('CODEC', ORIGIN.codecRealRead, { after: [lowerReadCodecBlock(PCMU)] });
  ch.fire('CODEC', ORIGIN.codecWrite, { after: [writeCodecBitRateBlock(PCMU)] });
}

/** mod_loopback sets the read codec, announces it, then the write codec (captures h, v). */
export function loopbackCodecEvents(ch: Channel): void {
  ch.readCodec = L16;
  ch.fire('CODEC', ORIGIN.codecRead, { after: [lowerReadCodecBlock(L16)] });
  ch.writeCodec = L16;
  ch.fire('CODEC', ORIGIN.codecWrite, { after: [writeCodecBitRateBlock(L16)] });
}

function lowerReadCodecBlock(c: Codec): HeaderBlock {
  return new HeaderBlock(
    ['channel-read-codec-name', 'channel-read-codec-rate', 'channel-read-codec-bit-rate'],
    [c.name, c.rate, c.bitRate],
  );
}

function writeCodecBitRateBlock(c: Codec): HeaderBlock {
  // The odd capitalisation is FreeSWITCH's (switch_core_session_set_write_codec).
  return new HeaderBlock(['Channel-Write-codec-bit-rate'], [c.bitRate]);
}

/** 180 Ringing on an outbound leg: CHANNEL_PROGRESS then CALLSTATE RINGING. */
export function markRingReady(ch: Channel): void {
  ch.markTime('progress');
  ch.fire('CHANNEL_PROGRESS', ORIGIN.progress);
  ch.setCallState('RINGING');
}

/** Early media: CHANNEL_PROGRESS_MEDIA then CALLSTATE EARLY. */
export function markPreAnswered(ch: Channel): void {
  ch.answerState = 'early';
  ch.markTime('progressMedia');
  ch.fire('CHANNEL_PROGRESS_MEDIA', ORIGIN.progressMedia);
  ch.setCallState('EARLY');
}

/** CHANNEL_ANSWER; the caller adds PRESENCE_IN and the CALLSTATE ACTIVE in the order its tech uses. */
export function markAnswered(ch: Channel): void {
  ch.answerState = 'answered';
  ch.markTime('answered');
  ch.fire('CHANNEL_ANSWER', ORIGIN.answer);
}

/**
 * switch_channel_flip_cid: an originated leg that is answered shows the far end as
 * its caller and the original caller as callee (CALL_UPDATE Direction RECV in b, h).
 */
export function flipCallerId(ch: Channel): void {
  const p = ch.profile;
  if (p === undefined) return;
  const f = p.fields;
  if (f.callerIdName !== '') ch.vars.set('pre_transfer_caller_id_name', f.callerIdName);
  ch.vars.set('pre_transfer_caller_id_number', f.callerIdNumber);
  ch.vars.set('endpoint_disposition', 'ANSWER');
  ch.vars.set('channel_cid_flipped', 'yes');
  p.update({
    callerIdName: f.calleeIdName,
    callerIdNumber: f.calleeIdNumber,
    calleeIdName: f.callerIdName,
    calleeIdNumber: f.callerIdNumber,
    logicalDirection: 'inbound',
  });
  ch.fire('CALL_UPDATE', ORIGIN.callUpdateFlipCid, {
    before: [HeaderBlock.of([['Direction', 'RECV']])],
  });
}
