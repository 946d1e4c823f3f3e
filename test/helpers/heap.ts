/**
 * The heap after a full collection, for tests that bound memory growth. `gc` is taken
 * from V8 at run time (the test runner is not started with --expose-gc).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export async function heapAfterGc(): Promise<number> {
  // Two rounds with a turn between them: finalizers and weak callbacks of the first free more.
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;
