/** Registrations (sofia::register / unregister / expire) and the dialplan polylink relies on (access numbers, IVR, echo). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({}, 'event plain ALL');
});
afterEach(async () => {
  await f.stop();
});

describe('registrations', () => {
  it('register / unregister / expire fire sofia::register / unregister / expire with sofia_reg.c headers', async () => {
    f.sim.addUser('1007');
    f.sim.addUser('1008');
    f.sim.register('1007', { ip: '127.0.0.1', port: 5190, userAgent: 'Yealink T46U', expires: 120 });
    const reg = await f.client.waitEvent((e) => e.subclass === 'sofia::register');
    // The headers of capture i, in its order.
    expect(Object.keys(reg.headers).slice(14)).toEqual([
      'profile-name', 'from-user', 'from-host', 'presence-hosts', 'contact', 'call-id', 'rpid', 'status', 'expires',
      'to-user', 'to-host', 'network-ip', 'network-port', 'username', 'realm', 'user-agent',
    ]);
    expect(reg.headers).toMatchObject({ 'from-user': '1007', contact: '"" <sip:1007@127.0.0.1:5190>', expires: '120', 'user-agent': 'Yealink T46U' });
    expect(f.sim.unregister('1007')).toBe(true);
    const unreg = await f.client.waitEvent((e) => e.subclass === 'sofia::unregister');
    expect(unreg.headers).toMatchObject({ 'profile-name': 'internal', 'from-user': '1007', 'call-id': reg.headers['call-id'], expires: '0' });
    expect(await f.client.api('originate user/1007 &park()')).toBe('-ERR USER_NOT_REGISTERED\n');

    f.sim.register('1008', { expires: 60 });
    await f.tick(60_000);
    const expired = await f.client.waitEvent((e) => e.subclass === 'sofia::expire');
    // sofia_reg_del_callback's headers, in its order.
    expect(Object.keys(expired.headers).slice(14)).toEqual([
      'profile-name', 'call-id', 'user', 'username', 'host', 'contact', 'expires', 'user-agent', 'realm', 'network-ip', 'network-port',
    ]);
    expect(expired.headers['user']).toBe('1008');
    expect(await f.client.api('show registrations as json')).toBe('{"row_count": 0}\n');
  });

  it('one registration per user by default (capture k): a new Call-ID replaces it without an event, Expires: 0 with any Call-ID removes it', async () => {
    f.sim.addUser('8005');
    const rows = async () => {
      const reply = JSON.parse(await f.client.api('show registrations as json')) as { rows?: Array<{ token: string }> };
      return (reply.rows ?? []).map((r) => r.token);
    };
    f.sim.register('8005', { callId: 'A@h' });
    f.sim.register('8005', { callId: 'B@h' });
    expect(await rows()).toEqual(['B@h']);
    expect(f.sim.unregister('8005', { callId: 'C@h' })).toBe(true);
    expect(await rows()).toEqual([]);
    expect(await f.client.api('originate user/8005 &park()')).toBe('-ERR USER_NOT_REGISTERED\n');
    const subclasses = f.client.events().filter((e) => e.subclass?.startsWith('sofia::')).map((e) => `${e.subclass} ${e.headers['call-id']}`);
    expect(subclasses).toEqual(['sofia::register A@h', 'sofia::register B@h', 'sofia::unregister C@h']);
  });

  it('multiple-registrations call-id / contact keep several; an unregister removes the one it names; xml_locate shows the setting', async () => {
    const g = await startFixture({ sipProfile: { multipleRegistrations: 'call-id' } });
    try {
      g.sim.addUser('8005');
      g.sim.register('8005', { callId: 'desk@h' });
      g.sim.register('8005', { callId: 'soft@h', ip: '127.0.0.2', port: 5062 });
      const tokens = async () => ((JSON.parse(await g.client.api('show registrations as json')) as { rows?: Array<{ token: string }> }).rows ?? []).map((r) => r.token);
      expect(await tokens()).toEqual(['desk@h', 'soft@h']);
      g.sim.unregister('8005', { callId: 'desk@h' });
      expect(await tokens()).toEqual(['soft@h']);
      expect(await g.client.api('xml_locate configuration configuration name sofia.conf')).toContain('<param name="multiple-registrations" value="call-id"/>');
    } finally {
      await g.stop();
    }
    expect(await f.client.api('xml_locate configuration configuration name sofia.conf')).not.toContain('multiple-registrations');
    expect(await f.client.api('xml_locate configuration configuration name nothing.conf')).toBe("can't find anything\n");
  });

  it('show registrations lags the events by registrationsTableDelayMs (FreeSWITCH writes it through its SQL queue)', async () => {
    f.sim.setRegistrationsTableDelay(200);
    f.sim.addUser('8004');
    f.sim.register('8004');
    await f.client.waitEvent((e) => e.subclass === 'sofia::register');
    expect(await f.client.api('show registrations as json')).toBe('{"row_count": 0}\n');
    await f.tick(200);
    expect(await f.client.api('show registrations as json')).toMatch(/^\{"row_count":1,/);
  });

  it('global_getvar core_uuid is the Core-UUID every event carries', async () => {
    f.sim.addUser('8004');
    f.sim.register('8004');
    const event = await f.client.waitEvent((e) => e.subclass === 'sofia::register');
    expect(await f.client.api('global_getvar core_uuid')).toBe(event.headers['Core-UUID']);
  });

  it('sofia_contact answers the dial string, or error/user_not_registered', async () => {
    f.sim.addUser('1007');
    expect(await f.client.api('sofia_contact 1007@127.0.0.1')).toBe('error/user_not_registered');
    f.sim.register('1007', { ip: '127.0.0.1', port: 5190 });
    expect(await f.client.api('sofia_contact 1007@127.0.0.1')).toBe('sofia/internal/sip:1007@127.0.0.1:5190');
  });
});

describe('dialplan', () => {
  it('an access number sets polylink_access_number (+ queue, IVR data) and parks the call unanswered', async () => {
    f.sim.addAccessNumber('4000', { queue: '8001', ivr: '7000', ivrData: 'order 42', dtmf: '2' });
    const call = f.sim.placeCall({ from: '+493012345', to: '4000', callerName: 'Ada' });
    const park = await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK');
    expect(park.headers).toMatchObject({
      'Unique-ID': call.uuid,
      'Answer-State': 'ringing',
      'Caller-Caller-ID-Number': '+493012345',
      'Caller-Caller-ID-Name': 'Ada',
      'Caller-Destination-Number': '4000',
      variable_polylink_access_number: '4000',
      variable_polylink_queue: '8001',
      variable_polylink_ivr: '7000',
      variable_polylink_ivr_data: 'order 42',
      variable_polylink_dtmf: '2',
    });
    // What capture b shows up to CHANNEL_PARK.
    expect(f.client.events().map((e) => e.name)).toEqual([
      'CHANNEL_STATE', 'CHANNEL_STATE', 'CHANNEL_CREATE', 'CHANNEL_CALLSTATE', 'CHANNEL_STATE', 'PRESENCE_IN', 'CHANNEL_STATE',
      ...Array(5).fill(['CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE']).flat(),
      'CHANNEL_EXECUTE', 'CHANNEL_PARK',
    ]);
  });

  it('a customer who gives up before anyone answers: ORIGINATOR_CANCEL', async () => {
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000', abandonAfterMs: 8000 });
    await f.tick(8000);
    expect(await call.ended).toBe('ORIGINATOR_CANCEL');
    const hc = await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE');
    expect(hc.headers['variable_sip_hangup_disposition']).toBe('recv_cancel');
  });

  it('a customer answered by polylink hangs up after N ms and can press keys', async () => {
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000', hangupAfterMs: 3000, dtmf: { digits: '5', afterMs: 1000 } });
    await f.client.api(`uuid_answer ${call.uuid}`);
    await f.tick(1000);
    expect((await f.client.waitEvent((e) => e.name === 'DTMF')).headers['DTMF-Digit']).toBe('5');
    call.pressDtmf('*');
    expect(f.client.events().filter((e) => e.name === 'DTMF')).toHaveLength(1);
    await f.client.waitFor(() => f.client.events().filter((e) => e.name === 'DTMF').length === 2);
    await f.tick(2000);
    expect(await call.ended).toBe('NORMAL_CLEARING');
  });

  it('an IVR answers, plays its prompt, takes a digit, picks the queue and hands the call to the access number', async () => {
    f.sim.addAccessNumber('4000');
    f.sim.addIvr('7000', { accessNumber: '4000', prompt: 'ivr/menu.wav', queues: { '1': 'sales', '2': 'support' }, data: 'vip', digitTimeoutMs: 2000 });
    const call = f.sim.placeCall({ from: '555', to: '7000', dtmf: { digits: '2', afterMs: 500 } });
    await call.answered;
    await f.tick(500);
    const park = await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK');
    expect(park.headers).toMatchObject({
      'Answer-State': 'answered',
      variable_polylink_ivr: '7000',
      variable_polylink_ivr_data: 'vip',
      variable_polylink_dtmf: '2',
      variable_polylink_queue: 'support',
      variable_polylink_access_number: '4000',
    });
    expect(f.client.events().find((e) => e.name === 'PLAYBACK_START')?.headers['Playback-File-Path']).toBe('ivr/menu.wav');
  });

  it('an IVR caller who presses nothing gets the default queue after the prompt and the timeout', async () => {
    f.sim.addAccessNumber('4000');
    f.sim.addIvr('7000', { accessNumber: '4000', prompt: 'silence_stream://1000', queues: { '1': 'sales' }, defaultQueue: 'general', digitTimeoutMs: 2000 });
    f.sim.placeCall({ from: '555', to: '7000' });
    await f.tick(1000);
    await f.tick(2000);
    const park = await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK');
    expect(park.headers['variable_polylink_queue']).toBe('general');
    expect(park.headers['variable_polylink_dtmf']).toBeUndefined();
  });

  it('the echo number answers and echoes; an unknown number fails NO_ROUTE_DESTINATION', async () => {
    const echo = f.sim.placeCall({ from: '555', to: '9196' });
    await echo.answered;
    expect(f.sim.channel(echo.uuid)?.application).toBe('echo');
    const lost = f.sim.placeCall({ from: '555', to: '1234567' });
    expect(await lost.ended).toBe('NO_ROUTE_DESTINATION');
  });
});
