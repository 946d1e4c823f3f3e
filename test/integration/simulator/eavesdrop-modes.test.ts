/**
 * A supervisor's eavesdrop leg on the simulator, over the real ESL wire: originated with
 * polylink's own builders (src/esl/commands.ts), moved between modes by uuid_recv_dtmf,
 * and checked in the simulator's media model (sim.media) at every step — the switch
 * itself reports nothing but a DTMF event (capture d2).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as cmd from '../../../src/esl/commands.js';
import type { EslEvent } from '../../../src/esl/event.js';
import { bridgedCall, startFixture, type Fixture } from '../../helpers/sim-fixture.js';
import { commandText as built, originateSupervisor } from '../../helpers/supervisor-legs.js';

const SUP1 = '5e5e5e5e-0000-4000-8000-000000000001';
const SUP2 = '5e5e5e5e-0000-4000-8000-000000000002';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.stop();
});

/** Events since message `from`, without the API events FreeSWITCH fires for every command. */
function eventsSince(from: number): EslEvent[] {
  return f.client.messages.slice(from).flatMap((m) => (m.kind === 'event' && m.event.name !== 'API' ? [m.event] : []));
}

/** The supervisor's extension rings and answers; its leg eavesdrops on `target`. */
async function supervisor(uuid: string, ext: string, target: string, mode: cmd.EavesdropMode = 'listen', dtmf = true): Promise<void> {
  await originateSupervisor(f, {
    uuid,
    ext,
    application: { kind: 'eavesdrop', uuid: target, mode },
    // polylink always sends eavesdrop_enable_dtmf=true; the test also tries the switch without it.
    rewrite: (text) => (dtmf ? text : text.replace('eavesdrop_enable_dtmf=true', 'eavesdrop_enable_dtmf=false')),
  });
  await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Unique-ID'] === uuid && e.headers['Application'] === 'eavesdrop');
}

/** setEavesdropMode: the reply, then exactly one DTMF event on the eavesdrop leg and nothing else. */
async function setMode(uuid: string, mode: cmd.EavesdropMode): Promise<void> {
  const digit = cmd.EAVESDROP_MODE_DIGITS[mode];
  const from = f.client.messages.length;
  expect(await f.client.api(built(cmd.setEavesdropMode(uuid, mode)))).toBe(`+OK ${uuid} received DTMF ${digit}.\n`);
  await f.tick(0);
  const events = eventsSince(from).map((e) => [e.name, e.headers['Unique-ID'], e.headers['DTMF-Digit'], e.headers['DTMF-Source'], e.headers['DTMF-Duration']]);
  expect(events).toEqual([['DTMF', uuid, digit, 'APP', '2000']]);
}

describe('one eavesdrop leg, every mode, no new ring', () => {
  it('listens, whispers to the agent (2), to the customer (1), barges (3) and listens again (0)', async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisor(SUP1, '2000', agent);
    const hearing = () => f.sim.media.matrix([customer, agent, SUP1]);
    const talk = { [customer]: [agent], [agent]: [customer] };

    expect(hearing()).toEqual({ ...talk, [SUP1]: [customer, agent] });
    expect(f.sim.media.eavesdrop(SUP1)).toEqual({ target: agent, heardByTarget: false, heardByPartner: false, hearsTarget: true, hearsToTarget: true, dtmf: true });

    await setMode(SUP1, 'whisper');
    expect(hearing()).toEqual({ [customer]: [agent], [agent]: [customer, SUP1], [SUP1]: [customer, agent] });

    await setMode(SUP1, 'whisper-partner');
    expect(hearing()).toEqual({ [customer]: [agent, SUP1], [agent]: [customer], [SUP1]: [customer, agent] });

    await setMode(SUP1, 'barge');
    expect(hearing()).toEqual({ [customer]: [agent, SUP1], [agent]: [customer, SUP1], [SUP1]: [customer, agent] });

    await setMode(SUP1, 'listen');
    expect(hearing()).toEqual({ ...talk, [SUP1]: [customer, agent] });
    // The same leg all along: one originate, one answer, one eavesdrop.
    expect(f.client.events().filter((e) => e.name === 'CHANNEL_ANSWER' && e.headers['Unique-ID'] === SUP1)).toHaveLength(1);
    expect(f.sim.channel(SUP1)?.application).toBe('eavesdrop');
  });

  it('starts in the mode its whisper variables give; with eavesdrop_enable_dtmf=false the digits are never read', async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisor(SUP1, '2000', agent, 'whisper');
    expect(f.sim.media.heardBy(agent)).toEqual([customer, SUP1].sort());
    await supervisor(SUP2, '2001', agent, 'barge', false);
    expect(f.sim.media.hears(customer, SUP2)).toBe(true);
    const from = f.client.messages.length;
    // FreeSWITCH queues them (+OK), but nothing dequeues them: no DTMF event, no change.
    expect(await f.client.api(built(cmd.setEavesdropMode(SUP2, 'listen')))).toBe(`+OK ${SUP2} received DTMF 0.\n`);
    await f.tick(0);
    expect(eventsSince(from)).toEqual([]);
    expect(f.sim.media.eavesdrop(SUP2)).toMatchObject({ heardByTarget: true, heardByPartner: true, dtmf: false });
  });

  it("the supervisor's own phone keys switch the mode too, and * ends the eavesdrop: the leg hangs up, the call goes on", async () => {
    const { customer, agent } = await bridgedCall(f);
    f.sim.addUser('2000', { behaviour: { kind: 'answer', dtmf: { digits: '3', afterMs: 1000 } } });
    await supervisor(SUP1, '2000', agent);
    await f.tick(1000);
    const three = await f.client.waitEvent((e) => e.name === 'DTMF' && e.headers['Unique-ID'] === SUP1);
    expect(three.headers['DTMF-Source']).toBe('RTP');
    expect(f.sim.media.hears(customer, SUP1) && f.sim.media.hears(agent, SUP1)).toBe(true);

    const from = f.client.messages.length;
    expect(await f.client.api(built(cmd.receiveDtmf(SUP1, '*')))).toBe(`+OK ${SUP1} received DTMF *.\n`);
    await f.tick(0);
    const sup = eventsSince(from).filter((e) => e.headers['Unique-ID'] === SUP1 && e.name !== 'CHANNEL_STATE');
    expect(sup.slice(0, 3).map((e) => [e.name, e.headers['Application'] ?? e.headers['Hangup-Cause'] ?? e.headers['DTMF-Digit']])).toEqual([
      ['DTMF', '*'],
      ['CHANNEL_EXECUTE_COMPLETE', 'eavesdrop'],
      ['CHANNEL_HANGUP', 'NORMAL_CLEARING'],
    ]);
    expect(eventsSince(from).filter((e) => e.headers['Unique-ID'] !== SUP1)).toEqual([]);
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [customer] });
  });
});

describe('hang-up rules', () => {
  it('the supervisor hangs up: only its leg ends, the call goes on as before', async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisor(SUP1, '2000', agent, 'barge');
    const from = f.client.messages.length;
    expect(await f.client.api(built(cmd.kill(SUP1)))).toBe('+OK\n');
    await f.tick(0);
    expect(new Set(eventsSince(from).map((e) => e.headers['Unique-ID']))).toEqual(new Set([SUP1]));
    expect(f.sim.channel(customer)?.bridgedTo).toBe(agent);
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [customer] });
  });

  it("the call ends: the eavesdrop ends with the target's channel and the supervisor's leg hangs up NORMAL_CLEARING", async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisor(SUP1, '2000', agent);
    const from = f.client.messages.length;
    f.sim.hangup(customer);
    await f.tick(0);
    expect(f.sim.channel(SUP1)?.application).toBe('eavesdrop');
    // The eavesdrop loop notices on the next frame it reads.
    await f.tick(20);
    const order = eventsSince(from)
      .filter((e) => ['CHANNEL_HANGUP_COMPLETE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP'].includes(e.name))
      .map((e) => `${e.name} ${e.headers['Unique-ID'] === SUP1 ? 'sup' : e.headers['Unique-ID'] === agent ? 'agent' : 'customer'}`);
    expect(order.slice(order.indexOf('CHANNEL_HANGUP_COMPLETE customer'))).toEqual([
      'CHANNEL_HANGUP_COMPLETE customer',
      'CHANNEL_EXECUTE_COMPLETE sup',
      'CHANNEL_HANGUP sup',
      'CHANNEL_HANGUP_COMPLETE sup',
    ]);
    expect(f.client.events().find((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === SUP1)?.headers['Hangup-Cause']).toBe('NORMAL_CLEARING');
    expect(f.sim.channels()).toEqual([]);
  });

  it('a customer that survives its agent (park_after_bridge) is not followed: the eavesdrop on the agent ends', async () => {
    const { customer, agent } = await bridgedCall(f, { customerVars: 'park_after_bridge=true' });
    await supervisor(SUP1, '2000', agent);
    await f.client.api(built(cmd.kill(agent)));
    await f.tick(20);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === SUP1);
    expect(f.sim.channels().map((c) => [c.uuid, c.application])).toEqual([[customer, 'park']]);
  });

  it('a target that has not answered yet: the eavesdrop waits for its media, then listens', async () => {
    const { customer } = await bridgedCall(f);
    f.sim.addUser('1002', { behaviour: { kind: 'answer', afterMs: 3000 } });
    f.sim.register('1002');
    const ringing = '6a0b4e2c-0000-4000-8000-000000000002';
    await f.client.command(`bgapi originate {origination_uuid=${ringing}}user/1002 &park()`);
    await supervisor(SUP1, '2000', ringing);
    const display = (e: EslEvent) => e.name === 'CALL_UPDATE' && e.headers['Unique-ID'] === SUP1 && e.headers['Direction'] === 'SEND';
    expect(f.client.events().some(display)).toBe(false);
    expect(f.sim.media.eavesdrop(SUP1)).toBeUndefined();
    await f.tick(3000);
    // The DISPLAY names the target's caller id: after its answer flipped it, the phone's own number.
    expect((await f.client.waitEvent(display)).headers['Sent-Callee-ID-Number']).toBe('1002');
    expect(f.sim.media.eavesdrop(SUP1)?.target).toBe(ringing);
    expect(f.sim.media.hears(SUP1, customer)).toBe(false);
  });
});

describe('two supervisors on the same call', () => {
  it('both listen; the write-side mix of the first reaches the second, not the other way round; one leaving does not end the other', async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisor(SUP1, '2000', agent);
    await supervisor(SUP2, '2001', agent);
    expect(f.sim.media.matrix([customer, agent, SUP1, SUP2])).toEqual({
      [customer]: [agent],
      [agent]: [customer],
      [SUP1]: [customer, agent],
      [SUP2]: [customer, agent],
    });
    // Both whisper to the agent. On the agent's write stream each media bug records before its
    // own mix and after the bugs before it (switch_core_session_write_frame): SUP2 hears SUP1.
    await setMode(SUP1, 'whisper');
    await setMode(SUP2, 'whisper');
    expect(f.sim.media.heardBy(agent)).toEqual([customer, SUP1, SUP2].sort());
    expect(f.sim.media.hears(SUP2, SUP1)).toBe(true);
    expect(f.sim.media.hears(SUP1, SUP2)).toBe(false);
    // On the read stream every mix happens before any bug records, each bug taking out its
    // own voice (switch_core_session_read_frame, read_demux_frame): both hear each other.
    await setMode(SUP1, 'whisper-partner');
    await setMode(SUP2, 'whisper-partner');
    expect(f.sim.media.heardBy(customer)).toEqual([agent, SUP1, SUP2].sort());
    expect(f.sim.media.hears(SUP1, SUP2) && f.sim.media.hears(SUP2, SUP1)).toBe(true);

    await f.client.api(built(cmd.kill(SUP1)));
    await f.tick(0);
    expect(f.sim.media.matrix([customer, agent, SUP2])).toEqual({ [customer]: [agent, SUP2], [agent]: [customer], [SUP2]: [customer, agent] });
  });
});

describe('uuid_recv_dtmf and uuid_send_dtmf replies (mod_commands.c)', () => {
  it('an unknown uuid, a string without digits, groups and durations; uuid_send_dtmf fires nothing', async () => {
    const { agent } = await bridgedCall(f);
    const nobody = '00000000-0000-0000-0000-000000000000';
    expect(await f.client.api(`uuid_recv_dtmf ${nobody} 1`)).toBe('-ERR Cannot locate session!\n');
    expect(await f.client.api(`uuid_recv_dtmf ${agent} xyz`)).toBe('-USAGE: <uuid> <dtmf_data>\n');
    expect(await f.client.api(`uuid_recv_dtmf ${agent}`)).toBe('-USAGE: <uuid> <dtmf_data>\n');
    const from = f.client.messages.length;
    expect(await f.client.api(`uuid_recv_dtmf ${agent} ~1+2@500`)).toBe(`+OK ${agent} received DTMF ~1+2@500.\n`);
    await f.tick(0);
    expect(eventsSince(from).map((e) => [e.name, e.headers['DTMF-Digit'], e.headers['DTMF-Duration']])).toEqual([
      ['DTMF', '1', '2000'],
      ['DTMF', '2', '4000'],
    ]);
    const sent = f.client.messages.length;
    expect(await f.client.api(`uuid_send_dtmf ${agent} 12`)).toBe(`+OK ${agent} sent DTMF 12.\n`);
    await f.tick(0);
    expect(eventsSince(sent)).toEqual([]);
    expect(await f.client.api(`uuid_send_dtmf ${nobody} 1`)).toBe('-ERR Cannot locate session!\n');
  });
});
