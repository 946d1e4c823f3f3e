/**
 * HTTP benchmark (issue 12): seed 000's statistics endpoint polled at 1,000 requests/s
 * while the ACD benchmark's 100 calls/s run beside it (p99 under 5 ms, and the call
 * figures against a run of the same calls without it), then seed 001's click-number at
 * 20 requests/s (p99 from the request to the src phone ringing). Prints both ACD reports
 * and the HTTP figures, writes bench/results/http.json. See bench/README.md.
 *
 *   npm run bench:http -- [--statistics-rate=1000] [--click-rate=20] [--click-seconds=30] [ACD options]
 */
import { report as acdReport } from './acd/report.js';
import { run, type RunResult } from './acd/run.js';
import { summarize, type Summary } from './acd/stats.js';
import { clickNumberRun } from './http/click-number.js';
import { parseOptions } from './http/options.js';
import { StatisticsLoad } from './http/statistics-load.js';
import type { LoadResult } from './http/load-client.js';
import { machine, writeResults } from './results-file.js';

/** Issue 12's targets. */
const STATISTICS_P99_MS = 5;

const options = parseOptions(process.argv.slice(2));
const progress = (text: string): void => void process.stderr.write(`[http] ${text}\n`);

progress('1/3: the ACD load alone (the baseline)');
const baseline = options.skipBaseline ? undefined : await run(options.acd);
progress(`2/3: the ACD load with seed 000 statistics at ${options.statisticsRate} requests/s beside it`);
const statistics = new StatisticsLoad({ rate: options.statisticsRate, seconds: options.acd.seconds, sockets: options.sockets });
const withHttp = await run(options.acd, statistics);
const polled = await statistics.figures();
progress(`3/3: click-number at ${options.clickRate} requests/s`);
const click = await clickNumberRun({ rate: options.clickRate, seconds: options.clickSeconds, pairs: options.clickPairs });

/** The call figures compared with and without the HTTP load. */
function callFigures(r: RunResult) {
  return {
    customersPlaced: r.customers.placed,
    unserved: r.customers.unserved + r.customers.leftAtEnd,
    idleWhileWaiting: r.idle.sightings.length,
    offeredPerSecond: r.rates.offered.mean,
    assignmentP99Ms: r.latency.assignment?.p99,
    arrivalParkToCallInP99Ms: r.latency.arrivalPark?.p99,
    parkToBarReadP99Ms: r.latency.read?.p99,
    loopDelayP99Ms: r.loop.delayP99Ms,
    loopUtilisation: r.loop.utilisation,
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

const calls = { baseline: baseline === undefined ? undefined : callFigures(baseline), withHttp: callFigures(withHttp) };
const statisticsFigures = httpFigures(polled);
const clickFigures = { ...httpFigures(click.http), toRingingMs: click.toRinging, unmatched: click.unmatched, channelsLeft: click.channelsLeft };

// "No worse": every customer served in both runs with no idle agent seen while one waited, the
// same offered rate (±2 %), and polylink's own reaction (assignment p99) within 1 ms of the baseline.
const b = calls.baseline;
const w = calls.withHttp;
const callsNoWorse =
  b === undefined
    ? undefined
    : w.unserved === 0 &&
      w.idleWhileWaiting === 0 &&
      Math.abs(w.offeredPerSecond - b.offeredPerSecond) <= 0.02 * b.offeredPerSecond &&
      (w.assignmentP99Ms ?? Infinity) <= (b.assignmentP99Ms ?? 0) + 1;
const statisticsP99 = statisticsFigures.latencyMs?.p99;
const statisticsAllOk = polled.failed === 0 && (polled.statuses['200'] ?? 0) === polled.sent;
const clickAllOk = click.http.failed === 0 && (click.http.statuses['200'] ?? 0) === click.http.sent && click.unmatched === 0 && click.channelsLeft === 0;

const ms = (v: number | undefined): string => (v === undefined ? '-' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const row = (label: string, s: Summary | undefined): string =>
  `  ${label.padEnd(44)}${[s?.p50, s?.p90, s?.p99, s?.p999, s?.max].map((v) => ms(v).padStart(8)).join('')}${String(s?.n ?? 0).padStart(8)}`;
const statusText = (r: LoadResult): string => Object.entries(r.statuses).map(([code, n]) => `${n} × ${code}`).join(', ') + (r.failed > 0 ? `, ${r.failed} failed` : '');

const out: string[] = [];
if (baseline !== undefined) out.push('=== ACD alone ===', acdReport(options.acd, baseline), '');
out.push(`=== ACD with seed 000 statistics at ${options.statisticsRate} requests/s ===`, acdReport(options.acd, withHttp), '');
out.push('=== HTTP ===');
out.push(`  ${''.padEnd(44)}${['p50', 'p90', 'p99', 'p99.9', 'max'].map((h) => h.padStart(8)).join('')}${'n'.padStart(8)}   (ms)`);
out.push(row('statistics: request written → answer read', statisticsFigures.latencyMs));
out.push(row('statistics: generator lateness (its own lag)', statisticsFigures.generatorLatenessMs));
out.push(`  statistics: ${statisticsFigures.achievedPerSecond.toFixed(0)} answered/s; ${statusText(polled)}`);
out.push(row('click-number: request written → answer read', clickFigures.latencyMs));
out.push(row('click-number: request written → src ringing', click.toRinging));
out.push(`  click-number: ${statusText(click.http)}; unmatched ${click.unmatched}; channels left ${click.channelsLeft}`);
out.push('=== calls without → with the statistics load ===');
for (const key of Object.keys(w) as (keyof typeof w)[]) {
  const fmt = (v: number | undefined) => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  out.push(`  ${key.padEnd(28)}${fmt(b?.[key]).padStart(10)} → ${fmt(w[key])}`);
}
out.push(
  `targets: statistics p99 ${ms(statisticsP99)} ms (< ${STATISTICS_P99_MS}: ${statisticsP99 !== undefined && statisticsP99 < STATISTICS_P99_MS ? 'met' : 'NOT met'}), ` +
    `call figures no worse: ${callsNoWorse === undefined ? 'not compared (--skip-baseline)' : callsNoWorse ? 'yes' : 'NO'}, ` +
    `click-number to ringing p99 ${ms(click.toRinging?.p99)} ms`,
);
console.log(out.join('\n'));

const path = writeResults('http', {
  machine: machine(),
  options,
  targets: {
    statisticsP99Ms: { target: `< ${STATISTICS_P99_MS}`, measured: statisticsP99, met: statisticsP99 !== undefined && statisticsP99 < STATISTICS_P99_MS },
    callsNoWorse: { rule: 'no customer unserved or idle-while-waiting, offered/s within 2 %, assignment p99 within 1 ms of the run without HTTP', met: callsNoWorse },
    clickToRingingP99Ms: { measured: click.toRinging?.p99 },
  },
  statistics: statisticsFigures,
  calls,
  clickNumber: clickFigures,
  polylinkLog: { withHttp: Object.fromEntries(withHttp.logs), clickNumber: Object.fromEntries(click.logs) },
});
console.log(`figures written to ${path}`);
const acdFailed = (r: RunResult | undefined) => r !== undefined && (r.idle.sightings.length > 0 || r.customers.leftAtEnd > 0 || r.customers.unserved > 0 || r.signIn.failures.length > 0);
if (acdFailed(baseline) || acdFailed(withHttp) || !statisticsAllOk || !clickAllOk) process.exitCode = 1;
