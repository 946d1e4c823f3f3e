// polylink with freeswitch.nodes configured: it connects to each node over ESL, keeps
// working while a node is unreachable, and does not refuse sign-ins (-11) on a guess
// while it cannot ask the switch.
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchSimulator } from '../../../src/simulator/switch-simulator.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer | undefined;
let sim: SwitchSimulator | undefined;
afterEach(async () => {
  await s?.close();
  await sim?.stop();
  s = undefined;
  sim = undefined;
});

async function unusedPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('configured FreeSWITCH nodes', () => {
  it('connects to every node and reads registrations from each', async () => {
    sim = new SwitchSimulator({ port: 0, password: 'n0t-the-default' });
    sim.addUser('8001');
    sim.register('8001');
    const port = await sim.start();
    const down = await unusedPort();
    s = await startTestServer({
      config: {
        freeswitch: {
          nodes: [
            { id: 'fs-a', host: '127.0.0.1', port, password: 'n0t-the-default' },
            { id: 'fs-b', host: '127.0.0.1', port: down, password: 'whatever1' },
          ],
          eventFormat: 'plain',
        },
      },
    });
    expect(s.logs.some((l) => l['msg'] === 'connecting to FreeSWITCH')).toBe(true);
    expect(s.logs.some((l) => String(l['msg']).includes('simulator'))).toBe(false);
    await eventually(() => s!.server.switch.port.isRegistered('8001'));
    const states = Object.fromEntries(s.server.switch.port.nodes().map((n) => [n.id, n.state]));
    expect(states['fs-a']).toBe('ready');
    expect(states['fs-b']).not.toBe('ready');
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1002', { agentExten: '8002' })).body['retCode']).toBe('-11');
    expect((await c.signIn('1001', { agentExten: '8001' })).body['retCode']).toBe('0');
    c.close();
    // The simulator's HTTP controls are not there when running on FreeSWITCH.
    const res = await fetch(`http://127.0.0.1:${s.server.httpPort}/simulator/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"1"}' });
    expect(res.status).toBe(404);
  });

  it('warns at connect when the node lacks the hold music polylink plays (local_stream show), and not when it has it', async () => {
    const said = (server: TestServer, text: string) => server.logs.find((l) => String(l['msg']).includes(text));
    const warning = (server: TestServer) => said(server, 'lacks the hold music');
    sim = new SwitchSimulator({ port: 0, password: 'n0t-the-default' });
    const port = await sim.start();
    const nodes = [{ id: 'fs', host: '127.0.0.1', port, password: 'n0t-the-default' }];
    s = await startTestServer({ config: { freeswitch: { nodes, eventFormat: 'plain' } } });
    await eventually(() => said(s!, 'has the hold music') !== undefined);
    expect(said(s, 'has the hold music')).toMatchObject({ streams: ['local_stream://moh'] });
    expect(warning(s)).toBeUndefined();
    await s.close();
    // A FreeSWITCH whose music directory is missing has no source moh (nor default).
    sim.localStreams.remove('moh');
    sim.localStreams.remove('default');
    s = await startTestServer({ config: { freeswitch: { nodes, eventFormat: 'plain' } } });
    await eventually(() => warning(s!) !== undefined);
    expect(warning(s)).toMatchObject({ level: 40, missing: ['local_stream://moh'], streams: [] });
  });

  it('reads how the node keeps registrations: with multiple-registrations=call-id a second phone keeps the extension registered', async () => {
    sim = new SwitchSimulator({ port: 0, sipProfile: { multipleRegistrations: 'call-id' } });
    sim.addUser('8001');
    const port = await sim.start();
    s = await startTestServer({ config: { freeswitch: { nodes: [{ id: 'fs', host: '127.0.0.1', port, password: 'ClueCon' }], eventFormat: 'json' } } });
    await eventually(() => s!.logs.some((l) => l['msg'] === 'how the SIP profiles keep registrations'));
    expect(s.logs.find((l) => l['msg'] === 'how the SIP profiles keep registrations')).toMatchObject({ registrations: { internal: 'per-call-id' } });
    const changes: boolean[] = [];
    s.server.switch.port.subscribe((e) => {
      if (e.type === 'registration') changes.push(e.registered);
    });
    sim.register('8001', { callId: 'desk@lan' });
    sim.register('8001', { callId: 'softphone@lan', ip: '127.0.0.9', port: 5099 });
    sim.unregister('8001', { callId: 'desk@lan' });
    await eventually(() => changes.length === 3);
    // The softphone is still there: the unregister named only the desk phone.
    expect(changes).toEqual([true, true, true]);
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1001', { agentExten: '8001' })).body['retCode']).toBe('0');
    c.close();
  });

  it('comes up with every node unreachable, and lets agents sign in', async () => {
    const down = await unusedPort();
    s = await startTestServer({ config: { freeswitch: { nodes: [{ id: 'fs', host: '127.0.0.1', port: down, password: 'whatever1' }], eventFormat: 'json' } } });
    const c = await TcpAgentClient.connect(s.server.tcpPort);
    expect((await c.signIn('1001')).body['retCode']).toBe('0');
    c.close();
    const health = (await (await fetch(`http://127.0.0.1:${s.server.httpPort}/health`)).json()) as { nodes: { state: string }[] };
    expect(health.nodes[0]!.state).not.toBe('ready');
  });
});
