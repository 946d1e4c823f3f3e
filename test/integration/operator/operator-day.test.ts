// An operator's day in one run: polylink started as a child process, agents signing in
// (one with a wrong password, one locked out, one unknown), a customer calling in and
// being transferred, a callout left up, then Ctrl-C. The log (JSON lines on stdout) must
// tell the story with stable names, and never a secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { type Build, buildPolylink, type LogLine, type RunningPolylink, startPolylink } from '../../helpers/polylink-process.js';

let build: Build;
let dir: string;
let server: RunningPolylink | undefined;
const clients: AgentClient[] = [];
beforeAll(async () => {
  build = await buildPolylink();
  dir = mkdtempSync(join(tmpdir(), 'polylink-day-'));
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.close();
  server?.process.kill();
  await server?.process.exited;
  build?.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function connect<T extends AgentClient>(client: Promise<T>): Promise<T> {
  const c = await client;
  clients.push(c);
  return c;
}

const code = (r: { body: Record<string, unknown> }): string => String(r.body['retCode']);

describe('a day of actions, then Ctrl-C', () => {
  it('leaves a log an operator can read back', async () => {
    server = await startPolylink(build, join(dir, 'polylink.db'));
    const { tcpPort, httpPort } = server;

    // Morning: sign-ins, a wrong password, an agent ID that does not exist, a lock-out.
    const sales = await connect(TcpAgentClient.connect(tcpPort));
    expect(code(await sales.signIn('1001'))).toBe('0');
    const service = await connect(WsAgentClient.connect(httpPort, 'cti.xml'));
    expect(code(await service.signIn('1009'))).toBe('0');
    const typo = await connect(TcpAgentClient.connect(tcpPort));
    expect(code(await typo.signIn('1003', { agentPwd: 'wrongpw1' }))).toBe('-53');
    expect(code(await typo.signIn('9999'))).toBe('-51');
    // Only wrong passwords from many addresses lock an agent ID (docs/protocol.md section 3): five loopback addresses.
    for (let i = 0; i < 5; i++) {
      const guesser = await connect(TcpAgentClient.connect(tcpPort, `127.0.0.${21 + i}`));
      expect(code(await guesser.signIn('1004', { agentPwd: `guess-${i}` }))).toBe('-53');
    }

    // A customer calls the sales line; 1001 takes it and hands it to 1009, who ends it.
    const at = sales.received.length;
    const res = await fetch(`http://127.0.0.1:${httpPort}/simulator/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"4008001000","from":"13800138000"}' });
    expect(res.status).toBe(201);
    await sales.event('BridgeEvent', at);
    expect(code(await sales.request('transferagent', '1001', { destAgentID: '1009' }))).toBe('0');
    await service.event('BridgeEvent');
    expect(code(await service.request('hangup', '1009'))).toBe('0');
    await server.process.waitForLog((l) => l['event'] === 'call.end');

    // Afternoon: 1001, back from its after-call work, calls a customer, and the operator
    // presses Ctrl-C during the call.
    expect(code(await sales.request('setagentdefinestatus', '1001', { targetStatus: '0' }))).toBe('0');
    const at2 = sales.received.length;
    expect(code(await sales.request('callout', '1001', { calledID: '13900139000' }))).toBe('0');
    await sales.event('BridgeEvent', at2);
    server.process.child.kill('SIGINT');
    expect((await server.process.exited).code).toBe(0);

    const log = server.process.log;
    const lines = (event: string, match: Record<string, unknown> = {}): LogLine[] =>
      log.filter((l) => l['event'] === event && Object.entries(match).every(([k, v]) => l[k] === v));
    const one = (event: string, match: Record<string, unknown> = {}): LogLine => {
      const found = lines(event, match);
      expect(found, `${event} ${JSON.stringify(match)}`).toHaveLength(1);
      return found[0]!;
    };

    // Every line of the story is at info (or warn, for what went wrong) and names its event.
    for (const l of log.filter((x) => typeof x['event'] === 'string')) expect([30, 40]).toContain(l['level']);
    expect(one('switch.up', { node: 'simulator' })['msg']).toBe('switch link up');
    expect(one('agent.signin', { agentId: '1001' })).toMatchObject({ exten: '8001', status: 0, level: 30 });
    expect(one('agent.signin', { agentId: '1009' })).toMatchObject({ exten: '8009' });
    expect(one('agent.signin-refused', { agentId: '1003' })).toMatchObject({ code: -53, exten: '8003', msg: 'sign-in refused' });
    expect(one('agent.signin-refused', { agentId: '9999' })).toMatchObject({ code: -51 });
    expect(lines('agent.signin-refused', { agentId: '1004' })).toHaveLength(5);
    expect(one('agent.signin-locked', { agentId: '1004' })['msg']).toBe('agent ID locked after wrong passwords from many addresses');

    const inbound = one('call.start', { kind: 'inbound' });
    expect(inbound).toMatchObject({ number: '13800138000', accessNumber: '4008001000', queue: '630' });
    const callId = inbound['callId'];
    expect(one('call.answer', { callId })).toMatchObject({ agentId: '1001', exten: '8001' });
    expect(one('call.transfer', { callId })).toMatchObject({ agentId: '1001', how: 'blind', to: '1009' });
    const ended = one('call.end', { callId });
    expect(ended).toMatchObject({ agentId: '1009', status: 'ANSWER', hangupSide: 'agent', cause: 'NORMAL_CLEARING' });
    expect(typeof ended['durationSeconds']).toBe('number');

    const callout = one('call.start', { kind: 'outbound' });
    expect(callout).toMatchObject({ agentId: '1001', exten: '8001', number: '13900139000' });
    expect(one('call.end', { callId: callout['callId'] })).toMatchObject({ cause: 'SYSTEM_SHUTDOWN', status: 'ANSWER', hangupSide: 'system' });

    for (const agentId of ['1001', '1009']) expect(one('agent.signout', { agentId })).toMatchObject({ causedBy: 'system', reason: 'server shutting down' });
    expect(one('switch.down', { node: 'simulator' })['level']).toBe(40);
    const messages = log.map((l) => l['msg']);
    expect(messages.indexOf('shutting down')).toBeLessThan(messages.indexOf('polylink stopped'));

    // Never a secret: no password an agent typed, in any form.
    const text = server.process.stdout.join('\n') + server.process.stderr();
    for (const secret of ['1001pw', '1009pw', 'wrongpw1', 'guess-0', 'guess-4']) expect(text).not.toContain(secret);

    // The failed sign-ins are in the operation log too.
    const db = new Database(join(dir, 'polylink.db'), { readonly: true });
    try {
      const failed = db.prepare("SELECT agent_id, operation, reason FROM agent_operation_log WHERE operation IN ('signin-refused', 'signin-locked') ORDER BY id").all();
      expect(failed.slice(0, 2)).toEqual([
        { agent_id: '1003', operation: 'signin-refused', reason: '-53 Wrong password' },
        { agent_id: '9999', operation: 'signin-refused', reason: '-51 Agent does not exist' },
      ]);
      expect(failed.filter((r) => (r as { operation: string }).operation === 'signin-locked')).toEqual([
        { agent_id: '1004', operation: 'signin-locked', reason: 'wrong passwords from 5 addresses' },
      ]);
    } finally {
      db.close();
    }
  }, 90_000);
});
