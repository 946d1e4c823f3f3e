/**
 * The FreeSWITCH nodes of a run: the simulator in processes of its own (`polylink
 * simulator`, src/cli/simulator-command.ts), each furnished from the run's database, and
 * its HTTP controls (docs/simulator.md) to set the phones, place the customers and read
 * back their switch-side times.
 */
import { join } from 'node:path';
import type { CustomerRecord } from '../../src/simulator/load/call-timeline.js';
import { startChild, waitForLog, type Child } from './child.js';

export const ESL_PASSWORD = 'load-harness-esl';

export interface SwitchNode {
  readonly id: string;
  readonly child: Child;
  readonly eslPort: number;
  readonly controlPort: number;
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** `profileDir`: node --cpu-prof writes the simulator's CPU profile there when it exits (--profile-switch). */
export async function startNode(index: number, build: string, dir: string, configFile: string, profileDir?: string): Promise<SwitchNode> {
  const id = `fs${index + 1}`;
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${id}.cpuprofile`];
  const child = startChild(id, [...profile, join(build, 'dist', 'src', 'cli.js'), 'simulator', '--config', configFile, '--port', '0', '--control-port', '0', '--password', ESL_PASSWORD], {
    cwd: build,
    logFile: join(dir, `simulator-${id}.log`),
  });
  try {
    const up = await waitForLog(child, (l) => l['msg'] === 'simulator is up', 60_000);
    const controlPort = Number(up['controlPort']);
    return { id, child, eslPort: Number(up['eslPort']), controlPort, control: (method, path, body) => control(controlPort, method, path, body) };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

async function control<T>(port: number, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const answer = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`simulator ${method} ${path}: HTTP ${res.status} ${answer.error ?? ''}`);
  return answer;
}

export interface LoadRequest {
  readonly callsPerSecond: number;
  readonly seconds: number;
  readonly accessNumbers: readonly string[];
  readonly talkMs: readonly [number, number];
  readonly patienceMs: number;
  readonly callerPrefix: string;
}

export interface LoadState {
  readonly arriving: boolean;
  readonly live: number;
  readonly placed: number;
  readonly bridged: number;
  readonly ended: number;
  readonly unserved: number;
}

export const startLoad = (node: SwitchNode, load: LoadRequest): Promise<unknown> => node.control('POST', '/simulator/load', { ...load, talkFrom: 'bridge' });
export const loadState = (node: SwitchNode): Promise<LoadState> => node.control('GET', '/simulator/load');
export const customers = async (node: SwitchNode): Promise<CustomerRecord[]> => (await node.control<{ customers: CustomerRecord[] }>('GET', '/simulator/load/customers')).customers;

/** Channels of agents (polylink put polylink_agent on them) still up in the switch. */
export async function agentChannels(node: SwitchNode): Promise<number> {
  const { channels } = await node.control<{ channels: Array<{ variables: Record<string, string> }> }>('GET', '/simulator/channels');
  return channels.filter((c) => c.variables['polylink_agent'] !== undefined).length;
}

export interface LoopHealth {
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  readonly loopUtilisation: number;
}

/** The simulator process's event loop since the previous call. */
export async function loopHealth(node: SwitchNode): Promise<LoopHealth> {
  return (await node.control<{ process: LoopHealth }>('GET', '/simulator/status')).process;
}

/** The worst of a node's looks: the latest delay and the mean busy share. */
export function worstLoops(looks: readonly LoopHealth[]): { delayP99Ms: number; delayMaxMs: number; utilisation: number } | undefined {
  if (looks.length === 0) return undefined;
  return {
    delayP99Ms: Math.max(...looks.map((l) => l.loopDelayP99Ms)),
    delayMaxMs: Math.max(...looks.map((l) => l.loopDelayMaxMs)),
    utilisation: looks.reduce((n, l) => n + l.loopUtilisation, 0) / looks.length,
  };
}
