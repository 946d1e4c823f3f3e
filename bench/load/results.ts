/**
 * A run's results: what was measured (the outcome), the flat figures the targets name,
 * each target with its value and whether it was met, and the machine it ran on with the
 * load average during the run. Written to bench/results/<scenario>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { summarize, type Summary } from '../acd/stats.js';
import type { Anomalies } from './analysis/anomalies.js';
import type { MemoryFigures } from './analysis/memory.js';
import type { SignInResult, StateChangeResult } from './bars/messages.js';
import type { ChildUse } from './monitor.js';
import type { HarnessOptions } from './options.js';
import type { Target } from './scenarios.js';

export interface SignInFigures {
  readonly attempted: number;
  readonly ok: number;
  readonly failedCount: number;
  readonly failed: readonly string[];
  readonly unanswered: number;
  readonly resumed: number;
  readonly durationMs: number;
  /** Connect → signin response read. */
  readonly latency: Summary | undefined;
  /** signin request sent → response read. */
  readonly request: Summary | undefined;
  /** The same, of the sign-ins proven by a session token (no scrypt), and of those by password. */
  readonly requestByToken: Summary | undefined;
  readonly requestByPassword: Summary | undefined;
}

export function signInFigures(r: SignInResult): SignInFigures {
  return {
    attempted: r.attempted,
    ok: r.ok,
    failedCount: r.failedCount,
    failed: r.failed,
    unanswered: r.unanswered,
    resumed: r.resumed,
    durationMs: r.durationMs,
    latency: summarize(r.latencyMs),
    request: summarize(r.requestMs),
    requestByToken: summarize(r.tokenRequestMs),
    requestByPassword: summarize(r.passwordRequestMs),
  };
}

export interface StateChangeFigures {
  readonly target: number;
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  readonly noEvent: number;
  readonly rtt: Summary | undefined;
  readonly event: Summary | undefined;
}

export function stateChangeFigures(r: StateChangeResult): StateChangeFigures {
  return { target: r.target, sent: r.sent, accepted: r.accepted, refused: r.refused, noEvent: r.noEvent, rtt: summarize(r.rttMs), event: summarize(r.eventMs) };
}

/** The ceiling scenario's ramp: each step's figures, and the highest rate carried under the bound. */
export interface RampFigures {
  readonly steps: ReadonlyArray<{
    readonly rate: number;
    readonly placed: number;
    readonly bridged: number;
    readonly hadFreeAgent: number;
    readonly parkToCallIn: Summary | undefined;
    readonly switchToAgent: Summary | undefined;
  }>;
  /** undefined: not even the first step stayed under the bound. */
  readonly ceiling: number | undefined;
  readonly boundMs: number;
}

export interface RunOutcome {
  readonly signIn: Readonly<Record<string, SignInFigures>>;
  readonly counts?: Readonly<Record<string, number | Record<string, number>>>;
  readonly latency: Readonly<Record<string, Summary | undefined>>;
  readonly messages?: {
    readonly total: number;
    readonly perCall: number;
    readonly bytesPerCall: number;
    readonly byTypePerCall: Record<string, number>;
    readonly refused: Record<string, number>;
  };
  readonly memory: MemoryFigures;
  /** The other processes' event loops while the load ran (a late switch or bar adds to every latency). */
  readonly loops?: {
    readonly switch: ReadonlyArray<{ readonly delayP99Ms: number; readonly delayMaxMs: number; readonly utilisation: number } | undefined>;
    readonly bars: ReadonlyArray<{ readonly p99Ms: number; readonly maxMs: number; readonly utilisation: number }>;
  };
  readonly children: readonly ChildUse[];
  /** 1-minute load average, once a second while measuring. */
  readonly loads: readonly number[];
  readonly wallSeconds: number;
  readonly anomalies: Anomalies;
  readonly anomalyTotal: number;
  readonly sideBySide?: { readonly customers: number; readonly worstMs: number };
  readonly polylinkLog: Readonly<Record<string, number>>;
  readonly ramp?: RampFigures;
  readonly storm?: {
    readonly restart: { readonly stopMs: number; readonly startMs: number };
    readonly stateChanges: readonly StateChangeFigures[];
    readonly dropped: number;
  };
}

export interface TargetResult extends Target {
  readonly value: number | undefined;
  readonly passed: boolean;
}

export interface Results {
  readonly scenario: string;
  readonly definition: HarnessOptions['scenario'];
  /** How this run's load differs from the scenario's definition (empty: it is the scenario). */
  readonly changed: readonly string[];
  readonly nodes: number;
  /** polylink's acd.queueEvents in this run. */
  readonly queueEvents: 'members' | 'asked';
  readonly startedAt: string;
  readonly runSeconds: number;
  readonly machine: {
    readonly node: string;
    readonly cpus: number;
    readonly model: string;
    /** os.loadavg() when the run started and ended; the 1-minute average while it measured. */
    readonly loadAtStart: readonly number[];
    readonly loadAtEnd: readonly number[];
    readonly loadWhileMeasuring: { readonly min: number; readonly mean: number; readonly max: number } | undefined;
  };
  readonly figures: Readonly<Record<string, number | undefined>>;
  readonly targets: readonly TargetResult[];
  readonly passed: boolean;
  readonly outcome: RunOutcome;
}

/** The figures targets can name: each summary's p50 / p99 / max / n, memory, counts. */
export function flatFigures(o: RunOutcome, runSeconds: number): Record<string, number | undefined> {
  const f: Record<string, number | undefined> = { runSeconds, anomalies: o.anomalyTotal, polylinkRssMaxMB: o.memory.rssMaxMB, heapGrowthPct: o.memory.growth?.heapPct, rssGrowthPct: o.memory.growth?.rssPct };
  const put = (name: string, s: Summary | undefined): void => {
    f[`${name}.p50`] = s?.p50;
    f[`${name}.p99`] = s?.p99;
    f[`${name}.max`] = s?.max;
    f[`${name}.n`] = s?.n ?? 0;
  };
  for (const [k, s] of Object.entries(o.latency)) put(k, s);
  let unserved = 0;
  for (const [wave, s] of Object.entries(o.signIn)) {
    put(`signIn.${wave}`, s.latency);
    put(`signIn.${wave}.byToken`, s.requestByToken);
    put(`signIn.${wave}.byPassword`, s.requestByPassword);
    unserved += s.failedCount + s.unanswered;
  }
  f['signIn.unserved'] = unserved;
  if (o.storm !== undefined) f['dropped'] = o.storm.dropped;
  if (o.ramp !== undefined) {
    // No step under the bound: a ceiling of 0 calls/s, which misses any target.
    f['ceiling.rate'] = o.ramp.ceiling ?? 0;
    for (const step of o.ramp.steps) put(`ramp.${step.rate}.parkToCallIn`, step.parkToCallIn);
  }
  return f;
}

export function evaluate(targets: readonly Target[], figures: Readonly<Record<string, number | undefined>>): TargetResult[] {
  return targets.map((t) => {
    const value = figures[t.figure];
    const passed = value !== undefined && (t.below === undefined || value < t.below) && (t.atMost === undefined || value <= t.atMost) && (t.atLeast === undefined || value >= t.atLeast);
    return { ...t, value, passed };
  });
}

export function buildResults(options: HarnessOptions, outcome: RunOutcome, startedAt: Date, loadAtStart: readonly number[], runSeconds: number, figures: Record<string, number | undefined>): Results {
  const targets = evaluate(options.scenario.targets, figures);
  const loads = outcome.loads;
  const cpu = cpus();
  return {
    scenario: options.scenario.name,
    definition: options.scenario,
    changed: options.changed,
    nodes: options.nodes,
    queueEvents: options.queueEvents,
    startedAt: startedAt.toISOString(),
    runSeconds,
    machine: {
      node: process.version,
      cpus: cpu.length,
      model: cpu[0]?.model ?? '?',
      loadAtStart,
      loadAtEnd: loadavg(),
      loadWhileMeasuring: loads.length === 0 ? undefined : { min: Math.min(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) },
    },
    figures,
    targets,
    passed: targets.every((t) => t.passed),
    outcome,
  };
}

export function writeResults(dir: string, results: Results): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.scenario}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}
