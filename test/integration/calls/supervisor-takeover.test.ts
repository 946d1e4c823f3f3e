// A supervisor ends an agent's call (forcehangup) or takes a customer ringing an agent
// (rop), the codes every supervisor command answers, a supervisor's phone busy while its
// leg is up, and the core's extenSpy input: polylink on its simulator, bars on real
// sockets, CDRs and the day's figures read from the real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMakeStr } from '../../../src/numbers/make-str.js';
import { TcpAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { eventually } from '../../helpers/eventually.js';
import { expectTrail, received, startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture;
beforeEach(async () => {
  f = await startCallFixture();
});
afterEach(() => f.close());

/** A customer calls the sales line (queue 630); agent `a` (the only one free) is offered it. */
async function customerRinging(a: AgentClient) {
  const at = a.received.length;
  const customer = f.sim.placeCall({ from: '051287654321', to: '4008001000' });
  const callIn = await a.event('CallInEvent', at);
  const callId = decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')!;
  return { customer, callId, at };
}

async function customerOn(a: AgentClient) {
  const ringing = await customerRinging(a);
  await a.event('BridgeEvent', ringing.at);
  return ringing;
}

const code = async (c: AgentClient, cmdType: string, agentId: string, fields: Record<string, string>) => String((await c.request(cmdType, agentId, fields)).body['retCode']);

describe('forcehangup', () => {
  it('ends the call: ForceHangupEvent to the supervisor, HangupEvent and ACW for the agent, the CDR says a supervisor ended it', async () => {
    const a = await f.agent('1001');
    const { customer, callId, at } = await customerOn(a);
    const s = await f.agent('1101', { initStatus: '6' });
    const from = s.received.length;
    expect(await code(s, 'forcehangup', '1101', { strAgentID: '1001' })).toBe('0');
    expect((await s.event('ForceHangupEvent', from)).body).toMatchObject({ agentid: '1101', retCode: '0', reason: 'OK' });
    expect((await a.event('HangupEvent', at)).body).toMatchObject({ hangupReason: 'NORMAL_CLEARING', retCode: '0' });
    expect(await customer.ended).toBe('NORMAL_CLEARING');
    await eventually(() => f.cdr(callId) !== undefined);
    // The agent follows its after-call rules (queue 630: ACW), as after any call it talked on.
    await expectTrail(a, '1001', at, ['0>1', '1>2', '2>4']);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', agent_id: '1001', hangup_side: 'supervisor', cdr_state: 'bridged' });
    // Not the agent's own release; its answered call counts as answered.
    expect(f.stats('1001')).toMatchObject({ answernums: 1, agentrelease: 0, noanswernums: 0 });
    expect(f.s.server.db.prepare("SELECT agent_id, caused_by, target, reason FROM agent_operation_log WHERE operation = 'forcehangup'").all()).toEqual([
      { agent_id: '1101', caused_by: '1101', target: '1001', reason: callId },
    ]);
    // Nothing left to end.
    expect(await code(s, 'forcehangup', '1101', { strAgentID: '1001' })).toBe('-50');
  });
});

describe('rop', () => {
  it('takes a customer ringing an agent: the agent is back where it was with nothing against it, the supervisor talks, CDR and figures agree', async () => {
    f.phone('1001', { kind: 'no-answer' });
    const a = await f.agent('1001');
    const s = await f.agent('1101', { initStatus: '6' });
    const { customer, callId, at } = await customerRinging(a);
    const from = s.received.length;
    expect(await code(s, 'rop', '1101', { destAgentID: '1001' })).toBe('0');
    // The supervisor is offered the customer as a queue offers it, and talks to it on answer.
    const callIn = await s.event('CallInEvent', from);
    expect(callIn.body).toMatchObject({ callerID: '051287654321', callType: 'CTI_CALL_TYPE_COMMON_CALL_IN' });
    expect(decodeMakeStr(String(callIn.body['makeStr'])).get('relation_uuid')).toBe(callId);
    await s.event('BridgeEvent', from);
    expect(f.statusOf('1101')).toBe(2);
    // The agent's ringing leg was cancelled: HangupEvent (PICKED_OFF), no no-answer alarm, back to IDLE.
    expect((await a.event('HangupEvent', at)).body).toMatchObject({ hangupReason: 'PICKED_OFF', retCode: '0' });
    await expectTrail(a, '1001', at, ['0>1', '1>0']);
    expect(received(a, at)).not.toContain('NoAnswerCallAlarmlEvent');
    await expectTrail(s, '1101', from, ['6>1', '1>2']);
    // The customer hears the supervisor.
    const sup = f.sim.channel(customer.uuid)!.bridgedTo!;
    expect(f.sim.channel(sup)!.variables['polylink_agent']).toBe('1101');
    expect(f.sim.media.matrix([customer.uuid, sup])).toEqual({ [customer.uuid]: [sup], [sup]: [customer.uuid] });
    customer.hangup();
    await eventually(() => f.cdr(callId) !== undefined);
    expect(f.cdr(callId)).toMatchObject({ status: 'ANSWER', agent_id: '1101', agents: '1101', hangup_side: 'customer', queue_num: '630' });
    expect(f.stats('1001')).toMatchObject({ answernums: 0, noanswernums: 0 });
    expect(f.stats('1101')).toMatchObject({ answernums: 1 });
    expect(f.statusOf('1001')).toBe(0);
    // The customer left its queue served (reason 1).
    expect(a.events('DelCustomerFromQueueEvent').at(-1)!.body).toMatchObject({ reason: '1' });
  });
});

describe('the codes of the supervisor commands', () => {
  it('-21 the right and the scope, -49 not signed in, -50 the target state, -24 the supervisor busy, -25 no phone', async () => {
    const a = await f.agent('1001');
    const plain = await f.agent('1002');
    const s = await f.agent('1101', { initStatus: '6' });
    // An agent's role has none of the rights.
    for (const [cmd, field] of [['listen', 'destAgentID'], ['whisper', 'destAgentID'], ['bargein', 'strAgentID'], ['forcehangup', 'strAgentID'], ['rop', 'destAgentID']] as const) {
      expect(await code(plain, cmd, '1002', { [field]: '1001' })).toBe('-21');
    }
    // 1017 is in group 3, which the monitor role (groups 1 and 2) does not watch.
    await f.agent('1017');
    expect(await code(s, 'listen', '1101', { destAgentID: '1017' })).toBe('-21');
    // Not signed in, or no such agent in the tenant.
    expect(await code(s, 'listen', '1101', { destAgentID: '1003' })).toBe('-49');
    expect(await code(s, 'forcehangup', '1101', { strAgentID: '999999' })).toBe('-49');
    // The field is required.
    expect(await code(s, 'bargein', '1101', {})).toBe('-59');
    // No call to listen to, end or take.
    expect(await code(s, 'listen', '1101', { destAgentID: '1001' })).toBe('-50');
    expect(await code(s, 'forcehangup', '1101', { strAgentID: '1001' })).toBe('-50');
    expect(await code(s, 'rop', '1101', { destAgentID: '1001' })).toBe('-50');
    await customerOn(a);
    // Talking, not ringing: nothing to intercept.
    expect(await code(s, 'rop', '1101', { destAgentID: '1001' })).toBe('-50');
    // The admin (all rights, every group) listens; the supervisor's own state: busy with another call.
    const admin = await f.agent('1901', { initStatus: '6' });
    expect(await code(admin, 'listen', '1901', { destAgentID: '1001' })).toBe('0');
    await admin.event('EavesdropEvent');
    // A supervisor without a bound extension has no phone to listen with.
    const noPhone = await TcpAgentClient.connect(f.s.server.tcpPort);
    try {
      expect((await noPhone.signIn('1102', { bindExten: 'no', initStatus: '6' })).body['retCode']).toBe('0');
      expect(await code(noPhone, 'listen', '1102', { destAgentID: '1001' })).toBe('-25');
    } finally {
      noPhone.close();
    }
    expect(await code(admin, 'listen', '1901', { destAgentID: '1017' })).toBe('-24');
    expect(await code(admin, 'rop', '1901', { destAgentID: '1017' })).toBe('-50');
  });

  it('a supervisor whose leg is up is not offered queue calls; once it hangs up, the waiting customer is offered to it', async () => {
    const a = await f.agent('1001');
    await customerOn(a);
    // 1101 is IDLE and a member of queue 630 (level 2).
    const s = await f.agent('1101');
    await s.request('listen', '1101', { destAgentID: '1001' });
    await s.event('EavesdropEvent');
    const from = s.received.length;
    const second = f.sim.placeCall({ from: '13800138000', to: '4008001000' });
    await s.event('AddCustomerToQueueEvent', from);
    await new Promise((r) => setTimeout(r, 200));
    expect(received(s, from)).not.toContain('CallInEvent');
    await s.request('hangup', '1101');
    const offer = await s.event('CallInEvent', from);
    expect(offer.body['callerID']).toBe('13800138000');
    await s.event('BridgeEvent', from);
    second.hangup();
  });
});

describe('extenSpy (seed 001), the core input', () => {
  it('extension 8101 listens to the call of the agent on 8001; a phone no agent has bound may listen too', async () => {
    const a = await f.agent('1001');
    const { customer } = await customerOn(a);
    const s = await f.agent('1101', { initStatus: '6' });
    const from = s.received.length;
    const spy = (src: string, dst: string) => f.s.server.engine.handle({ type: 'exten-spy', accountId: '20000153', src, dst })!.code;
    expect(spy('8101', '8002')).toBe(-49);
    expect(spy('8101', '8101')).toBe(-28);
    expect(spy('8101', '8001')).toBe(0);
    await s.event('EavesdropCallRingEvent', from);
    await s.event('EavesdropEvent', from);
    const agentLeg = f.sim.channel(customer.uuid)!.bridgedTo!;
    const supLeg = f.sim.channels().find((c) => c.variables['polylink_leg'] === 'monitor')!.uuid;
    expect(f.sim.media.heardBy(supLeg)).toEqual([customer.uuid, agentLeg].sort());
    // Its phone is busy with it.
    expect(spy('8101', '8001')).toBe(-24);
    // 8019's agent is not signed in: the phone alone listens.
    expect(spy('8019', '8001')).toBe(0);
    await eventually(() => f.sim.channels().filter((c) => c.variables['polylink_leg'] === 'monitor' && c.answered).length === 2);
    customer.hangup();
    await eventually(() => f.sim.channels().length === 0);
    await expectTrail(s, '1101', from, ['6>5', '5>1', '1>2', '2>6']);
  });
});
