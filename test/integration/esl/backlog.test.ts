/**
 * A subscriber that stops taking switch events while FreeSWITCH keeps sending them
 * (a scripted event socket over real TCP): the backlog stops at its limit because the
 * node is disconnected (node-down, the `backlog` alarm), nothing reconnects while the
 * subscriber is stuck, and once it drains the node connects again and reconciles.
 * Everything read before the cut is delivered, in order, before node-down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { FreeSwitchSwitch } from '../../../src/switch/freeswitch/freeswitch-switch.js';
import type { SwitchEvent } from '../../../src/core/ports/switch-events.js';
import { captureLog } from '../../helpers/capture-log.js';
import { jsonEvent } from '../../fakes/esl-wire.js';
import { FakeEslServer, waitFor } from '../../fakes/fake-esl-server.js';
import { answerStateQueries, newState } from '../../fakes/fake-switch-state.js';

const CORE = 'e3fc0155-d36e-41b5-82a1-40b741527370';
const U1 = '11111111-1111-4111-8111-111111111111';
const LIMIT = 500;

let server: FakeEslServer | undefined;
let sw: FreeSwitchSwitch | undefined;

afterEach(async () => {
  await sw?.stop();
  await server?.close();
  sw = undefined;
  server = undefined;
});

function channelEvent(name: string, extra: Record<string, string> = {}): Buffer {
  return jsonEvent({ 'Event-Name': name, 'Core-UUID': CORE, 'Unique-ID': U1, 'Event-Date-Timestamp': '1795246233822617', ...extra });
}

describe('a subscriber that falls too far behind', () => {
  it('disconnects the node at the limit, stays away while stuck, then reconnects and reconciles', async () => {
    server = await FakeEslServer.start();
    const state = newState();
    answerStateQueries(server, state);
    const logs = captureLog('debug');
    const s = new FreeSwitchSwitch({
      nodes: [{ id: 'fs1', host: '127.0.0.1', port: server.port, password: 'ClueCon' }],
      clock: new ManualClock(1_000_000),
      log: logs.log,
      client: { liveness: false, random: () => 0.5 },
      backlogLimit: LIMIT,
    });
    sw = s;
    const seen: SwitchEvent[] = [];
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    s.subscribe(async (e) => {
      seen.push(e);
      if (e.type === 'dtmf' && e.digit === '0') await stuck;
    });
    s.start();
    const fake = server;
    await waitFor(() => fake.commands.includes('api show registrations as json'), 'first reconcile');
    state.channels.set(U1, { 'Unique-ID': U1 });
    const session = fake.session!;
    session.send(channelEvent('CHANNEL_CREATE'));
    // 5,000 events for a subscriber stuck on the first: ten times its limit.
    const sent = 5_000;
    for (let i = 0; i < sent; i++) session.send(channelEvent('DTMF', { 'DTMF-Digit': String(i % 10), 'Event-Sequence': String(i + 1) }));

    await waitFor(() => s.nodes()[0]!.state === 'waiting', 'node suspended');
    const node = s.node('fs1')!;
    expect(s.nodes()[0]!.alarm).toMatch(/^backlog: a subscriber is 500 switch events behind/);
    expect(node.client.stats.suspensions).toBe(1);
    await waitFor(() => session.socket.destroyed || session.socket.readableEnded, 'the switch saw the disconnect');
    // Nothing reconnects while the subscriber is stuck, whatever time passes.
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.sessions).toHaveLength(1);
    expect(node.client.state).toBe('waiting');
    expect(logs.entries('consumer is too far behind; asking the producer to stop')).toHaveLength(1);
    // What /health reports: the backlog at its bound, the links suspended.
    expect(s.backlog()).toMatchObject({ limit: LIMIT, fullTimes: 1, full: true });
    expect(s.backlog().waiting).toBeGreaterThanOrEqual(LIMIT - 1);
    expect(s.backlog().highWater).toBeLessThanOrEqual(LIMIT + 1);

    release();
    await waitFor(() => fake.sessions.length === 2 && s.nodes()[0]!.state === 'ready', 'reconnected after the drain', 5_000);
    await waitFor(() => seen.some((e) => e.type === 'node-up' && seen.indexOf(e) > 1), 'node-up after the drain');
    await waitFor(() => fake.sessions[1]!.commands.includes('api show channels as json'), 'reconcile on the new session');

    const types = seen.map((e) => e.type);
    const down = types.indexOf('node-down');
    const dtmf = seen.filter((e): e is Extract<SwitchEvent, { type: 'dtmf' }> => e.type === 'dtmf');
    // Every event read before the cut reached the subscriber, in stream order, then
    // node-down: about LIMIT of them (one fewer or more, as reads and the drain interleave).
    expect(dtmf.length).toBeGreaterThanOrEqual(LIMIT - 1);
    expect(dtmf.length).toBeLessThanOrEqual(LIMIT + 1);
    expect(dtmf.map((e) => e.digit)).toEqual(dtmf.map((_, i) => String(i % 10)));
    expect(types.slice(0, 2)).toEqual(['node-up', 'channel-created']);
    expect(down).toBe(2 + dtmf.length);
    expect(types.slice(down)).toEqual(['node-down', 'node-up']);
    expect(seen[down]).toMatchObject({ reason: expect.stringMatching(/^backlog: /) });
    expect(s.nodes()[0]!.alarm).toBeUndefined();
    expect(s.backlog()).toMatchObject({ waiting: 0, limit: LIMIT, fullTimes: 1, full: false });
  });
});
