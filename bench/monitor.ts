/**
 * Monitoring benchmark: the ACD benchmark's load (2,000 agents, 100 calls/s) with 50
 * supervisors each asking getallqueuestatis every second and receiving every status
 * change of their scope. Reports the p99 of the query's response time and of the delay
 * from an agent's status change to the last supervisor's copy (targets: both under
 * 10 ms), with the machine's load; writes bench/results/monitor.json. See bench/README.md.
 *
 *   npm run bench:monitor -- [--seconds=60] [--rate=100] [--agents=2000] [--supervisors=50] [--scope=group|all] …
 */
import { loadavg } from 'node:os';
import { machine, writeResults } from './results-file.js';
import { parseMonitorOptions } from './monitor/options.js';
import { report } from './monitor/report.js';
import { run } from './monitor/run.js';

const options = parseMonitorOptions(process.argv.slice(2));
const result = await run(options, () => Number(loadavg()[0]!.toFixed(2)));
const { text, figures } = report(options, result);
console.log(text);
const path = writeResults('monitor', { machine: machine(), options, ...figures });
console.log(`written to ${path}`);
if (result.signedIn.failures.length > 0 || result.supervisors.closedByServer > 0) process.exitCode = 1;
