/** The harness's side of the bars' process (bars/main.ts): one command at a time over IPC. */
import { join } from 'node:path';
import type { BarsSetup, FromBars, ToBars } from './bars/messages.js';
import { startChild, tail, type Child } from './child.js';

export class BarsProcess {
  private constructor(readonly child: Child) {}

  static async start(build: string, dir: string, setup: BarsSetup): Promise<BarsProcess> {
    const child = startChild('bars', [join(build, 'dist', 'bench', 'load', 'bars', 'main.js')], { cwd: build, logFile: join(dir, 'bars.log'), ipc: true });
    const bars = new BarsProcess(child);
    await bars.command({ type: 'setup', setup });
    return bars;
  }

  /** Sends a command; resolves with the answer (rejects on a failure or if the process ends). */
  command<T extends FromBars['type']>(m: ToBars): Promise<Extract<FromBars, { type: T }>> {
    const proc = this.child.process;
    return new Promise((resolve, reject) => {
      const onMessage = (answer: FromBars): void => {
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        if (answer.type === 'failed') reject(new Error(`the bars failed: ${answer.error}`));
        else resolve(answer as Extract<FromBars, { type: T }>);
      };
      const onExit = (): void => {
        proc.off('message', onMessage);
        reject(new Error(`the bars' process ended during "${m.type}"; its log: ${this.child.logFile}\n${tail(this.child.logFile)}`));
      };
      proc.on('message', onMessage);
      proc.once('exit', onExit);
      proc.send(m);
    });
  }

  async close(): Promise<void> {
    if (!this.child.running) return;
    await this.command({ type: 'close' }).catch(() => undefined);
    await this.child.stop(5000);
  }
}
