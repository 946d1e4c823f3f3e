/**
 * One run of the ACD benchmark: build the organisation, start polylink in-process on
 * its built-in simulator, sign every agent in over TCP (worker thread), put the
 * customer load through, wait until every customer has been served and has hung up,
 * and collect what the probes saw.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import { statusName } from '../../src/core/agent-status.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { FreeSwitchSwitch } from '../../src/switch/freeswitch/freeswitch-switch.js';
import { AgentPool, type ClientTotals, type SignInOutcome } from './agent-pool.js';
import { monotonicMs } from './clock.js';
import { CustomerLoad } from './customers.js';
import { IdleCheck } from './idle-check.js';
import { LogSink } from './log-sink.js';
import type { AcdOptions } from './options.js';
import { buildOrganisation, PASSWORD, type BenchOrganisation } from './organisation.js';
import { AcdProbes } from './probes.js';
import { LoopMonitor, memoryNow, type LoopFigures, type Memory } from './process-metrics.js';
import { latencies, rates, type Latencies, type Rates } from './results.js';

export interface RunResult {
  readonly org: BenchOrganisation;
  readonly startMs: number;
  readonly signIn: SignInOutcome;
  readonly customers: { placed: number; bridged: number; ended: number; unserved: number; leftAtEnd: number };
  readonly offers: number;
  readonly reOffers: number;
  readonly triggers: ReadonlyMap<string, number>;
  readonly latency: Latencies;
  readonly rates: Rates;
  readonly loop: LoopFigures;
  readonly agentsUtilisation: number;
  readonly memory: { readonly before: Memory; readonly endOfArrivals: Memory; readonly afterDrain: Memory };
  readonly idle: IdleCheck;
  readonly clients: ClientTotals;
  readonly endState: { readonly statuses: Record<string, number>; readonly callsInPolylink: number; readonly waiting: number };
  readonly logs: ReadonlyMap<string, number>;
}

const progress = (text: string): void => void process.stderr.write(`[acd] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(options: AcdOptions): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-acd-'));
  try {
    progress(`organisation: ${options.agents} agents in ${options.queues} queues (${options.hashEach ? 'a scrypt hash each' : 'one shared scrypt hash'})`);
    const org = await buildOrganisation(dir, options.agents, options.queues, options.wrapUpSeconds, options.hashEach);
    const logs = new LogSink();
    const startBegan = performance.now();
    const server = await startServer({ config: benchConfig(org.dbPath), log: createLogger('warn', logs) });
    const startMs = performance.now() - startBegan;
    try {
      return await load(options, org, server, startMs, logs);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** polylink's configuration for a benchmark: quiet, loopback, the simulator sized for the load (bench/monitor too). */
export function benchConfig(dbPath: string): Config {
  const config = structuredClone(DEFAULT_CONFIG);
  config.log.level = 'warn';
  config.agent.host = '127.0.0.1';
  config.agent.tcpPort = 0;
  // Every agent's bar connects from 127.0.0.1: no cap per address.
  config.agent.maxConnectionsPerAddress = 0;
  config.http = { ...config.http, host: '127.0.0.1', port: 0 };
  config.database = { driver: 'sqlite', path: dbPath, url: null };
  config.organisation = { importOnEmpty: null };
  // ~2 channels per call in progress: 4,000 at the issue's load, FreeSWITCH's default of 1,000 is not enough.
  config.simulator = { ...config.simulator, port: 0, maxSessions: 20_000 };
  return config;
}

async function load(options: AcdOptions, org: BenchOrganisation, server: RunningServer, startMs: number, logs: LogSink): Promise<RunResult> {
  const { engine } = server;
  const sim = server.switch.simulator;
  if (sim === undefined) throw new Error('polylink did not start its simulator');
  const [answerMin, answerMax] = options.answerMs;
  for (const a of org.agents) sim.setPhoneBehaviour(a.exten, { kind: 'answer', afterMs: answerMin, afterMsMax: answerMax });

  const customers = new CustomerLoad(sim, { rate: options.rate, seconds: options.seconds, accessNumbers: org.accessNumbers, talkMs: options.talkMs });
  // Before any agent connects: the probes wrap each connection as it is attached.
  const port = server.switch.port;
  const esl = port instanceof FreeSwitchSwitch ? port.node('simulator')?.client : undefined;
  if (esl === undefined) throw new Error("polylink's ESL client to its simulator was not found");
  const probes = new AcdProbes(engine, sim, esl, (uuid) => customers.callerOf(uuid));

  progress(`signing ${org.agents.length} agents in over TCP (each verifies a scrypt hash)…`);
  const agents = new AgentPool({
    port: server.tcpPort,
    agents: org.agents.map((a) => ({ id: a.id, exten: a.exten })),
    password: PASSWORD,
    heartbeatSeconds: server.engine.services.heartbeatIntervalSeconds,
    window: 32,
  });
  const signIn = await agents.whenSignedIn();
  progress(`signed in: ${signIn.signedIn} in ${(signIn.ms / 1000).toFixed(1)} s${signIn.failures.length > 0 ? `, ${signIn.failures.length} failed (${signIn.failures.slice(0, 3).join('; ')})` : ''}`);
  await sleep(1000);

  const before = memoryNow();
  const monitor = new LoopMonitor();
  const idle = new IdleCheck(engine, server.switch.port, org.queueNums);
  progress(`load: ${options.rate} calls/s for ${options.seconds} s`);
  // polylink's log during the load only (its start-up warning about the simulator is expected).
  logs.counts.clear();
  probes.record(true);
  agents.mark();
  monitor.start();
  idle.start(options.checkEveryMs);
  const loadStart = monotonicMs();
  const ticker = setInterval(() => {
    const t = ((monotonicMs() - loadStart) / 1000).toFixed(0);
    const m = memoryNow(false);
    progress(
      `t=${t}s placed ${customers.placed}, offered ${probes.offers.length}, answered ${customers.bridged}, ended ${customers.ended}, on the line ${customers.live}; ` +
        `RSS ${m.rssMB.toFixed(0)} MB, heap ${m.heapUsedMB.toFixed(0)} MB, external ${m.externalMB.toFixed(0)} MB`,
    );
  }, 10_000);
  await customers.start();
  // No forced collection here: the load is still running, and a full GC would stall it.
  const endOfArrivals = memoryNow(false);

  // Drain: every customer served and hung up (bounded: a stuck customer must not hang the benchmark).
  const limit = monotonicMs() + (answerMax + options.talkMs[1]) + options.wrapUpSeconds * 1000 + 60_000;
  while (customers.live > 0 && monotonicMs() < limit) await sleep(250);
  clearInterval(ticker);
  idle.stop();
  const loop = monitor.stop();
  probes.record(false);
  const logged = new Map(logs.counts);
  const leftAtEnd = customers.live;
  customers.stop();
  // Let the last wrap-ups run out: every agent should be IDLE again.
  await sleep(options.wrapUpSeconds * 1000 + 1000);
  const afterDrain = memoryNow();

  const statuses: Record<string, number> = {};
  for (const s of engine.agents.allSessions()) {
    const name = statusName(s.machine.status);
    statuses[name] = (statuses[name] ?? 0) + 1;
  }
  const waiting = org.queueNums.reduce((n, q) => n + engine.queues.waitingCount(q), 0);
  const clients = await agents.stop();
  const placeTimes = customers.placeTimes;
  return {
    org,
    startMs,
    signIn,
    customers: { placed: customers.placed, bridged: customers.bridged, ended: customers.ended, unserved: customers.unserved, leftAtEnd },
    offers: probes.offers.length,
    reOffers: probes.reOffers,
    triggers: probes.triggers,
    latency: latencies(probes.offers, agents.readAt),
    rates: rates(options, loadStart, placeTimes, probes.offers.map((o) => o.writtenAt), customers.bridgeTimes),
    loop,
    agentsUtilisation: clients.utilisation,
    memory: { before, endOfArrivals, afterDrain },
    idle,
    clients,
    endState: { statuses, callsInPolylink: engine.calls.desk.registry.size, waiting },
    logs: logged,
  };
}
