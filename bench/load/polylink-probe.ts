/**
 * Loaded into polylink's process by the harness (`node --import …/polylink-probe.js
 * dist/src/cli.js start`): once a second it appends one line of JSON to the file named by
 * BENCH_PROBE_FILE — memory (RSS, V8 heap, external), CPU time, how busy polylink's
 * thread was and how late its event loop ran. Nothing in polylink changes; the cost is
 * one timer a second and a histogram timer every 5 ms.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env['BENCH_PROBE_FILE'];
// `--import` loads this into every worker thread too (the webhooks' delivery thread, the
// password checks): only polylink's main thread, the one the figures are about, reports.
// Before this, the delivery thread's lines (heap 7 MB, idle) alternated with the main
// thread's in the same file and halved its busy share.
if (file !== undefined && file !== '' && isMainThread) {
  const MB = 1024 * 1024;
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let busy = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const nowBusy = performance.eventLoopUtilization();
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const line = {
      t: performance.timeOrigin + performance.now(),
      rssMB: m.rss / MB,
      heapUsedMB: m.heapUsed / MB,
      heapTotalMB: m.heapTotal / MB,
      externalMB: m.external / MB,
      cpuSeconds: (used.user + used.system) / 1e6,
      utilisation: performance.eventLoopUtilization(nowBusy, busy).utilization,
      // The histogram holds whole sampling intervals: the delay is what exceeds the 5 ms.
      delayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - 5),
      delayMaxMs: Math.max(0, delay.max / 1e6 - 5),
    };
    busy = nowBusy;
    delay.reset();
    appendFileSync(file, JSON.stringify(line) + '\n');
  }, 1000);
  timer.unref();
}
