// callout end to end: agent client → polylink → ESL → simulator (phone, trunk, customer).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { expectTrail, received, startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
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
    await expectTrail(a, '1001', from, ['0>10', '10>2']);
    expect(f.statusOf('1001')).toBe(2);
    // The customer hangs up.
    const customer = f.sim.channels().find((c) => c.uuid !== undefined && String(c.name).includes('051287654321'));
    expect(customer).toBeDefined();
    f.sim.hangup(customer!.uuid, 'NORMAL_CLEARING');
    const hangup = await a.event('HangupEvent', from);
    expect(hangup.body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    await f.until(() => f.cdr(callId) !== undefined);
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

describe('callout failures', () => {
  it.each([
    ['busy', { kind: 'busy' } as const, 'USER_BUSY'],
    ['rejected', { kind: 'reject' } as const, 'CALL_REJECTED'],
    ['no answer', { kind: 'no-answer' } as const, 'NO_ANSWER'],
    ['congestion', { kind: 'congestion' } as const, 'NORMAL_CIRCUIT_CONGESTION'],
  ])('the customer %s: HangupEvent with the cause, the agent back where it was, a CDR with the failure', async (_what, behaviour, cause) => {
    f.trunk('13900139000', behaviour);
    const a = await f.agent('1002', { initStatus: '8' });
    const from = a.received.length;
    await a.request('callout', '1002', { calledID: '13900139000' });
    const hangup = await a.event('HangupEvent', from, 10_000);
    expect(hangup.body).toMatchObject({ hangupReason: cause, retCode: '-57' });
    if (cause === 'NORMAL_CIRCUIT_CONGESTION') expect(a.events('AllGetwaysFullEvent')).toHaveLength(1);
    await f.until(() => f.cdrs().length === 1);
    expect(f.cdr()).toMatchObject({ status: 'CUSTOMER_NO_ANSWER', failure_reason: cause, customer_answer_time: null });
    // Outbound mode (8) → dialling (10) → back to outbound mode, no after-call work.
    await a.waitFor((m) => m.body['old_status'] === '10', from);
    await expectTrail(a, '1002', from, ['8>10', '10>8']);
    expect(a.events('HangupEvent')).toHaveLength(1);
  });

  it('the agent does not pick up its own phone: HangupEvent NO_ANSWER and no customer is dialled', async () => {
    f.phone('1003', { kind: 'no-answer' });
    const a = await f.agent('1003');
    const from = a.received.length;
    await a.request('callout', '1003', { calledID: '13900139000' });
    expect((await a.event('HangupEvent', from, 10_000)).body).toMatchObject({ hangupReason: 'NO_ANSWER', retCode: '-57' });
    expect(a.events('CallOutRingEvent')).toHaveLength(0);
    await f.until(() => f.statusOf('1003') === 0);
  });

  it('the agent hangs up while the customer rings: the customer leg is cancelled', async () => {
    f.trunk('13900139001', { kind: 'no-answer' });
    const a = await f.agent('1004');
    const from = a.received.length;
    await a.request('callout', '1004', { calledID: '13900139001' });
    await a.event('CallOutRingEvent', from);
    expect((await a.request('hangup', '1004')).body['retCode']).toBe('0');
    await a.event('HangupEvent', from);
    await f.until(() => f.cdrs().length === 1);
    await f.until(() => f.sim.channels().length === 0);
    expect(f.cdr()).toMatchObject({ status: 'CUSTOMER_NO_ANSWER' });
    expect(f.statusOf('1004')).toBe(0);
  });

  it('the agent hangs up a connected call: agentrelease counts, the customer is released, ACW', async () => {
    const a = await f.agent('1005');
    const from = a.received.length;
    await a.request('callout', '1005', { calledID: '13900139002' });
    await a.event('BridgeEvent', from);
    await a.request('hangup', '1005');
    expect((await a.event('HangupEvent', from)).body['retCode']).toBe('0');
    await f.until(() => f.cdrs().length === 1);
    expect(f.cdr()).toMatchObject({ status: 'ANSWER', hangup_side: 'agent' });
    expect(f.stats('1005').agentrelease).toBe(1);
    expect(f.statusOf('1005')).toBe(4);
    await f.until(() => f.sim.channels().length === 0);
  });

  it('the switch refuses the agent leg (phone not registered): HangupEvent with the cause, no channel at all', async () => {
    const a = await f.agent('1006');
    f.sim.unregister(f.exten('1006'));
    await f.until(() => !f.s.server.switch.port.isRegistered(f.exten('1006')));
    const from = a.received.length;
    // Registered when checked at the command? No: the switch knows better now, -26.
    expect((await a.request('callout', '1006', { calledID: '13900139003' })).body['retCode']).toBe('-26');
    f.sim.register(f.exten('1006'));
    await f.until(() => f.s.server.switch.port.isRegistered(f.exten('1006')));
    f.sim.removeUser(f.exten('1006'));
    await a.request('callout', '1006', { calledID: '13900139003' });
    const hangup = await a.event('HangupEvent', from);
    expect(hangup.body['retCode']).toBe('-57');
    expect(['SUBSCRIBER_ABSENT', 'USER_NOT_REGISTERED']).toContain(hangup.body['hangupReason']);
    await f.until(() => f.statusOf('1006') === 0);
  });

  it.each([
    ['-18', {}],
    ['-59', { calledID: '1390013;park' }],
    ['-22', { calledID: '13900139000', displayNum: '999' }],
  ])('answers %s for %j and changes nothing', async (code, fields) => {
    const a = await f.agent('1007');
    expect((await a.request('callout', '1007', fields)).body['retCode']).toBe(code);
    expect(f.statusOf('1007')).toBe(0);
  });

  it('answers -24 when not IDLE or CALL_OUT, and -25 without a bound extension', async () => {
    const a = await f.agent('1008', { initStatus: '6' });
    expect((await a.request('callout', '1008', { calledID: '13900139000' })).body['retCode']).toBe('-24');
    const b = await f.agent('1009', { bindExten: 'no', agentExten: '' });
    expect((await b.request('callout', '1009', { calledID: '13900139000' })).body['retCode']).toBe('-25');
  });

  it('AllGetwaysFullEvent when the gateway has no free line (calls.gatewayChannels)', async () => {
    await f.close();
    f = await startCallFixture({ sharedClock: true, config: { calls: { gatewayChannels: { trunk: 1 } } } });
    f.trunk('13900139004', { kind: 'no-answer' });
    const a = await f.agent('1001');
    await a.request('callout', '1001', { calledID: '13900139004' });
    await a.event('CallOutRingEvent');
    const b = await f.agent('1002');
    const from = b.received.length;
    expect((await b.request('callout', '1002', { calledID: '13900139005' })).body['retCode']).toBe('0');
    await b.event('AllGetwaysFullEvent', from);
    expect((await b.event('HangupEvent', from)).body).toMatchObject({ hangupReason: 'NORMAL_CIRCUIT_CONGESTION', retCode: '-57' });
    expect(f.statusOf('1002')).toBe(0);
  });
});
