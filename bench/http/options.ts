/**
 * The HTTP benchmark's knobs. Its own options are taken out of the argument list; the
 * rest are the ACD benchmark's (bench/acd/options.ts), whose defaults are issue 12's
 * load beside the HTTP requests: 100 calls/s for 60 s over 2,000 agents.
 */
import { parseOptions as parseAcdOptions, type AcdOptions } from '../acd/options.js';

export interface HttpBenchOptions {
  readonly acd: AcdOptions;
  /** Seed 000 statistics requests per second beside the calls (issue 12: 1,000). */
  readonly statisticsRate: number;
  /** Keep-alive connections the statistics load may open. */
  readonly sockets: number;
  /** click-number requests per second (issue 12: 20) and for how long. */
  readonly clickRate: number;
  readonly clickSeconds: number;
  /** Phone pairs click-number cycles through (each pair's call lasts ~2 s). */
  readonly clickPairs: number;
  /** Skip the ACD run without the HTTP load (its figures are then not compared). */
  readonly skipBaseline: boolean;
}

const OWN = new Set(['statistics-rate', 'sockets', 'click-rate', 'click-seconds', 'click-pairs', 'skip-baseline']);

export const USAGE = `npm run bench:http -- [--statistics-rate=1000] [--sockets=16] [--click-rate=20] [--click-seconds=30]
                     [--click-pairs=200] [--skip-baseline] [ACD options: --seconds=60 --rate=100 --agents=2000 …]`;

export function parseOptions(argv: readonly string[]): HttpBenchOptions {
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
    acd: parseAcdOptions(rest),
    statisticsRate: num('statistics-rate', 1000, 1),
    sockets: Math.floor(num('sockets', 16, 1)),
    clickRate: num('click-rate', 20, 0.1),
    clickSeconds: num('click-seconds', 30, 1),
    clickPairs: Math.floor(num('click-pairs', 200, 1)),
    skipBaseline: own.has('skip-baseline'),
  };
}
