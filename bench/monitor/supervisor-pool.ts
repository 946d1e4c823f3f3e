/** The benchmark's side of the supervisors' worker thread (supervisor-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { FromSupervisors, SupervisorWorkerSetup, ToSupervisors } from './supervisor-messages.js';

export type SupervisorsSignedIn = Extract<FromSupervisors, { type: 'signed-in' }>;
export type SupervisorTotals = Extract<FromSupervisors, { type: 'final' }>;

/** One AgentStatusChangeEvent read by one supervisor. */
export interface StatusRead {
  readonly supervisor: number;
  readonly at: number;
}

export class SupervisorPool {
  /** `agent|old|new` → every read of such a change, in the order they came. */
  readonly reads = new Map<string, StatusRead[]>();
  private readonly worker: Worker;
  private readonly signedIn: Promise<SupervisorsSignedIn>;
  private readonly final: Promise<SupervisorTotals>;

  constructor(setup: SupervisorWorkerSetup) {
    this.worker = new Worker(new URL('./supervisor-worker.js', import.meta.url), { workerData: setup });
    let signedIn!: (m: SupervisorsSignedIn) => void;
    let final!: (m: SupervisorTotals) => void;
    this.signedIn = new Promise((resolve) => (signedIn = resolve));
    this.final = new Promise((resolve) => (final = resolve));
    this.worker.on('message', (m: FromSupervisors) => {
      if (m.type === 'signed-in') signedIn(m);
      else if (m.type === 'final') final(m);
      else m.keys.forEach((key, i) => this.readsOf(key).push({ supervisor: m.who[i]!, at: m.times[i]! }));
    });
    this.worker.on('error', (err) => {
      throw err;
    });
  }

  whenSignedIn(): Promise<SupervisorsSignedIn> {
    return this.signedIn;
  }

  /** The load has begun: every supervisor starts asking getallqueuestatis. */
  poll(): void {
    this.worker.postMessage({ type: 'poll' } satisfies ToSupervisors);
  }

  async stop(): Promise<SupervisorTotals> {
    this.worker.postMessage({ type: 'stop' } satisfies ToSupervisors);
    const totals = await this.final;
    await this.worker.terminate();
    return totals;
  }

  private readsOf(key: string): StatusRead[] {
    let list = this.reads.get(key);
    if (list === undefined) this.reads.set(key, (list = []));
    return list;
  }
}
