/** The one-step dialplan applications: set, export, answer, pre_answer, hangup, sleep, log. */
import type { AppRun } from './app-runner.js';

/** `set name=value` (capture b: the variable is there at CHANNEL_EXECUTE_COMPLETE). */
export function setApp(run: AppRun): void {
  const eq = run.data.indexOf('=');
  if (eq > 0) run.ch.vars.set(run.data.slice(0, eq), run.data.slice(eq + 1));
  run.complete();
}

export function answerApp(run: AppRun): void {
  run.sim.flows.answer(run.ch);
  run.complete();
}

export function hangupApp(run: AppRun): void {
  run.sim.flows.hangup(run.ch, run.data !== '' ? run.data : 'NORMAL_CLEARING');
}

/** `sleep <ms>`: waits on the injected clock. */
export function sleepApp(run: AppRun): void {
  const ms = Number.parseInt(run.data, 10);
  const timer = run.sim.core.after(Number.isFinite(ms) ? ms : 0, () => run.complete());
  run.hold({
    interrupt() {
      run.sim.core.cancel(timer);
      run.complete();
    },
  });
}

/** `log <level> <text>`: the simulator logs at debug, whatever the level. */
export function logApp(run: AppRun): void {
  run.sim.core.log.debug({ uuid: run.ch.uuid, text: run.data }, 'dialplan log');
  run.complete();
}
