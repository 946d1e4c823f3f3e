/**
 * The intercept application (rop) and the simulator's media model (sim.media) for the
 * call shapes besides eavesdrop: a bridged pair, hold, a playback, a conference, mute,
 * echo. Everything goes through the real ESL wire.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as cmd from '../../../src/esl/commands.js';
import type { EslEvent } from '../../../src/esl/event.js';
import { answeredCustomer, bridgedCall, startFixture, type Fixture } from '../../helpers/sim-fixture.js';
import { commandText as built, originateSupervisor } from '../../helpers/supervisor-legs.js';

const SUP = '5e5e5e5e-0000-4000-8000-000000000001';
const RINGING = '6a0b4e2c-0000-4000-8000-000000000009';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.stop();
});

function eventsOf(uuid: string, names: readonly string[], from = 0): EslEvent[] {
  return f.client.messages
    .slice(from)
    .flatMap((m) => (m.kind === 'event' && m.event.headers['Unique-ID'] === uuid && names.includes(m.event.name) ? [m.event] : []));
}

/** The supervisor's extension 2000 answers at once and runs `application`. */
function supervisorLeg(application: cmd.OriginateApplication): Promise<void> {
  return originateSupervisor(f, { uuid: SUP, ext: '2000', application });
}

/** An agent leg ringing at extension 1002, whose phone does not pick up. */
async function ringingAgentLeg(): Promise<void> {
  f.sim.addUser('1002', { behaviour: { kind: 'no-answer' } });
  f.sim.register('1002');
  await f.client.command(`bgapi originate {origination_uuid=${RINGING},originate_timeout=60}user/1002 &park()`);
  await f.client.waitEvent((e) => e.name === 'CHANNEL_PROGRESS' && e.headers['Unique-ID'] === RINGING);
}

describe('intercept (rop)', () => {
  it('of a ringing leg with nobody behind it (capture d2): its originate is cancelled, it ends DESTINATION_OUT_OF_ORDER, the interceptor ORIGINATOR_CANCEL', async () => {
    await ringingAgentLeg();
    await supervisorLeg({ kind: 'intercept', uuid: RINGING });
    const done = await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE_COMPLETE' && e.headers['Unique-ID'] === SUP);
    expect(done.headers).toMatchObject({ Application: 'intercept', 'Other-Leg-Unique-ID': RINGING, 'Other-Type': 'originatee' });
    const job = await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB' && (e.headers['Job-Command-Arg'] ?? '').includes(RINGING) && !(e.headers['Job-Command-Arg'] ?? '').includes('intercept'));
    expect(job.body).toBe('-ERR ORIGINATOR_CANCEL\n');
    expect(f.sim.channel(RINGING)?.callState).toBe('RINGING');
    await f.tick(40);
    const hangups = f.client.events().filter((e) => e.name === 'CHANNEL_HANGUP').map((e) => [e.headers['Unique-ID'], e.headers['Hangup-Cause']]);
    expect(hangups).toEqual([
      [RINGING, 'DESTINATION_OUT_OF_ORDER'],
      [SUP, 'ORIGINATOR_CANCEL'],
    ]);
    expect(f.sim.channels()).toEqual([]);
  });

  it("of the customer while an agent's phone rings for it: the supervisor gets the customer, the ringback stops, the ringing leg is polylink's to cancel", async () => {
    const customer = await answeredCustomer(f);
    await f.client.api(`uuid_broadcast ${customer} local_stream://moh aleg`);
    expect(f.sim.media.heardBy(customer)).toEqual(['local_stream://moh']);
    await ringingAgentLeg();
    const from = f.client.messages.length;
    await supervisorLeg({ kind: 'intercept', uuid: customer });
    const bridge = await f.client.waitEvent((e) => e.name === 'CHANNEL_BRIDGE', from);
    expect(bridge.headers).toMatchObject({ 'Bridge-A-Unique-ID': SUP, 'Bridge-B-Unique-ID': customer });
    expect(eventsOf(customer, ['PLAYBACK_STOP'], from)).toHaveLength(1);
    expect(f.sim.media.matrix([customer, SUP, RINGING])).toEqual({ [customer]: [SUP], [SUP]: [customer], [RINGING]: [] });
    expect(f.sim.channel(RINGING)?.callState).toBe('RINGING');
    expect(await f.client.api(built(cmd.kill(RINGING, 'PICKED_OFF')))).toBe('+OK\n');
    await f.tick(0);
    expect(f.sim.channels().map((c) => [c.uuid, c.bridgedTo]).sort()).toEqual([[SUP, customer], [customer, SUP]].sort());
  });

  it('of a customer already talking to an agent: the agent is hung up PICKED_OFF, the customer talks to the supervisor', async () => {
    const { customer, agent } = await bridgedCall(f);
    await supervisorLeg({ kind: 'intercept', uuid: customer });
    await f.client.waitEvent((e) => e.name === 'CHANNEL_BRIDGE' && e.headers['Unique-ID'] === SUP);
    const agentHangup = await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === agent);
    expect(agentHangup.headers['Hangup-Cause']).toBe('PICKED_OFF');
    expect(f.sim.channel(customer)?.bridgedTo).toBe(SUP);
    expect(f.sim.media.matrix([customer, SUP])).toEqual({ [customer]: [SUP], [SUP]: [customer] });
  });

  it('intercept -bleg <agent leg> (from the dialplan) takes the agent\'s partner', async () => {
    const { customer, agent } = await bridgedCall(f);
    f.sim.addRoute('7001', [{ app: 'intercept', data: `-bleg ${agent}` }]);
    f.sim.addUser('2000');
    f.sim.register('2000');
    await f.client.command(`bgapi originate {origination_uuid=${SUP}}user/2000 7001`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === agent);
    expect(f.sim.channel(customer)?.bridgedTo).toBe(SUP);
  });

  it('an unknown uuid, or intercept_unanswered_only of an answered leg: intercept returns and the leg, with nothing left to run, hangs up', async () => {
    await supervisorLeg({ kind: 'intercept', uuid: '00000000-0000-0000-0000-000000000000' });
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === SUP)).headers['Hangup-Cause']).toBe('NORMAL_CLEARING');
    const customer = await answeredCustomer(f);
    await f.client.command(`bgapi originate {origination_uuid=${RINGING},intercept_unanswered_only=true}user/2000 &intercept(${customer})`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === RINGING);
    expect(f.sim.channel(customer)?.application).toBe('park');
  });
});

describe('who hears whom: sim.media', () => {
  it('a bridged pair; hold: the partner hears the hold music and the held leg nobody; unhold', async () => {
    const { customer, agent } = await bridgedCall(f);
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [customer] });
    await f.client.api(built(cmd.hold(customer)));
    expect(f.sim.media.heardBy(agent)).toEqual(['local_stream://moh']);
    expect(f.sim.media.heardBy(customer)).toEqual([]);
    expect(f.sim.media.hears(agent, 'local_stream://moh')).toBe(true);
    await f.client.api(built(cmd.unhold(customer)));
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [customer] });
  });

  it('a supervisor listening to a held agent hears what the agent hears: the music', async () => {
    const { customer, agent } = await bridgedCall(f);
    f.sim.addUser('2000');
    f.sim.register('2000');
    await f.client.command(`bgapi originate {origination_uuid=${SUP}}user/2000 &eavesdrop(${agent})`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Unique-ID'] === SUP);
    await f.client.api(`uuid_hold ${customer}`);
    expect(f.sim.media.heardBy(SUP)).toEqual([agent, 'local_stream://moh'].sort());
  });

  it('mute: uuid_audio read silences a leg for everyone, write makes it deaf', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(built(cmd.mute(agent)));
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [], [agent]: [customer] });
    await f.client.api(built(cmd.unmute(agent)));
    await f.client.api(`uuid_audio ${agent} start write mute 1`);
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [] });
  });

  it('a conference: every member hears every other; an eavesdropper whispering into a member\'s read stream is heard by the room', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(built(cmd.transferToConference(customer, 'cti3way')));
    f.sim.addUser('3000');
    f.sim.register('3000');
    const third = '5e5e5e5e-0000-4000-8000-000000000003';
    await f.client.command(`bgapi originate {origination_uuid=${third}}user/3000 &conference(cti3way@default)`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.headers['Action'] === 'add-member' && e.headers['Unique-ID'] === third);
    expect(f.sim.media.matrix([customer, agent, third])).toEqual({
      [customer]: [agent, third],
      [agent]: [customer, third],
      [third]: [customer, agent],
    });
    f.sim.addUser('2000');
    f.sim.register('2000');
    await f.client.command(`bgapi originate {origination_uuid=${SUP},eavesdrop_whisper_aleg=true}user/2000 &eavesdrop(${agent})`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Unique-ID'] === SUP);
    expect(f.sim.media.heardBy(customer)).toEqual([agent, SUP, third].sort());
    expect(f.sim.media.hears(agent, SUP)).toBe(false);
    expect(f.sim.media.heardBy(SUP)).toEqual([agent, customer, third].sort());
  });

  it('a playback on one leg of a bridge: that leg hears the file, the other hears nothing of it; echo hears itself; a ringing leg hears nothing', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(`uuid_broadcast ${customer} tone_stream://%(1000,0,440);loops=-1 aleg`);
    expect(f.sim.media.heardBy(customer)).toEqual(['tone_stream://%(1000,0,440);loops=-1']);
    expect(f.sim.media.heardBy(agent)).toEqual([]);
    await f.client.api(`uuid_break ${customer} all`);
    expect(f.sim.media.matrix([customer, agent])).toEqual({ [customer]: [agent], [agent]: [customer] });
    await supervisorLeg({ kind: 'echo' });
    expect(f.sim.media.heardBy(SUP)).toEqual([SUP]);
    await ringingAgentLeg();
    expect(f.sim.media.heardBy(RINGING)).toEqual([]);
    expect(f.sim.media.heardBy('00000000-0000-0000-0000-000000000000')).toEqual([]);
  });
});
