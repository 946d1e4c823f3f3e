/** Starts the HTTP load generator (load-client.ts) in a process of its own and hands back its figures when it is done. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadJob, LoadResult } from './load-client.js';

export function loadInProcess(job: LoadJob): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL('./load-client.js', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<LoadResult>((resolve, reject) => {
    let result: LoadResult | undefined;
    child.once('message', (message) => (result = message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`the load generator exited with ${String(code)} before it reported`))));
    child.send(job);
  });
}
