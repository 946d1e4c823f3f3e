/**
 * The call-detail variables FreeSWITCH sets when a channel reaches CS_REPORTING
 * (switch_channel_set_timestamps, seen in every CHANNEL_HANGUP_COMPLETE of the
 * captures): a *_stamp only for what happened, every *_epoch/_uepoch always, and the
 * durations in seconds, milliseconds and microseconds.
 */
import type { HeaderValue } from '../events/switch-event.js';
import { localDateTime } from '../events/event-prelude.js';
import type { Channel } from './channel.js';
import { q850 } from './hangup-causes.js';

type Vars = Array<readonly [string, HeaderValue]>;

function stamp(us: number): string {
  return localDateTime(new Date(Math.floor(us / 1000)));
}

export function hangupCauseVars(ch: Channel): Vars {
  const cause = ch.hangupCause ?? 'NORMAL_CLEARING';
  return [
    ['hangup_cause', cause],
    ['hangup_cause_q850', String(q850(cause))],
    ['digits_dialed', 'none'],
  ];
}

export function timestampVars(ch: Channel, holdEvents: ReadonlyArray<readonly [number, number]>): Vars {
  const t = ch.times;
  const end = t.hungup || ch.nowUs();
  const vars: Vars = [['start_stamp', stamp(t.created)]];
  if (t.profileCreated) vars.push(['profile_start_stamp', stamp(t.profileCreated)]);
  if (t.answered) vars.push(['answer_stamp', stamp(t.answered)]);
  if (t.bridged) vars.push(['bridge_stamp', stamp(t.bridged)]);
  if (t.lastHold) vars.push(['hold_stamp', stamp(t.lastHold)]);
  if (t.resurrected) vars.push(['resurrect_stamp', stamp(t.resurrected)]);
  if (t.progress) vars.push(['progress_stamp', stamp(t.progress)]);
  if (t.progressMedia) vars.push(['progress_media_stamp', stamp(t.progressMedia)]);
  if (holdEvents.length > 0) {
    // Newest first, as in capture c1.
    const list = [...holdEvents].reverse().map(([on, off]) => `{${on},${off}}`);
    vars.push(['hold_events', `{${list.join(',')}}`]);
  }
  vars.push(['end_stamp', stamp(end)]);
  const epoch = (name: string, us: number) => {
    vars.push([`${name}_epoch`, String(Math.floor(us / 1e6))], [`${name}_uepoch`, String(us)]);
  };
  epoch('start', t.created);
  epoch('profile_start', t.profileCreated);
  epoch('answer', t.answered);
  epoch('bridge', t.bridged);
  epoch('last_hold', t.lastHold);
  vars.push(
    ['hold_accum_seconds', String(Math.floor(t.holdAccum / 1e6))],
    ['hold_accum_usec', String(t.holdAccum)],
    ['hold_accum_ms', String(Math.floor(t.holdAccum / 1000))],
  );
  epoch('resurrect', t.resurrected);
  epoch('progress', t.progress);
  epoch('progress_media', t.progressMedia);
  epoch('end', end);
  if (ch.lastApp !== undefined) {
    vars.push(['last_app', ch.lastApp.name]);
    if (ch.lastApp.data !== '') vars.push(['last_arg', ch.lastApp.data]);
  }
  const name = ch.profile?.fields.callerIdName ?? '';
  const number = ch.profile?.fields.callerIdNumber ?? '';
  vars.push(['caller_id', name !== '' ? `"${name}" <${number}>` : number]);
  const since = (from: number) => (from ? end - from : 0);
  const answeredFor = since(t.answered);
  const durations: Array<[string, number]> = [
    ['duration', end - t.created],
    ['billsec', answeredFor],
    ['progresssec', t.progress ? t.progress - t.created : 0],
    ['answersec', t.answered ? t.answered - t.created : 0],
    ['waitsec', t.bridged ? t.bridged - t.created : 0],
    ['progress_mediasec', t.progressMedia ? t.progressMedia - t.created : 0],
    ['flow_billsec', end - t.created],
  ];
  for (const [n, us] of durations) vars.push([n, String(Math.round(us / 1e6))]);
  for (const [n, us] of durations) vars.push([msName(n), String(Math.round(us / 1000))]);
  for (const [n, us] of durations) vars.push([usName(n), String(us)]);
  return vars;
}

function msName(n: string): string {
  return n === 'duration' ? 'mduration' : n.replace(/sec$/, 'msec');
}

function usName(n: string): string {
  return n === 'duration' ? 'uduration' : n.replace(/sec$/, 'usec');
}
