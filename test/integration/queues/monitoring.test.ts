// Queue monitoring over the wire: who waits in which queue, how each queue's agents are
// doing, the wallboard's day report, and an agent's call in detail.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { dictField, listField, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture;
beforeEach(async () => {
  f = await startCallFixture();
});
afterEach(() => f.close());

async function ask(c: AgentClient, agentId: string, cmdType: string, eventType: string, fields: Record<string, string> = {}) {
  const at = c.received.length;
  const r = await c.request(cmdType, agentId, fields);
  expect(r.body['retCode'], `${cmdType} answered ${String(r.body['retCode'])}`).toBe('0');
  return (await c.event(eventType, at)).body;
}

/** 1001 talks to one customer (sales line, queue 630) while a second customer waits. */
async function oneTalkingOneWaiting() {
  const a = await f.agent('1001');
  const sup = await f.agent('1101');
  // The supervisor is a level-2 member of 630: busy, so the second customer waits.
  expect((await sup.request('setagentdefinestatus', '1101', { targetStatus: '6' })).body['retCode']).toBe('0');
  const at = a.received.length;
  const first = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
  const callIn = await a.event('CallInEvent', at);
  await a.event('BridgeEvent', at);
  const callId = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
  const waiting = f.sim.placeCall({ from: '13912345678', to: '4008001000' });
  await eventually(() => a.events('AddCustomerToQueueEvent').some((e) => e.body['customer_num'] === '13912345678'));
  return { a, sup, first, waiting, callId };
}

describe('customers waiting in queues', () => {
  it('getcustomerofmyqueue and getcustomerofqueue list the waiting customer with its Customer_Info_Struct', async () => {
    const { a, sup } = await oneTalkingOneWaiting();
    const mine = await ask(a, '1001', 'getcustomerofmyqueue', 'GetCustomerOfMyQueueEvent');
    expect(mine['queueNumLstStr']).toBe('630');
    expect(mine['current_time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const list = listField(mine['customer_list']);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      call_type: 'CTI_CALL_TYPE_COMMON_CALL_IN',
      callcenter_num: '4008001000',
      customer_num: '13912345678',
      customer_status: 'waiting',
      customer_type: '0',
      queue_num: '630',
      orderID: '1',
      queue_customer_amount: '1',
      customer_enter_channel: '4008001000',
    });
    expect(list[0]!['customer_uuid']).toMatch(/^[0-9a-f-]{36}$/);

    const some = await ask(sup, '1101', 'getcustomerofqueue', 'GetCustomerOfQueueEvent', { QueueNum: '630,631' });
    expect(some['queueNumLstStr']).toBe('630,631');
    expect(listField(some['customer_list']).map((c) => c['customer_num'])).toEqual(['13912345678']);
  });

  it('an agent may not look into a queue it is not in; bad and empty queue numbers have their codes', async () => {
    const a = await f.agent('1001');
    expect((await a.request('getcustomerofqueue', '1001', { QueueNum: '631' })).body['retCode']).toBe('-21');
    expect((await a.request('getcustomerofqueue', '1001', { QueueNum: '999' })).body['retCode']).toBe('-42');
    expect((await a.request('getcustomerofqueue', '1001', { QueueNum: '' })).body['retCode']).toBe('-41');
    expect((await a.request('getqueuestatis', '1001', { queue_num: '630,631' })).body['retCode']).toBe('-21');
    expect((await a.request('getallqueuestatis', '1001')).body['retCode']).toBe('-21');
    expect((await a.request('getreportstatisinfo', '1001')).body['retCode']).toBe('-21');
    const admin = await f.agent('1901');
    expect((await admin.request('getcustomerofmyqueue', '1901')).body['retCode']).toBe('-48');
  });
});

describe('queue statistics', () => {
  it('getqueuestatis and getallqueuestatis count the members by state and the customers waiting', async () => {
    const { a, sup } = await oneTalkingOneWaiting();
    const one = await ask(a, '1001', 'getqueuestatis', 'GetQueueStatisLstEvent', { queue_num: '630' });
    const [sales] = listField(one['queue_statis_list']);
    expect(sales).toMatchObject({
      queue_num: '630',
      queue_name: 'Sales hotline 销售热线',
      agent_online_amount: '2',
      agent_offline_amount: '7',
      agent_talking_amount: '1',
      agent_busy_amount: '1',
      agent_idle_amount: '0',
      queue_wait_people_amount: '1',
      agentNumLstStr: '1001,1002,1003,1004,1005,1006,1007,1008,1101',
    });
    expect(Number(sales!['early_queue_enter_time'])).toBeGreaterThan(1_700_000_000);
    expect(sales!['early_queue_enter_time_all']).toBe(sales!['early_queue_enter_time']);

    const all = await ask(sup, '1101', 'getallqueuestatis', 'GetAllQueueStatisEvent');
    const byQueue = new Map(listField(all['queue_statis_list']).map((q) => [q['queue_num'], q]));
    expect([...byQueue.keys()].sort()).toEqual(['630', '631', '632']);
    expect(byQueue.get('631')).toMatchObject({ agent_online_amount: '0', queue_wait_people_amount: '0', early_queue_enter_time: '' });
    expect(byQueue.get('631')!['early_queue_enter_time_all']).toBe(sales!['early_queue_enter_time']);
  });
});

describe('the day report', () => {
  it('getreportstatisinfo counts today\'s calls from the CDRs: in, answered, abandoned, out', async () => {
    const { sup, first, waiting } = await oneTalkingOneWaiting();
    waiting.hangup(); // abandoned in the queue
    first.hangup();
    await eventually(() => f.cdrs().length === 2);
    const body = await ask(sup, '1101', 'getreportstatisinfo', 'GetReportStatisInfoEvent');
    expect(body).toMatchObject({ AgentID: '1101', retCode: '0', reason: 'OK' });
    expect(dictField(body['reportStatisInfo'])).toMatchObject({
      todayAbandon: '1',
      todayCallin: '2',
      todayCallinAnswer: '1',
      todayCallout: '0',
      todayCalloutAnswer: '0',
      todayEnterQueue: '2',
      todayEnterQueueOther: '0',
      // The wallboard's live figures beside the seed's: the caller who gave up at once is a short abandon.
      offered_amount: '2',
      answered_amount: '1',
      abandoned_amount: '0',
      short_abandoned_amount: '1',
      handled_amount: '1',
      queue_wait_people_amount: '0',
    });
  });
});

describe('an agent\'s call in detail', () => {
  it('getdetailcallinfo shows the legs of the call and who is bridged to whom; supervisors only for their groups', async () => {
    const { a, sup, callId } = await oneTalkingOneWaiting();
    const detail = await ask(sup, '1101', 'getdetailcallinfo', 'GetDetailCallInfoEvent', { AgentNum: '1001' });
    expect(detail).toMatchObject({ targetAgentNum: '1001', call_type: 'CTI_CALL_TYPE_COMMON_CALL_IN', relation_uuid: callId });
    const legs = listField(detail['leg_info']);
    expect(legs.map((l) => l['leg_role']).sort()).toEqual(['agent', 'customer']);
    const customer = legs.find((l) => l['leg_role'] === 'customer')!;
    const agent = legs.find((l) => l['leg_role'] === 'agent')!;
    expect(customer).toMatchObject({ number: '051287654321', held: 'false', bridged_uuid: agent['leg_uuid'] });
    expect(agent).toMatchObject({ agent_num: '1001', bridged_uuid: customer['leg_uuid'] });
    expect(listField(detail['relation_info'])).toEqual([
      expect.objectContaining({ relation_uuid: callId, relation_type: 'talk' }),
    ]);

    // Idle agent: an empty call.
    const idle = await ask(sup, '1101', 'getdetailcallinfo', 'GetDetailCallInfoEvent', { AgentNum: '1101' });
    expect(idle).toMatchObject({ targetAgentNum: '1101', relation_uuid: '' });
    // An agent of another group, an unknown agent, an agent asking about a colleague.
    expect((await sup.request('getdetailcallinfo', '1101', { AgentNum: '1017' })).body['retCode']).toBe('-21');
    expect((await sup.request('getdetailcallinfo', '1101', { AgentNum: '5555' })).body['retCode']).toBe('-49');
    expect((await a.request('getdetailcallinfo', '1001', { AgentNum: '1002' })).body['retCode']).toBe('-21');
  });
});
