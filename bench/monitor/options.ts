/**
 * The monitoring benchmark's knobs: the ACD benchmark's load (bench/acd/options.ts, the
 * same arguments and defaults: 2,000 agents, 20 queues, 100 calls/s for 60 s) and the
 * supervisors watching it.
 */
import { parseOptions as parseAcdOptions, type AcdOptions } from '../acd/options.js';

export interface MonitorOptions {
  readonly load: AcdOptions;
  readonly supervisors: number;
  /** `group`: each supervisor watches one queue's group; `all`: every one watches every group. */
  readonly scope: 'group' | 'all';
  /** Each supervisor asks getallqueuestatis this often. */
  readonly pollMs: number;
}

const USAGE = 'npm run bench:monitor -- [the options of bench:acd] [--supervisors=50] [--scope=group|all] [--poll=1000]';

export function parseMonitorOptions(argv: readonly string[]): MonitorOptions {
  const mine = new Map<string, string>();
  const rest: string[] = [];
  for (const arg of argv) {
    const m = /^--(supervisors|scope|poll)=(.*)$/.exec(arg);
    if (m === null) rest.push(arg);
    else mine.set(m[1]!, m[2]!);
  }
  const supervisors = Number(mine.get('supervisors') ?? 50);
  const pollMs = Number(mine.get('poll') ?? 1000);
  const scope = mine.get('scope') ?? 'group';
  if (!Number.isInteger(supervisors) || supervisors < 1 || supervisors > 9999) throw new Error(`--supervisors must be 1 to 9999\n${USAGE}`);
  if (!Number.isFinite(pollMs) || pollMs < 10) throw new Error(`--poll must be at least 10 (ms)\n${USAGE}`);
  if (scope !== 'group' && scope !== 'all') throw new Error(`--scope must be group or all\n${USAGE}`);
  return { load: parseAcdOptions(rest), supervisors, scope, pollMs };
}
