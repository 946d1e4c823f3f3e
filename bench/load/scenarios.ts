/**
 * The scenarios of issue 16's table ("What must hold"): the load of each and the targets
 * it must meet. A target names a figure of the results (results.ts) and the bound it
 * must stay under; a figure that could not be measured misses its target.
 */

export type ScenarioName = 'small' | 'large' | 'storm' | 'soak' | 'ceiling' | 'monitor' | 'http';

export interface Target {
  /** The figure's key in the results' `figures`. */
  readonly figure: string;
  readonly label: string;
  /** The figure must be below this (`below`), at most this (`atMost`) or at least this (`atLeast`). */
  readonly below?: number;
  readonly atMost?: number;
  readonly atLeast?: number;
  readonly unit: string;
}

export interface Scenario {
  readonly name: ScenarioName;
  readonly kind: 'calls' | 'storm';
  readonly agents: number;
  readonly queues: number;
  /** One supervisor per group (= per queue) watches it, up to this many. */
  readonly supervisors: number;
  /** Customers per second, over all queues. */
  readonly rate: number;
  readonly seconds: number;
  /** A customer talks this long after its agent answered (uniform), ms. */
  readonly talkMs: readonly [number, number];
  /** An agent's phone answers after this long (uniform), ms. */
  readonly answerMs: readonly [number, number];
  readonly wrapUpSeconds: number;
  /** A customer not bridged to an agent within this hangs up (its call stays in the queue until then). */
  readonly patienceSeconds: number;
  /** Each agent takes a break (BUSY) this often on average, for 10–30 s. */
  readonly breaksPerAgentPerHour: number;
  /** A storm's agents start signing in over this long. */
  readonly signInSpreadSeconds: number;
  /**
   * A ramp (the `ceiling` scenario): the load runs at each of these rates in turn, for
   * `seconds` each, every step's customers let finish before the next step starts.
   * Without it the load is one step at `rate`.
   */
  readonly rampRates?: readonly number[];
  /**
   * What each supervisor asks and how often (issue 11's wallboard: getallqueuestatis every
   * second). Without it a supervisor asks getqueuestatis of its queue every 10 s.
   */
  readonly supervisorQuery?: { readonly cmdType: 'getqueuestatis' | 'getallqueuestatis'; readonly everyMs: number };
  readonly targets: readonly Target[];
}

/** The ceiling's bound: a rate is carried while p99 park → CallInEvent (free agent) stays under it. */
export const CEILING_P99_MS = 50;

const ANOMALIES: Target = { figure: 'anomalies', label: 'anomalies', atMost: 0, unit: '' };

const base = {
  supervisors: 0,
  rate: 0,
  seconds: 0,
  talkMs: [5000, 30_000],
  answerMs: [1000, 3000],
  wrapUpSeconds: 2,
  patienceSeconds: 60,
  breaksPerAgentPerHour: 6,
  signInSpreadSeconds: 10,
} as const;

/** The ACD benchmark's load (bench/acd/options.ts), which issues 11 and 12 measure beside: 2,000 agents in 20 queues, 100 calls/s for 60 s, no wrap-up, no breaks. */
const acdLoad = {
  ...base,
  kind: 'calls',
  agents: 2000,
  queues: 20,
  rate: 100,
  seconds: 60,
  wrapUpSeconds: 0,
  breaksPerAgentPerHour: 0,
} as const;

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  small: {
    ...base,
    name: 'small',
    kind: 'calls',
    agents: 200,
    queues: 4,
    supervisors: 4,
    rate: 10,
    seconds: 60,
    // Shorter talk than the others: the drain after the arrivals must fit the two minutes.
    talkMs: [5000, 15_000],
    targets: [{ figure: 'runSeconds', label: 'the whole run', below: 120, unit: 's' }, ANOMALIES],
  },
  large: {
    ...base,
    name: 'large',
    kind: 'calls',
    agents: 5000,
    queues: 50,
    supervisors: 50,
    rate: 200,
    seconds: 300,
    targets: [
      { figure: 'parkToCallIn.p99', label: 'p99 switch CHANNEL_PARK → CallInEvent read (free agent)', below: 20, unit: 'ms' },
      { figure: 'commandRtt.p99', label: 'p99 agent command round trip', below: 10, unit: 'ms' },
      { figure: 'switchToAgent.p99', label: 'p99 any switch event → the agent event it causes', below: 20, unit: 'ms' },
      { figure: 'polylinkRssMaxMB', label: 'polylink RSS', below: 1024, unit: 'MB' },
      ANOMALIES,
    ],
  },
  storm: {
    ...base,
    name: 'storm',
    kind: 'storm',
    agents: 5000,
    queues: 50,
    supervisors: 50,
    breaksPerAgentPerHour: 0,
    targets: [
      { figure: 'signIn.unserved', label: 'sign-ins not served (both waves)', atMost: 0, unit: '' },
      { figure: 'dropped', label: 'connections dropped by polylink', atMost: 0, unit: '' },
      { figure: 'signIn.first.p99', label: 'p99 sign-in, first wave', below: 2000, unit: 'ms' },
      { figure: 'signIn.afterRestart.p99', label: 'p99 sign-in after the restart', below: 2000, unit: 'ms' },
      { figure: 'stateChange.p99', label: 'p99 state change (request → AgentStatusChangeEvent read)', below: 100, unit: 'ms' },
    ],
  },
  soak: {
    ...base,
    name: 'soak',
    kind: 'calls',
    agents: 1000,
    queues: 10,
    supervisors: 10,
    rate: 50,
    seconds: 1800,
    talkMs: [5000, 20_000],
    targets: [
      { figure: 'heapGrowthPct', label: 'heap growth after warm-up', below: 5, unit: '%' },
      { figure: 'rssGrowthPct', label: 'RSS growth after warm-up', below: 5, unit: '%' },
      ANOMALIES,
    ],
  },
  // Issue 16: raise the call rate until p99 assignment passes 50 ms; the last rate under
  // it is the ceiling of one polylink process on the machine. Talk 5–15 s so that 5,000
  // agents can carry ~350 calls/s (Little's law) and the agents never run out first.
  ceiling: {
    ...base,
    name: 'ceiling',
    kind: 'calls',
    agents: 5000,
    queues: 50,
    supervisors: 50,
    rate: 300,
    seconds: 60,
    talkMs: [5000, 15_000],
    patienceSeconds: 30,
    rampRates: [50, 100, 150, 200, 250, 300],
    targets: [{ figure: 'ceiling.rate', label: `ceiling (the highest rate with p99 park → CallInEvent < ${CEILING_P99_MS} ms)`, atLeast: 200, unit: 'calls/s' }],
  },
  // Issue 11's figures: the ACD benchmark's load (bench/acd/options.ts: 2,000 agents in 20
  // queues, 100 calls/s for 60 s, phones answering in 1–3 s, talk 5–30 s, no wrap-up, no
  // breaks) with 50 supervisors dealt round the 20 groups (2 or 3 on each), every one
  // asking getallqueuestatis every second and reading every status change of its group.
  monitor: {
    ...acdLoad,
    name: 'monitor',
    supervisors: 50,
    supervisorQuery: { cmdType: 'getallqueuestatis', everyMs: 1000 },
    targets: [
      { figure: 'monitorQuery.p99', label: 'p99 getallqueuestatis: request → GetAllQueueStatisEvent read', below: 10, unit: 'ms' },
      { figure: 'statusToLastSupervisor.p99', label: "p99 status change's cause → last supervisor's copy read", below: 10, unit: 'ms' },
    ],
  },
  // Issue 12's calls (the ACD benchmark's load: 2,000 agents in 20 queues, 100 calls/s for
  // 60 s, no wrap-up, no breaks, no supervisors), which bench/http runs alone and with seed
  // 000's statistics polled beside them (bench/http.ts holds that comparison's targets).
  http: {
    ...acdLoad,
    name: 'http',
    targets: [ANOMALIES],
  },
};

/** Little's law: agents busy on average = arrivals/s × (ring + talk + wrap-up) per call. */
export function agentsBusy(s: Scenario): number {
  const mean = ([a, b]: readonly [number, number]): number => (a + b) / 2;
  return s.rate * ((mean(s.answerMs) + mean(s.talkMs)) / 1000 + s.wrapUpSeconds);
}
