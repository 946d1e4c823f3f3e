// Issue 15, faults 8: a bar that stops reading while events pile up. Two supervisors'
// bars (TCP and WebSocket) hang while an agent of their groups changes state over and
// over; each is cut off once it leaves more than agent.maxUnreadBytes unread, polylink
// keeps no more than that for it, and the agent doing the work is not slowed down.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TcpAgentClient, WsAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { heapAfterGc, MB } from '../../helpers/heap.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

const MAX_UNREAD = 64 * 1024;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ config: { agent: { maxUnreadBytes: MAX_UNREAD, maxRequestsPerSecond: 100_000 } } });
});
afterAll(async () => {
  await s.close();
});

/** The agent's status changes, `batch` requests at a time; resolves when every one is answered. */
async function toggle(agent: TcpAgentClient, batch: number): Promise<void> {
  const before = agent.received.filter((m) => m.root === 'response').length;
  let text = '';
  for (let i = 0; i < batch; i++) text += `<request><cmdType>setagentdefinestatus</cmdType><agentID>1001</agentID><targetStatus>${i % 2 === 0 ? 6 : 0}</targetStatus></request>\0`;
  agent.write(text);
  await agent.waitFor(() => agent.received.filter((m) => m.root === 'response').length === before + batch, 0, 10_000);
  // The agent reads all it gets; keep only the tail so the test itself holds little.
  agent.received.splice(0, agent.received.length - 10);
}

it('a TCP and a WebSocket bar that stop reading are cut off past agent.maxUnreadBytes; polylink holds no more for them', async () => {
  const agent = await TcpAgentClient.connect(s.server.tcpPort);
  await agent.signIn('1001');
  const tcpSupervisor = await TcpAgentClient.connect(s.server.tcpPort);
  await tcpSupervisor.signIn('1101');
  const wsSupervisor = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
  await wsSupervisor.signIn('1102');
  const heapBefore = await heapAfterGc();
  tcpSupervisor.pause();
  wsSupervisor.pause();

  const cutOff = (): Record<string, unknown>[] => s.logs.filter((l) => l['msg'] === 'peer is not reading; closing');
  let changes = 0;
  // Each change is an AgentStatusChangeEvent (~350 bytes) to both supervisors; the kernel's
  // socket buffers fill first, then polylink's own.
  while (cutOff().length < 2 && changes < 40_000) {
    await toggle(agent, 100);
    changes += 100;
  }
  expect(cutOff()).toHaveLength(2);
  for (const line of cutOff()) {
    // Cut off at the first message past the limit: never more than one message over.
    expect(line['buffered']).toBeGreaterThan(MAX_UNREAD);
    expect(line['buffered']).toBeLessThan(MAX_UNREAD + 2048);
    expect(line['max']).toBe(MAX_UNREAD);
  }
  expect(cutOff().map((l) => l['agentId']).sort()).toEqual(['1101', '1102']);
  // Their sessions wait for a resume like any dropped connection; the agent went on working throughout.
  await eventually(() => s.server.engine.agents.session('1101')?.connectionId === undefined && s.server.engine.agents.session('1102')?.connectionId === undefined);
  expect((await agent.request('heartbeat', '1001')).body['retCode']).toBe('0');
  // What polylink held for them is gone (measured before the hung bars read again and parse what the kernel kept).
  expect((await heapAfterGc()) - heapBefore).toBeLessThan(5 * MB);

  // Once they read again, they find the connection gone: the close frame (1008) was queued
  // behind what they did not read, and the socket was cut a second later (1006).
  tcpSupervisor.resume();
  wsSupervisor.resume();
  await tcpSupervisor.closedPromise;
  await wsSupervisor.closedPromise;
  expect(wsSupervisor.closeCode).toBe(1006);
  agent.close();
}, 60_000);
