/**
 * Events too big to read, sent by a scripted event socket over real TCP: a 24 MB
 * event is skipped as it streams in (memory stays flat), the
 * connection stays up and the next event arrives; the switch layer reconciles; a
 * Content-Length no FreeSWITCH frame could have drops the connection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { EslClient } from '../../../src/esl/client.js';
import { type CloseReason, type DiscardedEvent, EVENT_BODY_LIMIT, MAX_BODY_BYTES } from '../../../src/esl/connection.js';
import type { EslEvent } from '../../../src/esl/event.js';
import { FreeSwitchSwitch } from '../../../src/switch/freeswitch/freeswitch-switch.js';
import type { SwitchEvent } from '../../../src/core/ports/switch-events.js';
import { captureLog } from '../../helpers/capture-log.js';
import { bulkEventHeaders, jsonEvent } from '../../fakes/esl-wire.js';
import { FakeEslServer, waitFor } from '../../fakes/fake-esl-server.js';
import { answerStateQueries, newState } from '../../fakes/fake-switch-state.js';

const CORE = 'e3fc0155-d36e-41b5-82a1-40b741527370';
const U1 = '11111111-1111-4111-8111-111111111111';
const MB = 1024 * 1024;

let server: FakeEslServer | undefined;
let client: EslClient | undefined;
let sw: FreeSwitchSwitch | undefined;

afterEach(async () => {
  await client?.stop();
  await sw?.stop();
  await server?.close();
  client = undefined;
  sw = undefined;
  server = undefined;
});

/** A CUSTOM event of about `bytes`, as a script firing a huge event would send. */
function hugeEvent(bytes: number): Buffer {
  return jsonEvent(bulkEventHeaders(bytes, 'polylink::test', CORE));
}

function created(uuid: string): Buffer {
  return jsonEvent({ 'Event-Name': 'CHANNEL_CREATE', 'Core-UUID': CORE, 'Unique-ID': uuid, 'Event-Date-Timestamp': '1795246233822617' });
}

async function readyClient() {
  server = await FakeEslServer.start();
  const logs = captureLog('debug');
  const c = new EslClient({
    node: { id: 'fs1', host: '127.0.0.1', port: server.port, password: 'ClueCon' },
    clock: new ManualClock(0),
    log: logs.log,
    events: ['ALL'],
    liveness: false,
    random: () => 0.5,
  });
  client = c;
  const events: EslEvent[] = [];
  const discarded: DiscardedEvent[] = [];
  const downs: CloseReason[] = [];
  c.onEvent.add((e) => events.push(e));
  c.onEventDiscarded.add((d) => discarded.push(d));
  c.onDown.add((r) => downs.push(r));
  c.start();
  await waitFor(() => c.state === 'ready', 'ready');
  return { c, logs, events, discarded, downs, session: server.session! };
}

/**
 * The fake switch shares this process: it writes in 256 KB pieces, one per turn of the
 * event loop, so that the client reads it as it would from a socket, not as one 10 MB chunk.
 */
async function sendInPieces(session: { send(bytes: Buffer): void }, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; at += 256 * 1024) {
    session.send(bytes.subarray(at, at + 256 * 1024));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A full collection on demand: building the huge event leaves ~100 MB of garbage, whose
 * collection must not fall inside the measured window (it is the test's, not the client's).
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** What the process holds outside code: JS heap and Buffers (where a buffered frame would sit). */
function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('an event over the size limit', () => {
  it('is skipped as it streams in: the link stays up, memory stays flat, the next event arrives', async () => {
    const { c, logs, events, discarded, downs, session } = await readyClient();
    const huge = hugeEvent(24 * MB);
    const bodyBytes = huge.length - huge.indexOf('\n\n') - 2;
    expect(bodyBytes).toBeGreaterThan(EVENT_BODY_LIMIT);

    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 100)); // and let its sweeping finish
    const before = memory();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, memory() - before)), 1);
    try {
      await sendInPieces(session, huge);
      session.send(created(U1));
      await waitFor(() => events.length === 1, 'the event after the big one', 10_000);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, memory() - before);

    expect(events.map((e) => e.name)).toEqual(['CHANNEL_CREATE']);
    expect(events[0]!.headers['Unique-ID']).toBe(U1);
    expect(discarded).toEqual([{ contentType: 'text/event-json', bytes: bodyBytes }]);
    expect(c.stats.discardedEvents).toBe(1);
    expect(logs.entries('event over the size limit skipped unread')).toMatchObject([{ bytes: bodyBytes, limit: EVENT_BODY_LIMIT }]);
    // Same session: nothing was dropped, nothing reconnected.
    expect(downs).toEqual([]);
    expect(server!.sessions).toHaveLength(1);
    expect(c.state).toBe('ready');
    expect(await c.api('status')).toMatchObject({ ok: true });
    // Read and parsed whole, as before the limit, each 10 MB cost +21–31 MB; skipped, it
    // costs nothing but the reads. The event-loop lag it saves is a time, measured by
    // `npm run bench:esl-limits` rather than asserted here, where other work shares the CPU.
    expect(peak).toBeLessThan(4 * MB);
  });

  it('makes the switch layer reconcile, since whatever the event said is lost', async () => {
    server = await FakeEslServer.start();
    answerStateQueries(server, newState());
    const s = new FreeSwitchSwitch({
      nodes: [{ id: 'fs1', host: '127.0.0.1', port: server.port, password: 'ClueCon' }],
      clock: new ManualClock(1_000_000),
      log: captureLog().log,
      client: { liveness: false, random: () => 0.5 },
    });
    sw = s;
    const events: SwitchEvent[] = [];
    s.subscribe((e) => {
      events.push(e);
    });
    s.start();
    const fake = server;
    const reconciles = () => fake.commands.filter((l) => l === 'api show channels as json').length;
    await waitFor(() => fake.commands.includes('api show registrations as json'), 'first reconcile');
    expect(reconciles()).toBe(1);
    fake.session!.send(hugeEvent(2 * MB));
    await waitFor(() => reconciles() === 2, 'a reconcile after the skipped event');
    expect(events.filter((e) => e.type === 'node-down')).toEqual([]);
  });
});

describe('a Content-Length no FreeSWITCH frame could have', () => {
  it('drops the connection as a broken stream, without reading the body, and connects again', async () => {
    const { c, downs, session } = await readyClient();
    session.send(Buffer.from(`Content-Length: ${MAX_BODY_BYTES + 1}\nContent-Type: text/event-json\n\n{"Event-Name":`));
    await waitFor(() => downs.length === 1, 'dropped');
    expect(downs[0]).toMatchObject({ kind: 'protocol-error' });
    expect(downs[0]!.message).toContain(`exceeds ${MAX_BODY_BYTES}`);
    // The first wait of the backoff is 180 ms on the manual clock: nothing before it is moved.
    expect(c.state).toBe('waiting');
  });
});
