/** Simulated phones (per extension) and numbers behind a gateway: how they answer, refuse, hang up and press keys. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
  f.sim.addUser('1001');
  f.sim.register('1001');
});
afterEach(async () => {
  await f.stop();
});

async function originateAgent(vars = ''): Promise<{ uuid: string; result: () => Promise<string> }> {
  const uuid = `a9e1c3d0-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  await f.client.command(`bgapi originate {origination_uuid=${uuid}${vars}}user/1001 &park()\nJob-UUID: job-${uuid}`);
  return {
    uuid,
    result: async () => (await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB' && e.headers['Job-UUID'] === `job-${uuid}`)).body ?? '',
  };
}

describe('phone behaviours', () => {
  it('answers after N ms: rings first (CHANNEL_PROGRESS), then CHANNEL_ANSWER', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 2000 });
    const o = await originateAgent();
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PROGRESS' && e.headers['Unique-ID'] === o.uuid);
    await f.tick(1999);
    expect(f.client.events().some((e) => e.name === 'CHANNEL_ANSWER')).toBe(false);
    await f.tick(1);
    expect(await o.result()).toBe(`+OK ${o.uuid}\n`);
  });

  it('never answers: NO_ANSWER when originate_timeout runs out (capture g)', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'no-answer' });
    const o = await originateAgent(',originate_timeout=3');
    await f.tick(3000);
    expect(await o.result()).toBe('-ERR NO_ANSWER\n');
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE')).headers['variable_sip_invite_failure_status']).toBe('487');
  });

  it('rejects: CALL_REJECTED; busy: USER_BUSY — with the channel events of capture g', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'reject' });
    const rejected = await originateAgent();
    expect(await rejected.result()).toBe('-ERR CALL_REJECTED\n');
    f.sim.setPhoneBehaviour('1001', { kind: 'busy' });
    const busy = await originateAgent();
    expect(await busy.result()).toBe('-ERR USER_BUSY\n');
    const hangup = f.client.events().find((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === busy.uuid)!;
    expect(hangup.headers).toMatchObject({ 'Hangup-Cause': 'USER_BUSY', variable_sip_term_status: '486' });
  });

  it('rings then refuses after N ms', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'busy', afterMs: 700 });
    const o = await originateAgent();
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PROGRESS' && e.headers['Unique-ID'] === o.uuid);
    await f.tick(700);
    expect(await o.result()).toBe('-ERR USER_BUSY\n');
  });

  it('hangs up N ms after answering (the far end sends BYE)', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 0, hangupAfterMs: 5000 });
    const o = await originateAgent();
    await f.tick(0);
    await o.result();
    await f.tick(5000);
    const hangup = await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === o.uuid);
    expect(hangup.headers).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING', variable_sip_term_status: '200' });
  });

  it('presses DTMF N ms after answering: one DTMF event per digit', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 0, dtmf: { digits: '1#', afterMs: 300 } });
    const o = await originateAgent();
    await f.tick(0);
    await o.result();
    await f.tick(300);
    await f.client.waitFor(() => f.client.events().filter((e) => e.name === 'DTMF').length === 2);
    const dtmf = f.client.events().filter((e) => e.name === 'DTMF');
    expect(dtmf.map((e) => [e.headers['DTMF-Digit'], e.headers['Unique-ID']])).toEqual([['1', o.uuid], ['#', o.uuid]]);
    expect(Object.keys(dtmf[0]!.headers).some((h) => h.startsWith('variable_'))).toBe(false);
  });

  it('a behaviour changed while a call rings applies to the next call', async () => {
    f.sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 1000 });
    const first = await originateAgent();
    f.sim.setPhoneBehaviour('1001', { kind: 'busy' });
    await f.tick(1000);
    expect(await first.result()).toBe(`+OK ${first.uuid}\n`);
    const second = await originateAgent();
    expect(await second.result()).toBe('-ERR USER_BUSY\n');
  });
});

describe('gateways', () => {
  beforeEach(() => {
    f.sim.addGateway({ name: 'carrier', capacity: 2, proxy: '192.0.2.10:5060' });
  });

  async function dialOut(number: string): Promise<string> {
    const job = `gw-${number}-${f.client.messages.length}`;
    await f.client.command(`bgapi originate {originate_timeout=30}sofia/gateway/carrier/${number} &park()\nJob-UUID: ${job}`);
    await f.tick(0);
    return (await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB' && e.headers['Job-UUID'] === job)).body ?? '';
  }

  it('per number pattern: answer, busy, reject, congestion, no answer', async () => {
    f.sim.setTrunkBehaviour('carrier', '0301xxxxxx', { kind: 'busy' });
    f.sim.setTrunkBehaviour('carrier', '0302xxxxxx', { kind: 'reject' });
    f.sim.setTrunkBehaviour('carrier', '0303xxxxxx', { kind: 'congestion' });
    f.sim.setTrunkBehaviour('carrier', /^\+44/, { kind: 'no-answer' });
    expect(await dialOut('0301123456')).toBe('-ERR USER_BUSY\n');
    expect(await dialOut('0302123456')).toBe('-ERR CALL_REJECTED\n');
    expect(await dialOut('0303123456')).toBe('-ERR NORMAL_CIRCUIT_CONGESTION\n');
    const answered = await dialOut('0309999999');
    expect(answered).toMatch(/^\+OK /);
    const create = f.client.events().find((e) => e.name === 'CHANNEL_CREATE' && e.headers['Unique-ID'] === answered.slice(4, 40))!;
    expect(create.headers).toMatchObject({ 'Channel-Name': 'sofia/internal/0309999999@192.0.2.10', variable_sip_gateway_name: 'carrier' });
    const job = 'uk';
    await f.client.command(`bgapi originate {originate_timeout=5}sofia/gateway/carrier/+441234 &park()\nJob-UUID: ${job}`);
    await f.tick(5000);
    expect((await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB' && e.headers['Job-UUID'] === job)).body).toBe('-ERR NO_ANSWER\n');
  });

  it('beyond its capacity: -ERR NORMAL_CIRCUIT_CONGESTION without a channel; a line frees up at hangup', async () => {
    const first = await dialOut('0301000001');
    const second = await dialOut('0301000002');
    expect([first, second].every((r) => r.startsWith('+OK '))).toBe(true);
    const creates = f.client.events().filter((e) => e.name === 'CHANNEL_CREATE').length;
    expect(await f.client.api('originate sofia/gateway/carrier/0301000003 &park()')).toBe('-ERR NORMAL_CIRCUIT_CONGESTION\n');
    expect(f.client.events().filter((e) => e.name === 'CHANNEL_CREATE').length).toBe(creates);
    await f.client.api(`uuid_kill ${first.slice(4, 40)}`);
    expect(await dialOut('0301000004')).toMatch(/^\+OK /);
    expect(await f.client.api('originate sofia/gateway/nowhere/1 &park()')).toBe('-ERR INVALID_GATEWAY\n');
  });
});
