/**
 * The HTTP benchmark's knobs. Its own options are taken out of the argument list; the
 * rest are the load harness's (bench/load/options.ts) for its `http` scenario
 * (bench/load/scenarios.ts): issue 12's calls, 100 calls/s for 60 s over 2,000 agents,
 * which run beside the HTTP requests.
 */
import { parseOptions as parseHarnessOptions, type HarnessOptions } from '../load/options.js';

export interface HttpBenchOptions {
  /** The calls' stage: the `http` scenario as changed by --agents, --rate, --seconds; --profile and the rest. */
  readonly harness: HarnessOptions;
  /** Seed 000 statistics requests per second beside the calls (issue 12: 1,000). */
  readonly statisticsRate: number;
  /** Keep-alive connections the statistics load may open. */
  readonly sockets: number;
  /** click-number requests per second (issue 12: 20) and for how long. */
  readonly clickRate: number;
  readonly clickSeconds: number;
  /** Phone pairs click-number cycles through (each pair's call lasts ~2 s). */
  readonly clickPairs: number;
  /** Skip the calls without the HTTP load (their figures are then not compared). */
  readonly skipBaseline: boolean;
  /** Skip click-number. */
  readonly skipClick: boolean;
}

const OWN = new Set(['statistics-rate', 'sockets', 'click-rate', 'click-seconds', 'click-pairs', 'skip-baseline', 'skip-click']);

export const USAGE = `npm run bench:http -- [--statistics-rate=1000] [--sockets=128] [--click-rate=20] [--click-seconds=30]
                     [--click-pairs=200] [--skip-baseline] [--skip-click]
                     [harness options: --agents=2000 --rate=100 --seconds=60 --queue-events=members|asked --profile --keep …]`;

export function parseOptions(argv: readonly string[], defaultResultsDir: string): HttpBenchOptions {
  const own = new Map<string, string>();
  const rest: string[] = [];
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m !== null && OWN.has(m[1]!)) own.set(m[1]!, m[2] ?? 'true');
    else rest.push(arg);
  }
  const num = (name: string, fallback: number, min: number): number => {
    const text = own.get(name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}\n${USAGE}`);
    return value;
  };
  return {
    harness: parseHarnessOptions(['http', ...rest], defaultResultsDir),
    statisticsRate: num('statistics-rate', 1000, 1),
    // 16 kept-alive connections carried at most 16 / round trip: at ~16 ms a round trip on
    // the shared 2 cores that is the 1,000 a second asked, and requests queued in the
    // client's agent (timed from the call, so the queue counted as the server's time).
    sockets: Math.floor(num('sockets', 128, 1)),
    clickRate: num('click-rate', 20, 0.1),
    clickSeconds: num('click-seconds', 30, 1),
    clickPairs: Math.floor(num('click-pairs', 200, 1)),
    skipBaseline: own.has('skip-baseline'),
    skipClick: own.has('skip-click'),
  };
}
