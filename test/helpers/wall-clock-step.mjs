// Preloaded into polylink's process by the clock-step test (NODE_OPTIONS=--import …):
// steps the process's wall clock as an NTP step or `date -s` would. Date.now() and
// new Date() move by the offset (ms) written in the file WALL_CLOCK_STEP_FILE names, read
// on SIGUSR2; the monotonic clock (performance.now()) and timers do not move. JavaScript,
// not TypeScript: node loads it before any loader could.
import { readFileSync } from 'node:fs';

const file = process.env.WALL_CLOCK_STEP_FILE;
if (file === undefined) throw new Error('wall-clock-step.mjs: WALL_CLOCK_STEP_FILE is not set');
let offset = 0;
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);

class SteppedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + offset);
    else super(...args);
  }

  static now() {
    return realNow() + offset;
  }
}

globalThis.Date = SteppedDate;
process.on('SIGUSR2', () => {
  offset = Number(readFileSync(file, 'utf8'));
});
