/**
 * play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid>
 * <var> <regexp> [<digit_timeout>]: plays the prompt while listening for DTMF, waits
 * up to <timeout> ms after it for the digits, stores them in <var>. One try; the
 * invalid-prompt is not played (the simulator only needs the digits).
 */
import { onDtmf } from '../endpoints/dtmf.js';
import type { AppRun } from './app-runner.js';
import { play, type Playing } from './playback.js';

export function playAndGetDigitsApp(run: AppRun): void {
  const ch = run.ch;
  const core = run.sim.core;
  const args = run.data.split(' ');
  const max = Number(args[1] ?? '1') || 1;
  const timeout = Number(args[3] ?? '3000') || 3000;
  const terminators = args[4] ?? '#';
  const file = args[5] ?? '';
  const variable = args[7] ?? 'digits';
  let digits = '';
  let finished = false;
  let timer: ReturnType<typeof core.after> | undefined;
  let prompt: Playing | undefined;
  const finish = () => {
    if (finished) return;
    finished = true;
    stopListening();
    core.cancel(timer);
    prompt?.stop();
    if (digits !== '') ch.vars.set(variable, digits);
    run.complete();
  };
  const stopListening = onDtmf(ch, (digit) => {
    if (terminators.includes(digit)) return finish();
    digits += digit;
    if (digits.length >= max) finish();
  });
  prompt = play(core, ch, file, () => {
    prompt = undefined;
    if (!finished) timer = core.after(timeout, finish);
  });
  run.hold({ interrupt: () => finish() });
}
