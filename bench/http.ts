/**
 * HTTP benchmark (issue 12) on the load harness's process-separated pieces (bench/load):
 * polylink as a process of its own (the build's CLI), the FreeSWITCH simulator in another,
 * the agents' bars in a third, the HTTP client in a fourth. Seed 000's statistics
 * endpoint polled at 1,000 requests/s while issue 12's calls (100 calls/s over 2,000
 * agents, the harness's `http` scenario) run beside it — p99 under 5 ms, and the call
 * figures against a run of the same calls without it — then seed 001's click-number at
 * 20 requests/s: p99 from the request to the src phone ringing. Prints both call runs'
 * reports and the HTTP figures, writes http.json into the results folder
 * (bench/results by default). See bench/README.md.
 *
 *   npm run bench:http -- [--statistics-rate=1000] [--click-rate=20] [--click-seconds=30] [harness options]
 */
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, type Summary } from './acd/stats.js';
import { clickNumberRun } from './http/click-number.js';
import { parseOptions, type HttpBenchOptions } from './http/options.js';
import { StatisticsLoad } from './http/statistics-load.js';
import type { LoadResult } from './http/load-client.js';
import { summarizeProfiles } from './load/profile-summary.js';
import { report } from './load/report.js';
import { buildResults, flatFigures, type Results } from './load/results.js';
import { runCalls, type Beside } from './load/run-calls.js';
import { profileDirOf, progress, withStage } from './load/stage.js';
import { machine, writeResults } from './results-file.js';

/** Issue 12's target. */
const STATISTICS_P99_MS = 5;
/** "No worse": a p99 of the calls with the statistics load may exceed the one without it by this share or by this many ms, whichever is more (two runs of the same load differ by that much). */
const NO_WORSE_SHARE = 0.1;
const NO_WORSE_MS = 2;

// This file runs as <build>/dist/bench/http.js: the build is two folders up.
const build = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let options: HttpBenchOptions;
try {
  options = parseOptions(process.argv.slice(2), join(build, 'bench', 'results'));
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
const harness = options.harness;
const loadAtStart = loadavg();

/** One stage of the calls (polylink, switch, bars started afresh), with `beside` run beside them. */
async function calls(profile: boolean, beside?: Beside): Promise<Results> {
  const startedAt = new Date();
  const began = performance.now();
  const o = { ...harness, profile };
  const outcome = await withStage(o, build, (stage) => runCalls(stage, beside));
  const seconds = (performance.now() - began) / 1000;
  return buildResults(o, outcome, startedAt, loadavg(), seconds, flatFigures(outcome, seconds));
}

progress(`http 1/3: the calls alone (the baseline)${options.skipBaseline ? ': skipped' : ''}`);
const baseline = options.skipBaseline ? undefined : await calls(false);
progress(`http 2/3: the calls with seed 000 statistics at ${options.statisticsRate} requests/s beside them`);
const statistics = new StatisticsLoad({ rate: options.statisticsRate, seconds: harness.scenario.seconds, sockets: options.sockets });
const withHttp = await calls(harness.profile, statistics);
const polled = await statistics.figures();
progress(`http 3/3: click-number at ${options.clickRate} requests/s${options.skipClick ? ': skipped' : ''}`);
const click = options.skipClick ? undefined : await clickNumberRun(harness, build, { rate: options.clickRate, seconds: options.clickSeconds, pairs: options.clickPairs });

/** The call figures compared with and without the HTTP load (the harness's, measured in the bars' and the switch's processes). */
function callFigures(r: Results) {
  const c = r.outcome.counts ?? {};
  const l = r.outcome.latency;
  return {
    placed: Number(c['placed']),
    bridged: Number(c['bridged']),
    hadFreeAgent: Number(c['hadFreeAgent']),
    customersLeft: Number(c['customersLeft']),
    anomalies: r.outcome.anomalyTotal,
    parkToCallInP50Ms: l['parkToCallIn']?.p50,
    parkToCallInP99Ms: l['parkToCallIn']?.p99,
    switchToAgentP50Ms: l['switchToAgent']?.p50,
    switchToAgentP99Ms: l['switchToAgent']?.p99,
    commandRttP99Ms: l['commandRtt']?.p99,
    polylinkBusy: r.outcome.memory.utilisationMean,
    polylinkCores: r.outcome.memory.cores,
    loadAverageMean: r.machine.loadWhileMeasuring?.mean,
  };
}

function httpFigures(r: LoadResult) {
  return {
    sent: r.sent,
    answered: r.answered,
    failed: r.failed,
    statuses: r.statuses,
    achievedPerSecond: r.answered / r.seconds,
    latencyMs: summarize(r.latencies),
    // How late the load generator itself sent (its own lag, not polylink's).
    generatorLatenessMs: summarize(r.lateness),
    generatorCpuSeconds: r.cpuSeconds,
  };
}

const b = baseline === undefined ? undefined : callFigures(baseline);
const w = callFigures(withHttp);
const statisticsFigures = httpFigures(polled);
const clickFigures = click === undefined ? undefined : { ...httpFigures(click.http), toRingingMs: click.toRinging, unmatched: click.unmatched, channelsLeft: click.channelsLeft };

const within = (withIt: number | undefined, without: number | undefined): boolean =>
  withIt !== undefined && without !== undefined && withIt <= Math.max(without * (1 + NO_WORSE_SHARE), without + NO_WORSE_MS);
// "No worse": no customer left on the line, no more anomalies than without it, as large a
// share of the customers bridged (within a point), and both p99s within the noise bound.
const callsNoWorse =
  b === undefined
    ? undefined
    : w.customersLeft === 0 &&
      w.anomalies <= b.anomalies &&
      w.bridged / w.placed >= b.bridged / b.placed - 0.01 &&
      within(w.parkToCallInP99Ms, b.parkToCallInP99Ms) &&
      within(w.switchToAgentP99Ms, b.switchToAgentP99Ms);
const statisticsP99 = statisticsFigures.latencyMs?.p99;
const statisticsMet = statisticsP99 !== undefined && statisticsP99 < STATISTICS_P99_MS;
const statisticsAllOk = polled.failed === 0 && (polled.statuses['200'] ?? 0) === polled.sent;
const clickAllOk = click === undefined || (click.http.failed === 0 && (click.http.statuses['200'] ?? 0) === click.http.sent && click.unmatched === 0 && click.channelsLeft === 0);

const ms = (v: number | undefined): string => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const row = (label: string, s: Summary | undefined): string =>
  `  ${label.padEnd(44)}${[s?.p50, s?.p90, s?.p99, s?.p999, s?.max].map((v) => ms(v).padStart(8)).join('')}${String(s?.n ?? 0).padStart(8)}`;
const statusText = (r: LoadResult): string => Object.entries(r.statuses).map(([code, n]) => `${n} × ${code}`).join(', ') + (r.failed > 0 ? `, ${r.failed} failed` : '');

const out: string[] = [];
if (baseline !== undefined) out.push('=== the calls alone ===', report(baseline), '');
out.push(`=== the calls with seed 000 statistics at ${options.statisticsRate} requests/s ===`, report(withHttp), '');
if (harness.profile) out.push(summarizeProfiles(profileDirOf(harness), build), '');
out.push('=== HTTP (times taken in the HTTP client’s process; click-number’s ring in the switch’s) ===');
out.push(`  ${''.padEnd(44)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => h.padStart(8)).join('')}${'n'.padStart(8)}   (ms)`);
out.push(row('statistics: request written → answer read', statisticsFigures.latencyMs));
out.push(row('statistics: generator lateness (its own lag)', statisticsFigures.generatorLatenessMs));
out.push(`  statistics: ${statisticsFigures.achievedPerSecond.toFixed(0)} answered/s; ${statusText(polled)}`);
if (click !== undefined && clickFigures !== undefined) {
  out.push(row('click-number: request written → answer read', clickFigures.latencyMs));
  out.push(row('click-number: request written → src ringing', click.toRinging));
  out.push(`  click-number: ${statusText(click.http)}; unmatched ${click.unmatched}; channels left ${click.channelsLeft}`);
}
out.push('=== calls without → with the statistics load ===');
for (const key of Object.keys(w) as (keyof typeof w)[]) {
  const fmt = (v: number | undefined) => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  out.push(`  ${key.padEnd(28)}${fmt(b?.[key]).padStart(10)} → ${fmt(w[key])}`);
}
out.push(
  `targets: statistics p99 ${ms(statisticsP99)} ms (< ${STATISTICS_P99_MS}: ${statisticsMet ? 'met' : 'NOT met'}), ` +
    `call figures no worse: ${callsNoWorse === undefined ? 'not compared (--skip-baseline)' : callsNoWorse ? 'yes' : 'NO'}, ` +
    `click-number to ringing p99 ${ms(click?.toRinging?.p99)} ms`,
);
console.log(out.join('\n'));

const passed = statisticsMet && callsNoWorse === true && statisticsAllOk && clickAllOk;
const loads = [...(baseline?.outcome.loads ?? []), ...withHttp.outcome.loads];
const path = writeResults(
  'http',
  {
    machine: { ...machine(), loadAtStart, loadWhileMeasuring: { min: Math.min(...loads), mean: loads.reduce((a, n) => a + n, 0) / loads.length, max: Math.max(...loads) } },
    processes: 'polylink (the build’s CLI), the simulator, the bars and the HTTP client each in a process of their own',
    options: { ...options, harness: { ...harness, scenario: harness.scenario.name, definition: harness.scenario } },
    targets: {
      statisticsP99Ms: { target: `< ${STATISTICS_P99_MS}`, measured: statisticsP99, met: statisticsMet },
      callsNoWorse: {
        rule: `no customer left on the line, no more anomalies, bridged share within 1 point, p99 park → CallInEvent and p99 switch event → agent event each within ${NO_WORSE_SHARE * 100} % or ${NO_WORSE_MS} ms of the run without HTTP`,
        met: callsNoWorse,
      },
      clickToRingingP99Ms: { measured: click?.toRinging?.p99 },
    },
    passed,
    statistics: statisticsFigures,
    calls: { baseline: b, withHttp: w },
    clickNumber: clickFigures,
    polylinkLog: { withHttp: withHttp.outcome.polylinkLog, clickNumber: click?.logs },
    runs: { baseline, withHttp },
  },
  harness.resultsDir,
);
console.log(`figures written to ${path}`);
if (!passed) process.exitCode = 1;
