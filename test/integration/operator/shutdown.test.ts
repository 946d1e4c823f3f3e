// Stopping polylink with a signal, as an operator (Ctrl-C) or a service manager (SIGTERM)
// does: a real child process, real agent bars on TCP and WebSocket, the SQLite file read
// after the process is gone.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_LIMIT_MS } from '../../../src/cli/start-command.js';
import type { SwitchSimulator } from '../../../src/simulator/switch-simulator.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startOrganisationSwitch, rowsOf } from '../../helpers/organisation-switch.js';
import { type Build, buildPolylink, type RunningPolylink, startPolylink } from '../../helpers/polylink-process.js';

let build: Build;
let dir: string;
const running: RunningPolylink[] = [];
const clients: AgentClient[] = [];
beforeAll(async () => {
  build = await buildPolylink();
}, 60_000);
afterAll(() => build?.remove());
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of running.splice(0)) {
    r.process.kill();
    await r.process.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<RunningPolylink> {
  const r = await startPolylink(build, join(dir, 'polylink.db'), env);
  running.push(r);
  return r;
}

async function bar<T extends AgentClient>(connect: Promise<T>, agentId: string): Promise<T> {
  const c = await connect;
  clients.push(c);
  expect(String((await c.signIn(agentId)).body['retCode'])).toBe('0');
  return c;
}

/** Sends the signal; resolves with the exit code and how long the process took to go. */
async function stop(r: RunningPolylink, signal: NodeJS.Signals): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  r.process.child.kill(signal);
  const { code } = await r.process.exited;
  return { code, ms: Date.now() - t0 };
}

async function eventuallyAsync(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const rows = (sql: string): Record<string, unknown>[] => rowsOf(join(dir, 'polylink.db'), sql);

describe('SIGTERM on the built-in simulator, with calls up', () => {
  it('ends the calls with their CDRs, signs out the agents it ended calls for and sets the free ones aside, tells the bars (WebSocket 1001), closes the database, exits 0 in time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-shutdown-'));
    const server = await start();
    const ws = await bar(WsAgentClient.connect(server.httpPort, 'cti.xml'), '1001');
    const tcp = await bar(TcpAgentClient.connect(server.tcpPort), '1002');
    await ws.request('callout', '1001', { calledID: '13900139000' });
    await ws.event('BridgeEvent');
    // A customer waiting in queue 631, whose agents are not signed in.
    const res = await fetch(`http://127.0.0.1:${server.httpPort}/simulator/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"4008002000","from":"02161234567"}' });
    expect(res.status).toBe(201);
    const { uuid } = (await res.json()) as { uuid: string };
    // polylink answers a customer it queues.
    await eventuallyAsync(async () => {
      const { channels } = (await (await fetch(`http://127.0.0.1:${server.httpPort}/simulator/channels`)).json()) as { channels: { uuid: string; answered: boolean }[] };
      return channels.some((c) => c.uuid === uuid && c.answered);
    });

    const { code, ms } = await stop(server, 'SIGTERM');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_LIMIT_MS);

    // The bars heard what happened, in order, before their connections closed.
    await ws.closedPromise;
    expect(ws.closeCode).toBe(1001);
    const told = ws.received.map((m) => m.body['eventType']).filter((t) => t === 'HangupEvent' || t === 'SignOutEvent');
    expect(told).toEqual(['HangupEvent', 'SignOutEvent']);
    expect(ws.events('HangupEvent')[0]!.body['hangupReason']).toBe('SYSTEM_SHUTDOWN');
    expect(ws.events('SignOutEvent')[0]!.body).toMatchObject({ AgentID: '1001', Reason: 'server shutting down' });
    await tcp.closedPromise;
    // 1002 was IDLE: its session is set aside for its bar to resume after the restart (issue 16), no SignOutEvent.
    expect(tcp.events('SignOutEvent')).toEqual([]);

    // What must be written is written: both CDRs, both sign-outs; nothing left open.
    const cdrs = rows('SELECT call_type, status, hangup_cause, customer_number FROM cdr ORDER BY start_time');
    expect(cdrs).toEqual([
      expect.objectContaining({ call_type: 'dialout', status: 'ANSWER', customer_number: '13900139000' }),
      expect.objectContaining({ call_type: 'incoming', status: 'QUEUE_ABANDON', customer_number: '02161234567' }),
    ]);
    expect(rows('SELECT * FROM open_calls')).toEqual([]);
    const signouts = rows("SELECT agent_id, caused_by, reason, old_status FROM agent_operation_log WHERE operation = 'signout' ORDER BY agent_id");
    expect(signouts).toEqual([{ agent_id: '1001', caused_by: 'system', reason: 'server shutting down', old_status: 4 }]);
    expect(rows("SELECT agent_id, operation, reason FROM agent_operation_log WHERE agent_id = '1002' ORDER BY id DESC LIMIT 1")).toEqual([
      { agent_id: '1002', operation: 'connection-lost', reason: 'server shutting down' },
    ]);
    expect(rows('SELECT agent_id FROM session_tokens WHERE session IS NOT NULL')).toEqual([{ agent_id: '1002' }]);
    // Closed cleanly: the write-ahead log was checkpointed into the file and removed.
    expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const wal = join(dir, 'polylink.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    expect(server.process.log.map((l) => l['msg'])).toEqual(expect.arrayContaining(['shutting down', 'polylink stopped']));
  }, 60_000);

  it('Ctrl-C (SIGINT) does the same: the WebSocket bar sees 1001, not 1006; an IDLE agent is not signed out but set aside', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-shutdown-'));
    const server = await start();
    const ws = await bar(WsAgentClient.connect(server.httpPort, 'cti.json'), '1003');
    const { code } = await stop(server, 'SIGINT');
    expect(code).toBe(0);
    await ws.closedPromise;
    expect(ws.closeCode).toBe(1001);
    expect(ws.events('SignOutEvent')).toHaveLength(0);
  }, 60_000);
});

describe('SIGTERM with requests in flight', () => {
  it('answers the requests already received (sign-ins in their password check), then sets the session aside and closes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-shutdown-'));
    const server = await start();
    const c = await TcpAgentClient.connect(server.tcpPort);
    clients.push(c);
    const signin = (seq: string, pwd: string) =>
      `<request><cmdType>signin</cmdType><agentID>1005</agentID><seq>${seq}</seq><agentPwd>${pwd}</agentPwd><bindExten>yes</bindExten><agentExten>8005</agentExten><initStatus>0</initStatus></request>\0`;
    // Three requests in one write: once the first is answered, the other two are in polylink's hands.
    c.write(signin('1', 'wrong-1') + signin('2', 'wrong-2') + signin('3', '1005pw'));
    await c.waitFor((m) => m.body['seq'] === '1');
    const stopped = stop(server, 'SIGTERM');
    await c.closedPromise;
    expect((await stopped).code).toBe(0);
    const answers = c.received.filter((m) => m.root === 'response').map((m) => `${String(m.body['seq'])}:${String(m.body['retCode'])}`);
    expect(answers).toEqual(['1:-53', '2:-53', '3:0']);
    expect(c.events('SignOutEvent')).toEqual([]);
    expect(rows("SELECT operation FROM agent_operation_log WHERE agent_id = '1005' ORDER BY id").map((r) => r['operation'])).toEqual([
      'signin-refused',
      'signin-refused',
      'signin',
      'connection-lost',
    ]);
  }, 60_000);
});

describe('SIGTERM on a real FreeSWITCH (a simulator of its own process), with calls up', () => {
  let sim: SwitchSimulator;
  beforeAll(async () => {
    sim = await startOrganisationSwitch({ password: 'sh0tdown-test' });
  }, 60_000);
  afterAll(() => sim?.stop());

  it('leaves the calls to the switch and saves them; the next start follows them to one CDR each', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-shutdown-'));
    const env = { POLYLINK_FREESWITCH_NODES: `sh0tdown-test@127.0.0.1:${sim.port}` };
    const first = await start(env);
    const a = await bar(TcpAgentClient.connect(first.tcpPort), '1001');
    const b = await bar(TcpAgentClient.connect(first.tcpPort), '1002');
    await a.request('callout', '1001', { calledID: '13900139001' });
    await b.request('callout', '1002', { calledID: '13900139002' });
    await a.event('BridgeEvent');
    await b.event('BridgeEvent');
    const customerA = sim.channels().find((c) => c.name.includes('13900139001'))!.uuid;
    const customerB = sim.channels().find((c) => c.name.includes('13900139002'))!.uuid;

    expect((await stop(first, 'SIGTERM')).code).toBe(0);
    // The switch keeps the calls; polylink kept their records open.
    expect(sim.channels()).toHaveLength(4);
    expect(rows('SELECT call_id FROM open_calls')).toHaveLength(2);
    expect(rows('SELECT * FROM cdr')).toEqual([]);
    expect(rows("SELECT agent_id, old_status FROM agent_operation_log WHERE operation = 'signout' ORDER BY agent_id")).toEqual([
      { agent_id: '1001', old_status: 2 },
      { agent_id: '1002', old_status: 2 },
    ]);
    // While polylink is away, B's customer hangs up (its agent's phone parks: park_after_bridge).
    sim.hangup(customerB);

    const second = await start(env);
    await second.process.waitForLog((l) => l['msg'] === 'calls up when polylink last stopped: following them again' && l['calls'] === 2);
    // B is found gone at the first reconcile: its CDR, and the parked phone released.
    await eventually(() => rows('SELECT * FROM cdr').length === 1, 10_000);
    // Its end was not seen: the cause says so (NORMAL_UNSPECIFIED, as for any channel found gone).
    expect(rows('SELECT customer_number, status, hangup_cause FROM cdr')).toEqual([{ customer_number: '13900139002', status: 'ANSWER', hangup_cause: 'NORMAL_UNSPECIFIED' }]);
    await eventually(() => sim.channels().length === 2, 5000);
    // A goes on untouched until its customer hangs up: one CDR covering the whole call.
    expect(sim.channel(customerA)?.bridgedTo).toBeDefined();
    sim.hangup(customerA);
    await eventually(() => rows('SELECT * FROM cdr').length === 2, 5000);
    const [cdr] = rows("SELECT * FROM cdr WHERE customer_number = '13900139001'");
    const before = rows("SELECT at FROM agent_operation_log WHERE operation = 'callout' AND agent_id = '1001'")[0]!['at'] as number;
    expect(cdr).toMatchObject({ status: 'ANSWER', agent_id: '1001', hangup_side: 'customer', hangup_cause: 'NORMAL_CLEARING' });
    expect(cdr!['start_time']).toBe(before);
    expect(cdr!['bridge_time'] as number).toBeLessThan(cdr!['hangup_time'] as number);
    expect(rows('SELECT * FROM open_calls')).toEqual([]);
    await eventually(() => sim.channels().length === 0, 5000);
    expect((await stop(second, 'SIGTERM')).code).toBe(0);
    expect(rows('SELECT * FROM cdr')).toHaveLength(2);
  }, 60_000);
});
