/**
 * eavesdrop <uuid> and three_way <uuid>: the supervisor's leg listens to (or joins)
 * another call through a media bug on that channel, as switch_ivr_eavesdrop_session
 * (src/switch_ivr_async.c) does. FreeSWITCH fires nothing on the watched legs (captures
 * d, d2, e2), only a CALL_UPDATE on the listener naming who it hears (the DISPLAY
 * message). Who hears whom is media/eavesdrop-taps.ts and media/audio-paths.ts.
 *
 * The flags come from mod_dptools.c: eavesdrop_function starts with ED_DTMF, which
 * eavesdrop_enable_dtmf=false turns off; eavesdrop_whisper_aleg adds ED_MUX_READ (the
 * target's partner hears the listener), eavesdrop_whisper_bleg ED_MUX_WRITE (the target
 * hears it), eavesdrop_bridge_aleg / _bleg choose what the listener hears (both when
 * neither is set). three_way_function is ED_MUX_READ | ED_MUX_WRITE without ED_DTMF.
 * With ED_DTMF the listener's digits switch the mode (1, 2, 3, 0) and `*` ends it —
 * whether a phone presses them or `uuid_recv_dtmf` injects them (capture d2); the
 * switch reports only the DTMF event. Without ED_DTMF the loop never reads the
 * channel's digits, so they fire no DTMF event either.
 *
 * The eavesdrop ends when the watched channel hangs up (the loop runs while
 * switch_channel_up_nosig(tchannel), and looks once per frame it reads) or the listener
 * does; then the listener's list moves on (and runs out: it hangs up NORMAL_CLEARING).
 * The watched call is not touched either way.
 */
import { L16 } from '../channels/media.js';
import { switchTrue } from '../channels/channel-variables.js';
import type { Channel } from '../channels/channel.js';
import { onDtmf, stopReadingDtmf } from '../endpoints/dtmf.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import { type EavesdropTap, applyEavesdropDigit, eavesdropTaps } from '../media/eavesdrop-taps.js';
import type { AppRun } from './app-runner.js';

/** How long the eavesdrop waits for the target's media (sanity 600 × 10 ms). */
export const TARGET_MEDIA_WAIT_MS = 6000;
/** The eavesdrop loop looks at the target once per frame it reads (20 ms of audio). */
export const EAVESDROP_FRAME_MS = 20;

type Flags = Omit<EavesdropTap, 'listener' | 'target'>;

export function eavesdropApp(run: AppRun): void {
  const vars = run.ch.vars;
  const enableDtmf = vars.get('eavesdrop_enable_dtmf');
  const bridgeRead = switchTrue(vars.get('eavesdrop_bridge_aleg'));
  const bridgeWrite = switchTrue(vars.get('eavesdrop_bridge_bleg'));
  const neither = !bridgeRead && !bridgeWrite;
  eavesdrop(run, {
    dtmf: enableDtmf === undefined || switchTrue(enableDtmf),
    heardByPartner: switchTrue(vars.get('eavesdrop_whisper_aleg')),
    heardByTarget: switchTrue(vars.get('eavesdrop_whisper_bleg')),
    hearsTarget: neither || bridgeRead,
    hearsToTarget: neither || bridgeWrite,
  });
}

export function threeWayApp(run: AppRun): void {
  eavesdrop(run, { dtmf: false, heardByPartner: true, heardByTarget: true, hearsTarget: true, hearsToTarget: true });
}

function eavesdrop(run: AppRun, flags: Flags): void {
  const ch = run.ch;
  const target = run.sim.core.findChannel(run.data.trim());
  const mediaUp = (c: Channel) => c.answered || c.answerState === 'early';
  if (target === undefined || target.isDown || target === ch || !mediaUp(ch) || !inRequiredGroup(ch, target)) {
    run.complete();
    return;
  }
  let ended = false;
  let release = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    release();
    run.complete();
  };
  run.hold({ interrupt: () => end() });
  target.hangupListeners.push(() => ch.timers.push(run.sim.core.after(EAVESDROP_FRAME_MS, end)));
  if (mediaUp(target)) {
    release = attach(ch, target, flags, end);
    return;
  }
  // The target has not answered yet: wait for its media, as the eavesdrop does.
  const timer = run.sim.core.after(TARGET_MEDIA_WAIT_MS, end);
  ch.timers.push(timer);
  target.answerListeners.push(() => {
    run.sim.core.cancel(timer);
    if (!ended && !ch.isDown && !target.isDown) release = attach(ch, target, flags, end);
  });
}

/** eavesdrop_require_group: the target's eavesdrop_group (a comma list) must name it. */
function inRequiredGroup(ch: Channel, target: Channel): boolean {
  const required = ch.vars.get('eavesdrop_require_group');
  if (required === undefined) return true;
  return (target.vars.get('eavesdrop_group') ?? '').split(',').includes(required);
}

/** The media bug is on: the listener reads L16, tells its phone whom it hears, and follows its digits. */
function attach(ch: Channel, target: Channel, flags: Flags, end: () => void): () => void {
  const tap: EavesdropTap = { listener: ch, target, ...flags };
  eavesdropTaps.add(tap);
  // switch_core_session_set_read_codec(session, &codec): an L16 codec at the target's rate (capture d2).
  const readCodec = ch.readCodec;
  ch.readCodec = L16;
  const name = target.profile?.fields.callerIdName ?? '';
  const number = target.profile?.fields.callerIdNumber ?? '';
  ch.vars.set('last_sent_callee_id_name', name);
  ch.vars.set('last_sent_callee_id_number', number);
  ch.fire('CALL_UPDATE', ORIGIN.callUpdateSofia, {
    before: [
      HeaderBlock.of([
        ['Direction', 'SEND'],
        ['Sent-Callee-ID-Name', name],
        ['Sent-Callee-ID-Number', number],
      ]),
    ],
  });
  const stopDigits = flags.dtmf
    ? onDtmf(ch, (digit) => {
        if (!applyEavesdropDigit(tap, digit)) end();
      })
    : stopReadingDtmf(ch);
  return () => {
    stopDigits();
    eavesdropTaps.remove(tap);
    // switch_core_session_reset: the listener's own codec again before the app returns.
    ch.readCodec = readCodec;
  };
}
