// The steps of one event-loop turn (engine/end-of-turn.ts): their rows are committed
// together at its end, and only then does anything they caused reach a bar — each
// connection's messages of the turn in one write on TCP, each its own frame on WebSocket.
import net from 'node:net';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { agentEvent } from '../../../src/core/agent-event.js';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
const clients: AgentClient[] = [];

beforeEach(async () => {
  s = await startTestServer({ config: { agent: { heartbeatIntervalSeconds: 3600 } } });
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.close();
  await s.close();
});

const operations = (): number => (s.server.db.prepare('SELECT COUNT(*) AS n FROM agent_operation_log').get() as { n: number }).n;

/** A call offered to 1001 and ended without talk: two steps, each a status row and an AgentStatusChangeEvent to its bar. */
function twoSteps(): void {
  const { engine } = s.server;
  engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'OFFER' }, causedBy: 'system', operation: 'call' });
  engine.handle({ type: 'agent-input', agentId: '1001', input: { type: 'CALL_END', talked: false, internal: false, afterHangup: null, wrapUpSeconds: 15 }, causedBy: 'system', operation: 'call' });
}

it('a bar hears of a turn’s steps only once all their rows are committed, in one TCP write', async () => {
  const bar = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(bar);
  await bar.signIn('1001');
  await bar.event('AgentStatusChangeEvent');
  const from = bar.received.length;
  const before = operations();
  // Every write of a status event to a bar, with the rows the database held at that moment.
  const writes: { events: number; rows: number }[] = [];
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
    const text = String(args[0]);
    const events = text.split('AgentStatusChangeEvent').length - 1;
    if (events > 0) writes.push({ events, rows: operations() });
    return write.apply(this, args);
  });
  twoSteps();
  expect(writes).toEqual([]);
  await bar.waitFor(() => bar.received.slice(from).filter((m) => m.body['eventType'] === 'AgentStatusChangeEvent').length === 2, from);
  const after = operations();
  expect(after).toBeGreaterThanOrEqual(before + 2);
  // One write carried both events (each NUL-terminated), and it left after both steps' rows were committed.
  expect(writes).toEqual([{ events: 2, rows: after }]);
  expect(s.server.engine.agents.statusOf('1001')).not.toBe(AgentStatus.RING);
});

it('on WebSocket each message is its own frame, and none leaves before the rows', async () => {
  const bar = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
  clients.push(bar);
  await bar.signIn('1001');
  await bar.event('AgentStatusChangeEvent');
  const from = bar.received.length;
  const before = operations();
  const rowsAtWrite: number[] = [];
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
    if (String(args[0]).includes('AgentStatusChangeEvent')) rowsAtWrite.push(operations());
    return write.apply(this, args);
  });
  twoSteps();
  await bar.waitFor(() => bar.received.slice(from).filter((m) => m.body['eventType'] === 'AgentStatusChangeEvent').length === 2, from);
  const after = operations();
  expect(after).toBeGreaterThanOrEqual(before + 2);
  expect(rowsAtWrite).toEqual([after, after]);
  // Two messages read as two (the client parses one message per text frame).
  const statuses = bar.received.slice(from).filter((m) => m.body['eventType'] === 'AgentStatusChangeEvent');
  expect(statuses).toHaveLength(2);
});

it('a read of the store in the same turn sees the steps before it (engine.flush)', async () => {
  const bar = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(bar);
  await bar.signIn('1001');
  const before = operations();
  twoSteps();
  expect(operations()).toBe(before);
  s.server.engine.flush();
  expect(operations()).toBeGreaterThanOrEqual(before + 2);
});

it('what waits for the end of the turn counts towards agent.maxUnreadBytes: a bar is cut off within the turn, after what was queued is written', async () => {
  await s.close();
  const MAX_UNREAD = 2048;
  s = await startTestServer({ config: { agent: { heartbeatIntervalSeconds: 3600, maxUnreadBytes: MAX_UNREAD } } });
  const bar = await TcpAgentClient.connect(s.server.tcpPort);
  clients.push(bar);
  await bar.signIn('1001');
  await bar.event('AgentStatusChangeEvent');
  const from = bar.received.length;
  const cutOff = (): Record<string, unknown>[] => s.logs.filter((l) => l['msg'] === 'peer is not reading; closing');
  // One turn, many events (~300 bytes each): nothing has reached the socket yet.
  const padding = 'x'.repeat(200);
  for (let i = 0; i < 40; i++) s.server.engine.run([{ type: 'send', agentId: '1001', event: agentEvent('AgentStatusChangeEvent', i, { note: padding }) }]);
  expect(cutOff()).toHaveLength(1);
  expect(cutOff()[0]!['buffered']).toBeGreaterThan(MAX_UNREAD);
  // Cut off at the first message past the limit: never more than one message over.
  expect(cutOff()[0]!['buffered']).toBeLessThan(MAX_UNREAD + 1024);
  await bar.closedPromise;
  // What was queued before the cut-off was written before the close; nothing after it.
  const heard = bar.received.slice(from).filter((m) => m.body['eventType'] === 'AgentStatusChangeEvent').length;
  expect(heard).toBeGreaterThan(3);
  expect(heard).toBeLessThan(40);
});
