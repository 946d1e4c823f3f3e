// A supervisor's leg on an agent's call, end to end: polylink on its simulator over a real
// ESL socket, the agent and supervisor bars on real TCP and WebSocket connections, and who
// hears whom read from the simulator's media model at each step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { eventHeader } from '../../../src/simulator/events/switch-event.js';
import { WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { expectTrail, received, startCallFixture, statusTrail, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture;
beforeEach(async () => {
  f = await startCallFixture();
});
afterEach(() => f.close());

/** A customer calls the sales line (queue 630) and agent `a` (the only one free) answers. */
async function customerOn(a: AgentClient) {
  const at = a.received.length;
  const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
  const callIn = await a.event('CallInEvent', at);
  await a.event('BridgeEvent', at);
  const callId = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
  await eventually(() => f.sim.channel(customer.uuid)?.bridgedTo !== undefined);
  const agentLeg = f.sim.channel(customer.uuid)!.bridgedTo!;
  return { customer, callId, agentLeg, at };
}

/** The uuid of the supervisor's eavesdrop leg (polylink_leg=monitor) on the simulator. */
function monitorLegOf(agentId: string): string | undefined {
  return f.sim.channels().find((c) => c.variables['polylink_leg'] === 'monitor' && c.variables['polylink_agent'] === agentId)?.uuid;
}

/** A supervisor on a WebSocket bar (cti.json), signed in BUSY so no queue call reaches it first. */
async function supervisor(id: string, initStatus = '6'): Promise<AgentClient> {
  const c = await WsAgentClient.connect(f.s.server.httpPort, 'cti.json');
  const r = await c.signIn(id, { initStatus });
  expect(r.body['retCode']).toBe(0);
  await c.event('AgentStatusChangeEvent');
  return c;
}

describe('listen, whisper, barge-in: one leg, several modes', () => {
  it('listen → whisper → barge-in → listen moves the same leg; the supervisor hangs up and the call goes on undisturbed', async () => {
    const a = await f.agent('1001');
    const { customer, callId, agentLeg, at } = await customerOn(a);
    const s = await supervisor('1101');
    const from = s.received.length;

    expect((await s.request('listen', '1101', { destAgentID: '1001' })).body['retCode']).toBe(0);
    const ring = await s.event('EavesdropCallRingEvent', from);
    expect(ring.body).toMatchObject({
      agentID: '1101',
      customerNum: '051287654321',
      callcenterNum: '4008001000',
      accessNumName: 'Sales line 销售线',
      desAgentID: '1001',
      callType: 'CTI_CALL_TYPE_COMMON_CALL_IN',
      areaName: '江苏-苏州',
      custGrade: '0',
    });
    expect(decodeMakeStr(String(ring.body['makeStr'])).get('relation_uuid')).toBe(callId);
    expect((await s.event('EavesdropEvent', from)).body).toMatchObject({ agentid: '1101', retCode: 0, reason: 'OK', desAgentID: '1001' });
    const sup = monitorLegOf('1101')!;
    const c = customer.uuid;
    const hearing = () => f.sim.media.matrix([c, agentLeg, sup]);
    // Listen: the supervisor hears both sides, nobody hears it.
    expect(hearing()).toEqual({ [c]: [agentLeg], [agentLeg]: [c], [sup]: [c, agentLeg] });
    expect(f.statusOf('1101')).toBe(2);

    expect((await s.request('whisper', '1101', { destAgentID: '1001' })).body['retCode']).toBe(0);
    expect((await s.event('WhisperEvent', from)).body).toMatchObject({ agentid: '1101', retCode: 0 });
    // Whisper: the agent hears the supervisor, the customer does not.
    expect(hearing()).toEqual({ [c]: [agentLeg], [agentLeg]: [c, sup], [sup]: [c, agentLeg] });

    expect((await s.request('bargein', '1101', { strAgentID: '1001' })).body['retCode']).toBe(0);
    expect((await s.event('BargeinEvent', from)).body).toMatchObject({ agentid: '1101', retCode: 0 });
    // Barge-in: all three hear each other.
    expect(hearing()).toEqual({ [c]: [agentLeg, sup], [agentLeg]: [c, sup], [sup]: [c, agentLeg] });

    const listenAgain = s.events('EavesdropEvent').length;
    expect((await s.request('listen', '1101', { destAgentID: '1001' })).body['retCode']).toBe(0);
    await eventually(() => s.events('EavesdropEvent').length === listenAgain + 1);
    expect(hearing()).toEqual({ [c]: [agentLeg], [agentLeg]: [c], [sup]: [c, agentLeg] });

    // One ring, one leg all along: the supervisor was not dialled again.
    expect(received(s, from).filter((t) => t.endsWith('CallRingEvent'))).toEqual(['EavesdropCallRingEvent']);
    expect(f.sim.channels().filter((ch) => ch.variables['polylink_leg'] === 'monitor')).toHaveLength(1);
    await expectTrail(s, '1101', from, ['6>5', '5>1', '1>2']);

    // The supervisor hangs up: its leg ends, the agent and the customer talk on.
    const hang = s.received.length;
    expect((await s.request('hangup', '1101')).body['retCode']).toBe(0);
    expect((await s.event('HangupEvent', hang)).body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: 0 });
    await expectTrail(s, '1101', hang, ['2>6']);
    expect(f.sim.channel(sup)).toBeUndefined();
    expect(f.sim.media.matrix([c, agentLeg])).toEqual({ [c]: [agentLeg], [agentLeg]: [c] });
    expect(f.statusOf('1001')).toBe(2);

    customer.hangup();
    await eventually(() => f.cdr(callId) !== undefined);
    // Nothing of the supervisor in the agent's story: its states, its figures, the call's record.
    await expectTrail(a, '1001', at, ['0>1', '1>2', '2>4']);
    expect(received(a, at).filter((t) => !['AgentStatusChangeEvent', 'RecordStart', 'RecordStop', 'AddCustomerToQueueEvent', 'DelCustomerFromQueueEvent', 'UpdateCustomerOfQueueEvent'].includes(t))).toEqual([
      'CallInEvent',
      'BridgeEvent',
      'HangupEvent',
    ]);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', agent_id: '1001', agents: '1001', hangup_side: 'customer' });
    expect(f.stats('1001')).toMatchObject({ answernums: 1, agentrelease: 0 });
    // Who listened to whom is in the operation log.
    expect(f.s.server.db.prepare("SELECT agent_id, operation, caused_by, target, reason FROM agent_operation_log WHERE operation IN ('listen', 'whisper', 'bargein')").all()).toEqual([
      { agent_id: '1101', operation: 'listen', caused_by: '1101', target: '1001', reason: callId },
    ]);
  });

  it("the agent's call ends: the supervisor's leg ends with it; two supervisors listen to the same call", async () => {
    const a = await f.agent('1001');
    const { customer, agentLeg } = await customerOn(a);
    const s1 = await supervisor('1101');
    const s2 = await supervisor('1102');
    await s1.request('listen', '1101', { destAgentID: '1001' });
    await s2.request('bargein', '1102', { strAgentID: '1001' });
    await s1.event('EavesdropEvent');
    await s2.event('BargeinEvent');
    const [l1, l2] = [monitorLegOf('1101')!, monitorLegOf('1102')!];
    // Each hears both sides; the one listening also hears the one barging in (what is sent to the agent's channel).
    expect(f.sim.media.heardBy(l1)).toEqual([customer.uuid, agentLeg, l2].sort());
    expect(f.sim.media.heardBy(l2)).toEqual([customer.uuid, agentLeg].sort());
    expect(f.sim.media.hears(customer.uuid, l2) && f.sim.media.hears(agentLeg, l2)).toBe(true);
    expect(f.sim.media.hears(customer.uuid, l1) || f.sim.media.hears(agentLeg, l1)).toBe(false);
    const [m1, m2] = [s1.received.length, s2.received.length];
    customer.hangup();
    await s1.event('HangupEvent', m1);
    await s2.event('HangupEvent', m2);
    await expectTrail(s1, '1101', m1, ['2>6']);
    await expectTrail(s2, '1102', m2, ['2>6']);
    expect(f.sim.channels()).toEqual([]);
  });

  it("the supervisor's own phone keys change the mode and polylink keeps step: 3 barges in, asking bargein then changes nothing", async () => {
    const a = await f.agent('1001');
    const { customer, agentLeg } = await customerOn(a);
    f.phone('1101', { kind: 'answer', afterMs: 60, dtmf: { digits: '3', afterMs: 200 } });
    const s = await supervisor('1101');
    await s.request('listen', '1101', { destAgentID: '1001' });
    await s.event('EavesdropEvent');
    // The key pressed on the phone: the switch barges in, polylink hears its DTMF and says so.
    await s.event('BargeinEvent');
    const sup = monitorLegOf('1101')!;
    expect(f.sim.media.hears(customer.uuid, sup) && f.sim.media.hears(agentLeg, sup)).toBe(true);
    const before = s.events('BargeinEvent').length;
    const sent: string[] = [];
    const stop = f.sim.onEvent((e) => {
      if (e.name === 'DTMF') sent.push(eventHeader(e, 'DTMF-Digit') ?? '');
    });
    expect((await s.request('bargein', '1101', { strAgentID: '1001' })).body['retCode']).toBe(0);
    await eventually(() => s.events('BargeinEvent').length === before + 1);
    stop();
    // Already barging in: no digit sent.
    expect(sent).toEqual([]);
    expect(statusTrail(a, '1001').at(-1)).toBe('1>2');
  });
});
