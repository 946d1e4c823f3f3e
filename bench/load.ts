/**
 * The load harness of issue 16: `npm run bench -- <small|large|storm|soak> [--nodes=N]
 * [--profile]`. polylink runs as an operator runs it (the build's CLI, a generated config
 * and organisation in a temporary folder), the FreeSWITCH simulator in processes of its
 * own, the agents' and supervisors' bars in another; every latency is measured from the
 * switch's own event time to the moment a bar has read the message. Prints a table,
 * writes bench/results/<scenario>.json, exits 1 when a target was missed. See
 * bench/README.md.
 */
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, type HarnessOptions } from './load/options.js';
import { summarizeProfiles } from './load/profile-summary.js';
import { report } from './load/report.js';
import { buildResults, flatFigures, writeResults } from './load/results.js';
import { runCalls } from './load/run-calls.js';
import { runStorm } from './load/run-storm.js';
import { profileDirOf, progress, switchProfileDirOf, withStage } from './load/stage.js';

// This file runs as <build>/dist/bench/load.js: the build is two folders up.
const build = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let options: HarnessOptions;
try {
  options = parseOptions(process.argv.slice(2), join(build, 'bench', 'results'));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const startedAt = new Date();
const loadAtStart = loadavg();
const began = performance.now();

const outcome = await withStage(options, build, (stage) => (options.scenario.kind === 'storm' ? runStorm(stage) : runCalls(stage)));
const runSeconds = (performance.now() - began) / 1000;
const results = buildResults(options, outcome, startedAt, loadAtStart, runSeconds, flatFigures(outcome, runSeconds));
console.log(report(results));
const file = writeResults(options.resultsDir, results);
progress(`results: ${file}`);
if (options.profile) console.log(summarizeProfiles(profileDirOf(options), build));
if (options.profileSwitch) console.log(summarizeProfiles(switchProfileDirOf(options), build, 'the simulator'));
if (!results.passed) process.exitCode = 1;
