/** The benchmark's side of the agents' worker thread (agent-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { AgentWorkerSetup, FromWorker, ToWorker } from './agent-messages.js';

export type SignInOutcome = Extract<FromWorker, { type: 'signed-in' }>;
export type ClientTotals = Extract<FromWorker, { type: 'final' }>;

export class AgentPool {
  /** Caller number → when its first CallInEvent was read by an agent's bar (monotonic ms). */
  readonly readAt = new Map<string, number>();
  private readonly worker: Worker;
  private readonly signedIn: Promise<SignInOutcome>;
  private readonly final: Promise<ClientTotals>;

  constructor(setup: AgentWorkerSetup) {
    this.worker = new Worker(new URL('./agent-worker.js', import.meta.url), { workerData: setup });
    let signedIn!: (m: SignInOutcome) => void;
    let final!: (m: ClientTotals) => void;
    this.signedIn = new Promise((resolve) => (signedIn = resolve));
    this.final = new Promise((resolve) => (final = resolve));
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'signed-in') signedIn(m);
      else if (m.type === 'final') final(m);
      else m.callers.forEach((caller, i) => this.readAt.has(caller) || this.readAt.set(caller, m.times[i]!));
    });
    this.worker.on('error', (err) => {
      throw err;
    });
  }

  /** Resolves when every agent has tried to sign in. */
  whenSignedIn(): Promise<SignInOutcome> {
    return this.signedIn;
  }

  /** The load starts now: the worker measures its own busy time from here. */
  mark(): void {
    this.worker.postMessage({ type: 'mark' } satisfies ToWorker);
  }

  /** Closes the agents' connections; resolves with what the bars received in all. */
  async stop(): Promise<ClientTotals> {
    this.worker.postMessage({ type: 'stop' } satisfies ToWorker);
    const totals = await this.final;
    await this.worker.terminate();
    return totals;
  }
}
