/** The event socket itself: auth, exit, subscriptions, api/bgapi framing and ordering, sequence numbers, shutdown. */
import { afterEach, describe, expect, it } from 'vitest';
import { EslTestClient } from '../../helpers/esl-test-client.js';
import { startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f.stop();
});

describe('connection and auth', () => {
  it('asks for auth, refuses commands before it, and drops a wrong password with the goodbye notice', async () => {
    f = await startFixture();
    const c = await EslTestClient.connect(f.sim.port);
    expect(await c.waitFor((m) => m.kind === 'auth-request')).toEqual({ kind: 'auth-request' });
    expect(await c.command('api status')).toMatchObject({ kind: 'command-reply', replyText: '-ERR command not found' });
    expect(await c.command('auth nope')).toMatchObject({ kind: 'command-reply', replyText: '-ERR invalid' });
    const notice = await c.waitFor((m) => m.kind === 'disconnect-notice');
    expect(notice).toMatchObject({ body: 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n' });
    await c.closed;
  });

  it('exit answers +OK bye, sends the notice and closes', async () => {
    f = await startFixture();
    const c = await f.connect();
    expect(await c.command('exit')).toMatchObject({ replyText: '+OK bye' });
    await c.closed;
    expect(c.messages.at(-1)).toMatchObject({ kind: 'disconnect-notice', headers: { 'Content-Type': 'text/disconnect-notice', 'Content-Length': '67' } });
  });

  it('answers unknown ESL and API commands the way FreeSWITCH does (capture g)', async () => {
    f = await startFixture({}, '');
    const c = f.client;
    expect(await c.command('bogus_esl_command')).toMatchObject({ replyText: '-ERR command not found' });
    expect(await c.command('filter')).toMatchObject({ replyText: '-ERR command not found' });
    expect(await c.api('nosuchcommand arg')).toBe('-ERR nosuchcommand Command not found!\n');
    expect(await c.command('noevents')).toMatchObject({ replyText: '-ERR not listening for events' });
    expect(await c.command('event plain NOT_AN_EVENT')).toMatchObject({ replyText: '-ERR no keywords supplied' });
    expect(await c.command('event json CHANNEL_CREATE')).toMatchObject({ replyText: '+OK event listener enabled json' });
    expect(await c.command('noevents')).toMatchObject({ replyText: '+OK no longer listening for events' });
  });
});

describe('api and bgapi', () => {
  it('holds events back while an api command runs: the reply comes first (capture b, uuid_answer)', async () => {
    f = await startFixture();
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    await f.client.waitEvent((e) => e.name === 'CHANNEL_PARK');
    const before = f.client.messages.length;
    await f.client.api(`uuid_answer ${call.uuid}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_ANSWER', before);
    const after = f.client.messages.slice(before);
    expect(after[0]).toEqual({ kind: 'api-response', body: '+OK\n' });
    expect(after.findIndex((m) => m.kind === 'event' && m.event.name === 'CHANNEL_ANSWER')).toBeGreaterThan(0);
  });

  it('answers uuid_exists true / false with no newline', async () => {
    f = await startFixture();
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    expect(await f.client.api(`uuid_exists ${call.uuid}`)).toBe('true');
    expect(await f.client.api('uuid_exists 00000000-0000-0000-0000-000000000000')).toBe('false');
  });

  it('bgapi: +OK Job-UUID at once (the caller\'s Job-UUID honoured), BACKGROUND_JOB to every listener subscribed to it', async () => {
    f = await startFixture({}, 'event plain BACKGROUND_JOB');
    const second = await f.connect();
    await second.command('event json BACKGROUND_JOB');
    const unsubscribed = await f.connect();
    await unsubscribed.command('event plain CHANNEL_CREATE');
    const reply = await f.client.command('bgapi uuid_kill 00000000-0000-0000-0000-000000000000\nJob-UUID: 7b5b1b1e-0000-4000-8000-00000000a001');
    expect(reply).toMatchObject({
      kind: 'command-reply',
      replyText: '+OK Job-UUID: 7b5b1b1e-0000-4000-8000-00000000a001',
      headers: { 'Job-UUID': '7b5b1b1e-0000-4000-8000-00000000a001' },
    });
    for (const c of [f.client, second]) {
      const job = await c.waitEvent((e) => e.name === 'BACKGROUND_JOB');
      expect(job.headers).toMatchObject({ 'Job-UUID': '7b5b1b1e-0000-4000-8000-00000000a001', 'Job-Command': 'uuid_kill' });
      expect(job.body).toBe('-ERR No such channel!\n');
    }
    await unsubscribed.api('status');
    expect(unsubscribed.events()).toEqual([]);
  });
});

describe('events', () => {
  it('Event-Sequence goes up by one per event for a listener of ALL', async () => {
    f = await startFixture();
    f.sim.addAccessNumber('4000');
    const call = f.sim.placeCall({ from: '555', to: '4000' });
    await f.client.api(`uuid_kill ${call.uuid}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY');
    const seqs = f.client.events().map((e) => Number(e.headers['Event-Sequence']));
    expect(seqs.length).toBeGreaterThan(10);
    seqs.forEach((s, i) => {
      if (i > 0) expect(s).toBe(seqs[i - 1]! + 1);
    });
  });

  it('sends HEARTBEAT on the configured interval', async () => {
    f = await startFixture({ heartbeatMs: 20_000 }, 'event plain HEARTBEAT');
    await f.tick(20_000);
    await f.tick(20_000);
    const beats = await f.client.waitFor((m) => m.kind === 'event' && f.client.events().filter((e) => e.name === 'HEARTBEAT').length === 2);
    expect(beats.kind).toBe('event');
    const beat = f.client.events()[0]!;
    expect(beat.headers).toMatchObject({ 'Event-Info': 'System Ready', 'Uptime-msec': '20000' });
  });

  it('filter passes only events whose header has the value', async () => {
    f = await startFixture();
    f.sim.addAccessNumber('4000');
    const keep = f.sim.placeCall({ from: '555', to: '4000' });
    expect(await f.client.command(`filter Unique-ID ${keep.uuid}`)).toMatchObject({ replyText: `+OK filter added. [Unique-ID]=[${keep.uuid}]` });
    const other = f.sim.placeCall({ from: '556', to: '4000' });
    await f.client.api(`uuid_kill ${other.uuid}`);
    await f.client.api(`uuid_kill ${keep.uuid}`);
    await f.client.waitEvent((e) => e.name === 'CHANNEL_DESTROY');
    expect(f.client.events().filter((e) => e.headers['Unique-ID'] === other.uuid)).toEqual([]);
    const filtered = f.client.events().filter((e) => e.name === 'CHANNEL_DESTROY');
    expect(filtered.map((e) => e.headers['Unique-ID'])).toEqual([keep.uuid]);
  });
});

describe('event formats', () => {
  it('event xml: text/event-xml frames, body in <body> (capture a3)', async () => {
    f = await startFixture({}, 'event xml BACKGROUND_JOB');
    await f.client.command('bgapi uuid_exists 00000000-0000-0000-0000-000000000000');
    const frame = await f.client.waitFor((m) => m.kind === 'unknown' && m.contentType === 'text/event-xml');
    if (frame.kind !== 'unknown') throw new Error('unreachable');
    expect(frame.body).toMatch(/^<event>\n  <headers>\n    <Event-Name>BACKGROUND_JOB<\/Event-Name>\n/);
    expect(frame.body).toContain('  <Content-Length>5</Content-Length>\n  <body>false  </body>\n</event>\n');
  });
});

describe('shutdown', () => {
  it('stop() hangs every channel up SYSTEM_SHUTDOWN and tells every listener "The system is being shut down." (capture h)', async () => {
    f = await startFixture();
    const quiet = await f.connect();
    f.sim.addAccessNumber('4000');
    f.sim.placeCall({ from: '555', to: '4000' });
    await f.sim.stop();
    for (const c of [f.client, quiet]) {
      await c.closed;
      expect(c.messages.at(-1)).toMatchObject({ kind: 'disconnect-notice', body: 'The system is being shut down.\n' });
    }
    const names = f.client.events().map((e) => e.name);
    expect(names).toContain('SHUTDOWN');
    expect(f.client.events().find((e) => e.name === 'CHANNEL_HANGUP')?.headers['Hangup-Cause']).toBe('SYSTEM_SHUTDOWN');
    expect(names.filter((n) => n === 'UNPUBLISH')).toHaveLength(2);
  });
});
