// Issue 15, attacks 4: nobody can lock an agent out by guessing its password. Failed
// sign-ins are throttled per connection and per address; only wrong passwords from many
// addresses lock an agent ID, its supervisors hear of it and can lift it. Clients connect
// from several loopback addresses (127.0.0.x) so the server sees different addresses.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../../helpers/test-server.js';

const servers: TestServer[] = [];
const clients: AgentClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: TestServerOptions = {}): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

async function tcp(s: TestServer, from = '127.0.0.1'): Promise<TcpAgentClient> {
  const c = await TcpAgentClient.connect(s.server.tcpPort, from);
  clients.push(c);
  return c;
}

const code = (r: { body: Record<string, unknown> }): unknown => r.body['retCode'];

/** Signs in with a wrong password on fresh connections from `from` until `n` sign-ins were answered; the codes. */
async function guess(s: TestServer, from: string, agentId: string, n: number): Promise<unknown[]> {
  const codes: unknown[] = [];
  while (codes.length < n) {
    const c = await tcp(s, from);
    while (codes.length < n && !c.closed) {
      try {
        codes.push(code(await c.signIn(agentId, { agentPwd: 'guess' })));
      } catch {
        break; // closed by the server after its answer
      }
    }
  }
  return codes;
}

function operations(s: TestServer, agentId: string): string[] {
  const rows = s.server.db.prepare('SELECT operation FROM agent_operation_log WHERE agent_id = ? ORDER BY id').all(agentId) as { operation: string }[];
  return rows.map((r) => r.operation);
}

describe('per connection', () => {
  it('a connection is closed after three failed sign-ins, each answered', async () => {
    const s = await server();
    const c = await tcp(s);
    for (let i = 0; i < 3; i++) expect(code(await c.signIn('1001', { agentPwd: 'guess' }))).toBe('-53');
    await c.closedPromise;
    // The agent itself is not locked: the right password signs in.
    const d = await tcp(s);
    expect(code(await d.signIn('1001'))).toBe('0');
  });
});

describe('per address', () => {
  it('an address that fails 20 times gets -89 for any agent; other addresses and the agent are not affected; the window ends it', async () => {
    const clock = new ManualClock();
    const s = await server({ clock });
    const codes = await guess(s, '127.0.0.2', '1001', 21);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill('-53'));
    expect(codes[20]).toBe('-89');
    const attacker = await tcp(s, '127.0.0.2');
    expect(code(await attacker.signIn('1002'))).toBe('-89');
    // Guessing agent IDs is throttled the same way.
    expect(code(await attacker.signIn('424242'))).toBe('-89');
    // The agent whose password was guessed signs in from its own desk.
    const desk = await tcp(s, '127.0.0.3');
    expect(code(await desk.signIn('1001'))).toBe('0');
    // One journal line for the throttle, no row per refused attempt.
    await eventually(() => s.logs.filter((l) => l['event'] === 'agent.signin-throttled').length === 1);
    expect(s.logs.find((l) => l['event'] === 'agent.signin-throttled')).toMatchObject({ address: '127.0.0.2', failures: 20 });
    expect(operations(s, '1002')).not.toContain('signin-refused');
    clock.advance(600_000);
    const later = await tcp(s, '127.0.0.2');
    expect(code(await later.signIn('1002'))).toBe('0');
  });

  it('guessing agent IDs that do not exist counts as failures too', async () => {
    const s = await server();
    const c = await tcp(s, '127.0.0.5');
    for (let i = 0; i < 3; i++) expect(code(await c.signIn(String(5000 + i)))).toBe('-51');
    await c.closedPromise;
  });

  it('40 connections guessing at once get no more than the limit of password checks (plus those already in flight)', async () => {
    const s = await server();
    const conns = await Promise.all(Array.from({ length: 40 }, () => tcp(s, '127.0.0.4')));
    const codes = await Promise.all(conns.map(async (c) => code(await c.signIn('1003', { agentPwd: 'guess' }))));
    const checked = codes.filter((c) => c === '-53').length;
    // Four checks run at a time per address, each against the failures before it.
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(checked).toBeLessThanOrEqual(23);
    expect(codes.filter((c) => c === '-89')).toHaveLength(40 - checked);
  });

  it('the finding: 150 connections from one address, 100 are taken and the rest refused -88', async () => {
    const s = await server();
    const conns = await Promise.all(Array.from({ length: 150 }, () => tcp(s, '127.0.0.6')));
    await eventually(() => conns.filter((c) => c.closed).length === 50);
    const refused = conns.filter((c) => c.closed);
    for (const c of refused) expect(c.received.map((m) => m.body['retCode'])).toEqual(['-88']);
    expect(refused[0]!.received[0]!.body['reason']).toBe('Too many connections from this address');
    // The log says so once a second, not once a connection.
    const lines = s.logs.filter((l) => l['msg'] === 'too many connections from this address; refused');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(3);
    // Another address is not affected.
    const other = await tcp(s, '127.0.0.7');
    expect(code(await other.signIn('1001'))).toBe('0');
  });
});

describe('connections per address', () => {
  it('TCP and WebSocket count together; the one over the cap gets -88 and is closed (WebSocket 1008); a freed place is taken again', async () => {
    const s = await server({ config: { agent: { maxConnectionsPerAddress: 3 } } });
    const a = await tcp(s, '127.0.0.8');
    await tcp(s, '127.0.0.8');
    const w = await WsAgentClient.connect(s.server.httpPort, 'cti.json', '/agent', undefined, { localAddress: '127.0.0.8' });
    clients.push(w);
    const over = await tcp(s, '127.0.0.8');
    await over.closedPromise;
    expect(over.received.map((m) => m.body['retCode'])).toEqual(['-88']);
    const overWs = await WsAgentClient.connect(s.server.httpPort, 'cti.json', '/agent', undefined, { localAddress: '127.0.0.8' });
    clients.push(overWs);
    await overWs.closedPromise;
    expect(overWs.closeCode).toBe(1008);
    expect(overWs.received.map((m) => m.body['retCode'])).toEqual([-88]);
    a.close();
    // Once the server has seen the close, the place is free again.
    let again: TcpAgentClient | undefined;
    for (let i = 0; i < 50 && again === undefined; i++) {
      const c = await tcp(s, '127.0.0.8');
      await new Promise((r) => setTimeout(r, 20));
      if (!c.closed) again = c;
    }
    expect(code(await again!.signIn('1001'))).toBe('0');
  });

  it('0 means no cap', async () => {
    const s = await server({ config: { agent: { maxConnectionsPerAddress: 0 } } });
    const conns = await Promise.all(Array.from({ length: 120 }, () => tcp(s, '127.0.0.9')));
    await new Promise((r) => setTimeout(r, 50));
    expect(conns.filter((c) => c.closed)).toHaveLength(0);
  });
});

describe('a distributed attack locks the agent ID; supervisors hear of it and lift it', () => {
  it('wrong passwords from five addresses lock it (-90, even for the right password); unlockagent lifts it', async () => {
    const clock = new ManualClock();
    const s = await server({ clock });
    const supervisor = await tcp(s);
    await supervisor.signIn('1101');
    // Four addresses: not yet.
    for (let i = 1; i <= 4; i++) expect(await guess(s, `127.0.1.${i}`, '1002', 1)).toEqual(['-53']);
    expect(code(await (await tcp(s, '127.0.2.1')).signIn('1002'))).toBe('0');
    expect(supervisor.events('AgentLockedEvent')).toEqual([]);
    for (let i = 1; i <= 5; i++) expect(await guess(s, `127.0.3.${i}`, '1003', 1)).toEqual(['-53']);
    const locked = await supervisor.event('AgentLockedEvent');
    expect(locked.body).toMatchObject({ AgentID: '1003', addresses: '5' });
    expect(locked.body['lockedUntil']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // Locked: from anywhere, with the right password, and the code says so.
    const agent = await tcp(s, '127.0.4.1');
    const refused = await agent.signIn('1003');
    expect(refused.body).toMatchObject({ retCode: '-90', reason: 'Agent ID locked after wrong passwords from many addresses; a supervisor can unlock it' });
    expect(operations(s, '1003')).toContain('signin-locked');
    // An agent without the right cannot lift it.
    const colleague = await tcp(s, '127.0.4.2');
    await colleague.signIn('1004');
    expect(code(await colleague.request('unlockagent', '1004', { strAgentID: '1003' }))).toBe('-21');
    // The supervisor can.
    expect((await supervisor.request('unlockagent', '1101', { strAgentID: '1003' })).body).toMatchObject({ retCode: '0', wasLocked: 'yes' });
    expect((await supervisor.event('AgentUnlockedEvent')).body).toMatchObject({ AgentID: '1003', unlockedBy: '1101' });
    expect(operations(s, '1003').slice(-1)).toEqual(['signin-unlocked']);
    expect(code(await agent.signIn('1003'))).toBe('0');
    // Nothing to lift: still 0, and it says so.
    expect((await supervisor.request('unlockagent', '1101', { strAgentID: '1003' })).body).toMatchObject({ retCode: '0', wasLocked: 'no' });
    expect(code(await supervisor.request('unlockagent', '1101', { strAgentID: '999999' }))).toBe('-49');
    expect(code(await supervisor.request('unlockagent', '1101', { strAgentID: '1017' }))).toBe('-21'); // group 3: not monitored
  });

  it('a lock ends by itself after signinLockSeconds, and the core input the admin API calls lifts one', async () => {
    const clock = new ManualClock();
    const s = await server({ clock, config: { agent: { signinLockAfterAddresses: 2, signinLockSeconds: 60 } } });
    for (let i = 1; i <= 2; i++) await guess(s, `127.0.5.${i}`, '1005', 1);
    expect(code(await (await tcp(s, '127.0.5.9')).signIn('1005'))).toBe('-90');
    clock.advance(60_000);
    expect(code(await (await tcp(s, '127.0.5.9')).signIn('1005'))).toBe('0');
    for (let i = 1; i <= 2; i++) await guess(s, `127.0.6.${i}`, '1006', 1);
    // The admin API's call: the core's unlock-agent input with the admin's name.
    const unlock = () => s.server.engine.handle({ type: 'unlock-agent', target: '1006', by: { admin: 'admin' } });
    expect(unlock()).toMatchObject({ code: 0, wasLocked: true });
    expect(unlock()).toMatchObject({ code: 0, wasLocked: false });
    expect(code(await (await tcp(s, '127.0.6.9')).signIn('1006'))).toBe('0');
  });
});
