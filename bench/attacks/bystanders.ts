/**
 * Agents signed in throughout the attacks, in a worker thread of their own: each sends
 * a heartbeat every 50 ms and notes how long the answer took. polylink must go on
 * answering them while it refuses the attacks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../test/helpers/agent-client.js';
import type { BystanderReport, Ports } from './messages.js';

const { tcpPort, httpPort, agents } = workerData as Ports & { agents: readonly string[] };
const port = parentPort!;
const tell = (r: BystanderReport): void => port.postMessage(r);

const clients: [string, AgentClient][] = [];
for (const [i, agentId] of agents.entries()) {
  const c = i % 2 === 0 ? await TcpAgentClient.connect(tcpPort) : await WsAgentClient.connect(httpPort, 'cti.json');
  const r = await c.signIn(agentId, { bindExten: 'no', agentExten: '' });
  if (String(r.body['retCode']) !== '0') throw new Error(`bystander ${agentId} could not sign in: ${String(r.body['retCode'])}`);
  clients.push([agentId, c]);
}
let latencies: number[] = [];
let failures = 0;
const beat = setInterval(() => {
  for (const [agentId, c] of clients) {
    const start = performance.now();
    c.request('heartbeat', agentId).then(
      (r) => {
        if (String(r.body['retCode']) === '0') latencies.push(performance.now() - start);
        else failures++;
        // Keep only what the report needs.
        c.received.length = 0;
      },
      () => failures++,
    );
  }
}, 50);
port.on('message', (m: 'report' | 'stop') => {
  if (m === 'report') {
    tell({ kind: 'latencies', ms: latencies, failures });
    latencies = [];
    failures = 0;
  } else {
    clearInterval(beat);
    for (const [, c] of clients) c.close();
    port.close();
  }
});
tell({ kind: 'ready' });
