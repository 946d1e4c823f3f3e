// Issue 16: a sign-in may prove the agent with its session token (the guid of its last
// sign-in) instead of the password's scrypt check — after a dropped connection, and after
// a polylink restart. Real TCP clients, a real SQLite file, polylink started twice on it.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../src/app/start-server.js';
import { ManualClock } from '../../../src/clock.js';
import { createLogger } from '../../../src/log.js';
import { TcpAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const servers: TestServer[] = [];
const restarted: RunningServer[] = [];
const clients: AgentClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const r of restarted.splice(0)) await r.close();
  for (const s of servers.splice(0)) await s.close();
});

async function tcp(port: number) {
  const c = await TcpAgentClient.connect(port);
  clients.push(c);
  return c;
}

const WRONG = { agentPwd: 'not-the-password' };

describe('sign-in with the session token', () => {
  it('after a dropped connection the guid alone proves the agent: the session resumes whatever the password', async () => {
    const s = await startTestServer();
    servers.push(s);
    const first = await tcp(s.server.tcpPort);
    const r1 = await first.signIn('1001', { initStatus: '6' });
    const guid = r1.body['guid'] as string;
    first.close();
    await eventually(() => s.server.engine.agents.session('1001')?.connectionId === undefined);
    const second = await tcp(s.server.tcpPort);
    const r2 = await second.signIn('1001', { ...WRONG, guid });
    expect(r2.body).toMatchObject({ retCode: '0', resumed: 'yes', guid });
    expect(s.server.engine.agents.statusOf('1001')).toBe(6);
  });

  it('a wrong token, or another agent’s, falls back to the password check', async () => {
    const s = await startTestServer();
    servers.push(s);
    const other = await tcp(s.server.tcpPort);
    const otherGuid = (await other.signIn('1002')).body['guid'] as string;
    const c = await tcp(s.server.tcpPort);
    expect((await c.signIn('1001', { ...WRONG, guid: otherGuid })).body['retCode']).toBe('-53');
    expect((await c.signIn('1001', { ...WRONG, guid: 'f'.repeat(36) })).body['retCode']).toBe('-53');
    // The right password with a wrong token still signs in.
    expect((await c.signIn('1001', { guid: otherGuid })).body).toMatchObject({ retCode: '0', resumed: 'no' });
  });

  it('a signed-out session’s token proves nothing any more', async () => {
    const s = await startTestServer();
    servers.push(s);
    const c = await tcp(s.server.tcpPort);
    const guid = (await c.signIn('1001')).body['guid'] as string;
    expect((await c.request('signout', '1001')).body['retCode']).toBe('0');
    const again = await tcp(s.server.tcpPort);
    expect((await again.signIn('1001', { ...WRONG, guid })).body['retCode']).toBe('-53');
    const rows = s.server.db.prepare("SELECT * FROM session_tokens WHERE agent_id = '1001'").all();
    expect(rows).toEqual([]);
  });

  it('a restart sets free agents’ sessions aside for the grace time: the token resumes them, state and extension kept; kept as hashes only', async () => {
    const clock = new ManualClock();
    const s = await startTestServer({ clock });
    servers.push(s);
    const c = await tcp(s.server.tcpPort);
    const guid = (await c.signIn('1001', { initStatus: '6' })).body['guid'] as string;
    const c2 = await tcp(s.server.tcpPort);
    const guid2 = (await c2.signIn('1002')).body['guid'] as string;
    const c3 = await tcp(s.server.tcpPort);
    await c3.signIn('1003');
    await s.server.close();
    // No SignOutEvent: the bars are to come back.
    expect(c.events('SignOutEvent')).toEqual([]);
    const log = createLogger('silent');
    // Started again on the same database 30 s later: within the 60 s grace.
    clock.advance(30_000);
    const again = await startServer({ config: s.config, log, clock });
    restarted.push(again);
    const rows = again.db.prepare('SELECT agent_id, token_hash, expires_at, session FROM session_tokens ORDER BY agent_id').all() as { agent_id: string; token_hash: string; session: string }[];
    expect(rows.map((r) => r.agent_id)).toEqual(['1001', '1002', '1003']);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(rows[0]!.session)).toMatchObject({ status: 6, bindExten: true, exten: '8001' });
    expect(JSON.stringify(rows)).not.toContain(guid);
    expect(again.engine.agents.statusOf('1001')).toBe(6);

    const back = await tcp(again.tcpPort);
    const r = await back.signIn('1001', { ...WRONG, guid, initStatus: '0' });
    expect(r.body).toMatchObject({ retCode: '0', resumed: 'yes', guid });
    await back.event('AgentStatusChangeEvent');
    expect(back.events('AgentStatusChangeEvent')[0]!.body).toMatchObject({ old_status: '6', new_status: '6' });
    // Resumed by the token, its guid works as before: a blip later it resumes again.
    expect(again.engine.agents.agentOfGuid(guid)).toBe('1001');
    // Signed out, the token proves nothing, also within the grace.
    expect((await back.request('signout', '1001')).body['retCode']).toBe('0');
    const after = await tcp(again.tcpPort);
    expect((await after.signIn('1001', { ...WRONG, guid })).body['retCode']).toBe('-53');
    // By password it resumes too, with a new guid (the old one was never presented).
    const byPassword = await tcp(again.tcpPort);
    const r3 = await byPassword.signIn('1003');
    expect(r3.body).toMatchObject({ retCode: '0', resumed: 'yes' });
    expect(r3.body['guid']).toMatch(/^[0-9a-f-]{36}$/);

    // Past the grace 1002, which did not come back, is signed out and its token is worth nothing.
    clock.advance(31_000);
    await eventually(() => again.engine.agents.session('1002') === undefined);
    again.engine.flush();
    const ops = again.db.prepare("SELECT operation, reason FROM agent_operation_log WHERE agent_id = '1002' ORDER BY id").all();
    expect(ops).toEqual([
      { operation: 'signin', reason: null },
      { operation: 'connection-lost', reason: 'server shutting down' },
      { operation: 'signout', reason: 'resume grace time over' },
    ]);
    const late = await tcp(again.tcpPort);
    expect((await late.signIn('1002', { ...WRONG, guid: guid2 })).body['retCode']).toBe('-53');
    expect((await late.signIn('1002', { guid: guid2 })).body).toMatchObject({ retCode: '0', resumed: 'no' });
  });

  it('with agent.resumeGraceSeconds 0 a shutdown signs every agent out (SignOutEvent) and keeps no token', async () => {
    const clock = new ManualClock();
    const s = await startTestServer({ clock, config: { agent: { resumeGraceSeconds: 0 } } });
    servers.push(s);
    const c = await tcp(s.server.tcpPort);
    const guid = (await c.signIn('1001')).body['guid'] as string;
    await s.server.close();
    expect((await c.event('SignOutEvent')).body).toMatchObject({ AgentID: '1001' });
    const again = await startServer({ config: s.config, log: createLogger('silent'), clock });
    restarted.push(again);
    expect(again.db.prepare('SELECT * FROM session_tokens').all()).toEqual([]);
    const back = await tcp(again.tcpPort);
    expect((await back.signIn('1001', { ...WRONG, guid })).body['retCode']).toBe('-53');
  });
});
