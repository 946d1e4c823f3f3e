/**
 * Worker thread: the supervisors' bars. One real TCP connection each, NUL-framed XML,
 * signed in without a phone (BUSY), each asking getallqueuestatis every `pollMs` once told
 * to, and reading everything polylink pushes: the AgentStatusChangeEvents of its groups
 * (reported back with the time each was read), queue events, QueueStatisChangeEvent. A
 * thread of its own, as the agents' bars: supervisors' machines are not polylink.
 */
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { monotonicMs } from '../acd/clock.js';
import { nulFrames } from '../nul-frames.js';
import type { FromSupervisors, SupervisorWorkerSetup, ToSupervisors } from './supervisor-messages.js';

const setup = workerData as SupervisorWorkerSetup;
const parent = parentPort!;
const post = (m: FromSupervisors): void => parent.postMessage(m);

let messages = 0;
let bytes = 0;
let closedByServer = 0;
let refused = 0;
let stopping = false;
const byType = new Map<string, number>();
const responseMs: number[] = [];
const resultMs: number[] = [];
let reads: { keys: string[]; who: number[]; times: number[] } = { keys: [], who: [], times: [] };

function between(text: string, open: string, close: string): string | undefined {
  const i = text.indexOf(open);
  if (i === -1) return undefined;
  const j = text.indexOf(close, i + open.length);
  return j === -1 ? undefined : text.slice(i + open.length, j);
}

class SupervisorBar {
  private rest = '';
  private signInAnswer: ((text: string) => void) | undefined;
  /** The query in flight: when it was written, whether its response came. */
  asked: { at: number; answered: boolean } | undefined;

  constructor(
    readonly index: number,
    readonly id: string,
    private readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('close', () => {
      if (!stopping) closedByServer++;
    });
    socket.on('error', () => undefined);
  }

  static open(index: number, id: string): Promise<SupervisorBar> {
    return new Promise((resolve, reject) => {
      const socket = connect(setup.port, '127.0.0.1', () => resolve(new SupervisorBar(index, id, socket)));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  }

  signIn(): Promise<string> {
    return new Promise((resolve) => {
      this.signInAnswer = resolve;
      this.write(`<cmdType>signin</cmdType><agentID>${this.id}</agentID><agentPwd>${setup.password}</agentPwd><bindExten>no</bindExten><initStatus>6</initStatus>`);
    });
  }

  ask(): void {
    // A query still unanswered is not asked again (a slow server is not piled on).
    if (this.asked !== undefined) return;
    this.asked = { at: monotonicMs(), answered: false };
    this.write(`<cmdType>getallqueuestatis</cmdType><agentID>${this.id}</agentID>`);
  }

  heartbeat(): void {
    this.write(`<cmdType>heartbeat</cmdType><agentID>${this.id}</agentID>`);
  }

  close(): void {
    this.socket.destroy();
  }

  private write(body: string): void {
    this.socket.write(`<request>${body}</request>\0`);
  }

  private data(chunk: Buffer): void {
    const at = monotonicMs();
    bytes += chunk.length;
    this.rest = nulFrames(this.rest, chunk, (text) => this.message(text, at));
  }

  private message(text: string, at: number): void {
    messages++;
    if (text.startsWith('<response>')) {
      const cmdType = between(text, '<cmdType>', '</cmdType>');
      if (cmdType === 'signin') {
        this.signInAnswer?.(text);
        this.signInAnswer = undefined;
      } else if (cmdType === 'getallqueuestatis' && this.asked !== undefined) {
        if (between(text, '<retCode>', '</retCode>') !== '0') {
          refused++;
          this.asked = undefined;
        } else {
          this.asked.answered = true;
          responseMs.push(at - this.asked.at);
        }
      }
      return;
    }
    const type = between(text, '<eventType>', '</eventType>') ?? '?';
    byType.set(type, (byType.get(type) ?? 0) + 1);
    if (type === 'AgentStatusChangeEvent') {
      reads.keys.push(`${between(text, '<agent_num>', '</agent_num>')}|${between(text, '<old_status>', '</old_status>')}|${between(text, '<new_status>', '</new_status>')}`);
      reads.who.push(this.index);
      reads.times.push(at);
    } else if (type === 'GetAllQueueStatisEvent' && this.asked?.answered === true) {
      resultMs.push(at - this.asked.at);
      this.asked = undefined;
    }
  }
}

const bars: SupervisorBar[] = [];

async function signInAll(): Promise<void> {
  const failures: string[] = [];
  // One at a time: each costs polylink a scrypt verification, and there are few.
  for (const [index, id] of setup.supervisors.entries()) {
    try {
      const bar = await SupervisorBar.open(index, id);
      const code = between(await bar.signIn(), '<retCode>', '</retCode>');
      if (code === '0') bars.push(bar);
      else {
        failures.push(`${id}: retCode ${code ?? '?'}`);
        bar.close();
      }
    } catch (err) {
      failures.push(`${id}: ${(err as Error).message}`);
    }
  }
  post({ type: 'signed-in', signedIn: bars.length, failures });
}

let tick = 0;
const heartbeats = setInterval(() => {
  const slot = tick++ % setup.heartbeatSeconds;
  for (let i = slot; i < bars.length; i += setup.heartbeatSeconds) bars[i]!.heartbeat();
}, 1000);

const flush = setInterval(() => {
  if (reads.keys.length === 0) return;
  post({ type: 'status-reads', ...reads });
  reads = { keys: [], who: [], times: [] };
}, 200);

let polls: NodeJS.Timeout[] = [];
let mark = performance.eventLoopUtilization();

parent.on('message', (m: ToSupervisors) => {
  if (m.type === 'poll') {
    mark = performance.eventLoopUtilization();
    messages = 0;
    bytes = 0;
    byType.clear();
    // Spread over the interval: supervisor i asks at i/n of it, then every pollMs.
    polls = bars.map((bar, i) =>
      setTimeout(() => {
        bar.ask();
        polls.push(setInterval(() => bar.ask(), setup.pollMs));
      }, (i * setup.pollMs) / bars.length),
    );
    return;
  }
  stopping = true;
  for (const p of polls) clearTimeout(p);
  clearInterval(heartbeats);
  clearInterval(flush);
  if (reads.keys.length > 0) post({ type: 'status-reads', ...reads });
  post({
    type: 'final',
    responseMs,
    resultMs,
    unanswered: bars.filter((b) => b.asked !== undefined).length,
    refused,
    messages,
    bytes,
    byType: Object.fromEntries(byType),
    closedByServer,
    utilisation: performance.eventLoopUtilization(mark).utilization,
  });
  for (const bar of bars) bar.close();
  parent.close();
});

void signInAll();
