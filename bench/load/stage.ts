/**
 * A run's stage: a temporary folder with the organisation, the configuration and every
 * log; the switch nodes (simulator processes), polylink, and the bars' process; the
 * monitor. Set up in that order and taken down in reverse, also when the run fails: no
 * process and no folder outlives the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BarsProcess } from './bars-process.js';
import type { BarAgent, BarsSetup, BarSupervisor } from './bars/messages.js';
import type { Transport } from './bars/connection.js';
import { killAll, type Child } from './child.js';
import { Monitor } from './monitor.js';
import type { HarnessOptions } from './options.js';
import { buildOrganisation, PASSWORD, type LoadOrganisation } from './organisation.js';
import { startPolylink, writePolylinkConfig, writeSimulatorConfig, type PolylinkOptions, type PolylinkPorts } from './polylink-child.js';
import { startNode, type SwitchNode } from './switch-nodes.js';

export interface Stage {
  readonly options: HarnessOptions;
  readonly dir: string;
  readonly org: LoadOrganisation;
  readonly nodes: readonly SwitchNode[];
  /** Queue number → the node whose phones and customers it has. */
  readonly nodeOfQueue: ReadonlyMap<string, SwitchNode>;
  readonly ports: PolylinkPorts;
  polylink: Child;
  readonly bars: BarsProcess;
  readonly monitor: Monitor;
  readonly probeFile: string;
  readonly profileDir: string | undefined;
  readonly setupMs: { readonly organisation: number; readonly switch: number; readonly polylink: number };
  /** Stops polylink (SIGTERM, its orderly shutdown) and starts it again on the same database and ports. */
  restartPolylink(): Promise<{ stopMs: number; startMs: number }>;
}

export const progress = (text: string): void => void process.stderr.write(`[load ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

/** Agents alternate TCP, WebSocket cti.json, TCP, WebSocket cti.xml: half TCP, half WebSocket. */
function transportOf(i: number): Transport {
  return (['tcp', 'ws-json', 'tcp', 'ws-xml'] as const)[i % 4]!;
}

export async function withStage<T>(options: HarnessOptions, build: string, act: (stage: Stage) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-load-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  // Stopped from outside (Ctrl-C, a test's time-out): no process and no folder is left behind.
  const abort = (signal: NodeJS.Signals): void => {
    killAll();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`load harness: ${signal}: stopped\n`);
    process.exit(130);
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    progress(`run folder ${dir}`);
    const s = options.scenario;
    let t = performance.now();
    progress(`organisation: ${s.agents} agents in ${s.queues} queues, ${s.supervisors} supervisors (one scrypt hash shared)`);
    const org = await buildOrganisation(dir, s.agents, s.queues, s.supervisors, s.wrapUpSeconds);
    const organisationMs = performance.now() - t;

    t = performance.now();
    progress(`switch: ${options.nodes} simulator process(es)`);
    const simulatorConfig = writeSimulatorConfig(dir, org.dbPath);
    const switchProfileDir = options.profileSwitch ? switchProfileDirOf(options) : undefined;
    if (switchProfileDir !== undefined) rmSync(switchProfileDir, { recursive: true, force: true });
    const nodes = await Promise.all(Array.from({ length: options.nodes }, (_, i) => startNode(i, build, dir, simulatorConfig, switchProfileDir)));
    for (const n of nodes) started.push(n.child);
    const nodeOfQueue = new Map(org.queues.map((q, i) => [q.num, nodes[i % nodes.length]!]));
    await furnishPhones(org, nodes, nodeOfQueue, s.answerMs);
    const switchMs = performance.now() - t;

    t = performance.now();
    const ports = { tcp: await unusedPort(), http: await unusedPort() };
    const probeFile = join(dir, 'polylink-probe.jsonl');
    const profileDir = options.profile ? profileDirOf(options) : undefined;
    if (profileDir !== undefined) rmSync(profileDir, { recursive: true, force: true });
    const configFile = writePolylinkConfig(dir, org.dbPath, ports, nodes, options.queueEvents, options.polylinkConfig);
    const polylinkOptions = (logName: string): PolylinkOptions => ({ build, dir, configFile, probeFile, profileDir, logName });
    progress(`polylink: starting (${build}/dist/src/cli.js start)${profileDir === undefined ? '' : `, CPU profile into ${profileDir}`}`);
    let polylink = await startPolylink(polylinkOptions('polylink.log'), ports, nodes.length);
    const current = { stop: () => polylink.stop() };
    started.push(current);
    // polylink learns the phones' registrations right after it connects (show registrations).
    await new Promise((r) => setTimeout(r, 2000));
    const polylinkMs = performance.now() - t;

    const bars = await BarsProcess.start(build, dir, barsSetup(options, org, ports));
    started.push({ stop: () => bars.close() });
    const monitor = new Monitor(probeFile, () => [...nodes.map((n) => n.child), bars.child]);
    let restarts = 0;
    const stage: Stage = {
      options,
      dir,
      org,
      nodes,
      nodeOfQueue,
      ports,
      get polylink() {
        return polylink;
      },
      bars,
      monitor,
      probeFile,
      profileDir,
      setupMs: { organisation: organisationMs, switch: switchMs, polylink: polylinkMs },
      async restartPolylink() {
        const began = performance.now();
        await polylink.stop();
        const stopMs = performance.now() - began;
        polylink = await startPolylink(polylinkOptions(`polylink-${++restarts + 1}.log`), ports, nodes.length);
        await new Promise((r) => setTimeout(r, 2000));
        return { stopMs, startMs: performance.now() - began - stopMs };
      },
    };
    return await act(stage);
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    if (options.keep) progress(`the run's folder is kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Where node --cpu-prof writes polylink's profiles of a run (emptied when the run starts). */
export function profileDirOf(options: HarnessOptions): string {
  return join(options.resultsDir, 'profiles', options.profileName ?? options.scenario.name);
}

/** Where node --cpu-prof writes the simulators' profiles of a run (--profile-switch; emptied when the run starts). */
export function switchProfileDirOf(options: HarnessOptions): string {
  return join(options.resultsDir, 'profiles', `${options.scenario.name}-switch`);
}

/** Every phone answers after answerMs; with several nodes each phone is registered on its queue's node only. */
async function furnishPhones(org: LoadOrganisation, nodes: readonly SwitchNode[], nodeOfQueue: ReadonlyMap<string, SwitchNode>, answerMs: readonly [number, number]): Promise<void> {
  const behaviour = { kind: 'answer', afterMs: answerMs[0], afterMsMax: answerMs[1] };
  await Promise.all(
    nodes.map(async (node) => {
      await node.control('PUT', '/simulator/phones', { behaviour });
      if (nodes.length === 1) return;
      const elsewhere = org.agents.filter((a) => nodeOfQueue.get(a.queue) !== node).map((a) => a.exten);
      await node.control('PUT', '/simulator/phones', { extensions: elsewhere, registered: false });
    }),
  );
}

function barsSetup(options: HarnessOptions, org: LoadOrganisation, ports: PolylinkPorts): BarsSetup {
  const agents: BarAgent[] = org.agents.map((a, index) => ({ id: a.id, exten: a.exten, queue: a.queue, transport: transportOf(index), index }));
  const supervisors: BarSupervisor[] = org.supervisors.map((s) => ({ id: s.id, queue: s.queue, transport: 'ws-json' }));
  return {
    ports,
    password: PASSWORD,
    // polylink's default (agent.heartbeatIntervalSeconds), which the harness's config keeps.
    heartbeatSeconds: 30,
    agents,
    supervisors,
    breaks: { perAgentPerHour: options.scenario.breaksPerAgentPerHour, minMs: 10_000, maxMs: 30_000 },
    supervisorQueryEveryMs: options.scenario.supervisorQuery?.everyMs ?? 10_000,
    supervisorQueryCmd: options.scenario.supervisorQuery?.cmdType ?? 'getqueuestatis',
    workers: options.barWorkers,
  };
}

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
