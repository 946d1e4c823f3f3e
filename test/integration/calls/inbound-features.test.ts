// A customer calls an access number; the queue gives it to an agent; then the agent's
// features on that call: consult, three-way, transfers, IVR, grade, recording.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import type { AgentClient } from '../../helpers/agent-client.js';
import { expectTrail, received, startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
});
afterEach(() => f.close());

/** A customer calls the sales line (queue 630) and agent `a` (the only one free) answers. */
async function customerOn(a: AgentClient, agentId: string, from = '051287654321') {
  const at = a.received.length;
  const customer = f.sim.placeCall({ from, to: '4008001000' });
  const callIn = await a.event('CallInEvent', at);
  await a.event('BridgeEvent', at);
  const callId = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
  expect(f.statusOf(agentId)).toBe(2);
  return { customer, callIn, callId, at };
}

describe('an inbound call', () => {
  it('CallInEvent with makeStr, RING then TALKING, recording (queue 630 records), ACW after the customer hangs up, CDR', async () => {
    const a = await f.agent('1001');
    const { customer, callIn, callId, at } = await customerOn(a, '1001');
    expect(callIn.body).toMatchObject({ callerID: '051287654321', callType: 'CTI_CALL_TYPE_COMMON_CALL_IN', bNeedArea: 'true' });
    const make = decodeMakeStr(String(callIn.body['makeStr']));
    expect(Object.fromEntries(make)).toMatchObject({
      customer_num: '051287654321',
      callcenter_num: '4008001000',
      access_num_name: 'Sales line 销售线',
      agent_num: '1001',
      area_id: '0512',
      area_name: '江苏-苏州',
      cust_grade: '0',
      customer_num_format_local: '87654321',
      customer_num_format_national: '051287654321',
      customer_num_format_e164: '+8651287654321',
      customer_num_phone_type: 'fixed_line',
    });
    const rec = await a.event('RecordStart', at);
    expect(rec.body).toMatchObject({ AgentID: '1001', AgentExten: '8001', CallerNum: '051287654321', CalleeNum: '4008001000' });
    expect(String(rec.body['FilePath'])).toMatch(new RegExp(`/var/lib/freeswitch/recordings/polylink/\\d{8}/${callId}\\.wav$`));
    // Agent_Online_Struct carries the access number of the call the agent talks on.
    const asked = a.received.length;
    await a.request('getonlineagent', '1001', { numType: '1', specificNum: '1001' });
    const online = (await a.event('GetAgentOnlineEvent', asked)).body['agent_online'] as { item: Record<string, string>[] };
    expect(online.item[0]).toMatchObject({ agentNum: '1001', agentStatus: '2', customer_enter_channel: '4008001000' });
    customer.hangup();
    expect((await a.event('HangupEvent', at)).body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    await a.event('RecordStop', at);
    await f.until(() => f.cdr(callId) !== undefined);
    await expectTrail(a, '1001', at, ['0>1', '1>2', '2>4']);
    // customer_enter_channel (客户进线通道): the access number the customer came in on, while
    // the agent rings for or talks on its call; empty once it is off the call.
    const channels = a.events('AgentStatusChangeEvent').slice(-3).map((e) => e.body['customer_enter_channel']);
    expect(channels).toEqual(['4008001000', '4008001000', '']);
    expect(f.cdr(callId)).toMatchObject({
      call_type: 'incoming',
      status: 'ANSWER',
      cdr_state: 'bridged',
      queue_num: '630',
      queue_name: 'Sales hotline 销售热线',
      trunk_number: '4008001000',
      agent_id: '1001',
      hangup_side: 'customer',
      record_file: rec.body['FilePath'],
      customer_area_name: '江苏-苏州',
    });
    expect(f.cdr(callId)!['join_queue_time']).not.toBeNull();
    expect(f.stats('1001').answernums).toBe(1);
  });
});

describe('consult', () => {
  it('consultee rings (ConsultCallInEvent), talks to the agent, stops; again, then takes the customer over', async () => {
    const a = await f.agent('1001');
    const { customer, callId, at } = await customerOn(a, '1001');
    const b = await f.agent('1017');
    const fb = b.received.length;
    expect((await a.request('consult', '1001', { destAgentID: '1017', trdIsOutbound: 'no' })).body['retCode']).toBe('0');
    const ring = await b.event('ConsultCallInEvent', fb);
    expect(ring.body).toMatchObject({ consulterAgentNum: '1001', customerNum: '051287654321', callcenterNum: '4008001000' });
    await b.event('BridgeEvent', fb);
    await f.until(() => a.events('BridgeEvent').length === 2);
    expect(f.stats('1001').interhelpnums).toBe(1);
    // Back to the customer.
    expect((await a.request('stopconsult', '1001')).body['retCode']).toBe('0');
    expect((await a.event('ConsulteeHangupEvent', at)).body).toMatchObject({ agentid: '1001' });
    await f.until(() => a.events('BridgeEvent').length === 3);
    await b.event('HangupEvent', fb);
    await f.until(() => f.statusOf('1017') === 0);
    // Again, and this time hand the customer over.
    const fb2 = b.received.length;
    await a.request('consult', '1001', { destAgentID: '1017', trdIsOutbound: 'false' });
    await b.event('BridgeEvent', fb2);
    const handing = a.received.length;
    expect((await a.request('consulttransfer', '1001')).body['retCode']).toBe('0');
    // The seed's transfer reason, not the NORMAL_CLEARING of a call that ended.
    expect((await a.event('HangupEvent', handing)).body).toMatchObject({ hangupReason: 'NO_ROUTE_DESTINATION', retCode: '0' });
    await f.until(() => f.statusOf('1001') === 4);
    await f.until(() => b.events('BridgeEvent').length === 3);
    expect(f.statusOf('1017')).toBe(2);
    expect(f.stats('1001').transfernums).toBe(1);
    customer.hangup();
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', agent_id: '1017', agents: '1001,1017' });
    await f.until(() => f.statusOf('1017') === 4);
  });

  it('the consultee hangs up: ConsulteeHangupEvent, the agent is back with the customer', async () => {
    const a = await f.agent('1002');
    const { at } = await customerOn(a, '1002');
    const b = await f.agent('1018');
    await a.request('consult', '1002', { destAgentID: '1018', trdIsOutbound: 'no' });
    await b.event('BridgeEvent');
    await b.request('hangup', '1018');
    expect((await a.event('ConsulteeHangupEvent', at)).body['hangupReason']).toBe('NORMAL_CLEARING');
    await f.until(() => a.events('BridgeEvent').length === 3);
    expect(f.statusOf('1002')).toBe(2);
  });

  it('to an outside number, and -65 / -24 / -30 / -32 for bad requests', async () => {
    const a = await f.agent('1003');
    expect((await a.request('consult', '1003', { destAgentID: '13900139000', trdIsOutbound: 'yes' })).body['retCode']).toBe('-24');
    const { at } = await customerOn(a, '1003');
    expect((await a.request('consult', '1003', { destAgentID: '1017' })).body['retCode']).toBe('-65');
    expect((await a.request('consult', '1003', { destAgentID: '1019', trdIsOutbound: 'no' })).body['retCode']).toBe('-30');
    await f.agent('1019', { initStatus: '7' });
    expect((await a.request('consult', '1003', { destAgentID: '1019', trdIsOutbound: 'no' })).body['retCode']).toBe('-32');
    expect((await a.request('consult', '1003', { destAgentID: '13900139000', trdIsOutbound: 'yes' })).body['retCode']).toBe('0');
    await f.until(() => a.events('BridgeEvent').length === 2);
    expect((await a.request('consult', '1003', { destAgentID: '13900139000', trdIsOutbound: 'yes' })).body['retCode']).toBe('-24');
    await a.request('stopconsult', '1003');
    await a.event('ConsulteeHangupEvent', at);
    await f.until(() => a.events('BridgeEvent').length === 3);
  });
});

describe('three-way', () => {
  it('the third party rings (ThreeWayCallRingEvent) into a conference; cancelling drops it and the two talk on, bridged again: hold and transfer work', async () => {
    const a = await f.agent('1004');
    const { customer, at } = await customerOn(a, '1004');
    const c = await f.agent('1020');
    const fc = c.received.length;
    expect((await a.request('threeway', '1004', { trdAgentNum: '1020', trdIsOutbound: 'no' })).body['retCode']).toBe('0');
    // callerID (the seed's 来电号码): what the third party's phone shows, the inviting agent's extension.
    expect((await c.event('ThreeWayCallRingEvent', fc)).body).toMatchObject({ callerID: '8004', callerAgentNum: '1004', customerNum: '051287654321' });
    await c.event('BridgeEvent', fc);
    expect(f.statusOf('1020')).toBe(2);
    expect((await a.request('hold', '1004')).body['retCode']).toBe('-24');
    expect(f.sim.conferences.list().map((room) => room.size)).toEqual([3]);
    const cancelled = a.received.length;
    expect((await a.request('threewaycancel', '1004')).body['retCode']).toBe('0');
    expect((await a.event('ThreeWayeeHangupEvent', at)).body).toMatchObject({ agentid: '1004' });
    await f.until(() => f.statusOf('1020') === 0);
    expect(f.statusOf('1004')).toBe(2);
    // Out of the conference, bridged again as before the three-way call (BridgeEvent, as after a consult).
    await a.event('BridgeEvent', cancelled);
    const agentLeg = f.sim.channel(customer.uuid)!.bridgedTo!;
    expect(f.sim.channel(agentLeg)!.variables['polylink_agent']).toBe('1004');
    // Both left the room (del-member); the empty room is destroyed after its exit tone.
    await f.until(() => f.sim.conferences.list().length === 0);
    expect(f.sim.media.hears(customer.uuid, agentLeg)).toBe(true);
    // So hold and a transfer are the agent's again.
    expect((await a.request('hold', '1004')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1004') === 3);
    expect((await a.request('stophold', '1004')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1004') === 2);
    const d = await f.agent('1021');
    const fd = d.received.length;
    expect((await a.request('transferagent', '1004', { destAgentID: '1021' })).body['retCode']).toBe('0');
    await d.event('BridgeEvent', fd);
    expect(f.statusOf('1021')).toBe(2);
    expect(customer.isUp).toBe(true);
    customer.hangup();
    await d.event('HangupEvent', fd);
  });

  it('the third party hangs up itself: ThreeWayeeHangupEvent', async () => {
    const a = await f.agent('1005');
    const { at } = await customerOn(a, '1005');
    const c = await f.agent('1021');
    await a.request('threeway', '1005', { trdAgentNum: '1021', trdIsOutbound: 'no' });
    await c.event('BridgeEvent');
    const left = a.received.length;
    await c.request('hangup', '1021');
    await a.event('ThreeWayeeHangupEvent', at);
    expect(f.statusOf('1005')).toBe(2);
    // Bridged again: the agent may hold.
    await a.event('BridgeEvent', left);
    // Both left the room (del-member); the empty room is destroyed after its exit tone.
    await f.until(() => f.sim.conferences.list().length === 0);
    expect((await a.request('hold', '1005')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1005') === 3);
  });

  it('the inviting agent hangs up: the third party takes the customer, bridged to it alone, and may hold', async () => {
    const a = await f.agent('1006');
    const { customer } = await customerOn(a, '1006');
    const c = await f.agent('1022');
    const fc = c.received.length;
    await a.request('threeway', '1006', { trdAgentNum: '1022', trdIsOutbound: 'no' });
    await c.event('BridgeEvent', fc);
    const joined = c.received.length;
    await a.request('hangup', '1006');
    await c.event('BridgeEvent', joined);
    expect(f.sim.channel(f.sim.channel(customer.uuid)!.bridgedTo!)!.variables['polylink_agent']).toBe('1022');
    // Both left the room (del-member); the empty room is destroyed after its exit tone.
    await f.until(() => f.sim.conferences.list().length === 0);
    expect((await c.request('hold', '1022')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1022') === 3);
    customer.hangup();
    await c.event('HangupEvent', fc);
  });
});

describe('transfers', () => {
  it('blind to an agent: the agent is freed at once, the target rings with TransferBlindCallInEvent and takes the customer', async () => {
    const a = await f.agent('1006');
    const { callId, at } = await customerOn(a, '1006');
    const b = await f.agent('1022');
    const fb = b.received.length;
    expect((await a.request('transferagent', '1006', { destAgentID: '1022' })).body['retCode']).toBe('0');
    expect((await a.event('HangupEvent', at)).body).toMatchObject({ hangupReason: 'NO_ROUTE_DESTINATION', retCode: '0' });
    expect((await b.event('TransferBlindCallInEvent', fb)).body).toMatchObject({ consulterAgentNum: '1006', customerNum: '051287654321' });
    await b.event('BridgeEvent', fb);
    expect(f.statusOf('1022')).toBe(2);
    await f.until(() => f.statusOf('1006') === 4);
    expect(f.stats('1006').transfernums).toBe(1);
    expect(f.stats('1022').answernums).toBe(1);
    await b.request('hangup', '1022');
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ agents: '1006,1022', agent_id: '1022', hangup_side: 'agent' });
  });

  it('blind to an agent who does not answer: NoAnswerCallAlarmlEvent for it, the customer back to the queue and to the next agent', async () => {
    const a = await f.agent('1007');
    await customerOn(a, '1007');
    f.phone('1023', { kind: 'no-answer' });
    const b = await f.agent('1023');
    await a.request('transferagent', '1007', { destAgentID: '1023' });
    await b.event('NoAnswerCallAlarmlEvent', undefined, 10_000);
    await f.until(() => f.statusOf('1023') === 6);
    // Back in queue 630: the first agent is in ACW, so the next one free gets it.
    const c = await f.agent('1008');
    await c.event('CallInEvent');
    await c.event('BridgeEvent');
    expect(f.stats('1023').noanswernums).toBe(1);
  });

  it('to a queue: AddCustomerToQueueEvent for that queue, offered to its agent', async () => {
    const a = await f.agent('1001');
    const { at } = await customerOn(a, '1001');
    expect((await a.request('transferqueue', '1001', {})).body['retCode']).toBe('-41');
    expect((await a.request('transferqueue', '1001', { queueNum: '999' })).body['retCode']).toBe('-42');
    const b = await f.agent('1009'); // queue 631
    const fb = b.received.length;
    expect((await a.request('transferqueue', '1001', { queueNum: '631' })).body['retCode']).toBe('0');
    expect((await a.event('HangupEvent', at)).body['hangupReason']).toBe('NO_ROUTE_DESTINATION');
    expect((await b.event('AddCustomerToQueueEvent', fb)).body).toMatchObject({ queue_num: '631', customer_num: '051287654321' });
    await b.event('CallInEvent', fb);
    await b.event('BridgeEvent', fb);
    expect(f.stats('1001').redirectnums).toBe(1);
  });

  it('to an IVR: the agent is freed; the customer comes back from the IVR into the queue it chose', async () => {
    const a = await f.agent('1002');
    const { customer, at } = await customerOn(a, '1002');
    expect((await a.request('transferivr', '1002', {})).body['retCode']).toBe('-39');
    expect((await a.request('transferivr', '1002', { ivrNum: '699' })).body['retCode']).toBe('-40');
    expect((await a.request('transferivr', '1002', { ivrNum: '610' })).body['retCode']).toBe('0');
    expect((await a.event('HangupEvent', at)).body['hangupReason']).toBe('NO_ROUTE_DESTINATION');
    expect(f.stats('1002').transferivrnums).toBe(1);
    // The caller presses 2 in the IVR (queue 631) and is handed back to polylink.
    customer.pressDtmf('2');
    const b = await f.agent('1010');
    await b.event('CallInEvent', undefined, 10_000);
    customer.hangup();
    await f.until(() => f.cdrs().length === 1);
    expect(f.cdr()).toMatchObject({ queue_num: '631', ivr_num: '610' });
  });

  it('to an IVR profile: -63 / -64, then the customer leaves polylink for the dialplan', async () => {
    const a = await f.agent('1003');
    const { at } = await customerOn(a, '1003');
    expect((await a.request('transferivrprofile', '1003', {})).body['retCode']).toBe('-63');
    expect((await a.request('transferivrprofile', '1003', { ivrProfileNum: '799' })).body['retCode']).toBe('-64');
    expect((await a.request('transferivrprofile', '1003', { ivrProfileNum: '701' })).body['retCode']).toBe('0');
    expect((await a.event('HangupEvent', at)).body['hangupReason']).toBe('NO_ROUTE_DESTINATION');
    await f.until(() => f.statusOf('1003') === 4);
  });
});

describe('grade (satisfaction survey)', () => {
  it('the agent is freed; the customer presses 4; the score is in the CDR', async () => {
    const a = await f.agent('1004');
    const { customer, callId, at } = await customerOn(a, '1004');
    expect((await a.request('grade', '1004', { language: 'fr' })).body['retCode']).toBe('-37');
    expect((await a.request('grade', '1004', { language: 'zh' })).body['retCode']).toBe('0');
    // Handed on to the survey: the transfer reason too.
    expect((await a.event('HangupEvent', at)).body['hangupReason']).toBe('NO_ROUTE_DESTINATION');
    await f.until(() => f.statusOf('1004') === 4);
    customer.pressDtmf('4');
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ score: '4', cdr_state: 'feedback', status: 'ANSWER' });
    expect(f.cdr(callId)!['satisfy_start_time']).not.toBeNull();
  });

  it('no key pressed in time: no score, the customer is released', async () => {
    await f.close();
    f = await startCallFixture({ sharedClock: true, config: { calls: { grade: { prompts: { zh: '/s/zh.wav', en: '/s/en.wav' }, thanks: { zh: '/s/t-zh.wav', en: '/s/t-en.wav' }, digitTimeoutSeconds: 1 } } } });
    const a = await f.agent('1005');
    const { callId } = await customerOn(a, '1005');
    await a.request('grade', '1005', { language: 'en' });
    await f.until(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ score: null, cdr_state: 'feedback' });
    expect(received(a).includes('HangupEvent')).toBe(true);
  });
});
