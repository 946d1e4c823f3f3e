/**
 * The ESL client against a scripted event socket over real TCP. Timers (backoff,
 * timeouts, liveness) run on a ManualClock, so the tests move time instead of waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../src/clock.js';
import { EslClient, type EslAlarm, type EslClientOptions } from '../../../src/esl/client.js';
import type { CloseReason } from '../../../src/esl/connection.js';
import { DeliveryQueue } from '../../../src/esl/delivery-queue.js';
import type { EslEvent } from '../../../src/esl/event.js';
import { captureLog } from '../../helpers/capture-log.js';
import { disconnectNotice, jsonEvent, plainEvent } from '../../fakes/esl-wire.js';
import { FakeEslServer, waitFor } from '../../fakes/fake-esl-server.js';

const PASSWORD = 'S3cret-ClueCon';

let server: FakeEslServer;
let client: EslClient | undefined;

afterEach(async () => {
  await client?.stop();
  client = undefined;
  await server?.close();
});

async function setUp(overrides: Partial<EslClientOptions> = {}, password = PASSWORD) {
  server = await FakeEslServer.start({ password: PASSWORD });
  const clock = new ManualClock(0);
  const logs = captureLog('debug');
  client = new EslClient({
    node: { id: 'fs1', host: '127.0.0.1', port: server.port, password },
    clock,
    log: logs.log,
    events: ['CHANNEL_CREATE', 'BACKGROUND_JOB'],
    subclasses: ['sofia::register'],
    random: () => 0.5,
    ...overrides,
  });
  const events: EslEvent[] = [];
  const downs: CloseReason[] = [];
  const alarms: EslAlarm[] = [];
  client.onEvent.add((e) => events.push(e));
  client.onDown.add((r) => downs.push(r));
  client.onAlarm.add((a) => alarms.push(a));
  return { client, clock, logs, events, downs, alarms };
}

/** Moves the manual clock 10 ms at a time until `count()` passes `attempt`; returns the time moved. */
async function waitedAfter(clock: ManualClock, count: () => number, attempt: number): Promise<number> {
  let waited = 0;
  while (count() === attempt) {
    clock.advance(10);
    waited += 10;
    await new Promise((r) => setImmediate(r));
    if (waited > 10_000) throw new Error(`no attempt after ${attempt}`);
  }
  return waited;
}

async function ready(c: EslClient): Promise<void> {
  c.start();
  await waitFor(() => c.state === 'ready', 'ready');
}

describe('connecting', () => {
  it('authenticates and subscribes with CUSTOM and its subclasses last', async () => {
    const { client: c } = await setUp();
    await ready(c);
    expect(server.commands).toEqual(['auth ***', 'event json CHANNEL_CREATE BACKGROUND_JOB CUSTOM sofia::register']);
  });

  it('a wrong password (the real a2_bad_auth bytes) raises one alarm and backs off, never logging the password', async () => {
    const { client: c, clock, alarms, logs } = await setUp({}, 'WrongPassword');
    c.start();
    await waitFor(() => c.state === 'waiting', 'first refusal');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ node: 'fs1', kind: 'auth-failed', attempts: 1 });
    expect(alarms[0]!.message).toContain('-ERR invalid');

    // 200 ms less up to 20 % jitter (random 0.5 → 10 %): 180 ms. Nothing before that.
    clock.advance(179);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sessions).toHaveLength(1);
    clock.advance(1);
    await waitFor(() => server.sessions.length === 2 && c.state === 'waiting', 'second refusal');
    // The next wait doubles (360 ms), and the alarm is not raised again for the same cause.
    clock.advance(359);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sessions).toHaveLength(2);
    clock.advance(1);
    await waitFor(() => server.sessions.length === 3 && c.state === 'waiting', 'third refusal');
    expect(alarms).toHaveLength(1);
    expect(c.activeAlarm?.attempts).toBe(3);
    expect(logs.lines.join('\n')).not.toContain('WrongPassword');
  });

  it('grows the wait to 5 s and no further', async () => {
    const { client: c, clock } = await setUp({}, 'WrongPassword');
    c.start();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      await waitFor(() => server.sessions.length === attempt && c.state === 'waiting', `refusal ${attempt}`);
      waits.push(await waitedAfter(clock, () => server.sessions.length, attempt));
    }
    expect(waits.slice(0, 5)).toEqual([180, 360, 720, 1440, 2880]);
    expect(waits.slice(5)).toEqual([4500, 4500, 4500]);
  });

  it('an ACL refusal (text/rude-rejection) raises the rejected alarm and backs off', async () => {
    await setUp();
    await server.close();
    server = await FakeEslServer.start({ password: PASSWORD, rejectAll: true });
    const clock = new ManualClock(0);
    const alarms: EslAlarm[] = [];
    client = new EslClient({
      node: { id: 'fs1', host: '127.0.0.1', port: server.port, password: PASSWORD },
      clock,
      log: captureLog().log,
      events: ['CHANNEL_CREATE'],
      random: () => 0.5,
    });
    client.onAlarm.add((a) => alarms.push(a));
    client.start();
    await waitFor(() => client!.state === 'waiting', 'refusal');
    expect(alarms.map((a) => a.kind)).toEqual(['rejected']);
    expect(alarms[0]!.message).toBe('Access Denied, go away.');
    expect(server.commands).toEqual([]);
  });

  it('raises unreachable after three failed attempts and clears it once connected', async () => {
    const { client: c, clock, alarms } = await setUp();
    const cleared: string[] = [];
    c.onAlarmCleared.add((k) => cleared.push(k));
    server.acceptMode = 'drop';
    c.start();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitFor(() => server.sessions.length === attempt && c.state === 'waiting', `failure ${attempt}`);
      expect(alarms).toHaveLength(attempt < 3 ? 0 : 1);
      if (attempt < 3) clock.advance(5_000);
    }
    expect(alarms[0]).toMatchObject({ kind: 'unreachable', attempts: 3 });
    server.acceptMode = 'normal';
    clock.advance(5_000);
    await waitFor(() => c.state === 'ready', 'ready');
    expect(cleared).toEqual(['unreachable']);
    expect(c.activeAlarm).toBeUndefined();
  });
});

describe('commands', () => {
  it('matches api replies to commands in the order they were sent', async () => {
    const { client: c } = await setUp();
    server.onApi('uptime', '8');
    server.onApi('global_getvar domain', '127.0.0.1');
    await ready(c);
    const [a, b] = await Promise.all([c.api('uptime'), c.api('global_getvar domain')]);
    expect(a).toEqual({ ok: true, value: '8' });
    expect(b).toEqual({ ok: true, value: '127.0.0.1' });
  });

  it('sends its own Job-UUID with bgapi and ignores BACKGROUND_JOBs of other listeners', async () => {
    const { client: c, events } = await setUp();
    server.on((command, session) => {
      if (!command.line.startsWith('bgapi originate')) return false;
      const jobUuid = command.headers['Job-UUID']!;
      session.reply(`+OK Job-UUID: ${jobUuid}`, { 'Job-UUID': jobUuid });
      // Someone else's job finishes first: every listener receives it.
      session.send(jsonEvent({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': '11111111-2222-4333-8444-555555555555', 'Job-Command': 'originate' }, '-ERR USER_BUSY\n'));
      session.send(jsonEvent({ 'Event-Name': 'BACKGROUND_JOB', 'Job-UUID': jobUuid, 'Job-Command': 'originate' }, '+OK 8a6bb2a4-5b1c-4a43-9d3c-3f8a8e2f5d10\n'));
      return true;
    });
    await ready(c);
    const jobUuid = '7b5b1b1e-0000-4000-8000-00000000a001';
    const result = await c.bgapi('originate user/1001 &park()', { jobUuid });
    expect(result).toEqual({ ok: true, value: { jobUuid, body: '+OK 8a6bb2a4-5b1c-4a43-9d3c-3f8a8e2f5d10\n' } });
    expect(server.session!.commands.at(-1)).toBe('bgapi originate user/1001 &park()');
    expect(c.stats.foreignJobs).toBe(1);
    expect(events.filter((e) => e.name === 'BACKGROUND_JOB')).toHaveLength(2);
  });

  it('a refused bgapi resolves with the refusal instead of waiting for a job that never comes', async () => {
    const { client: c } = await setUp();
    server.on((command, session) => {
      if (!command.line.startsWith('bgapi')) return false;
      session.reply('-ERR Invalid syntax');
      return true;
    });
    await ready(c);
    const result = await c.bgapi('nothing');
    expect(result.ok && result.value.body).toBe('-ERR Invalid syntax');
    expect(c.stats.pendingCommands).toBe(0);
  });

  it('times out a command, swallows its late reply, and keeps later replies matched', async () => {
    const { client: c, clock } = await setUp({ commandTimeoutMs: 2_000 });
    let slow: (() => void) | undefined;
    server.on((command, session) => {
      if (command.line !== 'api slow_thing') return false;
      slow = () => session.api('late answer');
      return true;
    });
    await ready(c);
    const pending = c.api('slow_thing');
    await waitFor(() => slow !== undefined, 'slow command received');
    clock.advance(2_000);
    expect(await pending).toEqual({
      ok: false,
      error: { kind: 'timeout', node: 'fs1', message: 'no reply within 2000 ms', afterMs: 2_000 },
    });
    const next = c.api('status');
    slow!();
    const answer = await next;
    expect(answer.ok && answer.value).toMatch(/^UP /);
    expect(c.stats.lateReplies).toBe(1);
  });

  it('fails every pending command and job when the connection drops', async () => {
    const { client: c, downs } = await setUp();
    server.on((command, session) => {
      if (command.line === 'api hang') return true; // never answered
      if (!command.line.startsWith('bgapi ')) return false;
      session.reply(`+OK Job-UUID: ${command.headers['Job-UUID']}`); // acknowledged; the job never ends
      return true;
    });
    await ready(c);
    const job = c.bgapi('originate user/1001 &park()');
    await waitFor(() => c.stats.pendingCommands === 1, 'bgapi acknowledged, job pending');
    const api = c.api('hang');
    await waitFor(() => server.commands.includes('api hang'), 'api sent');
    expect(c.stats.pendingCommands).toBe(2);
    server.session!.drop();
    const [a, b] = await Promise.all([api, job]);
    expect(!a.ok && a.error.kind).toBe('disconnected');
    expect(!b.ok && b.error.kind).toBe('disconnected');
    await waitFor(() => downs.length === 1, 'down');
    expect(downs[0]!.kind).toBe('closed');
    expect(c.stats.pendingCommands).toBe(0);
  });

  it('answers not-connected without sending anything when there is no session', async () => {
    const { client: c } = await setUp();
    const result = await c.api('status');
    expect(result).toEqual({ ok: false, error: { kind: 'not-connected', node: 'fs1', message: 'node fs1 is idle' } });
  });

  it('refuses text that would smuggle a second command, and sends nothing', async () => {
    const { client: c } = await setUp();
    await ready(c);
    const result = await c.api('status\n\nbgapi originate user/1001 &park()');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('unsafe-command');
    expect(server.commands).toHaveLength(2);
  });
});

describe('staying connected', () => {
  it('reconnects after a drop, authenticates and subscribes again', async () => {
    const { client: c, clock, downs } = await setUp();
    const readies: number[] = [];
    c.onReady.add(() => readies.push(clock.now()));
    await ready(c);
    server.session!.drop();
    await waitFor(() => c.state === 'waiting', 'waiting');
    clock.advance(180);
    await waitFor(() => c.state === 'ready', 'ready again');
    expect(readies).toHaveLength(2);
    expect(downs).toHaveLength(1);
    expect(server.commands.filter((l) => l.startsWith('event json'))).toHaveLength(2);
    expect(c.stats.sessions).toBe(2);
  });

  it('replaces a half-open link: silence, an unanswered probe, then a new session', async () => {
    const { client: c, clock, downs } = await setUp({ liveness: { idleMs: 5_000, probeTimeoutMs: 3_000 } });
    await ready(c);
    const first = server.session!;
    clock.advance(4_999);
    await new Promise((r) => setTimeout(r, 10));
    expect(first.commands.filter((l) => l === 'api status')).toHaveLength(0);
    // Activity resets the idle period: an event at 4999 ms postpones the probe.
    first.send(jsonEvent({ 'Event-Name': 'HEARTBEAT', 'Event-Sequence': '1' }));
    await waitFor(() => c.stats.events === 1, 'heartbeat');
    clock.advance(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(first.commands.filter((l) => l === 'api status')).toHaveLength(0);
    first.freeze(); // from now on the peer answers nothing
    clock.advance(4_999);
    await waitFor(() => first.commands.includes('api status'), 'probe sent');
    clock.advance(3_000);
    await waitFor(() => downs.length === 1, 'declared dead');
    expect(downs[0]).toMatchObject({ kind: 'liveness' });
    clock.advance(180);
    await waitFor(() => c.state === 'ready' && server.sessions.length === 2, 'new session');
  });

  it('keeps a link whose probe is answered', async () => {
    const { client: c, clock, downs } = await setUp({ liveness: { idleMs: 5_000, probeTimeoutMs: 3_000 } });
    await ready(c);
    clock.advance(5_000);
    await waitFor(() => server.session!.commands.includes('api status'), 'probe');
    await new Promise((r) => setTimeout(r, 10));
    clock.advance(3_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(downs).toHaveLength(0);
    expect(c.state).toBe('ready');
  });

  it('treats a disconnect notice (FreeSWITCH shutting down) as the end of the session and comes back', async () => {
    const { client: c, clock, downs } = await setUp();
    await ready(c);
    server.session!.send(disconnectNotice('The system is being shut down.\n'));
    await waitFor(() => downs.length === 1, 'down');
    expect(downs[0]).toEqual({ kind: 'disconnect-notice', message: 'The system is being shut down.' });
    clock.advance(180);
    await waitFor(() => c.state === 'ready', 'ready again');
  });

  it('while the switch is away, tries again at least every second, whatever the backoff has grown to', async () => {
    const { client: c, clock } = await setUp();
    const nextAttempt = async (attempt: number): Promise<number> => {
      await waitFor(() => c.stats.sessions === attempt && c.state === 'waiting', `failure ${attempt}`);
      return waitedAfter(clock, () => c.stats.sessions, attempt);
    };
    await server.goAway();
    c.start();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) waits.push(await nextAttempt(attempt));
    // Refused: 180, 360, 720, then the cap instead of 1,440, 2,880, 4,500 (random 0.5: 10 % jitter).
    expect(waits).toEqual([180, 360, 720, 1000, 1000, 1000]);
    expect(c.activeAlarm).toMatchObject({ kind: 'unreachable' });
    // Back for a moment, then gone again (a switch restarting twice): the session was too
    // short to reset the backoff (4,500 ms now), but the switch closing it is capped too.
    await server.comeBack();
    await waitFor(() => c.stats.sessions === 7 && c.state === 'waiting', 'the seventh refusal');
    clock.advance(1000);
    await waitFor(() => c.state === 'ready', 'ready');
    await server.goAway();
    expect(await nextAttempt(8)).toBe(1000);
    // A wrong password is no absence: it keeps the full backoff (test above).
  });

  it('is connected again within 2 s of the switch listening again after an outage (real time)', async () => {
    server = await FakeEslServer.start({ password: PASSWORD });
    const real = new EslClient({
      node: { id: 'fs1', host: '127.0.0.1', port: server.port, password: PASSWORD },
      clock: new SystemClock(),
      log: captureLog().log,
      events: ['CHANNEL_CREATE'],
      liveness: false,
      random: () => 0.5,
    });
    client = real;
    const readyAt: number[] = [];
    real.onReady.add(() => readyAt.push(performance.now()));
    await ready(real);
    await server.goAway();
    // Three seconds away: the backoff's steps would be 180, 360, 720, 1,440 and 2,880 ms
    // by now, so the next try would come 2.6 s after the switch returns.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(real.state).toBe('waiting');
    await server.comeBack();
    const listening = performance.now();
    await waitFor(() => readyAt.length === 2, 'ready again', 5_000);
    expect(readyAt[1]! - listening).toBeLessThan(2_000);
    expect(real.activeAlarm).toBeUndefined();
  }, 15_000);

  it('suspended, closes the session and opens none until resumed, whatever time passes', async () => {
    const { client: c, clock, downs, alarms } = await setUp();
    const cleared: string[] = [];
    c.onAlarmCleared.add((k) => cleared.push(k));
    server.on((command) => command.line === 'api hang');
    await ready(c);
    const pending = c.api('hang');
    await waitFor(() => server.commands.includes('api hang'), 'sent');
    c.suspend('a subscriber is 10000 switch events behind');
    expect(downs).toEqual([{ kind: 'backlog', message: 'a subscriber is 10000 switch events behind' }]);
    expect(alarms).toMatchObject([{ kind: 'backlog', message: 'a subscriber is 10000 switch events behind' }]);
    const result = await pending;
    expect(!result.ok && result.error.kind).toBe('disconnected');
    expect(c.state).toBe('waiting');
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sessions).toHaveLength(1);
    expect(await c.api('status')).toMatchObject({ ok: false, error: { kind: 'not-connected' } });

    c.resume();
    await waitFor(() => c.state === 'ready', 'ready again at once');
    expect(server.sessions).toHaveLength(2);
    expect(cleared).toEqual(['backlog']);
    expect(c.stats.suspensions).toBe(1);
  });

  it('stop() fails what is pending and does not reconnect', async () => {
    const { client: c, clock } = await setUp();
    server.on((command) => command.line === 'api hang');
    await ready(c);
    const pending = c.api('hang');
    await waitFor(() => server.commands.includes('api hang'), 'sent');
    await c.stop();
    const result = await pending;
    expect(!result.ok && result.error.kind).toBe('disconnected');
    clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(server.sessions).toHaveLength(1);
    expect(c.state).toBe('stopped');
  });
});

describe('events', () => {
  it('decodes plain events when subscribed with event plain, tolerating a stray %', async () => {
    const { client: c, events } = await setUp({ eventFormat: 'plain' });
    await ready(c);
    expect(server.commands[1]).toMatch(/^event plain /);
    const frame = plainEvent({ 'Event-Name': 'CHANNEL_CREATE', 'Unique-ID': 'u-1', 'Caller-Caller-ID-Name': '坐席 1001' });
    // A value FreeSWITCH copied unencoded: a lone % (modesl throws on it).
    server.session!.send(plainEventWithRawValue('CHANNEL_CREATE', 'Unique-ID', '100%'));
    server.session!.send(frame);
    await waitFor(() => events.length === 2, 'events');
    expect(events[0]!.headers['Unique-ID']).toBe('100%');
    expect(events[1]!.headers['Caller-Caller-ID-Name']).toBe('坐席 1001');
  });

  it('keeps reading and answering commands while the consumer is stuck', async () => {
    const { client: c, logs } = await setUp();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seen: string[] = [];
    const queue = new DeliveryQueue<EslEvent>(
      async (event) => {
        await gate;
        seen.push(event.headers['Unique-ID'] ?? '');
      },
      { log: logs.log, name: 'test', warnAt: 1_000 },
    );
    c.onEvent.add((e) => queue.push(e));
    await ready(c);
    const burst: Buffer[] = [];
    for (let i = 0; i < 5_000; i++) burst.push(jsonEvent({ 'Event-Name': 'CHANNEL_CREATE', 'Unique-ID': `u-${i}` }));
    server.session!.send(Buffer.concat(burst));
    await waitFor(() => c.stats.events === 5_000, 'all events read');
    // The consumer has not finished one event, yet a command still gets its reply.
    const status = await c.api('status');
    expect(status.ok).toBe(true);
    expect(seen).toHaveLength(0);
    expect(queue.depth).toBeGreaterThanOrEqual(4_999);
    expect(logs.entries('consumer is behind; buffering in memory').length).toBeGreaterThanOrEqual(1);
    open();
    await waitFor(() => seen.length === 5_000, 'all delivered');
    expect(seen[0]).toBe('u-0');
    expect(seen[4_999]).toBe('u-4999');
  });
});

/** A plain event whose one value is sent raw, not URL-encoded, as FreeSWITCH sometimes does. */
function plainEventWithRawValue(name: string, header: string, raw: string): Buffer {
  const body = Buffer.from(`Event-Name: ${name}\n${header}: ${raw}\n\n`, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\nContent-Type: text/event-plain\n\n`), body]);
}
