/**
 * Webhooks and exports benchmark (issue 13): pushes of two targets (seed001 and seed003)
 * at 100 calls/s — fact → receiver's 2xx latency, a receiver outage and the drain that
 * follows, calls measured in each window — on the load harness's pieces (polylink, the
 * simulated switch and the bars each in a process of their own), and seed 004's export of
 * a month of a 500-agent centre. See bench/README.md.
 *
 *   npm run bench:webhooks -- [--rate=100] [--steady=60] [--outage=300] [--drain-limit=600] [--after=30] [--pace-floor=1000] [--pace-ceiling=20000] [--thread-nice=5] [--agents=800] [--export-agents=500] [--export-days=30] [--skip-export] [--skip-calls] [--profile] [--keep]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeProfiles } from './load/profile-summary.js';
import { machine, writeResults } from './results-file.js';
import { callsPhase, type CallsResult } from './webhooks/calls-phase.js';
import { exportPhase, type ExportResult } from './webhooks/export-phase.js';
import { parseOptions } from './webhooks/options.js';

// This file runs as <build>/dist/bench/webhooks.js: the build is two folders up.
const build = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(build, 'bench', 'results');
const options = parseOptions(process.argv.slice(2));
const loadBefore = loadavg()[0]!;
let calls: CallsResult | undefined;
let exported: ExportResult | undefined;
if (!options.skipCalls) calls = await callsPhase(options, build, resultsDir);
if (!options.skipExport) exported = await exportPhase(options);
const targets = { latencyP99Ms: 500, drainPushesPerSecond: 1000 };
const passed = {
  latency: calls === undefined ? null : calls.steady.latencyMs.p99 < targets.latencyP99Ms,
  drain: calls === undefined ? null : calls.drain.drained && calls.drain.pushesPerSecond >= targets.drainPushesPerSecond && calls.drain.outOfOrder === 0 && calls.drain.idChanged === 0,
};
// Earlier figures stay in the file: a part this run skipped, and the keys of earlier runs kept for comparison.
const file = join(resultsDir, 'webhooks.json');
const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
const path = writeResults('webhooks', {
  ...earlier,
  machine: machine(),
  loadAverageBefore: Number(loadBefore.toFixed(2)),
  loadAverageAfter: Number(loadavg()[0]!.toFixed(2)),
  options,
  targets,
  passed,
  calls: calls ?? earlier['calls'],
  export: exported ?? earlier['export'],
});
console.log(JSON.stringify({ passed, calls, export: exported }, null, 2));
console.log(`written to ${path}`);
if (options.profile && calls !== undefined) console.log(summarizeProfiles(join(resultsDir, 'profiles', 'webhooks'), build));
if (passed.latency === false || passed.drain === false) process.exitCode = 1;
