/**
 * polylink as an operator runs it: the build's CLI, `polylink start --config <file>`, in
 * a process of its own, with a configuration the harness writes into the run's folder
 * (its database, the switch nodes, loopback ports) and the probe loaded beside it
 * (polylink-probe.ts). With `profile`, node writes a CPU profile when it exits.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { startChild, type Child, tail } from './child.js';
import { ESL_PASSWORD, type SwitchNode } from './switch-nodes.js';

export interface PolylinkPorts {
  readonly tcp: number;
  readonly http: number;
}

/** The simulators' configuration: the run's database (their organisation) and room for every channel of the load. */
export function writeSimulatorConfig(dir: string, dbPath: string): string {
  const file = join(dir, 'simulator.yaml');
  writeFileSync(file, stringify({ log: { level: 'info' }, database: { path: dbPath }, organisation: { importOnEmpty: null }, simulator: { maxSessions: 100_000 } }));
  return file;
}

export function writePolylinkConfig(dir: string, dbPath: string, ports: PolylinkPorts, nodes: readonly SwitchNode[], queueEvents: 'members' | 'asked', more: Readonly<Record<string, unknown>> = {}): string {
  const file = join(dir, 'polylink.yaml');
  writeFileSync(
    file,
    stringify({
      // The operator's default: the journal of calls and sign-ins is part of what polylink does.
      log: { level: 'info' },
      // Every bar of the run connects from 127.0.0.1, where a floor's agents each have their own
      // address: the per-address connection cap (agent.maxConnectionsPerAddress) would refuse them.
      agent: { host: '127.0.0.1', tcpPort: ports.tcp, maxConnectionsPerAddress: 0 },
      http: { host: '127.0.0.1', port: ports.http },
      database: { path: dbPath },
      organisation: { importOnEmpty: null },
      freeswitch: { nodes: nodes.map((n) => ({ id: n.id, host: '127.0.0.1', port: n.eslPort, password: ESL_PASSWORD })) },
      calls: { recordingsDir: join(dir, 'recordings') },
      acd: { queueEvents },
      // Sections a bench on the harness's pieces adds (bench/webhooks: its targets and pace).
      ...more,
    }),
  );
  return file;
}

export interface PolylinkOptions {
  readonly build: string;
  readonly dir: string;
  readonly configFile: string;
  readonly probeFile: string;
  /** Where node --cpu-prof writes; undefined: no profile. */
  readonly profileDir: string | undefined;
  /** Log file name in the run's folder (a restart writes a second one). */
  readonly logName: string;
}

export async function startPolylink(o: PolylinkOptions, ports: PolylinkPorts, nodeCount: number): Promise<Child> {
  const probe = pathToFileURL(join(o.build, 'dist', 'bench', 'load', 'polylink-probe.js')).href;
  const args = [
    ...(o.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`]),
    '--import',
    probe,
    join(o.build, 'dist', 'src', 'cli.js'),
    'start',
    '--config',
    o.configFile,
  ];
  const child = startChild('polylink', args, { cwd: o.build, logFile: join(o.dir, o.logName), env: { BENCH_PROBE_FILE: o.probeFile } });
  try {
    await untilConnected(child, ports.http, nodeCount);
    return child;
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** /health answers and every switch node is connected. */
async function untilConnected(child: Child, httpPort: number, nodeCount: number): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    if (!child.running) throw new Error(`polylink exited before it was up; its log: ${child.logFile}\n${tail(child.logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/health`, { signal: AbortSignal.timeout(2000) });
      const health = (await res.json()) as { nodes?: Array<{ state: string }> };
      if (health.nodes?.length === nodeCount && health.nodes.every((n) => n.state === 'ready')) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > until) throw new Error(`polylink was not connected to its switch within 60 s; its log: ${child.logFile}\n${tail(child.logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
