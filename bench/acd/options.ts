/**
 * The ACD benchmark's knobs, from `--name=value` arguments. The defaults are the
 * issue's load: 2,000 agents in 20 queues, 100 calls/s for 60 s, phones answering
 * after 1–3 s, customers talking 5–30 s once an agent answered.
 */

export interface AcdOptions {
  /** How long customers keep arriving. */
  readonly seconds: number;
  /** Customers arriving per second (spread evenly over the queues). */
  readonly rate: number;
  readonly agents: number;
  readonly queues: number;
  /** Every agent's after-call work (ACW) after a queue call. */
  readonly wrapUpSeconds: number;
  /** An agent's phone answers after a uniformly random time in this range. */
  readonly answerMs: readonly [number, number];
  /** A customer talks this long (uniform) after the agent answered, then hangs up. */
  readonly talkMs: readonly [number, number];
  /** Give every agent its own scrypt hash (a plain import) instead of one shared hash. */
  readonly hashEach: boolean;
  /** How often the "idle agent while a customer waits" check looks. */
  readonly checkEveryMs: number;
}

const USAGE = `npm run bench:acd -- [--seconds=60] [--rate=100] [--agents=2000] [--queues=20] [--wrapup=0]
                    [--answer=1000-3000] [--talk=5000-30000] [--check-every=100] [--hash-each]`;

export function parseOptions(argv: readonly string[]): AcdOptions {
  const given = new Map<string, string>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (m === null) throw new Error(`unknown argument ${arg}\n${USAGE}`);
    given.set(m[1]!, m[2] ?? 'true');
  }
  const known = new Set(['seconds', 'rate', 'agents', 'queues', 'wrapup', 'answer', 'talk', 'check-every', 'hash-each']);
  for (const name of given.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const num = (name: string, fallback: number, min: number): number => {
    const text = given.get(name);
    const value = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number of at least ${min}\n${USAGE}`);
    return value;
  };
  const range = (name: string, fallback: readonly [number, number]): readonly [number, number] => {
    const text = given.get(name);
    if (text === undefined) return fallback;
    const m = /^(\d+)-(\d+)$/.exec(text);
    if (m === null || Number(m[1]) > Number(m[2])) throw new Error(`--${name} must be MIN-MAX in ms, e.g. 1000-3000\n${USAGE}`);
    return [Number(m[1]), Number(m[2])];
  };
  const agents = Math.floor(num('agents', 2000, 1));
  const queues = Math.floor(num('queues', 20, 1));
  if (queues > agents) throw new Error(`--queues (${queues}) cannot exceed --agents (${agents})`);
  // The organisation's agent IDs run from 10001: seed 000 allows up to 999999.
  if (agents > 989_999) throw new Error('--agents must be at most 989999');
  return {
    seconds: num('seconds', 60, 1),
    rate: num('rate', 100, 0.1),
    agents,
    queues,
    wrapUpSeconds: Math.floor(num('wrapup', 0, 0)),
    answerMs: range('answer', [1000, 3000]),
    talkMs: range('talk', [5000, 30_000]),
    hashEach: given.get('hash-each') === 'true',
    checkEveryMs: num('check-every', 100, 1),
  };
}
