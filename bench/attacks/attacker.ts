/**
 * The attacker, in a worker thread so that building and writing 10 MB messages does not
 * run on polylink's thread: sends the attack set over real sockets, floods connections
 * and sign-ins from one address, and plays bars that stop reading.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CONTROL, JSON_ATTACKS, JSON_CONTROL, XML_ATTACKS, type Attack } from '../../test/helpers/attack-payloads.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../test/helpers/agent-client.js';
import { RawWebSocket } from '../../test/helpers/raw-websocket.js';
import type { AttackRun, Command, Ports, Report, SigninFlood } from './messages.js';

const ports = workerData as Ports;
const port = parentPort!;
const tell = (r: Report): void => port.postMessage(r);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let go: (() => void) | undefined;
port.on('message', (c: Command) => {
  if (c.cmd === 'go') {
    go?.();
    return;
  }
  void run(c).catch((err: unknown) => {
    console.error('[attacker]', err);
    process.exit(1);
  });
});

let slow: TcpAgentClient[] = [];

async function run(c: Command): Promise<void> {
  switch (c.cmd) {
    case 'attacks':
      for (let i = 0; i < c.repeat; i++) {
        for (const a of [CONTROL, ...XML_ATTACKS]) {
          await attack(a, 'tcp');
          await attack(a, 'ws-xml');
        }
        for (const a of [JSON_CONTROL, ...JSON_ATTACKS]) await attack(a, 'ws-json');
      }
      tell({ kind: 'attacks-done' });
      return;
    case 'signin-flood':
      tell({ kind: 'signin-flood', result: await signinFlood(c.connections, c.guesses) });
      return;
    case 'slow-readers':
      await slowReaders(c.readers);
      return;
    case 'stop-slow-readers':
      closeSlowReaders();
      return;
    case 'go':
      return;
  }
}

async function connect(transport: AttackRun['transport']): Promise<AgentClient> {
  if (transport === 'tcp') return TcpAgentClient.connect(ports.tcpPort);
  return WsAgentClient.connect(ports.httpPort, transport === 'ws-json' ? 'cti.json' : 'cti.xml');
}

/** The previous attack's connection is gone; the main thread measures afresh once it says go. */
async function ready(a: Attack, transport: AttackRun['transport']): Promise<void> {
  await sleep(200);
  await new Promise<void>((resolve) => {
    go = resolve;
    tell({ kind: 'attack-ready', name: a.name, transport });
  });
}

async function attack(a: Attack, transport: AttackRun['transport']): Promise<void> {
  if (a.oversize && transport !== 'tcp') {
    await oversizeFrame(a, transport);
    return;
  }
  const client = await connect(transport);
  await ready(a, transport);
  const start = performance.now();
  client.sendRaw(a.text);
  const answer = await client.response(0);
  const ms = performance.now() - start;
  tell({ kind: 'attack-answered' });
  // TCP: the -1 comes first, the connection is cut a second later.
  if (a.oversize) await client.closedPromise;
  tell({ kind: 'attack-end', run: { name: a.name, transport, ms, outcome: String(answer.body['retCode']), closed: client.closed } });
  client.close();
}

/**
 * A WebSocket frame over the limit, written by hand: the answer is the server's close
 * frame (1009), which the ws client does not report until the connection has ended.
 */
async function oversizeFrame(a: Attack, transport: AttackRun['transport']): Promise<void> {
  const client = await RawWebSocket.open(ports.httpPort, '/agent', [`Sec-WebSocket-Protocol: ${transport === 'ws-json' ? 'cti.json' : 'cti.xml'}`]);
  const frame = client.frame(0x1, a.text, true);
  await ready(a, transport);
  const start = performance.now();
  client.write(frame);
  const code = await client.closeFrame;
  const ms = performance.now() - start;
  tell({ kind: 'attack-answered' });
  await client.closedPromise;
  tell({ kind: 'attack-end', run: { name: a.name, transport, ms, outcome: `close ${code}`, closed: client.closed } });
}

/** The finding's attack: many connections from one address, then many wrong passwords at once. */
async function signinFlood(connections: number, guesses: number): Promise<SigninFlood> {
  const held = await Promise.all(Array.from({ length: connections }, () => TcpAgentClient.connect(ports.tcpPort, '127.0.0.4')));
  // A refused connection is answered at once; a taken one says nothing until it signs in.
  await Promise.all(held.map((c) => c.waitFor((m) => m.root === 'response', 0, 2000).catch(() => undefined)));
  const refused88 = held.filter((c) => c.received[0]?.body['retCode'] === '-88').length;
  const accepted = held.filter((c) => c.received.length === 0).length;
  for (const c of held) c.close();
  const guessers = await Promise.all(Array.from({ length: guesses }, () => TcpAgentClient.connect(ports.tcpPort, '127.0.0.2')));
  const start = performance.now();
  const codes = await Promise.all(guessers.map(async (c) => String((await c.signIn('1001', { agentPwd: 'guess' })).body['retCode'])));
  const guessesMs = performance.now() - start;
  for (const c of guessers) c.close();
  const desk = await TcpAgentClient.connect(ports.tcpPort, '127.0.0.3');
  const rightStart = performance.now();
  const right = String((await desk.signIn('1001')).body['retCode']);
  const rightMs = performance.now() - rightStart;
  desk.close();
  return {
    connections,
    accepted,
    refused88,
    guesses,
    wrongPassword53: codes.filter((c) => c === '-53').length,
    throttled89: codes.filter((c) => c === '-89').length,
    other: codes.filter((c) => c !== '-53' && c !== '-89'),
    guessesMs,
    rightPassword: { code: right, ms: rightMs },
  };
}

/**
 * Bars that stop reading: each signs in and stops reading; the main thread then makes
 * polylink send them events until it has cut each one off.
 */
async function slowReaders(readers: number): Promise<void> {
  slow = [];
  for (let i = 0; i < readers; i++) {
    const agentId = String(1001 + i);
    const c = await TcpAgentClient.connect(ports.tcpPort);
    const r = await c.signIn(agentId, { bindExten: 'no', agentExten: '' });
    if (r.body['retCode'] !== '0') throw new Error(`sign-in of ${agentId}: ${String(r.body['retCode'])}`);
    c.pause();
    slow.push(c);
  }
  tell({ kind: 'slow-readers-waiting', signedIn: slow.length });
}

function closeSlowReaders(): void {
  for (const c of slow) c.close();
  tell({ kind: 'slow-readers-done' });
}
