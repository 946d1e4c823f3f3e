/**
 * `npm run bench -- <scenario> [--nodes=N] [--profile] …`: the scenario and what may be
 * changed about its load. A changed load is written into the results with the figures,
 * so a run is never mistaken for the scenario as the issue defines it.
 */
import { SCENARIOS, type Scenario, type ScenarioName } from './scenarios.js';

export interface HarnessOptions {
  readonly scenario: Scenario;
  /** The load differs from the issue's definition of the scenario. */
  readonly changed: readonly string[];
  /** FreeSWITCH nodes: simulator processes polylink drives at once. */
  readonly nodes: number;
  /** node --cpu-prof for polylink; the profile and its summary go beside the results. */
  readonly profile: boolean;
  /** node --cpu-prof for the simulator processes too; their profiles and summary go beside polylink's. */
  readonly profileSwitch: boolean;
  readonly resultsDir: string;
  /** Worker threads of the bars' process. */
  readonly barWorkers: number;
  /** Keep the run's folder (logs, database, polylink's samples) for a post-mortem instead of removing it. */
  readonly keep: boolean;
  /** polylink's acd.queueEvents: every member gets the queue events, or only those that asked (the bars here never ask). */
  readonly queueEvents: 'members' | 'asked';
  /** More of polylink's configuration, merged over the harness's own (a bench on the harness's pieces, e.g. bench/webhooks' targets). */
  readonly polylinkConfig?: Readonly<Record<string, unknown>>;
  /** The name of the profiles' folder when it is not the scenario's (a bench on the harness's pieces). */
  readonly profileName?: string;
}

export const USAGE = `npm run bench -- <small|large|storm|soak|ceiling> [--nodes=1] [--profile] [--profile-switch] [--results-dir=bench/results]
                     [--bar-workers=2] [--agents=N] [--rate=R] [--seconds=S] [--keep]
                     [--queue-events=members|asked] [--rates=R1,R2,… (ceiling: the ramp's steps, at most 7)]`;

export function parseOptions(argv: readonly string[], defaultResultsDir: string): HarnessOptions {
  const [name, ...rest] = argv;
  if (name === undefined || !(name in SCENARIOS)) throw new Error(`which scenario? ${name === undefined ? '' : `"${name}" is none of them`}\n${USAGE}`);
  const given = new Map<string, string>();
  for (const arg of rest) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    given.set(m[1]!, m[2] ?? 'true');
  }
  const known = new Set(['nodes', 'profile', 'profile-switch', 'results-dir', 'bar-workers', 'agents', 'rate', 'seconds', 'keep', 'queue-events', 'rates']);
  for (const key of given.keys()) if (!known.has(key)) throw new Error(`unknown option --${key}\n${USAGE}`);
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const text = given.get(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${key} must be a number from ${min} to ${max}\n${USAGE}`);
    return value;
  };
  const defined = SCENARIOS[name as ScenarioName];
  const agents = Math.floor(num('agents', defined.agents, defined.queues, 90_000));
  const rate = num('rate', defined.rate, 0.1, 5000);
  const seconds = num('seconds', defined.seconds, 5, 86_400);
  const ratesText = given.get('rates');
  const rampRates = ratesText === undefined ? defined.rampRates : ratesText.split(',').map(Number);
  if (ratesText !== undefined && defined.rampRates === undefined) throw new Error(`--rates is for the ceiling scenario\n${USAGE}`);
  if (rampRates !== undefined && (rampRates.length < 1 || rampRates.length > 7 || rampRates.some((r) => !Number.isFinite(r) || r <= 0 || r > 5000))) {
    throw new Error(`--rates must be one to seven rates from 0.1 to 5000, comma-separated\n${USAGE}`);
  }
  const changed = [
    ...(ratesText !== undefined && rampRates!.join(',') !== defined.rampRates!.join(',') ? [`ramp ${rampRates!.join(', ')} instead of ${defined.rampRates!.join(', ')}`] : []),
    ...(agents !== defined.agents ? [`agents ${agents} instead of ${defined.agents}`] : []),
    ...(rate !== defined.rate && defined.kind === 'calls' ? [`${rate} calls/s instead of ${defined.rate}`] : []),
    ...(seconds !== defined.seconds && defined.kind === 'calls' ? [`${seconds} s instead of ${defined.seconds}`] : []),
  ];
  const queueEvents = given.get('queue-events') ?? 'members';
  if (queueEvents !== 'members' && queueEvents !== 'asked') throw new Error(`--queue-events must be members or asked\n${USAGE}`);
  const nodes = Math.floor(num('nodes', 1, 1, 16));
  if (nodes > defined.queues) throw new Error(`--nodes (${nodes}) cannot exceed the scenario's queues (${defined.queues}): each node serves whole queues`);
  return {
    scenario: { ...defined, agents, rate, seconds, ...(rampRates !== undefined ? { rampRates } : {}) },
    changed,
    nodes,
    profile: given.get('profile') === 'true',
    profileSwitch: given.get('profile-switch') === 'true',
    resultsDir: given.get('results-dir') ?? defaultResultsDir,
    barWorkers: Math.floor(num('bar-workers', 2, 1, 16)),
    keep: given.get('keep') === 'true',
    queueEvents,
  };
}
