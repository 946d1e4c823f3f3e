// The reconcile ends or adopts channels that belong to no call polylink knows (issue 8):
// legs of calls it gave up when a node was lost, legs of calls from before a restart,
// customers waiting for it; and leaves alone what is not its own.
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchSimulator } from '../../../src/simulator/switch-simulator.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { EslTestClient } from '../../helpers/esl-test-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let f: CallFixture | undefined;
let s: TestServer | undefined;
let sim: SwitchSimulator | undefined;
const clients: Array<{ close(): void }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await f?.close();
  await s?.close();
  await sim?.stop();
  f = undefined;
  s = undefined;
  sim = undefined;
});

describe('after a link lost for calls.nodeLostSeconds', () => {
  it('the agent leg of the given-up call is hung up, and its customer, parked again, is offered to the next agent', async () => {
    f = await startCallFixture({ config: { calls: { nodeLostSeconds: 1 } } });
    const a = await f.agent('1001');
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('CallInEvent');
    await a.event('BridgeEvent');
    const agentLeg = f.sim.channel(customer.uuid)!.bridgedTo!;
    const at = a.received.length;
    await f.sim.cutNetwork();
    expect((await a.event('HangupEvent', at, 10_000)).body['hangupReason']).toBe('SWITCH_CONNECTION_LOST');
    // Both legs are still up on the switch, and polylink follows neither.
    expect(f.sim.channel(agentLeg)?.bridgedTo).toBe(customer.uuid);
    const b = await f.agent('1002');
    const from = b.received.length;
    await f.sim.restoreNetwork();
    const callIn = await b.event('CallInEvent', from, 15_000);
    expect(callIn.body['callerID']).toBe('051287654321');
    await b.event('BridgeEvent', from);
    expect(f.sim.channel(agentLeg)).toBeUndefined();
    expect(f.sim.channel(customer.uuid)?.bridgedTo).toBeDefined();
    expect(f.statusOf('1002')).toBe(2);
  });
});

describe('polylink starting while calls are up on the switch', () => {
  it('takes in the customer waiting on an access number, hangs up a leg of a call it does not know, leaves the rest alone', async () => {
    sim = new SwitchSimulator({ port: 0 });
    for (const ext of ['8001', '8002']) {
      sim.addUser(ext, { behaviour: { kind: 'answer', afterMs: 60 } });
      sim.register(ext);
    }
    sim.addAccessNumber('4008001000', { queue: '630' });
    sim.addGateway({ name: 'trunk' });
    // A customer an earlier polylink had sent to an IVR: still in it, not waiting for polylink yet.
    sim.addRoute('619', [
      { app: 'set', data: 'polylink_access_number=4008001000' },
      { app: 'answer' },
      { app: 'play_and_get_digits', data: '1 1 1 60000 # silence_stream://60000 silence_stream://250 polylink_dtmf \\d 60000' },
    ]);
    sim.addSipPhone({ ip: '127.0.0.1', port: 5300, behaviour: { kind: 'answer', afterMs: 0 }, contactUser: 'desk' });
    const port = await sim.start();
    const waiting = sim.placeCall({ from: '051287654321', to: '4008001000' });
    const inIvr = sim.placeCall({ from: '02161230000', to: '619' });
    const esl = await EslTestClient.authed(port);
    clients.push(esl);
    const stray = '7f0c3b2a-0000-4000-8000-00000000d00d';
    expect(await esl.api(`originate {origination_uuid=${stray},polylink_call=0d0d0d0d-0000-4000-8000-000000000000,polylink_leg=agent,polylink_agent=1002}user/8002 &park()`)).toBe(`+OK ${stray}\n`);
    const notOurs = '7f0c3b2a-0000-4000-8000-00000000beef';
    expect(await esl.api(`originate {origination_uuid=${notOurs}}sofia/internal/sip:desk@127.0.0.1:5300 &park()`)).toBe(`+OK ${notOurs}\n`);
    await eventually(() => sim!.channel(inIvr.uuid)?.application === 'play_and_get_digits');

    s = await startTestServer({ config: { freeswitch: { nodes: [{ id: 'fs', host: '127.0.0.1', port, password: 'ClueCon' }], eventFormat: 'plain' } } });
    await eventually(() => sim!.channel(stray) === undefined, 10_000);
    const a = await TcpAgentClient.connect(s.server.tcpPort);
    clients.push(a);
    expect((await a.signIn('1001')).body['retCode']).toBe('0');
    const callIn = await a.event('CallInEvent', 0, 10_000);
    expect(callIn.body['callerID']).toBe('051287654321');
    await a.event('BridgeEvent');
    expect(sim.channel(waiting.uuid)?.bridgedTo).toBeDefined();
    expect(sim.channel(notOurs)).toMatchObject({ application: 'park' });
    expect(sim.channel(inIvr.uuid)).toMatchObject({ application: 'play_and_get_digits' });
    // The one in the IVR is not polylink's until the dialplan parks it for polylink.
    const calls = s.server.engine.calls.desk.registry;
    expect(calls.ofLeg(waiting.uuid)).toBeDefined();
    expect(calls.ofLeg(inIvr.uuid)).toBeUndefined();
  });
});
