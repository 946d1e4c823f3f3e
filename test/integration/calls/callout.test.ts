// callout end to end: agent client → polylink → ESL → simulator (phone, trunk, customer).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { eventually } from '../../helpers/eventually.js';
import { received, startCallFixture, statusTrail, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture;
beforeEach(async () => {
  f = await startCallFixture();
});
afterEach(() => f.close());

describe('callout', () => {
  it('rings the agent, then the customer; CALLING_OUT then TALKING; BridgeEvent; the CDR and statistics', async () => {
    const a = await f.agent('1001');
    const from = a.received.length;
    const r = await a.request('callout', '1001', { calledID: '051287654321', customerForeignId: 'CRM-7' });
    expect(r.body['retCode']).toBe('0');
    const ring = await a.event('CallOutRingEvent', from);
    expect(ring.body).toMatchObject({
      customerNum: '051287654321',
      callcenterNum: '4008001000',
      accessNumName: 'Sales line 销售线',
      callType: 'CTI_CALL_TYPE_MANUAL_CALL_OUT',
      areaID: '0512',
      areaName: '江苏-苏州',
    });
    const make = decodeMakeStr(String(ring.body['makeStr']));
    expect(make.get('customer_num_format_e164')).toBe('+8651287654321');
    expect(make.get('customer_num_phone_type')).toBe('fixed_line');
    expect(make.get('customerForeignId')).toBe('CRM-7');
    const callId = make.get('relation_uuid')!;
    await a.event('BridgeEvent', from);
    expect(statusTrail(a, '1001', from)).toEqual(['0>10', '10>2']);
    expect(f.statusOf('1001')).toBe(2);
    // The customer hangs up.
    const customer = f.sim.channels().find((c) => c.uuid !== undefined && String(c.name).includes('051287654321'));
    expect(customer).toBeDefined();
    f.sim.hangup(customer!.uuid, 'NORMAL_CLEARING');
    const hangup = await a.event('HangupEvent', from);
    expect(hangup.body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    await eventually(() => f.cdr(callId) !== undefined);
    expect(f.statusOf('1001')).toBe(4);
    expect(received(a, from)).toEqual([
      'response:callout',
      'AgentStatusChangeEvent',
      'CallOutRingEvent',
      'AgentStatusChangeEvent',
      'BridgeEvent',
      'HangupEvent',
      'AgentStatusChangeEvent',
    ]);
    expect(f.cdr(callId)).toMatchObject({
      call_type: 'dialout',
      status: 'ANSWER',
      customer_number: '051287654321',
      display_number: '4008001000',
      agent_id: '1001',
      agent_exten: '8001',
      hangup_side: 'customer',
      customer_foreign_id: 'CRM-7',
      gateway: 'trunk',
    });
    expect(f.stats('1001').calloutnums).toBe(1);
    // The dialled number is in the agent's call history.
    await a.request('getaccessnumbers', '1001');
    expect((await a.event('GetAccessNumberEvent', from)).body['callHistory']).toEqual({ item: ['051287654321'] });
  });
});
