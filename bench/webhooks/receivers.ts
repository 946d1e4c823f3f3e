/** The benchmark's side of the receivers' worker (receiver-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { FromReceivers, LaneStats, ToReceivers } from './receiver-messages.js';

export class Receivers {
  private readonly worker: Worker;
  private waiting: Array<(m: FromReceivers) => void> = [];

  constructor(lanes: readonly string[]) {
    this.worker = new Worker(new URL('./receiver-worker.js', import.meta.url), { workerData: { lanes } });
    this.worker.on('message', (m: FromReceivers) => this.waiting.shift()?.(m));
    this.worker.on('error', (err) => {
      throw err;
    });
  }

  private ask(m: ToReceivers): Promise<FromReceivers> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.worker.postMessage(m);
    });
  }

  async up(): Promise<Record<string, number>> {
    const m = await this.ask({ type: 'up' });
    if (m.type !== 'ports') throw new Error('receivers did not start');
    return m.ports;
  }

  async down(): Promise<void> {
    await this.ask({ type: 'down' });
  }

  async window(): Promise<void> {
    await this.ask({ type: 'window' });
  }

  async stats(): Promise<Record<string, LaneStats>> {
    const m = await this.ask({ type: 'stats' });
    if (m.type !== 'stats') throw new Error('no stats');
    return m.lanes;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
