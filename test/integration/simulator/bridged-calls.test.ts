/** What happens to a bridged pair when one side goes: the README's rule, with park_after_bridge and hangup_after_bridge. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answeredCustomer, bridgedCall, startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.stop();
});

const names = (uuid: string) => f.client.events().filter((e) => e.headers['Unique-ID'] === uuid).map((e) => e.name);

describe('hanging up a bridged leg', () => {
  it('ends the other leg too, NORMAL_CLEARING, with CHANNEL_UNBRIDGE on the A side', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(`uuid_kill ${agent}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === customer);
    // The agent leg (B side) ends first, then the customer leg unbridges and hangs up (capture i).
    expect(names(customer).slice(-9)).toEqual([
      'CHANNEL_UNBRIDGE', 'CHANNEL_HANGUP', 'CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'PRESENCE_IN', 'CHANNEL_STATE',
      'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY', 'CHANNEL_STATE',
    ]);
    expect(names(agent).slice(-7)).toEqual([
      'CHANNEL_HANGUP', 'CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'CHANNEL_STATE', 'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_DESTROY', 'CHANNEL_STATE',
    ]);
    const hc = f.client.events().find((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === customer)!;
    expect(hc.headers).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING', variable_last_bridge_hangup_cause: 'NORMAL_CLEARING', variable_bridge_hangup_cause: 'NORMAL_CLEARING' });
    expect(f.sim.channels()).toEqual([]);
  });

  it('the customer hanging up (BYE) ends the agent leg', async () => {
    const { customer, agent } = await bridgedCall(f);
    expect(f.sim.hangup(customer)).toBe(true);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === agent);
    const hc = f.client.events().find((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === customer)!;
    expect(hc.headers['variable_sip_hangup_disposition']).toBe('recv_bye');
  });

  it('park_after_bridge=true on the survivor: it parks instead (the customer during a consult)', async () => {
    const { customer, agent } = await bridgedCall(f, { customerVars: 'park_after_bridge=true' });
    await f.client.api(`uuid_kill ${agent}`);
    const park = await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === customer && Number(e.headers['Event-Sequence']) > 0 && e.headers['variable_last_bridge_hangup_cause'] === 'NORMAL_CLEARING');
    expect(park.headers['Channel-Call-State']).toBe('ACTIVE');
    expect(f.sim.channel(customer)).toMatchObject({ application: 'park', bridgedTo: undefined });
    expect(f.sim.channels().map((c) => c.uuid)).toEqual([customer]);
  });

  it('park_after_bridge=true on the agent leg keeps it when the customer goes', async () => {
    const { customer, agent } = await bridgedCall(f, { agentVars: 'park_after_bridge=true' });
    await f.client.api(`uuid_kill ${customer}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === customer);
    expect(f.sim.channels().map((c) => [c.uuid, c.application])).toEqual([[agent, 'park']]);
  });

  it('hangup_after_bridge=false on the survivor: it stays up, unbridged, not parked', async () => {
    const { customer, agent } = await bridgedCall(f, { customerVars: 'hangup_after_bridge=false' });
    await f.client.api(`uuid_kill ${agent}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_UNBRIDGE');
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY' && e.headers['Unique-ID'] === agent);
    expect(f.sim.channel(customer)).toMatchObject({ bridgedTo: undefined, application: undefined, answered: true });
    expect(names(customer)).not.toContain('CHANNEL_HANGUP');
  });

  it('a surviving leg can be bridged again', async () => {
    const { customer, agent } = await bridgedCall(f, { customerVars: 'park_after_bridge=true' });
    await f.client.api(`uuid_kill ${agent}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['variable_last_bridge_hangup_cause'] === 'NORMAL_CLEARING');
    f.sim.addUser('1002');
    f.sim.register('1002');
    const second = '6a0b4e2c-0000-4000-8000-000000000002';
    await f.client.command(`bgapi originate {origination_uuid=${second}}user/1002 &park()`);
    await f.tick(0);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === second);
    expect(await f.client.api(`uuid_bridge ${customer} ${second}`)).toBe(`+OK ${second}\n`);
    expect(f.sim.channel(customer)?.bridgedTo).toBe(second);
  });
});

describe('bridging a leg before its originate has reported (setOriginateReportDelay)', () => {
  async function answeredAgentLeg(): Promise<{ customer: string; agent: string }> {
    const { sim, client: c, tick } = f;
    sim.setOriginateReportDelay(20);
    const customer = await answeredCustomer(f);
    const agent = '6a0b4e2c-0000-4000-8000-000000000003';
    await c.command(`bgapi originate {origination_uuid=${agent}}user/1001 &park()`);
    await tick(100);
    await c.waitEvent((e) => e.name === 'CHANNEL_ANSWER' && e.headers['Unique-ID'] === agent);
    return { customer, agent };
  }

  it('on its CHANNEL_ANSWER: the job says -ERR ORIGINATOR_CANCEL, the leg never parks and stays up, bridged', async () => {
    const { customer, agent } = await answeredAgentLeg();
    expect(f.client.events().some((e) => e.name === 'BACKGROUND_JOB')).toBe(false);
    expect(await f.client.api(`uuid_bridge ${customer} ${agent}`)).toBe(`+OK ${agent}\n`);
    await f.tick(20);
    const job = await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB');
    expect(job.body).toBe('-ERR ORIGINATOR_CANCEL\n');
    expect(names(agent)).not.toContain('CHANNEL_PARK');
    expect(f.sim.channel(agent)).toMatchObject({ answered: true, bridgedTo: customer });
    expect(f.sim.channel(customer)?.bridgedTo).toBe(agent);
  });

  it('left alone: +OK after the delay, then the application runs', async () => {
    const { agent } = await answeredAgentLeg();
    await f.tick(20);
    const job = await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB');
    expect(job.body).toBe(`+OK ${agent}\n`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === agent);
  });
});
