// FreeSWITCH failing under polylink: the switch (the simulator as a process of its own,
// `polylink simulator`) killed with SIGKILL while calls are up and started again on the
// same port, and a half-open link (a TCP proxy that stops forwarding without closing).
// polylink is a child process too; agents are real TCP bars; a business system's webhook
// receiver gets its seed 003 pushes.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TcpAgentClient } from '../../helpers/agent-client.js';
import { EslProxy } from '../../helpers/esl-proxy.js';
import { eventually } from '../../helpers/eventually.js';
import { rowsOf } from '../../helpers/organisation-switch.js';
import { type LogLine, type RunningPolylink, unusedPort } from '../../helpers/polylink-process.js';
import { processKit } from '../../helpers/process-kit.js';
import { type SimulatorProcess, startSimulatorProcess } from '../../helpers/simulator-process.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';

const PASSWORD = 'sw1tch-faults';
const tempDir = tempDirs('polylink-switch-faults-');
const kit = processKit();
let dir: string;
const proxies: EslProxy[] = [];
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
afterAll(() => receiver?.close());
afterEach(() => {
  for (const p of proxies.splice(0)) p.close();
  receiver.received.length = 0;
});

/** A fresh folder with the example organisation's database for the switch and one for polylink. */
function databases(): { sim: string; polylink: string } {
  dir = tempDir();
  const files = { sim: join(dir, 'simulator.db'), polylink: join(dir, 'polylink.db') };
  copyFileSync(inject('exampleDatabase'), files.sim);
  copyFileSync(inject('exampleDatabase'), files.polylink);
  return files;
}

async function startSwitch(db: string, port: number): Promise<SimulatorProcess> {
  return kit.track(await startSimulatorProcess(kit.build(), dir, db, PASSWORD, port));
}

const start = (db: string, eslPort: number): Promise<RunningPolylink> =>
  kit.start(db, {
    POLYLINK_FREESWITCH_NODES: `${PASSWORD}@127.0.0.1:${eslPort}`,
    POLYLINK_WEBHOOKS_TARGETS: JSON.stringify([{ id: 'crm', url: receiver.url, format: 'seed003', events: 'all', secret: 'switch-faults-secret', timeoutMs: 2000 }]),
  });
const bar = (port: number, agentId: string): Promise<TcpAgentClient> => kit.bar(port, agentId);

/** The switch behind a proxy (esl-proxy.ts), polylink through it, and the calls of callsUp(). */
async function throughProxy(): Promise<{ proxy: EslProxy; server: RunningPolylink; a: TcpAgentClient; b: TcpAgentClient; rows: (sql: string) => Record<string, unknown>[] }> {
  const db = databases();
  const sim = await startSwitch(db.sim, 0);
  const proxy = await EslProxy.start(sim.eslPort);
  proxies.push(proxy);
  const server = await start(db.polylink, proxy.port);
  const { a, b } = await callsUp(server, sim);
  return { proxy, server, a, b, rows: (sql) => rowsOf(db.polylink, sql) };
}

/** Agents 1001 and 1002 talking to customers they called, and a customer waiting in queue 631 (none of its agents signed in). */
async function callsUp(server: RunningPolylink, sim: SimulatorProcess): Promise<{ a: TcpAgentClient; b: TcpAgentClient; queued: string }> {
  const a = await bar(server.tcpPort, '1001');
  const b = await bar(server.tcpPort, '1002');
  await a.request('callout', '1001', { calledID: '13900139001' });
  await b.request('callout', '1002', { calledID: '13900139002' });
  await a.event('BridgeEvent');
  await b.event('BridgeEvent');
  const placed = await sim.control('POST', '/simulator/calls', { to: '4008002000', from: '13700000001' });
  expect(placed.status).toBe(201);
  const queued = String(placed.body['uuid']);
  // polylink answers a customer it queues.
  const channels = async (): Promise<{ uuid: string; answered: boolean }[]> => (await sim.control('GET', '/simulator/channels')).body['channels'] as { uuid: string; answered: boolean }[];
  const end = Date.now() + 5000;
  while (!(await channels()).some((c) => c.uuid === queued && c.answered)) {
    if (Date.now() > end) throw new Error('the queued customer was not answered');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { a, b, queued };
}

const lines = (r: RunningPolylink, msg: string): LogLine[] => r.process.log.filter((l) => l['msg'] === msg);

describe('FreeSWITCH killed (SIGKILL) with calls up and customers queued, back 10 s later', () => {
  it('sees the loss at once, answers commands meanwhile with a code, reconnects within 2 s of its return, ends each vanished call with one CDR and frees its agents', async () => {
    const db = databases();
    const eslPort = await unusedPort();
    const sim = await startSwitch(db.sim, eslPort);
    const server = await start(db.polylink, eslPort);
    const { a, b } = await callsUp(server, sim);
    const rows = (sql: string): Record<string, unknown>[] => rowsOf(db.polylink, sql);

    const killedAt = Date.now();
    sim.process.child.kill('SIGKILL');
    await sim.process.exited;
    // The loss is seen within a second: the agents on its calls are told, the log says so.
    await a.event('SysThrowExceptionEvent', 0, 1000);
    await b.event('SysThrowExceptionEvent', 0, 1000);
    const lossSeenMs = Date.now() - killedAt;
    expect(lines(server, 'switch link down')).toHaveLength(1);
    // Commands meanwhile get an answer with a code, never a hang.
    const asked = Date.now();
    const hold = await a.request('hold', '1001');
    const callout = await bar(server.tcpPort, '1003').then((c) => c.request('callout', '1003', { calledID: '13900139003' }));
    const answeredInMs = Date.now() - asked;
    // -60 (call module failed) and -57 (callout failed): refused at once, nothing queued for later.
    expect(String(hold.body['retCode'])).toBe('-60');
    expect(String(callout.body['retCode'])).toBe('-57');
    const health = (await (await fetch(`http://127.0.0.1:${server.httpPort}/health`)).json()) as { nodes: { state: string }[] };
    expect(health.nodes.map((n) => n.state)).not.toContain('ready');

    // Back 10 s after the kill, on the same port: a switch that restarted (a new Core-UUID, no channels).
    await new Promise((r) => setTimeout(r, Math.max(0, killedAt + 10_000 - Date.now())));
    const back = await startSwitch(db.sim, eslPort);
    const backAt = Date.now();
    await eventually(() => lines(server, 'switch link up').length === 2, 5000);
    const reconnectMs = Date.now() - backAt;
    expect(reconnectMs).toBeLessThan(2000);
    await server.process.waitForLog((l) => l['msg'] === 'FreeSWITCH restarted since the last connection: every channel from before is gone', 5000);

    // Every call vanished with the switch: one CDR each, its agents told and freed.
    await eventually(() => rows('SELECT * FROM cdr').length === 3, 5000);
    await a.event('HangupEvent', 0, 5000);
    await b.event('HangupEvent', 0, 5000);
    const freedMs = Date.now() - backAt;
    expect(freedMs).toBeLessThan(5000);
    for (const agent of [a, b]) {
      const last = agent.events('AgentStatusChangeEvent').at(-1)!;
      // Off the call: after-call work (or the status set for after a hangup), not talking.
      expect(['0', '3', '4', '5', '6']).toContain(String(last.body['new_status']));
    }
    expect(rows('SELECT COUNT(DISTINCT call_id) AS n FROM cdr')).toEqual([{ n: 3 }]);
    // A new Core-UUID: the channels from before ended with the switch (capture h's cause for a switch going down).
    expect(rows('SELECT customer_number, hangup_cause FROM cdr ORDER BY customer_number')).toEqual([
      { customer_number: '13700000001', hangup_cause: 'SYSTEM_SHUTDOWN' },
      { customer_number: '13900139001', hangup_cause: 'SYSTEM_SHUTDOWN' },
      { customer_number: '13900139002', hangup_cause: 'SYSTEM_SHUTDOWN' },
    ]);
    expect(rows('SELECT * FROM open_calls')).toEqual([]);
    // The restarted switch carries none of them, and polylink sent it nothing to kill.
    expect((await back.control('GET', '/simulator/channels')).body['channels']).toEqual([]);
    // Each vanished call gets exactly one hangup push and one CDR push (one eventUniqueId each,
    // whatever copies at-least-once delivery made); nothing is left in the outbox.
    const calls = rows('SELECT call_id FROM cdr ORDER BY call_id').map((r) => String(r['call_id']));
    await eventually(() => rows('SELECT COUNT(*) AS n FROM outbox')[0]!['n'] === 0 && receiver.of('cdr').length >= 3, 10_000);
    const hangupIds = new Map([...receiver.idsByCall('dialoutHangup'), ...receiver.idsByCall('incomingHangup')]);
    expect([...hangupIds.keys()].sort()).toEqual(calls);
    for (const ids of hangupIds.values()) expect(ids.size).toBe(1);
    expect([...receiver.idsByCall('cdr').keys()].sort()).toEqual(calls);
    for (const ids of receiver.idsByCall('cdr').values()) expect(ids.size).toBe(1);
    // The two callouts' hangups are dialoutHangup, the queued customer's incomingHangup.
    expect([receiver.idsByCall('dialoutHangup').size, receiver.idsByCall('incomingHangup').size]).toEqual([2, 1]);
    console.log(`switch killed: loss seen after ${lossSeenMs} ms, commands answered in ${answeredInMs} ms, reconnected ${reconnectMs} ms after the switch listened again, agents freed after ${freedMs} ms`);
  }, 90_000);
});

describe('a half-open link to FreeSWITCH (the switch stops answering without closing)', () => {
  it('is detected by the liveness probe within two liveness periods (2 × 5 s), replaced, and the calls that are still up go on', async () => {
    const { proxy, server, a, b, rows } = await throughProxy();

    const frozenAt = Date.now();
    proxy.freeze();
    // Nothing closes: only the probe's silence tells.
    await eventually(() => lines(server, 'switch link down').length === 1, 12_000);
    const detectedMs = Date.now() - frozenAt;
    expect(detectedMs).toBeLessThan(10_000);
    expect(String(lines(server, 'switch link down')[0]!['reason'])).toMatch(/liveness probe/);
    await a.event('SysThrowExceptionEvent', 0, 1000);
    // A new connection through the proxy forwards again.
    await eventually(() => lines(server, 'switch link up').length === 2, 5000);
    const replacedMs = Date.now() - frozenAt;
    // The calls were up all along: nothing ended, and the agents still control them.
    await new Promise((r) => setTimeout(r, 500));
    expect(rows('SELECT * FROM cdr')).toEqual([]);
    expect(a.events('HangupEvent')).toEqual([]);
    expect(String((await a.request('hold', '1001')).body['retCode'])).toBe('0');
    expect(String((await b.request('hangup', '1002')).body['retCode'])).toBe('0');
    await eventually(() => rows('SELECT * FROM cdr').length === 1, 5000);
    expect(rows('SELECT customer_number, hangup_side FROM cdr')).toEqual([{ customer_number: '13900139002', hangup_side: 'agent' }]);
    console.log(`half-open link: detected after ${detectedMs} ms, replaced after ${replacedMs} ms`);
  }, 90_000);
});

describe('the switch killed in the middle of writing a frame', () => {
  it('throws the partial frame away, connects again, and the calls still up go on', async () => {
    const { proxy, server, a, b, rows } = await throughProxy();

    // The hold's reply and its CHANNEL_HOLD event are what the switch writes next: cut in half.
    proxy.cutMidWrite();
    await a.request('hold', '1001');
    await eventually(() => lines(server, 'switch link down').length === 1, 5000);
    await eventually(() => lines(server, 'switch link up').length === 2, 5000);
    // Nothing of the half frame was taken for an event, polylink is alive and nothing ended.
    expect(server.process.log.filter((l) => Number(l['level']) >= 60)).toEqual([]);
    expect(server.process.stdout.filter((l) => /uncaught|unhandled/i.test(l))).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(rows('SELECT * FROM cdr')).toEqual([]);
    expect(b.events('HangupEvent')).toEqual([]);
    expect(String((await b.request('hangup', '1002')).body['retCode'])).toBe('0');
    await eventually(() => rows('SELECT * FROM cdr').length === 1, 5000);
    expect(rows('SELECT customer_number, hangup_side FROM cdr')).toEqual([{ customer_number: '13900139002', hangup_side: 'agent' }]);
  }, 90_000);
});
