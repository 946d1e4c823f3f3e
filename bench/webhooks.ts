/**
 * Webhooks and exports benchmark (issue 13): pushes of two targets (seed001 and seed003)
 * at 100 calls/s — fact → receiver's 2xx latency, a receiver outage and the drain that
 * follows — and seed 004's export of a month of a 500-agent centre. See bench/README.md.
 *
 *   npm run bench:webhooks -- [--rate=100] [--steady=60] [--outage=300] [--drain-limit=600] [--after=30] [--pace-floor=1000] [--pace-ceiling=20000] [--thread-nice=5] [--agents=800] [--export-agents=500] [--export-days=30] [--skip-export] [--skip-calls]
 */
import { loadavg } from 'node:os';
import { machine, writeResults } from './results-file.js';
import { callsPhase, type CallsResult } from './webhooks/calls-phase.js';
import { exportPhase, type ExportResult } from './webhooks/export-phase.js';
import { parseOptions } from './webhooks/options.js';

const options = parseOptions(process.argv.slice(2));
const loadBefore = loadavg()[0]!;
let calls: CallsResult | undefined;
let exported: ExportResult | undefined;
if (!options.skipCalls) calls = await callsPhase(options);
if (!options.skipExport) exported = await exportPhase(options);
const targets = { latencyP99Ms: 500, drainPushesPerSecond: 1000 };
const passed = {
  latency: calls === undefined ? null : calls.steady.latencyMs.p99 < targets.latencyP99Ms,
  drain: calls === undefined ? null : calls.drain.drained && calls.drain.pushesPerSecond >= targets.drainPushesPerSecond && calls.drain.outOfOrder === 0 && calls.drain.idChanged === 0,
};
const path = writeResults('webhooks', { machine: machine(), loadAverageBefore: Number(loadBefore.toFixed(2)), loadAverageAfter: Number(loadavg()[0]!.toFixed(2)), options, targets, passed, calls, export: exported });
console.log(JSON.stringify({ passed, calls, export: exported }, null, 2));
console.log(`written to ${path}`);
if (passed.latency === false || passed.drain === false) process.exitCode = 1;
