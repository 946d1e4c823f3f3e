/**
 * park: the channel waits, doing nothing, until something takes it (uuid_bridge,
 * uuid_transfer) or it hangs up — CHANNEL_PARK now, CHANNEL_UNPARK then (switch_ivr_park).
 */
import { ORIGIN } from '../events/event-origins.js';
import type { AppRun } from './app-runner.js';

export function parkApp(run: AppRun): void {
  const ch = run.ch;
  ch.runningState = 'CS_EXECUTE';
  run.hold({
    interrupt() {
      ch.fire('CHANNEL_UNPARK', ORIGIN.unpark);
      run.complete();
    },
  });
  ch.fire('CHANNEL_PARK', ORIGIN.park);
}
