/**
 * eavesdrop <uuid> and three_way <uuid>: the supervisor's leg listens to (or joins)
 * another call. FreeSWITCH fires nothing on the watched legs (captures d, e2), only a
 * CALL_UPDATE on the listener naming who it hears. It ends when the watched leg
 * hangs up; the listener's list then moves on (and runs out: it hangs up).
 * eavesdrop_whisper_aleg / _bleg and eavesdrop_enable_dtmf change what is heard, not
 * what is signalled, so the simulator only records them.
 */
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { AppRun } from './app-runner.js';

export function eavesdropApp(run: AppRun): void {
  const ch = run.ch;
  const target = run.sim.core.findChannel(run.data.trim());
  if (target === undefined || target.isDown) {
    ch.vars.set('eavesdrop_failed', 'no such channel');
    run.complete();
    return;
  }
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
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    run.complete();
  };
  target.hangupListeners.push(() => end());
  run.hold({ interrupt: () => end() });
}
