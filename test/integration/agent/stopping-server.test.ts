// A request that reaches polylink after its shutdown began is answered -91 rather than
// left without an answer: the bar learns to reconnect instead of waiting for a reply. The
// shutdown's second step (engine.finishRequests: stop taking requests, answer those
// received) is taken on its own here, so the request lands in that window for sure.
import { afterEach, describe, expect, it } from 'vitest';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const servers: TestServer[] = [];
const clients: AgentClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

describe('requests after the shutdown began', () => {
  it.each([
    ['TCP', (s: TestServer) => TcpAgentClient.connect(s.server.tcpPort)],
    ['WebSocket', (s: TestServer) => WsAgentClient.connect(s.server.httpPort)],
  ] as const)('over %s: answered -91 with the request echoed, not carried out; the session is untouched', async (_name, connect) => {
    const s = await startTestServer();
    servers.push(s);
    const c = await connect(s);
    clients.push(c);
    expect((await c.signIn('1001', { initStatus: '6' })).body['retCode']).toBe('0');
    await s.server.engine.finishRequests(1000);
    const answer = await c.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    expect(answer.body).toMatchObject({ cmdType: 'setagentdefinestatus', agentID: '1001', retCode: '-91' });
    expect(String(answer.body['reason'])).toMatch(/shutting down/);
    // Not carried out: the agent is still BUSY (6).
    expect(s.server.engine.agents.statusOf('1001')).toBe(6);
  });
});
