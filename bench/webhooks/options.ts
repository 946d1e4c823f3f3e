/** Options of bench/webhooks (see bench/README.md). */
export interface WebhookBenchOptions {
  /** Calls per second. */
  readonly rate: number;
  /** Seconds of steady load before the outage (latency measured there). */
  readonly steadySeconds: number;
  /** Seconds the receivers are down. */
  readonly outageSeconds: number;
  /** Seconds the drain may take at most (calls go on meanwhile). */
  readonly drainLimitSeconds: number;
  /** Seconds of calls measured once the backlog is delivered. */
  readonly afterSeconds: number;
  readonly agents: number;
  readonly queues: number;
  readonly answerMs: readonly [number, number];
  readonly talkMs: readonly [number, number];
  /** The export: agents and days of generated data, and whether to run it. */
  readonly exportAgents: number;
  readonly exportDays: number;
  /** webhooks.pace for polylink when given (--pace-floor, --pace-ceiling, --thread-nice); otherwise its defaults. */
  readonly pace: { readonly floorPerSecond?: number; readonly ceilingPerSecond?: number; readonly threadNice?: number };
  readonly skipCalls: boolean;
  readonly skipExport: boolean;
  /** node --cpu-prof for the polylink child; the profile and its summary go beside the results (bench/results/profiles/webhooks). */
  readonly profile: boolean;
  /** Keep the run's folder (logs, database, polylink's probe) instead of removing it. */
  readonly keep: boolean;
}

export function parseOptions(args: readonly string[]): WebhookBenchOptions {
  const o: Record<string, string> = {};
  for (const a of args) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m === null) throw new Error(`unknown argument ${a}`);
    o[m[1]!] = m[2] ?? 'true';
  }
  const num = (k: string, d: number) => (o[k] === undefined ? d : Number(o[k]));
  const range = (k: string, d: [number, number]): [number, number] => (o[k] === undefined ? d : (o[k]!.split('-').map(Number) as [number, number]));
  return {
    rate: num('rate', 100),
    steadySeconds: num('steady', 60),
    outageSeconds: num('outage', 300),
    drainLimitSeconds: num('drain-limit', 600),
    afterSeconds: num('after', 30),
    agents: num('agents', 800),
    queues: num('queues', 8),
    answerMs: range('answer', [500, 1500]),
    talkMs: range('talk', [2000, 5000]),
    exportAgents: num('export-agents', 500),
    exportDays: num('export-days', 30),
    pace: {
      ...(o['pace-floor'] === undefined ? {} : { floorPerSecond: Number(o['pace-floor']) }),
      ...(o['pace-ceiling'] === undefined ? {} : { ceilingPerSecond: Number(o['pace-ceiling']) }),
      ...(o['thread-nice'] === undefined ? {} : { threadNice: Number(o['thread-nice']) }),
    },
    skipCalls: o['skip-calls'] === 'true',
    skipExport: o['skip-export'] === 'true',
    profile: o['profile'] === 'true',
    keep: o['keep'] === 'true',
  };
}
