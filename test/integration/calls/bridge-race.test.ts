// The bridge race (issue 8): polylink bridges a leg on its CHANNEL_ANSWER, and when that
// uuid_bridge reaches FreeSWITCH before the leg's `bgapi originate` has reported, the job
// says -ERR ORIGINATOR_CANCEL although the leg is up and bridged (capture m). The
// simulator is told to report originates 300 ms after the answer, so every bridge polylink
// makes wins the race; the call must go on as if the jobs had said +OK.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { expectTrail, received, startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
let jobs: string[];
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
  f.sim.setOriginateReportDelay(300);
  jobs = [];
  f.sim.onEvent((e) => {
    if (e.name === 'BACKGROUND_JOB' && e.body !== undefined) jobs.push(e.body.trim());
  });
});
afterEach(() => f.close());

describe('a leg bridged on its answer before its originate reported', () => {
  it('callout: both jobs say ORIGINATOR_CANCEL, the call goes on, the customer hangs up as usual', async () => {
    const a = await f.agent('1001');
    const from = a.received.length;
    const r = await a.request('callout', '1001', { calledID: '051287654321' });
    expect(r.body['retCode']).toBe('0');
    const ring = await a.event('CallOutRingEvent', from);
    const callId = decodeMakeStr(String(ring.body['makeStr'])).get('relation_uuid')!;
    await a.event('BridgeEvent', from);
    // The agent's and the customer's legs were both taken by the uuid_bridge before their originates reported.
    await f.until(() => jobs.filter((j) => j === '-ERR ORIGINATOR_CANCEL').length === 2);
    const customer = f.sim.channels().find((c) => c.name.includes('051287654321'))!;
    expect(customer.bridgedTo).toBeDefined();
    // The hangup comes after both jobs on the same socket: polylink has read them by then.
    f.sim.hangup(customer.uuid, 'NORMAL_CLEARING');
    const hangup = await a.event('HangupEvent', from);
    expect(hangup.body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    await f.until(() => f.cdr(callId) !== undefined);
    expect(received(a, from).filter((t) => t === 'HangupEvent' || t === 'BridgeEvent')).toEqual(['BridgeEvent', 'HangupEvent']);
    await expectTrail(a, '1001', from, ['0>10', '10>2', '2>4']);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', hangup_side: 'customer' });
  });

  it('inbound: the offer leg’s job says ORIGINATOR_CANCEL, the customer stays with the agent until it hangs up', async () => {
    const a = await f.agent('1001');
    const from = a.received.length;
    const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    const callIn = await a.event('CallInEvent', from);
    const callId = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
    await a.event('BridgeEvent', from);
    await f.until(() => jobs.includes('-ERR ORIGINATOR_CANCEL'));
    expect(f.sim.channel(customer.uuid)?.bridgedTo).toBeDefined();
    customer.hangup();
    const hangup = await a.event('HangupEvent', from);
    expect(hangup.body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    await f.until(() => f.cdr(callId) !== undefined);
    await expectTrail(a, '1001', from, ['0>1', '1>2', '2>4']);
    expect(received(a, from).filter((t) => t === 'HangupEvent')).toHaveLength(1);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', hangup_side: 'customer', agent_id: '1001' });
    expect(f.stats('1001').answernums).toBe(1);
  });
});
