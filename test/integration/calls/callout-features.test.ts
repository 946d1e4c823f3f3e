// An agent calls a customer out (callout); then the agent's features on that call, as
// inbound-features.test.ts tests them on a queue call: consult, three-way, transfers, IVR,
// grade. Whatever the agent hands over, the customer stays; the agent's own phone (the
// callout's first leg) ending afterwards must not take the customer with it. The server
// and the simulator share one ManualClock: calls ring and answer as the fixture moves it,
// and "nothing else happens" is checked after its settle() barrier, not after a sleep.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import type { AgentClient } from '../../helpers/agent-client.js';
import { startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
});
afterEach(() => f.close());

/** Agent `a` calls `number` out; resolves once the two talk. */
async function customerOut(a: AgentClient, agentId: string, number: string) {
  const at = a.received.length;
  expect((await a.request('callout', agentId, { calledID: number })).body['retCode']).toBe('0');
  const ring = await a.event('CallOutRingEvent', at);
  await a.event('BridgeEvent', at);
  const callId = decodeMakeStr(String(ring.body['makeStr'])).get('relation_uuid')!;
  const customer = f.sim.channels().find((c) => c.name.includes(number));
  expect(customer).toBeDefined();
  expect(f.statusOf(agentId)).toBe(2);
  return { callId, customer: customer!.uuid, at };
}

const up = (uuid: string): boolean => f.sim.channel(uuid) !== undefined;
/** The channels up now: the customer's and the phone of each agent named. */
const onlyUp = (customer: string, ...agents: string[]): boolean => {
  const phones = agents.map((id) => f.exten(id));
  const channels = f.sim.channels();
  return channels.length === 1 + phones.length && up(customer) && phones.every((p) => channels.some((c) => c.name.includes(`/${p}@`) || c.name.endsWith(`/${p}`)));
};

describe('consult on a callout', () => {
  it('stop, consult again, then consulttransfer: the consultee keeps the customer; the CDR names both agents', async () => {
    const a = await f.agent('1001');
    const { callId, customer, at } = await customerOut(a, '1001', '13900139100');
    const b = await f.agent('1017');
    const fb = b.received.length;
    expect((await a.request('consult', '1001', { destAgentID: '1017', trdIsOutbound: 'no' })).body['retCode']).toBe('0');
    expect((await b.event('ConsultCallInEvent', fb)).body).toMatchObject({ consulterAgentNum: '1001', customerNum: '13900139100' });
    await b.event('BridgeEvent', fb);
    await f.until(() => a.events('BridgeEvent').length === 2);
    expect((await a.request('stopconsult', '1001')).body['retCode']).toBe('0');
    await a.event('ConsulteeHangupEvent', at);
    await f.until(() => a.events('BridgeEvent').length === 3);
    await f.until(() => f.statusOf('1017') === 0);
    expect(up(customer)).toBe(true);

    const fb2 = b.received.length;
    await a.request('consult', '1001', { destAgentID: '1017', trdIsOutbound: 'no' });
    await b.event('BridgeEvent', fb2);
    expect((await a.request('consulttransfer', '1001')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1001') === 4);
    await f.until(() => b.events('BridgeEvent').length === 3);
    // The consultee talks to the customer: no HangupEvent for it, both channels up, the agent's phone gone.
    await f.tick(200);
    expect(b.received.slice(fb2).map((m) => m.body['eventType'])).not.toContain('HangupEvent');
    expect(f.statusOf('1017')).toBe(2);
    expect(up(customer)).toBe(true);
    expect(onlyUp(customer, '1017'), JSON.stringify(f.sim.channels().map((c) => c.name))).toBe(true);
    expect(f.stats('1001').transfernums).toBe(1);
    expect(f.cdr(callId)).toBeUndefined();
    f.sim.hangup(customer);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ call_type: 'dialout', status: 'ANSWER', agent_id: '1017', agents: '1001,1017', hangup_side: 'customer' });
    await f.until(() => f.statusOf('1017') === 4);
  });

  it('to an outside number, then consulttransfer: the customer and the outside party talk on without an agent', async () => {
    const a = await f.agent('1002');
    const { callId, customer } = await customerOut(a, '1002', '13900139101');
    expect((await a.request('consult', '1002', { destAgentID: '13900139201', trdIsOutbound: 'yes' })).body['retCode']).toBe('0');
    await f.until(() => a.events('BridgeEvent').length === 2);
    expect((await a.request('consulttransfer', '1002')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1002') === 4);
    const outside = f.sim.channels().find((c) => c.name.includes('13900139201'))!;
    await f.until(() => f.sim.channel(customer)?.bridgedTo === outside.uuid);
    await f.tick(200);
    expect(up(customer) && up(outside.uuid)).toBe(true);
    expect(f.stats('1002').transferoutnums).toBe(1);
    f.sim.hangup(outside.uuid);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'CALL_TRANSFER', agents: '1002' });
    await f.until(() => f.sim.channels().length === 0);
  });

  it('the consultee hangs up: ConsulteeHangupEvent, the agent is back with the customer', async () => {
    const a = await f.agent('1003');
    const { customer, at } = await customerOut(a, '1003', '13900139102');
    const b = await f.agent('1018');
    await a.request('consult', '1003', { destAgentID: '1018', trdIsOutbound: 'no' });
    await b.event('BridgeEvent');
    await b.request('hangup', '1018');
    expect((await a.event('ConsulteeHangupEvent', at)).body['hangupReason']).toBe('NORMAL_CLEARING');
    await f.until(() => a.events('BridgeEvent').length === 3);
    expect(f.statusOf('1003')).toBe(2);
    expect(f.sim.channel(customer)?.bridgedTo).toBeDefined();
  });

  it('the agent hangs up during an answered consult: the consultee takes the customer over', async () => {
    const a = await f.agent('1004');
    const { callId, customer } = await customerOut(a, '1004', '13900139103');
    const b = await f.agent('1019');
    await a.request('consult', '1004', { destAgentID: '1019', trdIsOutbound: 'no' });
    await b.event('BridgeEvent');
    expect((await a.request('hangup', '1004')).body['retCode']).toBe('0');
    await f.until(() => b.events('BridgeEvent').length === 2);
    await f.until(() => f.statusOf('1004') === 4);
    expect(up(customer)).toBe(true);
    expect(f.statusOf('1019')).toBe(2);
    await b.request('hangup', '1019');
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ agents: '1004,1019', agent_id: '1019' });
  });
});

describe('three-way on a callout', () => {
  it('the third party rings into a conference; cancelling drops it and the two talk on', async () => {
    const a = await f.agent('1005');
    const { customer, at } = await customerOut(a, '1005', '13900139104');
    const c = await f.agent('1020');
    const fc = c.received.length;
    expect((await a.request('threeway', '1005', { trdAgentNum: '1020', trdIsOutbound: 'no' })).body['retCode']).toBe('0');
    expect((await c.event('ThreeWayCallRingEvent', fc)).body).toMatchObject({ callerAgentNum: '1005', customerNum: '13900139104' });
    await c.event('BridgeEvent', fc);
    expect((await a.request('threewaycancel', '1005')).body['retCode']).toBe('0');
    await a.event('ThreeWayeeHangupEvent', at);
    await f.until(() => f.statusOf('1020') === 0);
    expect(f.statusOf('1005')).toBe(2);
    expect(up(customer)).toBe(true);
    f.sim.hangup(customer);
    await a.event('HangupEvent', at);
  });

  it('the third party hangs up itself: ThreeWayeeHangupEvent, the two talk on', async () => {
    const a = await f.agent('1006');
    const { customer, at } = await customerOut(a, '1006', '13900139105');
    const c = await f.agent('1021');
    await a.request('threeway', '1006', { trdAgentNum: '1021', trdIsOutbound: 'no' });
    await c.event('BridgeEvent');
    await c.request('hangup', '1021');
    await a.event('ThreeWayeeHangupEvent', at);
    expect(f.statusOf('1006')).toBe(2);
    expect(up(customer)).toBe(true);
  });

  it('the agent leaves: the customer and the third party talk on; the third party serves the call', async () => {
    const a = await f.agent('1007');
    const { callId, customer, at } = await customerOut(a, '1007', '13900139106');
    const c = await f.agent('1022');
    const fc = c.received.length;
    await a.request('threeway', '1007', { trdAgentNum: '1022', trdIsOutbound: 'no' });
    await c.event('BridgeEvent', fc);
    expect((await a.request('hangup', '1007')).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    await f.until(() => f.statusOf('1007') === 4);
    await f.tick(200);
    expect(c.received.slice(fc).map((m) => m.body['eventType'])).not.toContain('HangupEvent');
    expect(up(customer)).toBe(true);
    expect(onlyUp(customer, '1022'), JSON.stringify(f.sim.channels().map((c) => c.name))).toBe(true);
    expect(f.statusOf('1022')).toBe(2);
    f.sim.hangup(customer);
    await c.event('HangupEvent', fc);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ agents: '1007,1022', agent_id: '1022', hangup_side: 'customer' });
  });

  it('the agent leaves a three-way call with an outside number: the two talk on', async () => {
    const a = await f.agent('1008');
    const { callId, customer } = await customerOut(a, '1008', '13900139107');
    await a.request('threeway', '1008', { trdAgentNum: '13900139207', trdIsOutbound: 'yes' });
    await f.until(() => f.sim.channels().some((c) => c.name.includes('13900139207') && c.answered));
    await a.request('hangup', '1008');
    await f.until(() => f.statusOf('1008') === 4);
    await f.tick(200);
    expect(up(customer)).toBe(true);
    f.sim.hangup(customer);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'CALL_TRANSFER' });
    await f.until(() => f.sim.channels().length === 0);
  });
});

describe('transfers of a callout', () => {
  it('blind to an agent: the agent is freed, the target rings with TransferBlindCallInEvent and takes the customer', async () => {
    const a = await f.agent('1009');
    const { callId, customer, at } = await customerOut(a, '1009', '13900139108');
    const b = await f.agent('1023');
    const fb = b.received.length;
    expect((await a.request('transferagent', '1009', { destAgentID: '1023' })).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    expect((await b.event('TransferBlindCallInEvent', fb)).body).toMatchObject({ consulterAgentNum: '1009', customerNum: '13900139108' });
    await b.event('BridgeEvent', fb);
    expect(f.statusOf('1023')).toBe(2);
    await f.until(() => f.statusOf('1009') === 4);
    expect(up(customer)).toBe(true);
    expect(f.stats('1009').transfernums).toBe(1);
    expect(f.stats('1023').answernums).toBe(1);
    await b.request('hangup', '1023');
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ agents: '1009,1023', agent_id: '1023', hangup_side: 'agent' });
  });

  it('blind to an agent who does not answer: NoAnswerCallAlarmlEvent for it; with no queue to go back to, the customer is released', async () => {
    const a = await f.agent('1010');
    const { callId } = await customerOut(a, '1010', '13900139109');
    f.phone('1024', { kind: 'no-answer' });
    const b = await f.agent('1024');
    await a.request('transferagent', '1010', { destAgentID: '1024' });
    await b.event('NoAnswerCallAlarmlEvent', undefined, 10_000);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ failure_reason: 'transfer target did not answer' });
    expect(f.stats('1024').noanswernums).toBe(1);
  });

  it('blind to an outside number: the customer and the number talk', async () => {
    const a = await f.agent('1011');
    const { callId, customer } = await customerOut(a, '1011', '13900139110');
    expect((await a.request('transferagent', '1011', { destAgentID: '13900139210', strOutBoundFlag: 'yes' })).body['retCode']).toBe('0');
    await f.until(() => f.sim.channels().some((c) => c.name.includes('13900139210') && c.bridgedTo === customer));
    await f.until(() => f.statusOf('1011') === 4);
    expect(f.stats('1011').transferoutnums).toBe(1);
    f.sim.hangup(customer);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'CALL_TRANSFER', hangup_side: 'customer' });
  });

  it('to a queue: AddCustomerToQueueEvent for that queue, offered to its agent', async () => {
    const a = await f.agent('1012');
    const { customer, at } = await customerOut(a, '1012', '13900139111');
    const b = await f.agent('1013'); // queue 631
    const fb = b.received.length;
    expect((await a.request('transferqueue', '1012', { queueNum: '631' })).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    expect((await b.event('AddCustomerToQueueEvent', fb)).body).toMatchObject({ queue_num: '631', customer_num: '13900139111' });
    await b.event('CallInEvent', fb);
    await b.event('BridgeEvent', fb);
    expect(f.sim.channel(customer)?.bridgedTo).toBeDefined();
    expect(f.stats('1012').redirectnums).toBe(1);
  });

  it('to an IVR: the agent is freed; the customer comes back from the IVR into the queue it chose', async () => {
    f.trunk('13900139112', { kind: 'answer', afterMs: 60, dtmf: { digits: '2', afterMs: 1500 } });
    const a = await f.agent('1014');
    const { callId, customer, at } = await customerOut(a, '1014', '13900139112');
    expect((await a.request('transferivr', '1014', { ivrNum: '610' })).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    expect(f.stats('1014').transferivrnums).toBe(1);
    // The customer presses 2 in the IVR (queue 631) and is handed back to polylink.
    const b = await f.agent('1015');
    await b.event('CallInEvent', undefined, 10_000);
    f.sim.hangup(customer);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ queue_num: '631', ivr_num: '610' });
  });

  it('to an IVR profile: the customer leaves polylink for the dialplan, still up', async () => {
    // The example organisation's profile 701 as a dialplan would serve it.
    f.sim.addRoute('701', [{ app: 'answer' }, { app: 'park' }]);
    const a = await f.agent('1016');
    const { customer, at } = await customerOut(a, '1016', '13900139113');
    expect((await a.request('transferivrprofile', '1016', { ivrProfileNum: '701' })).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    await f.until(() => f.statusOf('1016') === 4);
    await f.tick(200);
    expect(up(customer)).toBe(true);
  });
});

describe('grade on a callout', () => {
  it('the agent is freed; the customer presses 4; the score is in the CDR', async () => {
    f.trunk('13900139114', { kind: 'answer', afterMs: 60, dtmf: { digits: '4', afterMs: 1500 } });
    const a = await f.agent('1001');
    const { callId, at } = await customerOut(a, '1001', '13900139114');
    expect((await a.request('grade', '1001', { language: 'zh' })).body['retCode']).toBe('0');
    await a.event('HangupEvent', at);
    await f.until(() => f.statusOf('1001') === 4);
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ score: '4', cdr_state: 'feedback', status: 'ANSWER' });
  });
});
