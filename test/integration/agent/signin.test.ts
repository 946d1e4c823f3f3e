// Spec §3 (session rules) and §4 signin / signout / heartbeat / changepassword, through
// real TCP and WebSocket clients.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const servers: TestServer[] = [];
const clients: AgentClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}
async function tcp(s: TestServer) {
  const c = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(c);
  return c;
}
async function ws(s: TestServer, protocol?: 'cti.xml' | 'cti.json') {
  const c = await WsAgentClient.connect(s.server.httpPort, protocol);
  clients.push(c);
  return c;
}

const bodyOf = (c: AgentClient, i: number) => c.received[i]!.body;

describe('signin', () => {
  it('[§3.4] answers with heartbeatInterval and guid, then SignInEvent, GetRoleNameEvent, AgentStatusChangeEvent in order (TCP)', async () => {
    const s = await server();
    const c = await tcp(s);
    const r = await c.signIn('1001');
    expect(r.body).toMatchObject({ cmdType: 'signin', agentID: '1001', seq: 's1', retCode: '0', reason: 'OK', heartbeatInterval: '30', resumed: 'no' });
    expect(r.body['guid']).toMatch(/^[0-9a-f-]{36}$/);
    await c.event('AgentStatusChangeEvent');
    expect(c.received.map((m) => m.body['eventType'] ?? m.root)).toEqual(['response', 'SignInEvent', 'GetRoleNameEvent', 'AgentStatusChangeEvent']);
    expect(bodyOf(c, 1)).toMatchObject({ agentID: '1001', AgentID: '1001', blnSuccess: 'true' });
    expect(bodyOf(c, 1)['time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(bodyOf(c, 2)).toMatchObject({ roleName: 'Agent 坐席' });
    expect(bodyOf(c, 3)).toMatchObject({ agent_num: '1001', old_status: '-1', new_status: '0', is_bind_exten: '1' });
  });

  it('works the same over WebSocket, cti.xml by default and cti.json on request', async () => {
    const s = await server();
    const x = await ws(s);
    expect(x.protocol).toBe('');
    expect((await x.signIn('1002')).body['retCode']).toBe('0');
    const j = await ws(s, 'cti.json');
    expect(j.protocol).toBe('cti.json');
    const r = await j.signIn('1003', { initStatus: '6' });
    // cti.json: retCode is a number, everything else text (spec §1).
    expect(r.body).toMatchObject({ retCode: 0, heartbeatInterval: '30', resumed: 'no' });
    const change = await j.event('AgentStatusChangeEvent');
    expect(change.body).toMatchObject({ old_status: '-1', new_status: '6' });
  });

  it.each([
    ['-8', { agentPwd: '' }],
    ['-9', { bindExten: 'maybe' }],
    ['-9', { bindExten: '' }],
    ['-10', { bindExten: 'yes', agentExten: '' }],
    ['-13', { initStatus: '' }],
    ['-14', { initStatus: 'idle' }],
    ['-14', { initStatus: '2' }],
    ['-14', { initStatus: '999' }],
    ['-14', { initStatus: '150' }],
    ['-59', { agentExten: '8001;park' }],
    ['-53', { agentPwd: 'wrong' }],
  ])('answers %s for %j', async (code, fields) => {
    const s = await server();
    const c = await tcp(s);
    const r = await c.signIn('1001', fields as Record<string, string>);
    expect(r.body['retCode']).toBe(code);
    // A failed response is not followed by events, and the connection is still not signed in.
    expect((await c.request('heartbeat', '1001')).body['retCode']).toBe('-23');
    expect(c.received.filter((m) => m.root === 'event')).toEqual([]);
  });

  it('answers -51 for an agent that does not exist and -52 for a disabled one', async () => {
    const s = await server({ prepare: (db) => db.prepare("UPDATE agents SET enabled = 0 WHERE agent_id = '1005'").run() });
    const c = await tcp(s);
    expect((await c.signIn('9999')).body['retCode']).toBe('-51');
    expect((await c.signIn('1005')).body['retCode']).toBe('-52');
  });

  it('binds without an extension when bindExten is no, and accepts true/false', async () => {
    const s = await server();
    const c = await tcp(s);
    await c.signIn('1001', { bindExten: 'false', agentExten: '' });
    const change = await c.event('AgentStatusChangeEvent');
    expect(change.body['is_bind_exten']).toBe('0');
  });

  it('answers -12 when another agent has bound the extension', async () => {
    const s = await server();
    const a = await tcp(s);
    const b = await tcp(s);
    await a.signIn('1001', { agentExten: '8001' });
    expect((await b.signIn('1002', { agentExten: '8001' })).body['retCode']).toBe('-12');
  });

  it('wrong passwords from one desk never lock the agent out: the right one signs in (limits: signin-guard.test.ts)', async () => {
    const s = await server();
    for (let round = 0; round < 2; round++) {
      const c = await tcp(s);
      for (let i = 0; i < 3; i++) expect((await c.signIn('1001', { agentPwd: 'guess' })).body['retCode']).toBe('-53');
      await c.closedPromise;
    }
    const c = await tcp(s);
    expect((await c.signIn('1001')).body['retCode']).toBe('0');
  });

  it('[§3.1] answers -23 to anything before signin and [§3.2] -7 to another agentID after it', async () => {
    const s = await server();
    const c = await tcp(s);
    expect((await c.request('getqueuelist', '1001')).body['retCode']).toBe('-23');
    await c.signIn('1001');
    expect((await c.request('getqueuelist', '1002')).body['retCode']).toBe('-7');
    expect((await c.signIn('1002')).body['retCode']).toBe('-7');
  });

  it('[§3.3] answers -6 to a second signin on the same connection', async () => {
    const s = await server();
    const c = await tcp(s);
    await c.signIn('1001');
    expect((await c.signIn('1001')).body['retCode']).toBe('-6');
  });

  it('[§3.3] kick: the old connection gets KickOutEvent and is closed; the session moves with its state', async () => {
    const s = await server();
    const old = await tcp(s);
    await old.signIn('1001', { initStatus: '6' });
    const oldGuid = old.received[0]!.body['guid'];
    const fresh = await ws(s, 'cti.json');
    const r = await fresh.signIn('1001', { initStatus: '0' });
    expect(r.body).toMatchObject({ retCode: 0, resumed: 'yes' });
    expect(r.body['guid']).not.toBe(oldGuid);
    const kick = await old.event('KickOutEvent');
    expect(kick.body).toMatchObject({ AgentID: '1001', retCode: '-6' });
    await old.closedPromise;
    // initStatus is ignored: the state moved with the session.
    const change = await fresh.event('AgentStatusChangeEvent');
    expect(change.body).toMatchObject({ old_status: '6', new_status: '6' });
    expect(fresh.events('SignOutEvent')).toEqual([]);
    expect((await fresh.request('heartbeat', '1001')).body['retCode']).toBe(0);
  });

  it('[§3.3] reject: a second signin from another connection gets -6, the first keeps working', async () => {
    const s = await server({ config: { agent: { duplicateSignin: 'reject' } } });
    const a = await tcp(s);
    const b = await tcp(s);
    await a.signIn('1001');
    expect((await b.signIn('1001')).body['retCode']).toBe('-6');
    expect((await a.request('heartbeat', '1001')).body['retCode']).toBe('0');
  });
});

describe('signout, heartbeat, changepassword', () => {
  it('signout answers, then AgentStatusChangeEvent and SignOutEvent; the connection is no longer signed in', async () => {
    const s = await server();
    const c = await tcp(s);
    await c.signIn('1001');
    const at = c.received.length;
    expect((await c.request('signout', '1001')).body['retCode']).toBe('0');
    const out = await c.event('SignOutEvent', at);
    expect(out.body).toMatchObject({ AgentID: '1001', retCode: '0' });
    const change = c.events('AgentStatusChangeEvent').at(-1)!;
    expect(change.body).toMatchObject({ old_status: '0', new_status: '-1' });
    expect((await c.request('heartbeat', '1001')).body['retCode']).toBe('-23');
    // The extension is free again.
    const other = await tcp(s);
    expect((await other.signIn('1002', { agentExten: '8001' })).body['retCode']).toBe('0');
  });

  it('heartbeat answers 0', async () => {
    const s = await server();
    const c = await tcp(s);
    await c.signIn('1001');
    expect((await c.request('heartbeat', '1001')).body).toMatchObject({ retCode: '0', reason: 'OK' });
  });

  it('changepassword: -84 for a wrong old password, -86 for a weak new one, then the new password signs in', async () => {
    const s = await server();
    const c = await tcp(s);
    await c.signIn('1001');
    expect((await c.request('changepassword', '1001', { oldPwd: 'nope', newPwd: 'secret-123' })).body['retCode']).toBe('-84');
    expect((await c.request('changepassword', '1001', { oldPwd: '1001pw', newPwd: 'abc' })).body['retCode']).toBe('-86');
    expect((await c.request('changepassword', '1001', { oldPwd: '1001pw' })).body['retCode']).toBe('-59');
    expect((await c.request('changepassword', '1001', { oldPwd: '1001pw', newPwd: 'secret-123' })).body['retCode']).toBe('0');
    const row = s.server.db.prepare("SELECT password_hash FROM agents WHERE agent_id = '1001'").get() as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$/);
    await c.request('signout', '1001');
    expect((await c.signIn('1001')).body['retCode']).toBe('-53');
    expect((await c.signIn('1001', { agentPwd: 'secret-123' })).body['retCode']).toBe('0');
  });
});

describe('time: sign-in timeout, dead connections, resume', () => {
  it('[§3.1] closes a connection that never signs in within signinTimeoutSeconds', async () => {
    const clock = new ManualClock();
    const s = await server({ clock });
    const c = await tcp(s);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(9_000);
    expect(c.closed).toBe(false);
    clock.advance(1_000);
    await c.closedPromise;
  });

  it('[§3.5] a connection silent for 3 × heartbeatInterval is dead; the agent stays signed in for the grace time', async () => {
    const clock = new ManualClock();
    const s = await server({ clock });
    const supervisor = await tcp(s);
    await supervisor.signIn('1101');
    const c = await tcp(s);
    await c.signIn('1001');
    await supervisor.waitFor((m) => m.body['agent_num'] === '1001');
    clock.advance(60_000);
    expect(c.closed).toBe(false);
    await supervisor.request('heartbeat', '1101');
    clock.advance(30_000);
    await c.closedPromise;
    await eventually(() => s.server.engine.agents.session('1001')?.connectionId === undefined);
    expect(s.server.engine.agents.statusOf('1001')).toBe(0);
    // The supervisor (who kept talking) is alive; after the grace time the agent is signed out.
    await supervisor.request('heartbeat', '1101');
    clock.advance(60_000);
    const gone = await supervisor.waitFor((m) => m.body['agent_num'] === '1001' && m.body['new_status'] === '-1');
    expect(gone.body['old_status']).toBe('0');
    expect(supervisor.closed).toBe(false);
  });

  it('[§3.5] a signin within the grace time resumes the session: same guid, state kept, no SignOutEvent', async () => {
    const clock = new ManualClock();
    const s = await server({ clock });
    const first = await tcp(s);
    const r1 = await first.signIn('1001', { initStatus: '6' });
    first.close();
    await eventually(() => s.server.engine.agents.session('1001')?.connectionId === undefined);
    clock.advance(30_000);
    const second = await ws(s);
    const r2 = await second.signIn('1001', { initStatus: '0' });
    expect(r2.body).toMatchObject({ retCode: '0', resumed: 'yes', guid: r1.body['guid'] });
    await second.event('AgentStatusChangeEvent');
    expect(second.received.map((m) => m.body['eventType'] ?? m.root)).toEqual(['response', 'SignInEvent', 'GetRoleNameEvent', 'AgentStatusChangeEvent']);
    expect(second.events('AgentStatusChangeEvent')[0]!.body).toMatchObject({ old_status: '6', new_status: '6' });
    // The old grace timer must not sign the resumed agent out (heartbeats keep the connection alive).
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await second.request('heartbeat', '1001');
    }
    expect(s.server.engine.agents.statusOf('1001')).toBe(6);
    const ops = s.server.db.prepare("SELECT operation FROM agent_operation_log WHERE agent_id = '1001' ORDER BY id").all() as { operation: string }[];
    expect(ops.map((o) => o.operation)).toEqual(['signin', 'connection-lost', 'resume']);
  });
});
