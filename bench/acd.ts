/**
 * ACD benchmark: polylink in-process on its built-in simulator, N agents signed in
 * over real TCP, customers calling in at a steady rate; measures the time from a
 * customer's park to its CallInEvent leaving polylink, the sustained call rate,
 * event-loop delay and memory, and checks that no customer waits while an agent of
 * its queue is free. See bench/README.md.
 *
 *   npm run bench:acd -- [--seconds=60] [--rate=100] [--agents=2000] [--queues=20] [--wrapup=0] …
 */
import { parseOptions } from './acd/options.js';
import { report } from './acd/report.js';
import { run } from './acd/run.js';

const options = parseOptions(process.argv.slice(2));
const result = await run(options);
console.log(report(options, result));
const { customers, idle, signIn } = result;
const failed = idle.sightings.length > 0 || customers.leftAtEnd > 0 || customers.unserved > 0 || signIn.failures.length > 0;
if (failed) process.exitCode = 1;
