// callagent, hold / stophold, mute / stopmute, senddtmf, answer, check: end to end over the simulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectTrail, received, startCallFixture, type DrivenCallFixture } from '../../helpers/call-fixture.js';

let f: DrivenCallFixture;
beforeEach(async () => {
  f = await startCallFixture({ sharedClock: true });
});
afterEach(() => f.close());

describe('callagent (internal call)', () => {
  it('caller rings first (InternalCall_CallInEvent), then the callee (InternalCallerRingEvent); both BridgeEvent; both back to IDLE', async () => {
    const a = await f.agent('1001');
    const b = await f.agent('1002');
    const fa = a.received.length;
    const fb = b.received.length;
    expect((await a.request('callagent', '1001', { agentNum: '1002' })).body['retCode']).toBe('0');
    expect((await a.event('InternalCall_CallInEvent', fa)).body).toMatchObject({ agentid: '1001', callerid: '1001', callType: 'CTI_CALL_TYPE_INTERNAL_CALL' });
    expect((await b.event('InternalCallerRingEvent', fb)).body).toMatchObject({ agentid: '1002', callerid: '1001' });
    await a.event('BridgeEvent', fa);
    await b.event('BridgeEvent', fb);
    await expectTrail(a, '1001', fa, ['0>10', '10>2']);
    await expectTrail(b, '1002', fb, ['0>5', '5>1', '1>2']);
    // Holding is the calling agent's: the called one is refused and stays talking.
    expect((await b.request('hold', '1002')).body['retCode']).toBe('-24');
    expect(f.statusOf('1002')).toBe(2);
    await b.request('hangup', '1002');
    await a.event('HangupEvent', fa);
    await b.event('HangupEvent', fb);
    await f.until(() => f.statusOf('1001') === 0 && f.statusOf('1002') === 0);
    expect(f.stats('1001').intercallnums).toBe(1);
    expect(f.stats('1002').intercallnums).toBe(1);
    expect(f.stats('1002').agentrelease).toBe(1);
    await f.until(() => f.cdrs().length === 1);
    expect(f.cdr()).toMatchObject({ call_type: 'internal', status: 'ANSWER', agents: '1001,1002' });
  });

  it('the callee does not answer: both told, both back where they were', async () => {
    f.phone('1004', { kind: 'no-answer' });
    const a = await f.agent('1003');
    const b = await f.agent('1004', { initStatus: '6' });
    const fa = a.received.length;
    await a.request('callagent', '1003', { agentNum: '1004' });
    // Nobody took it: an ordinary end (seed: 0), the reason says why; the phone module did not fail.
    expect((await a.event('HangupEvent', fa, 10_000)).body).toMatchObject({ hangupReason: 'NO_ANSWER', retCode: '0' });
    await b.event('HangupEvent');
    await f.until(() => f.statusOf('1003') === 0 && f.statusOf('1004') === 6);
  });

  it.each([
    ['busy', 'USER_BUSY', '0'],
    ['reject', 'CALL_REJECTED', '0'],
    // The switch could not reach the phone: the seed's -60, the phone module's operation failed.
    ['unreachable', 'NORMAL_TEMPORARY_FAILURE', '-60'],
  ] as const)('a callee phone that is %s: the caller hears %s with retCode %s', async (kind, cause, retCode) => {
    f.phone('1004', { kind });
    const a = await f.agent('1003');
    await f.agent('1004');
    const fa = a.received.length;
    await a.request('callagent', '1003', { agentNum: '1004' });
    expect((await a.event('HangupEvent', fa, 10_000)).body).toMatchObject({ hangupReason: cause, retCode });
    await f.until(() => f.statusOf('1003') === 0);
  });

  it('the caller does not answer its own phone: the callee is released without ever ringing', async () => {
    f.phone('1005', { kind: 'no-answer' });
    const a = await f.agent('1005');
    const b = await f.agent('1006');
    const fb = b.received.length;
    await a.request('callagent', '1005', { agentNum: '1006' });
    await a.event('HangupEvent', undefined, 10_000);
    await b.waitFor((m) => m.body['new_status'] === '0', fb);
    expect(received(b, fb)).toEqual(['AgentStatusChangeEvent', 'AgentStatusChangeEvent']);
    await expectTrail(b, '1006', fb, ['0>5', '5>0']);
  });

  it.each([
    ['-28', '1007', { agentNum: '1007' }],
    ['-30', '1007', { agentNum: '1099' }],
    ['-30', '1007', { agentNum: '1010' }],
    ['-59', '1007', {}],
  ])('answers %s from %s for %j', async (code, from, fields) => {
    const a = await f.agent(from);
    expect((await a.request('callagent', from, fields)).body['retCode']).toBe(code);
  });

  it('answers -31/-32 for states that may not call or be called, -33/-34 without extensions, -36 for an unregistered callee', async () => {
    const leaving = await f.agent('1011', { initStatus: '7' });
    const idle = await f.agent('1012');
    expect((await leaving.request('callagent', '1011', { agentNum: '1012' })).body['retCode']).toBe('-31');
    expect((await idle.request('callagent', '1012', { agentNum: '1011' })).body['retCode']).toBe('-32');
    const noPhone = await f.agent('1013', { bindExten: 'no', agentExten: '' });
    expect((await noPhone.request('callagent', '1013', { agentNum: '1012' })).body['retCode']).toBe('-33');
    expect((await idle.request('callagent', '1012', { agentNum: '1013' })).body['retCode']).toBe('-34');
    await f.agent('1014');
    f.sim.unregister(f.exten('1014'));
    await f.until(() => !f.s.server.switch.port.isRegistered(f.exten('1014')));
    expect((await idle.request('callagent', '1012', { agentNum: '1014' })).body['retCode']).toBe('-36');
    await f.agent('1015');
    f.sim.unregister(f.exten('1012'));
    await f.until(() => !f.s.server.switch.port.isRegistered(f.exten('1012')));
    expect((await idle.request('callagent', '1012', { agentNum: '1015' })).body['retCode']).toBe('-35');
  });
});

describe('hold and mute', () => {
  it('hold: HOLD from the switch; stophold: TALKING; keepnums counts; -24 when not talking', async () => {
    const a = await f.agent('1001');
    expect((await a.request('hold', '1001')).body['retCode']).toBe('-24');
    const from = a.received.length;
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent', from);
    expect((await a.request('hold', '1001')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1001') === 3);
    // The held leg carries polylink's hold music: what FreeSWITCH plays to its partner.
    const agentLeg = f.sim.channels().find((c) => c.name.includes(f.exten('1001')));
    expect(agentLeg?.variables['hold_music']).toBe(f.s.config.calls.holdMusic);
    expect((await a.request('hold', '1001')).body['retCode']).toBe('-24');
    expect((await a.request('mute', '1001')).body['retCode']).toBe('-24');
    expect((await a.request('stophold', '1001')).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1001') === 2);
    await expectTrail(a, '1001', from, ['0>10', '10>2', '2>3', '3>2']);
    expect(f.stats('1001').keepnums).toBe(1);
    // The customer heard music while held (PLAYBACK on the partner, capture c1).
    expect(f.sim.channels().length).toBe(2);
  });

  it('mute: MUTE once the switch did it; stopmute: TALKING', async () => {
    const a = await f.agent('1002');
    const from = a.received.length;
    await a.request('callout', '1002', { calledID: '13900139000' });
    await a.event('BridgeEvent', from);
    expect((await a.request('stopmute', '1002')).body['retCode']).toBe('-24');
    await a.request('mute', '1002');
    await f.until(() => f.statusOf('1002') === 11);
    await a.request('stopmute', '1002');
    await f.until(() => f.statusOf('1002') === 2);
    await expectTrail(a, '1002', from, ['0>10', '10>2', '2>11', '11>2']);
  });
});

describe('senddtmf (the keypad in a call)', () => {
  it('sends the keys to the party on the line (an outside IVR), also muted; -24 with no call or on hold, -59 for anything but 1–32 DTMF keys', async () => {
    const a = await f.agent('1003');
    expect((await a.request('senddtmf', '1003', { digits: '1' })).body['retCode']).toBe('-24');
    const from = a.received.length;
    await a.request('callout', '1003', { calledID: '13900139000' });
    await a.event('BridgeEvent', from);
    const legs = f.sim.channels();
    const agentLeg = legs.find((c) => c.name.includes(f.exten('1003')))!;
    const customerLeg = legs.find((c) => c !== agentLeg)!;
    expect(customerLeg.bridgedTo).toBe(agentLeg.uuid);
    expect((await a.request('senddtmf', '1003', { digits: '0123456789*#ABCD' })).body['retCode']).toBe('0');
    await f.until(() => f.sim.dtmfSentOut(customerLeg.uuid) === '0123456789*#ABCD');
    // What uuid_send_dtmf would read beyond the keys — pauses, durations, groups, a second line — never reaches the switch.
    for (const digits of ['', '1w2', '1@500', '1+2', '~1', 'abc', '1 2', '1\n\napi shutdown', '1'.repeat(33)]) {
      expect((await a.request('senddtmf', '1003', { digits })).body['retCode'], JSON.stringify(digits)).toBe('-59');
    }
    expect((await a.request('senddtmf', '1003', {})).body['retCode']).toBe('-59');
    await a.request('mute', '1003');
    await f.until(() => f.statusOf('1003') === 11);
    expect((await a.request('senddtmf', '1003', { digits: '#' })).body['retCode']).toBe('0');
    await a.request('stopmute', '1003');
    await f.until(() => f.statusOf('1003') === 2);
    await a.request('hold', '1003');
    await f.until(() => f.statusOf('1003') === 3);
    expect((await a.request('senddtmf', '1003', { digits: '9' })).body['retCode']).toBe('-24');
    await f.until(() => f.sim.dtmfSentOut(customerLeg.uuid) === '0123456789*#ABCD#');
    // The agent's own phone heard none of it; the state never moved for it.
    expect(f.sim.dtmfSentOut(agentLeg.uuid)).toBe('');
    await expectTrail(a, '1003', from, ['0>10', '10>2', '2>11', '11>2', '2>3']);
    expect(received(a, from).filter((e) => e === 'ServerResponse')).toEqual([]);
  });

  it('on an internal call the keys go to the other agent’s phone', async () => {
    const a = await f.agent('1001');
    const b = await f.agent('1002');
    const fb = b.received.length;
    await a.request('callagent', '1001', { agentNum: '1002' });
    await b.event('BridgeEvent', fb);
    const calleeLeg = f.sim.channels().find((c) => c.name.includes(f.exten('1002')))!;
    expect((await b.request('senddtmf', '1002', { digits: '5' })).body['retCode']).toBe('0');
    expect((await a.request('senddtmf', '1001', { digits: '42' })).body['retCode']).toBe('0');
    await f.until(() => f.sim.dtmfSentOut(calleeLeg.uuid) === '42');
  });
});

describe('answer', () => {
  it('answers a ringing call for a phone that supports it (ctiAnswer), -26 for one that does not', async () => {
    // 1001 has ctiAnswer in the example; its phone would otherwise ring for ever.
    f.phone('1001', { kind: 'no-answer' });
    f.phone('1002', { kind: 'no-answer' });
    const caller = await f.agent('1003');
    const a = await f.agent('1001');
    const from = a.received.length;
    await caller.request('callagent', '1003', { agentNum: '1001' });
    await a.event('InternalCallerRingEvent', from);
    expect((await a.request('answer', '1001')).body['retCode']).toBe('0');
    await a.event('BridgeEvent', from);
    await caller.request('hangup', '1003');
    await f.until(() => f.statusOf('1001') === 0);
    const b = await f.agent('1002');
    const fb = b.received.length;
    await caller.request('callagent', '1003', { agentNum: '1002' });
    await b.event('InternalCallerRingEvent', fb);
    expect((await b.request('answer', '1002')).body['retCode']).toBe('-26');
    expect((await caller.request('answer', '1003')).body['retCode']).toBe('-24');
  });
});

describe('check (loop-back test)', () => {
  it('rings the agent’s phone with an echo; CheckExtenEvent when answered', async () => {
    const a = await f.agent('1001', { initStatus: '6' });
    const from = a.received.length;
    expect((await a.request('check', '1001')).body['retCode']).toBe('0');
    expect((await a.event('CheckExtenEvent', from)).body['agentid']).toBe('1001');
    expect(f.statusOf('1001')).toBe(5);
    expect((await a.request('check', '1001')).body['retCode']).toBe('-24');
    await a.request('hangup', '1001');
    await f.until(() => f.statusOf('1001') === 6);
    expect(f.cdrs()).toHaveLength(0);
  });

  it('a phone that does not answer: HangupEvent with the cause', async () => {
    f.phone('1002', { kind: 'busy' });
    const a = await f.agent('1002');
    await a.request('check', '1002');
    expect((await a.event('HangupEvent')).body['hangupReason']).toBe('USER_BUSY');
    await f.until(() => f.statusOf('1002') === 0);
  });
});

describe('AgentStateAfterHangup chosen by the bar (seed tsddbAfterHangup)', () => {
  it('replaces ACW for the session; 4 goes back to ACW; states that cannot be chosen are refused', async () => {
    const a = await f.agent('1001');
    const set = async (value: string | undefined) =>
      (await a.request('setagentstateafterhangup', '1001', value === undefined ? {} : { AgentStateAfterHangup: value })).body['retCode'];
    expect(await set(undefined)).toBe('-15');
    expect(await set('talking')).toBe('-16');
    expect(await set('2')).toBe('-17');
    expect(await set('999')).toBe('-17');
    expect(await set('6')).toBe('0');
    const callOnce = async () => {
      const from = a.received.length;
      await a.request('callout', '1001', { calledID: '13900139000' });
      await a.event('BridgeEvent', from);
      await a.request('hangup', '1001');
      await a.event('HangupEvent', from);
      return from;
    };
    let from = await callOnce();
    await expectTrail(a, '1001', from, ['0>10', '10>2', '2>6']);
    expect(await set('0')).toBe('0');
    expect((await a.request('setagentdefinestatus', '1001', { targetStatus: '0' })).body['retCode']).toBe('0');
    await f.until(() => f.statusOf('1001') === 0);
    from = await callOnce();
    await expectTrail(a, '1001', from, ['0>10', '10>2', '2>0']);
    // 4 is the seed's default: after-call work after a customer call.
    expect(await set('4')).toBe('0');
    from = await callOnce();
    await expectTrail(a, '1001', from, ['0>10', '10>2', '2>4']);
  });
});
