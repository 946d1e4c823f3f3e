/**
 * One run of the memory benchmark: polylink in this thread (started as bench/acd starts it,
 * reaching its switch over ESL), the switch and the agents' bars each in a worker thread,
 * so that the heap this thread's snapshots read is polylink's alone. It walks polylink
 * through the states whose cost is asked for, and at each one collects garbage, reads
 * the heap and writes a snapshot:
 *   (a warm-up round with a few agents, so that compiled code is not counted per item)
 *   empty → N agents signed in over TCP → N more over WebSocket → every agent BUSY and
 *   N customers queued → agents IDLE, the N customers ringing them → all hung up →
 *   N customers talking to agents → all hung up, wrap-up over (what is left is a leak).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { Config } from '../../src/config/config-schema.js';
import { AgentStatus } from '../../src/core/agent-status.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openDatabase } from '../../src/store/database.js';
import { benchConfig } from '../acd/run.js';
import { LogSink } from '../acd/log-sink.js';
import { buildOrganisation, PASSWORD, type BenchAgent, type BenchOrganisation } from '../acd/organisation.js';
import type { BarAgent, SwitchSetup, BarsSetup, ToBars, ToSwitch } from './messages.js';
import { WorkerHandle } from './worker-handle.js';

export interface MemoryOptions {
  /** Agents per transport (TCP, then WebSocket) and customers per call phase. */
  readonly n: number;
  readonly queues: number;
  readonly snapshotDir: string;
}

export interface Stage {
  readonly name: string;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  readonly arrayBuffersBytes: number;
  /** The whole process: polylink and the two worker threads. */
  readonly rssBytes: number;
  readonly snapshot: string;
  /** What polylink held at the stage. */
  readonly state: { readonly calls: number; readonly waiting: number; readonly statuses: Record<number, number> };
}

const ESL_PASSWORD = 'memory-bench-esl';
const progress = (text: string): void => void process.stderr.write(`[memory] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = (globalThis as { gc?: () => void }).gc;

export async function run(o: MemoryOptions, dir: string): Promise<{ org: BenchOrganisation; stages: Stage[] }> {
  if (gc === undefined) throw new Error('run node with --expose-gc (npm run bench:memory does)');
  mkdirSync(o.snapshotDir, { recursive: true });
  progress(`organisation: ${2 * o.n + WARM_UP} agents in ${o.queues} queues`);
  const org = await buildOrganisation(dir, 2 * o.n + WARM_UP, o.queues, 1, false);
  // Ringing must last until the snapshot is taken: queues ring an agent for 10 minutes.
  const db = openDatabase(org.dbPath);
  db.prepare('UPDATE queues SET ring_timeout_seconds = 600').run();
  db.close();

  const sw = new WorkerHandle<ToSwitch>(new URL('./switch-worker.js', import.meta.url), { dbPath: org.dbPath, password: ESL_PASSWORD, maxSessions: 20_000 } satisfies SwitchSetup);
  const eslPort = (await sw.ready) as number;
  const config: Config = benchConfig(org.dbPath);
  config.freeswitch = { ...config.freeswitch, nodes: [{ id: 'fs1', host: '127.0.0.1', port: eslPort, password: ESL_PASSWORD }] };
  const server = await startServer({ config, log: createLogger('warn', new LogSink()) });
  let bars: WorkerHandle<ToBars> | undefined;
  try {
    await until('polylink sees every phone registered', () => server.switch.registered().length >= org.agents.length, 60_000);
    bars = new WorkerHandle<ToBars>(new URL('./bars-worker.js', import.meta.url), {
      ports: { tcp: server.tcpPort, http: server.httpPort },
      password: PASSWORD,
      heartbeatSeconds: server.engine.services.heartbeatIntervalSeconds,
    } satisfies BarsSetup);
    await bars.ready;
    return { org, stages: await stages(o, org, server, sw, bars) };
  } finally {
    await bars?.ask({ op: 'close' }).catch(() => undefined);
    await bars?.terminate();
    await server.close();
    await sw.ask({ op: 'stop' }).catch(() => undefined);
    await sw.terminate();
  }
}

/** Agents signed in and put through one round of calls before the first stage: the code those paths compile is not per item. */
const WARM_UP = 20;

async function stages(o: MemoryOptions, org: BenchOrganisation, server: RunningServer, sw: WorkerHandle<ToSwitch>, bars: WorkerHandle<ToBars>): Promise<Stage[]> {
  const out: Stage[] = [];
  const stage = async (name: string): Promise<void> => {
    out.push(await measure(name, server, org, o.snapshotDir));
    progress(`${name}: heap ${(out.at(-1)!.heapUsedBytes / 2 ** 20).toFixed(1)} MB`);
  };
  const n = o.n;
  const signIn = async (list: readonly BenchAgent[], transport: BarAgent['transport']): Promise<void> => {
    const began = performance.now();
    const r = await bars.ask<{ signedIn: number; failures: string[] }>({ op: 'sign-in', agents: list.map((a) => ({ id: a.id, exten: a.exten, transport })), window: 32 });
    if (r.failures.length > 0) throw new Error(`${r.failures.length} sign-ins failed: ${r.failures.slice(0, 3).join('; ')}`);
    progress(`signed in ${r.signedIn} over ${transport} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  };

  const warm = org.agents.slice(2 * n);
  await signIn(warm.slice(0, WARM_UP / 2), 'tcp');
  await signIn(warm.slice(WARM_UP / 2), 'ws-xml');
  await callRound(server, org, sw, bars, warm, WARM_UP, accessNumbersOf(org, warm), async () => undefined);
  // The warm-up agents stay signed in, BUSY: they take no more calls.
  await setStatus(server, bars, warm, AgentStatus.BUSY);

  await sleep(1000);
  await stage('empty');
  const measured = org.agents.slice(0, 2 * n);
  await signIn(measured.slice(0, n), 'tcp');
  await stage('agents-tcp');
  await signIn(measured.slice(n), 'ws-xml');
  await stage('agents');
  await callRound(server, org, sw, bars, measured, n, accessNumbersOf(org, measured), stage);
  await stage('after');
  return out;
}

/**
 * `count` customers through `agents`: queued while the agents are BUSY, then ringing them
 * (phones that do not answer), all hung up; then talking to them, all hung up again.
 */
async function callRound(
  server: RunningServer,
  org: BenchOrganisation,
  sw: WorkerHandle<ToSwitch>,
  bars: WorkerHandle<ToBars>,
  agents: readonly BenchAgent[],
  count: number,
  accessNumbers: readonly string[],
  mark: (stage: string) => Promise<void>,
): Promise<void> {
  const extens = agents.map((a) => a.exten);
  const inStatus = (status: number): number => agents.filter((a) => server.engine.agents.session(a.id)?.machine.status === status).length;
  const hangUpAll = async (): Promise<void> => {
    await sw.ask({ op: 'hangup-all' });
    await until('every call gone and every agent IDLE', () => server.engine.calls.desk.registry.size === 0 && inStatus(AgentStatus.IDLE) === agents.length, 120_000);
  };
  // Queued: nobody free, the customers waiting (each a call and a queue entry).
  await setStatus(server, bars, agents, AgentStatus.BUSY);
  await sw.ask({ op: 'phones', extens, answerAfterMs: 600_000 });
  await sw.ask({ op: 'place', count, accessNumbers, callerPrefix: '1391' });
  await until(`${count} customers waiting`, () => waiting(server, org) === count, 120_000);
  await mark('queued');
  // Ringing: the agents free again, each queued customer rings one (the phones ring for 10 minutes).
  await bars.ask({ op: 'status', ids: agents.map((a) => a.id), target: AgentStatus.IDLE });
  await until(`${count} agents ringing`, () => inStatus(AgentStatus.RING) === count, 120_000);
  await mark('ringing');
  await hangUpAll();
  // Talking: the phones answer at once, every customer bridged to an agent.
  await sw.ask({ op: 'phones', extens, answerAfterMs: 0 });
  await sw.ask({ op: 'place', count, accessNumbers, callerPrefix: '1392' });
  await until(`${count} agents talking`, () => inStatus(AgentStatus.TALKING) === count, 120_000);
  await mark('talking');
  await hangUpAll();
}

/** The access numbers of the queues these agents are members of: their customers reach only them. */
function accessNumbersOf(org: BenchOrganisation, agents: readonly BenchAgent[]): string[] {
  const queues = new Set(agents.map((a) => a.queueNum));
  return org.accessNumbers.filter((_, i) => queues.has(org.queueNums[i]!));
}

async function setStatus(server: RunningServer, bars: WorkerHandle<ToBars>, agents: readonly BenchAgent[], target: number): Promise<void> {
  await bars.ask({ op: 'status', ids: agents.map((a) => a.id), target });
  await until(`${agents.length} agents in status ${target}`, () => agents.every((a) => server.engine.agents.session(a.id)?.machine.status === target), 60_000);
}

function waiting(server: RunningServer, org: BenchOrganisation): number {
  return org.queueNums.reduce((sum, q) => sum + server.engine.queues.waitingCount(q), 0);
}

function statusCounts(server: RunningServer): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const s of server.engine.agents.allSessions()) counts[s.machine.status] = (counts[s.machine.status] ?? 0) + 1;
  return counts;
}

async function measure(name: string, server: RunningServer, org: BenchOrganisation, snapshotDir: string): Promise<Stage> {
  // Timers and sockets settle; then two full collections (the second frees what the first's finalizers let go).
  await sleep(2000);
  gc!();
  await sleep(100);
  gc!();
  const m = process.memoryUsage();
  const snapshot = writeHeapSnapshot(join(snapshotDir, `${name}.heapsnapshot`));
  return {
    name,
    heapUsedBytes: m.heapUsed,
    externalBytes: m.external,
    arrayBuffersBytes: m.arrayBuffers,
    rssBytes: m.rss,
    snapshot,
    state: { calls: server.engine.calls.desk.registry.size, waiting: waiting(server, org), statuses: statusCounts(server) },
  };
}

async function until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const limit = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
