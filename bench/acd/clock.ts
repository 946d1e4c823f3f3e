/**
 * One clock for every thread of the benchmark: the process's monotonic clock in ms.
 * performance.now() counts from each thread's own start, so times taken in the
 * agents' worker and in polylink's thread could not be compared; hrtime can.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
