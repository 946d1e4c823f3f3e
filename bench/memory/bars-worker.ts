/**
 * Worker thread: the agents' bars, each a real connection to polylink (TCP to the agent
 * port, or WebSocket to /agent) through the load harness's Connection. They sign in bound
 * to their extensions, beat their hearts, change status when told, and read whatever
 * polylink sends without keeping it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Connection, retCode } from '../load/bars/connection.js';
import { field } from '../load/bars/wire.js';
import type { BarAgent, BarsSetup, ToBars } from './messages.js';
import { serve } from './worker-handle.js';

const setup = workerData as BarsSetup;
const bars: Array<{ agent: BarAgent; conn: Connection }> = [];
let closedByServer = 0;

async function signIn(agent: BarAgent): Promise<string | undefined> {
  let conn: Connection;
  try {
    conn = await Connection.open(agent.transport, setup.ports, {
      onEvent: () => undefined,
      onReply: () => undefined,
      onBytes: () => undefined,
      onClose: (byServer) => void (byServer && closedByServer++),
    });
  } catch (err) {
    return `${agent.id}: connect: ${(err as Error).message}`;
  }
  const reply = await conn.send({ cmdType: 'signin', agentID: agent.id, agentPwd: setup.password, bindExten: 'yes', agentExten: agent.exten, initStatus: '0' });
  const code = retCode(conn.format, reply);
  if (code !== 0) {
    conn.close();
    return `${agent.id}: retCode ${code ?? '?'} ${field(conn.format, reply.text, 'retMsg') ?? ''}`;
  }
  bars.push({ agent, conn });
  return undefined;
}

async function signInAll(agents: readonly BarAgent[], window: number): Promise<{ signedIn: number; failures: string[] }> {
  const failures: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < agents.length) {
      const failure = await signIn(agents[next++]!);
      if (failure !== undefined) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, agents.length) }, lane));
  return { signedIn: agents.length - failures.length, failures };
}

/** setagentdefinestatus for these agents' bars; the answers' codes counted. */
async function statusOf(ids: readonly string[], target: number): Promise<Record<string, number>> {
  const codes: Record<string, number> = {};
  const which = new Set(ids);
  const replies = await Promise.all(bars.filter((b) => which.has(b.agent.id)).map(({ agent, conn }) => conn.send({ cmdType: 'setagentdefinestatus', agentID: agent.id, targetStatus: String(target) }).then((r) => retCode(conn.format, r))));
  for (const c of replies) codes[String(c)] = (codes[String(c)] ?? 0) + 1;
  return codes;
}

// One heartbeat per agent per interval, spread over the seconds of the interval.
let tick = 0;
const heartbeats = setInterval(() => {
  const slot = tick++ % setup.heartbeatSeconds;
  for (let i = slot; i < bars.length; i += setup.heartbeatSeconds) {
    const { agent, conn } = bars[i]!;
    void conn.send({ cmdType: 'heartbeat', agentID: agent.id });
  }
}, 1000);

serve<ToBars>(parentPort!, async (m) => {
  switch (m.op) {
    case 'sign-in':
      return signInAll(m.agents, m.window);
    case 'status':
      return statusOf(m.ids, m.target);
    case 'close': {
      clearInterval(heartbeats);
      for (const { conn } of bars) conn.close();
      return { closedByServer };
    }
  }
});
parentPort!.postMessage({ id: 0 });
