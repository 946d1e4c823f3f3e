/**
 * Every command of docs/esl-commands.md, with its success and failure replies and the
 * events it causes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgedCall, startFixture, type Fixture } from '../../helpers/sim-fixture.js';

const NOBODY = '00000000-0000-0000-0000-000000000000';
let f: Fixture;
beforeEach(async () => {
  f = await startFixture();
});
afterEach(async () => {
  await f.stop();
});

function eventsOf(uuid: string, name?: string) {
  return f.client.events().filter((e) => e.headers['Unique-ID'] === uuid && (name === undefined || e.name === name));
}

describe('call control', () => {
  it('uuid_answer answers a parked inbound leg; unknown uuid: -ERR No such channel!', async () => {
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    expect(await f.client.api(`uuid_answer ${call.uuid}`)).toBe('+OK\n');
    const answer = await f.client.waitEvent((e) => e.name === 'CHANNEL_ANSWER');
    expect(answer.headers['Answer-State']).toBe('answered');
    await call.answered;
    expect(await f.client.api(`uuid_answer ${NOBODY}`)).toBe('-ERR No such channel!\n');
  });

  it('uuid_bridge: +OK <b> and CHANNEL_BRIDGE with both uuids; -ERR Invalid uuid otherwise', async () => {
    const { customer, agent } = await bridgedCall(f);
    const bridge = await f.client.waitEvent((e) => e.name === 'CHANNEL_BRIDGE');
    expect(bridge.headers).toMatchObject({ 'Bridge-A-Unique-ID': customer, 'Bridge-B-Unique-ID': agent, 'Other-Leg-Unique-ID': agent });
    expect(f.sim.channel(customer)?.bridgedTo).toBe(agent);
    expect(await f.client.api(`uuid_bridge ${customer} ${NOBODY}`)).toBe('-ERR Invalid uuid\n');
  });

  it('uuid_hold / uuid_hold off: the held leg goes HELD, the partner hears its hold_music; +OK Success even for an unknown uuid', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(`uuid_setvar ${customer} hold_music local_stream://polylink`);
    expect(await f.client.api(`uuid_hold ${customer}`)).toBe('+OK Success\n');
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_HOLD')).headers['Channel-Call-State']).toBe('HELD');
    const music = await f.client.waitEvent((e) => e.name === 'PLAYBACK_START');
    expect(music.headers).toMatchObject({ 'Unique-ID': agent, 'Playback-File-Path': 'local_stream://polylink' });
    expect(await f.client.api(`uuid_hold off ${customer}`)).toBe('+OK Success\n');
    await f.client.waitEvent((e) => e.name === 'CHANNEL_UNHOLD');
    expect((await f.client.waitEvent((e) => e.name === 'PLAYBACK_STOP')).headers['Unique-ID']).toBe(agent);
    expect(await f.client.api(`uuid_hold ${NOBODY}`)).toBe('+OK Success\n');
  });

  it('uuid_audio start read mute / stop', async () => {
    const { agent } = await bridgedCall(f);
    expect(await f.client.api(`uuid_audio ${agent} start read mute 1`)).toBe('+OK Success\n');
    expect(await f.client.api(`uuid_audio ${agent} stop`)).toBe('+OK Success\n');
    expect(await f.client.api(`uuid_audio ${NOBODY} stop`)).toBe('-ERR No Such Channel!\n');
  });

  it('uuid_send_dtmf sends the keys out to the far end, no event; -ERR Operation failed, -ERR Cannot locate session!, usage', async () => {
    const { customer, agent } = await bridgedCall(f);
    const before = f.client.events().length;
    expect(await f.client.api(`uuid_send_dtmf ${agent} 12#`)).toBe(`+OK ${agent} sent DTMF 12#.\n`);
    // Groups, durations and pauses as switch_core_session_send_dtmf_string reads them; w is a pause, not a tone,
    // but counts in last_dtmf_duration like a digit (its default 250 ms and the 250 ms after it).
    expect(await f.client.api(`uuid_send_dtmf ${agent} 3@400+4w5`)).toBe(`+OK ${agent} sent DTMF 3@400+4w5.\n`);
    expect(f.sim.dtmfSentOut(agent)).toBe('12#345');
    expect(f.sim.channel(agent)?.variables['last_dtmf_duration']).toBe(String(400 + 250 + 3 * (250 + 250)));
    expect(f.sim.dtmfSentOut(customer)).toBe('');
    expect(await f.client.api(`uuid_send_dtmf ${agent} xyz`)).toBe('-ERR Operation failed\n');
    expect(await f.client.api(`uuid_send_dtmf ${agent} ${'1'.repeat(100)}`)).toBe('-ERR Operation failed\n');
    expect(await f.client.api(`uuid_send_dtmf ${NOBODY} 1`)).toBe('-ERR Cannot locate session!\n');
    expect(await f.client.api(`uuid_send_dtmf ${agent}`)).toBe('-USAGE: <uuid> <dtmf_data>\n');
    await f.tick(100);
    // FreeSWITCH fires nothing for keys it sends (no DTMF event: that is for keys received).
    expect(f.client.events().slice(before).filter((e) => e.name === 'DTMF')).toEqual([]);
  });

  it('uuid_transfer to a dialplan number: the leg leaves park and runs it; unknown uuid: -ERR No such channel!', async () => {
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    expect(await f.client.api(`uuid_transfer ${call.uuid} 9196 XML default`)).toBe('+OK\n');
    await f.client.waitEvent((e) => e.name === 'CHANNEL_UNPARK');
    const echo = await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Application'] === 'echo');
    expect(echo.headers['Caller-Transfer-Source']).toMatch(/:bl_xfer:9196\/default\/XML$/);
    expect(await f.client.api(`uuid_transfer ${NOBODY} 9196`)).toBe('-ERR No such channel!\n');
  });

  it('uuid_park takes a bridged leg out of its bridge; the partner, without park_after_bridge, hangs up', async () => {
    const { customer, agent } = await bridgedCall(f);
    expect(await f.client.api(`uuid_park ${customer}`)).toBe('+OK\n');
    await f.client.waitEvent((e) => e.name === 'CHANNEL_UNBRIDGE');
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === customer);
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP' && e.headers['Unique-ID'] === agent)).headers['Hangup-Cause']).toBe('NORMAL_CLEARING');
    expect(f.sim.channel(customer)?.application).toBe('park');
  });

  it('uuid_broadcast plays a file, uuid_break stops it (Playback-Status break)', async () => {
    const { customer } = await bridgedCall(f);
    expect(await f.client.api(`uuid_broadcast ${customer} /var/lib/polylink/sounds/hello.wav aleg`)).toBe('+OK Message sent\n');
    const start = await f.client.waitEvent((e) => e.name === 'PLAYBACK_START');
    expect(start.headers).toMatchObject({ 'Playback-File-Type': 'wav', 'Playback-File-Path': '/var/lib/polylink/sounds/hello.wav' });
    expect(await f.client.api(`uuid_break ${customer} all`)).toBe('+OK\n');
    expect((await f.client.waitEvent((e) => e.name === 'PLAYBACK_STOP')).headers['Playback-Status']).toBe('break');
    expect(await f.client.api(`uuid_broadcast ${NOBODY} /x.wav aleg`)).toBe('-ERR Operation Failed\n');
    expect(await f.client.api(`uuid_break ${NOBODY} all`)).toBe('-ERR No such channel!\n');
  });

  it('uuid_broadcast both plays on the partner as well and ends by itself after the file', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(`uuid_broadcast ${customer} tone_stream://%(300,200,440);loops=2 both`);
    await f.tick(1000);
    const stops = await f.client.waitFor(() => f.client.events().filter((e) => e.name === 'PLAYBACK_STOP').length === 2);
    expect(stops).toBeDefined();
    const who = f.client.events().filter((e) => e.name === 'PLAYBACK_STOP').map((e) => [e.headers['Unique-ID'], e.headers['Playback-Status']]);
    expect(who).toEqual([[customer, 'done'], [agent, 'done']]);
  });

  it('uuid_record start / stop: +Success, RECORD_START / RECORD_STOP with the path', async () => {
    const { customer } = await bridgedCall(f);
    expect(await f.client.api(`uuid_record ${customer} start /var/lib/polylink/rec/a.wav`)).toBe('+Success\n');
    expect((await f.client.waitEvent((e) => e.name === 'RECORD_START')).headers['Record-File-Path']).toBe('/var/lib/polylink/rec/a.wav');
    await f.tick(1500);
    expect(await f.client.api(`uuid_record ${customer} stop /var/lib/polylink/rec/a.wav`)).toBe('+Success\n');
    const stop = await f.client.waitEvent((e) => e.name === 'RECORD_STOP');
    expect(stop.headers['variable_record_ms']).toBe('1500');
    expect(await f.client.api(`uuid_record ${customer} stop /nothing.wav`)).toBe('-ERR Cannot stop record session!\n');
    expect(await f.client.api(`uuid_record ${NOBODY} start /x.wav`)).toBe('-ERR Cannot locate session!\n');
  });

  it('uuid_kill with a cause, uuid_setvar / uuid_getvar, uuid_exists', async () => {
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    expect(await f.client.api(`uuid_setvar ${call.uuid} polylink_call 9d3f`)).toBe('+OK\n');
    expect(await f.client.api(`uuid_getvar ${call.uuid} polylink_call`)).toBe('9d3f');
    expect(await f.client.api(`uuid_getvar ${call.uuid} nothing_here`)).toBe('_undef_');
    expect(await f.client.api(`uuid_setvar ${NOBODY} a b`)).toBe('-ERR No such channel!\n');
    expect(await f.client.api(`uuid_kill ${call.uuid} USER_BUSY`)).toBe('+OK\n');
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE')).headers['variable_polylink_call']).toBe('9d3f');
    expect(eventsOf(call.uuid, 'CHANNEL_HANGUP')[0]?.headers['Hangup-Cause']).toBe('USER_BUSY');
    expect(await call.ended).toBe('USER_BUSY');
    expect(await f.client.api(`uuid_exists ${call.uuid}`)).toBe('false');
    expect(await f.client.api(`uuid_kill ${call.uuid}`)).toBe('-ERR No such channel!\n');
  });
});

describe('originate', () => {
  it('user/<ext> with polylink variables: +OK <uuid> once answered, the variables on the leg, then the app', async () => {
    f.sim.addUser('1001');
    f.sim.register('1001');
    f.sim.setPhoneBehaviour('1001', { kind: 'answer', afterMs: 500 });
    const uuid = '0b7d7a36-0000-4000-8000-000000000042';
    await f.client.command(`bgapi originate {origination_uuid=${uuid},origination_caller_id_number=4000,origination_caller_id_name=Queue,originate_timeout=20,polylink_call=c1,polylink_leg=agent,polylink_agent=1001}user/1001 &park()\nJob-UUID: job-1`);
    await f.tick(500);
    const job = await f.client.waitEvent((e) => e.name === 'BACKGROUND_JOB');
    expect(job.body).toBe(`+OK ${uuid}\n`);
    const create = f.client.events().find((e) => e.name === 'CHANNEL_CREATE' && e.headers['Unique-ID'] === uuid)!;
    expect(create.headers['Channel-Name']).toMatch(/^sofia\/internal\/1001@127\.0\.0\.1:\d+$/);
    expect(create.headers).toMatchObject({ variable_polylink_call: 'c1', variable_polylink_leg: 'agent', variable_polylink_agent: '1001', variable_dialed_user: '1001' });
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK' && e.headers['Unique-ID'] === uuid)).headers['Caller-Caller-ID-Number']).toBe('1001');
  });

  it('&echo(): the leg runs echo', async () => {
    f.sim.addUser('1001');
    f.sim.register('1001');
    await f.client.command('bgapi originate {origination_uuid=0b7d7a36-0000-4000-8000-000000000043}user/1001 &echo()');
    await f.tick(0);
    expect((await f.client.waitEvent((e) => e.name === 'CHANNEL_EXECUTE' && e.headers['Application'] === 'echo')).headers['Unique-ID']).toBe('0b7d7a36-0000-4000-8000-000000000043');
  });

  it('loopback/<number>/<context>: the echo number answers; an unknown number: -ERR NO_ROUTE_DESTINATION', async () => {
    const ok = f.client.command('api originate loopback/9196/default &park()');
    await f.tick(0);
    expect(await ok).toMatchObject({ kind: 'api-response', body: expect.stringMatching(/^\+OK [0-9a-f-]{36}\n$/) });
    const bad = f.client.command('api originate loopback/5555/default &park()');
    // The B leg finds no route at once; the A leg follows on mod_loopback's next look (20 ms).
    for (let i = 0; i < 500 && !f.sim.channels().some((c) => c.name === 'loopback/5555-a'); i++) await new Promise((r) => setTimeout(r, 2));
    await f.tick(20);
    expect(await bad).toEqual({ kind: 'api-response', body: '-ERR NO_ROUTE_DESTINATION\n' });
  });

  it('&eavesdrop(<uuid>) and &conference(<name>@default)', async () => {
    const { customer } = await bridgedCall(f);
    f.sim.addUser('2000');
    f.sim.register('2000');
    await f.client.command(`bgapi originate {origination_uuid=5e5e5e5e-0000-4000-8000-000000000001,eavesdrop_whisper_aleg=true}user/2000 &eavesdrop(${customer})`);
    await f.tick(0);
    const upd = await f.client.waitEvent((e) => e.name === 'CALL_UPDATE' && e.headers['Unique-ID'] === '5e5e5e5e-0000-4000-8000-000000000001' && e.headers['Direction'] === 'SEND');
    expect(upd.headers['Sent-Callee-ID-Number']).toBe('+4930123');
    f.sim.addUser('3000');
    f.sim.register('3000');
    await f.client.command('bgapi originate {origination_uuid=5e5e5e5e-0000-4000-8000-000000000002}user/3000 &conference(room1@default)');
    await f.tick(0);
    const add = await f.client.waitEvent((e) => e.headers['Action'] === 'add-member');
    expect(add.headers).toMatchObject({ 'Conference-Name': 'room1', 'Member-ID': '1', 'Unique-ID': '5e5e5e5e-0000-4000-8000-000000000002' });
  });

  it('fails with the real causes: SUBSCRIBER_ABSENT, USER_NOT_REGISTERED, CHAN_NOT_IMPLEMENTED, usage', async () => {
    f.sim.addUser('1001');
    expect(await f.client.api('originate user/9999 &park()')).toBe('-ERR SUBSCRIBER_ABSENT\n');
    expect(await f.client.api('originate user/1001 &park()')).toBe('-ERR USER_NOT_REGISTERED\n');
    expect(f.client.events().filter((e) => e.name.startsWith('CHANNEL_'))).toEqual([]);
    expect(await f.client.api('originate nothing/here &park()')).toBe('-ERR CHAN_NOT_IMPLEMENTED\n');
    expect(await f.client.api('originate')).toMatch(/^-USAGE: /);
  });
});

describe('three-way and queries', () => {
  it('uuid_transfer -both conference:<name>@default inline puts both legs in the room; kick and hup all', async () => {
    const { customer, agent } = await bridgedCall(f);
    expect(await f.client.api(`uuid_transfer ${customer} -both conference:cti3way@default inline`)).toBe('+OK\n');
    await f.client.waitEvent((e) => e.headers['Action'] === 'add-member' && e.headers['Unique-ID'] === customer);
    const members = f.client.events().filter((e) => e.headers['Action'] === 'add-member').map((e) => [e.headers['Unique-ID'], e.headers['Member-ID']]);
    expect(members).toEqual([[agent, '1'], [customer, '2']]);
    expect(await f.client.api('conference cti3way kick 1')).toBe('+OK kicked 1\n');
    expect((await f.client.waitEvent((e) => e.headers['Action'] === 'kick-member')).headers['Unique-ID']).toBe(agent);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_HANGUP_COMPLETE' && e.headers['Unique-ID'] === agent);
    expect(await f.client.api('conference cti3way kick 7')).toBe('-ERR Member: 7 not found.\n');
    expect(await f.client.api('conference cti3way hup all')).toBe('+OK hup 2\n');
    await f.tick(100);
    await f.client.waitEvent((e) => e.headers['Action'] === 'conference-destroy');
    expect(await f.client.api('conference cti3way list')).toBe('-ERR Conference cti3way not found\n');
  });

  it('uuid_bridge of two conference members takes both out of the room (del-member), bridges them, and the empty room goes', async () => {
    const { customer, agent } = await bridgedCall(f);
    await f.client.api(`uuid_transfer ${customer} -both conference:cti3way@default inline`);
    await f.client.waitEvent((e) => e.headers['Action'] === 'add-member' && e.headers['Unique-ID'] === customer);
    expect(f.sim.channel(customer)?.bridgedTo).toBeUndefined();
    expect(await f.client.api(`uuid_bridge ${customer} ${agent}`)).toBe(`+OK ${agent}\n`);
    const bridge = await f.client.waitEvent((e) => e.name === 'CHANNEL_BRIDGE' && e.headers['Bridge-A-Unique-ID'] === customer);
    expect(bridge.headers['Bridge-B-Unique-ID']).toBe(agent);
    const left = f.client.events().filter((e) => e.headers['Action'] === 'del-member').map((e) => e.headers['Unique-ID']);
    expect(left.sort()).toEqual([agent, customer].sort());
    await f.tick(100);
    await f.client.waitEvent((e) => e.headers['Action'] === 'conference-destroy');
    expect(f.sim.channel(customer)?.bridgedTo).toBe(agent);
    expect(f.sim.media.hears(customer, agent) && f.sim.media.hears(agent, customer)).toBe(true);
  });

  it('status, show channels / calls / registrations as json', async () => {
    expect(await f.client.api('status')).toMatch(/^UP 0 years, 0 days, 0 hours, 0 minutes, 0 seconds, 0 milliseconds, 0 microseconds\nFreeSWITCH \(Version 1\.10\.12-release/);
    expect(await f.client.api('show channels as json')).toBe('{"row_count": 0}\n');
    expect(await f.client.api('show registrations as json')).toBe('{"row_count": 0}\n');
    const { customer, agent } = await bridgedCall(f);
    const channels = JSON.parse(await f.client.api('show channels as json')) as { row_count: number; rows: Array<Record<string, string>> };
    expect(channels.row_count).toBe(2);
    expect(channels.rows.map((r) => r['uuid']).sort()).toEqual([customer, agent].sort());
    const calls = JSON.parse(await f.client.api('show calls as json')) as { row_count: number; rows: Array<Record<string, string>> };
    expect(calls.rows).toHaveLength(1);
    expect(calls.rows[0]).toMatchObject({ uuid: customer, b_uuid: agent, callstate: 'ACTIVE' });
    const regs = JSON.parse(await f.client.api('show registrations as json')) as { row_count: number; rows: Array<Record<string, string>> };
    expect(regs.row_count).toBe(1);
    expect(Object.keys(regs.rows[0]!)).toEqual(['reg_user', 'realm', 'token', 'url', 'expires', 'network_ip', 'network_port', 'network_proto', 'hostname', 'metadata']);
    expect(regs.rows[0]).toMatchObject({ reg_user: '1001', realm: '127.0.0.1', network_proto: 'udp' });
    expect(regs.rows[0]!['url']).toMatch(/^sofia\/internal\/sip:1001@127\.0\.0\.1:\d+$/);
  });
});

describe('local_stream (mod_local_stream.c, local_stream_function)', () => {
  it('show lists each source as name,location; show NAME describes one; stop / start; usage otherwise', async () => {
    expect(await f.client.api('local_stream show')).toBe('moh,/etc/freeswitch/music/8000\ndefault,/etc/freeswitch/music/8000\n');
    const moh = await f.client.api('local_stream show moh');
    expect(moh.split('\n').slice(0, 4)).toEqual(['moh', '  location: /etc/freeswitch/music/8000', '  channels: 1', '  rate:     8000']);
    expect(moh).toContain('  samples:  160\n');
    expect(await f.client.api('local_stream show moh as xml')).toMatch(/^<\?xml version="1\.0"\?>\n<local_stream name="moh">\n  <location>\/etc\/freeswitch\/music\/8000<\/location>\n/);
    expect(await f.client.api('local_stream show nothing')).toBe('-ERR Cannot locate local_stream nothing!\n');
    // A stopped source stays listed but cannot be played (get_source refuses it).
    expect(await f.client.api('local_stream stop moh')).toBe('+OK');
    expect(await f.client.api('local_stream show moh')).toBe('-ERR Cannot locate local_stream moh!\n');
    expect(await f.client.api('local_stream show')).toContain('moh,');
    expect(await f.client.api('local_stream start moh')).toBe('+OK stream: moh');
    expect(await f.client.api('local_stream show moh')).toMatch(/^moh\n/);
    expect(await f.client.api('local_stream')).toBe('-USAGE: <show|start|reload|stop|hup> <local_stream_name>\n');
  });

  it('with no source at all (music directories missing), show writes nothing: -ERR no reply', async () => {
    f.sim.localStreams.remove('moh');
    f.sim.localStreams.remove('default');
    expect(await f.client.api('local_stream show')).toBe('-ERR no reply\n');
  });
});
