/** echo: answers and sends the caller's audio back until the call ends (polylink's phone check). */
import type { AppRun } from './app-runner.js';

export function echoApp(run: AppRun): void {
  if (!run.ch.answered) run.sim.flows.answer(run.ch);
  run.hold({ interrupt: () => run.complete() });
}
