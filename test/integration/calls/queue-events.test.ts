// The queue events every signed-in member of a queue hears about a customer offered the
// moment it arrives: it arrives already ringing (AddCustomerToQueueEvent; no
// UpdateCustomerOfQueueEvent follows), is served (DelCustomerFromQueueEvent, reason 1).
// Each member gets the same fields, addressed to itself.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
});
afterEach(() => f.close());

describe('queue events', () => {
  it('reach every member of the queue with the same fields, each addressed to its recipient', async () => {
    const a = await f.agent('1001');
    const b = await f.agent('1002');
    const from = [a.received.length, b.received.length] as const;
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    const served = await Promise.any([a.event('BridgeEvent', from[0]), b.event('BridgeEvent', from[1])]);
    expect(served.root).toBe('event');
    for (const [i, c] of [a, b].entries()) {
      const me = i === 0 ? '1001' : '1002';
      const add = (await c.event('AddCustomerToQueueEvent', from[i])).body;
      expect(add).toMatchObject({
        agentID: me,
        queue_num: '630',
        queue_name: 'Sales hotline 销售热线',
        customer_num: '051287654321',
        callcenter_num: '4008001000',
        customer_status: 'ringing',
        queue_customer_amount: '1',
        customer_enter_channel: '4008001000',
      });
      expect(add['early_queue_enter_time']).toMatch(/^\d{10}$/);
      expect(add['early_queue_enter_time_all']).toBe(add['early_queue_enter_time']);
      expect(c.events('UpdateCustomerOfQueueEvent')).toEqual([]);
      const del = (await c.event('DelCustomerFromQueueEvent', from[i])).body;
      expect(del).toMatchObject({ agentID: me, queue_num: '630', customer_uuid: add['customer_uuid'], reason: '1', early_queue_enter_time: '', early_queue_enter_time_all: '' });
    }
  });
});

describe('acd.queueEvents: asked', () => {
  it('a member gets the queue events once its bar asked for the queue’s customers; supervisors always', async () => {
    await f.close();
    f = await startCallFixture({ sharedClock: true, config: { acd: { queueEvents: 'asked' } } });
    const asking = await f.agent('1001');
    const silent = await f.agent('1002');
    const supervisor = await f.agent('1101');
    expect((await asking.request('getcustomerofmyqueue', '1001')).body['retCode']).toBe('0');
    const from = [asking.received.length, silent.received.length, supervisor.received.length] as const;
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await Promise.any([asking.event('BridgeEvent', from[0]), silent.event('BridgeEvent', from[1])]);
    const del = await asking.event('DelCustomerFromQueueEvent', from[0]);
    expect(del.body).toMatchObject({ agentID: '1001', queue_num: '630', reason: '1' });
    expect(asking.events('AddCustomerToQueueEvent')).toHaveLength(1);
    const watched = await supervisor.event('DelCustomerFromQueueEvent', from[2]);
    expect(watched.body['customer_uuid']).toBe(del.body['customer_uuid']);
    // Everything the silent member was sent for this customer has arrived before a heartbeat's answer.
    await silent.request('heartbeat', '1002');
    expect(silent.received.slice(from[1]).filter((m) => /CustomerOfQueue|CustomerFromQueue|CustomerToQueue/.test(String(m.body['eventType'])))).toEqual([]);
  });
});
