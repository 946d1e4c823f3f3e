/**
 * Worker thread: the agents' bars. One real TCP connection per agent to polylink's
 * agent port, NUL-framed XML as any agent bar speaks it: sign in (initStatus 0,
 * IDLE, bound to the agent's extension), send a heartbeat every heartbeat interval,
 * read everything polylink sends. It parses only what it needs — the response code
 * of the sign-in, each event's type, and the caller of each CallInEvent with the
 * time it was read — so that 2,000 clients stay cheap. A thread of its own: the
 * agents' machines are not polylink's, and on a 2-core box they should not eat
 * polylink's event loop.
 */
import { connect, type Socket } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { nulFrames } from '../nul-frames.js';
import { monotonicMs } from './clock.js';
import type { AgentWorkerSetup, FromWorker, ToWorker } from './agent-messages.js';

const setup = workerData as AgentWorkerSetup;
const parent = parentPort!;
const post = (m: FromWorker): void => parent.postMessage(m);

let messages = 0;
let bytes = 0;
let closedByServer = 0;
let stopping = false;
const byType = new Map<string, number>();
let callers: string[] = [];
let times: number[] = [];

class AgentBar {
  private rest = '';
  private response: ((text: string) => void) | undefined;

  constructor(
    readonly id: string,
    readonly exten: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('close', () => {
      if (!stopping) closedByServer++;
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, id: string, exten: string): Promise<AgentBar> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new AgentBar(id, exten, socket)));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  }

  /** Sends a request and resolves with the next response's text. */
  request(fields: Record<string, string>): Promise<string> {
    const body = Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('');
    return new Promise((resolve) => {
      this.response = resolve;
      this.socket.write(`<request>${body}</request>\0`);
    });
  }

  heartbeat(): void {
    this.socket.write(`<request><cmdType>heartbeat</cmdType><agentID>${this.id}</agentID></request>\0`);
  }

  close(): void {
    this.socket.destroy();
  }

  private data(chunk: Buffer): void {
    const at = monotonicMs();
    bytes += chunk.length;
    this.rest = nulFrames(this.rest, chunk, (text) => this.message(text, at));
  }

  private message(text: string, at: number): void {
    messages++;
    if (text.startsWith('<response>')) {
      const resolve = this.response;
      this.response = undefined;
      resolve?.(text);
      return;
    }
    const type = between(text, '<eventType>', '</eventType>') ?? '?';
    byType.set(type, (byType.get(type) ?? 0) + 1);
    if (type === 'CallInEvent') {
      callers.push(between(text, '<callerID>', '</callerID>') ?? '');
      times.push(at);
    }
  }
}

function between(text: string, open: string, close: string): string | undefined {
  const i = text.indexOf(open);
  if (i === -1) return undefined;
  const j = text.indexOf(close, i + open.length);
  return j === -1 ? undefined : text.slice(i + open.length, j);
}

const bars: AgentBar[] = [];

async function signIn(agent: { id: string; exten: string }): Promise<string | undefined> {
  try {
    const bar = await AgentBar.open(setup.port, agent.id, agent.exten);
    const response = await bar.request({
      cmdType: 'signin',
      agentID: agent.id,
      agentPwd: setup.password,
      bindExten: 'yes',
      agentExten: agent.exten,
      initStatus: '0',
    });
    const code = between(response, '<retCode>', '</retCode>');
    if (code !== '0') {
      bar.close();
      return `${agent.id}: retCode ${code ?? '?'}`;
    }
    bars.push(bar);
    return undefined;
  } catch (err) {
    return `${agent.id}: ${(err as Error).message}`;
  }
}

async function signInAll(): Promise<void> {
  const began = monotonicMs();
  const failures: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < setup.agents.length) {
      const failure = await signIn(setup.agents[next++]!);
      if (failure !== undefined) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: Math.min(setup.window, setup.agents.length) }, lane));
  post({ type: 'signed-in', signedIn: bars.length, failures, ms: monotonicMs() - began });
}

// Each second a 1/heartbeatSeconds share of the agents beats: one heartbeat per agent per interval, spread evenly.
let tick = 0;
const heartbeats = setInterval(() => {
  const slot = tick++ % setup.heartbeatSeconds;
  for (let i = slot; i < bars.length; i += setup.heartbeatSeconds) bars[i]!.heartbeat();
}, 1000);

const flush = setInterval(() => {
  if (callers.length === 0) return;
  post({ type: 'callins', callers, times });
  callers = [];
  times = [];
}, 200);

let mark = performance.eventLoopUtilization();

parent.on('message', (m: ToWorker) => {
  if (m.type === 'mark') {
    // What the bars receive is counted from the start of the load (sign-in traffic is not).
    mark = performance.eventLoopUtilization();
    messages = 0;
    bytes = 0;
    byType.clear();
    return;
  }
  stopping = true;
  clearInterval(heartbeats);
  clearInterval(flush);
  if (callers.length > 0) post({ type: 'callins', callers, times });
  const utilisation = performance.eventLoopUtilization(mark).utilization;
  const heap = getHeapStatistics();
  const MB = 1024 * 1024;
  post({
    type: 'final',
    messages,
    bytes,
    byType: Object.fromEntries(byType),
    closedByServer,
    utilisation,
    heapUsedMB: heap.used_heap_size / MB,
    heapTotalMB: heap.total_heap_size / MB,
  });
  for (const bar of bars) bar.close();
  parent.close();
});

void signInAll();
