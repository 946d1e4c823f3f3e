/** The main thread's side of a worker: requests by id, each answered once (messages.ts). */
import { Worker } from 'node:worker_threads';
import type { Answer } from './messages.js';

/** A request without its id, kept apart per kind of request (Omit on a union would merge them). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class WorkerHandle<T extends { readonly id: number; readonly op: string }> {
  private readonly worker: Worker;
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** The worker's first message (id 0): it is up, with what it says (the switch: its ESL port). */
  readonly ready: Promise<unknown>;

  constructor(file: URL, workerData: unknown) {
    this.worker = new Worker(file, { workerData });
    this.ready = new Promise((resolve, reject) => this.waiting.set(0, { resolve, reject }));
    this.worker.on('message', (a: Answer) => {
      const w = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      if (a.error !== undefined) w?.reject(new Error(a.error));
      else w?.resolve(a.value);
    });
    this.worker.on('error', (err) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    });
  }

  ask<V>(request: WithoutId<T>): Promise<V> {
    const id = this.next++;
    return new Promise<V>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Answers a worker's requests with `handle`'s result or its error. */
export function serve<T extends { readonly id: number }>(port: { on(e: 'message', f: (m: T) => void): void; postMessage(a: Answer): void }, handle: (m: T) => Promise<unknown>): void {
  port.on('message', (m: T) => {
    handle(m).then(
      (value) => port.postMessage({ id: m.id, value }),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
