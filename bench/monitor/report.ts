/** The monitoring benchmark's figures, as text and as bench/results/monitor.json. */
import { summarize, type Summary } from '../acd/stats.js';
import type { MonitorOptions } from './options.js';
import type { MonitorResult } from './run.js';

/** The issue's target for both p99s. */
const TARGET_MS = 10;

const round = (s: Summary | undefined) =>
  s === undefined ? undefined : Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === 'n' ? v : Number(v.toFixed(2))]));

export function report(options: MonitorOptions, r: MonitorResult): { text: string; figures: Record<string, unknown> } {
  const response = summarize(r.supervisors.responseMs);
  const result = summarize(r.supervisors.resultMs);
  const lastCopy = summarize(r.status.lastCopyMs);
  const copy = summarize(r.status.copyMs);
  const passed = result !== undefined && lastCopy !== undefined && result.p99 < TARGET_MS && lastCopy.p99 < TARGET_MS;
  const ms = (s: Summary | undefined) => (s === undefined ? 'none' : `p50 ${s.p50.toFixed(2)} / p99 ${s.p99.toFixed(2)} / max ${s.max.toFixed(2)} ms (n ${s.n})`);
  const text = [
    `monitoring benchmark: ${r.org.agents.length} agents, ${r.org.queueNums.length} queues, ${options.load.rate} calls/s for ${options.load.seconds} s; ` +
      `${r.signedIn.supervisors} supervisors (scope ${options.scope}) asking getallqueuestatis every ${options.pollMs} ms`,
    `load average (1 min) before / after: ${r.loadAverage.before} / ${r.loadAverage.after}; polylink's thread busy ${(r.loop.utilisation * 100).toFixed(0)} %, ` +
      `CPU ${(r.loop.cpuSeconds / r.loop.wallSeconds).toFixed(2)} cores, event-loop delay p50 / p99 / max ${r.loop.delayP50Ms.toFixed(2)} / ${r.loop.delayP99Ms.toFixed(2)} / ${r.loop.delayMaxMs.toFixed(0)} ms`,
    `customers placed ${r.customers.placed}, answered ${r.customers.bridged}`,
    `getallqueuestatis, request → GetAllQueueStatisEvent read: ${ms(result)}; → response read: ${ms(response)}; unanswered at the end ${r.supervisors.unanswered}, refused ${r.supervisors.refused}`,
    `status change → last supervisor's copy: ${ms(lastCopy)}; → each copy: ${ms(copy)}; changes ${r.status.changes}, not read by every supervisor in scope ${r.status.incomplete}`,
    `supervisors received ${r.supervisors.messages} messages (${(r.supervisors.bytes / 1e6).toFixed(1)} MB): ${Object.entries(r.supervisors.byType).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ')}`,
    `target: both p99 under ${TARGET_MS} ms — ${passed ? 'met' : 'not met'}`,
    ...(r.logs.size > 0 ? [`polylink logged: ${[...r.logs].map(([k, n]) => `${k} ×${n}`).join(', ')}`] : []),
  ].join('\n');
  return {
    text,
    figures: {
      agents: r.org.agents.length,
      queues: r.org.queueNums.length,
      supervisors: r.signedIn.supervisors,
      loadAverage: r.loadAverage,
      polylinkThread: { utilisation: Number(r.loop.utilisation.toFixed(3)), cores: Number((r.loop.cpuSeconds / r.loop.wallSeconds).toFixed(2)), eventLoopDelayMs: { p50: r.loop.delayP50Ms, p99: r.loop.delayP99Ms, max: r.loop.delayMaxMs } },
      customers: r.customers,
      queryResultMs: round(result),
      queryResponseMs: round(response),
      statusToLastCopyMs: round(lastCopy),
      statusToEachCopyMs: round(copy),
      statusChanges: { total: r.status.changes, incomplete: r.status.incomplete },
      supervisorMessages: { total: r.supervisors.messages, bytes: r.supervisors.bytes, byType: r.supervisors.byType },
      targetMs: TARGET_MS,
      passed,
    },
  };
}
