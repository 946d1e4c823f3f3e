/**
 * A listener that reads slower than the switch fires, as mod_event_socket treats it
 * (mod_event_socket.c, event_handler): its events wait in a queue of MAX_QUEUE_LEN; when
 * that is full, events are lost ("Event enqueue ERROR"), and more than MAX_MISSED (500)
 * lost kill the listener ("killed listener because of lost events"). The queue is made
 * short here (eventQueueLength) and the events large, so that the sockets fill quickly.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ORIGIN } from '../../../src/simulator/events/event-origins.js';
import { HeaderBlock } from '../../../src/simulator/events/switch-event.js';
import { MAX_MISSED } from '../../../src/simulator/server/esl-session.js';
import { startFixture, type Fixture } from '../../helpers/sim-fixture.js';

let f: Fixture | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await f?.stop();
  f = undefined;
});

const BIG = 'x'.repeat(64 * 1024);

/** A raw listener subscribed to CUSTOM load::test, which stops reading once subscribed. */
async function slowListener(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let text = '';
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.write('auth ClueCon\n\nevent plain CUSTOM load::test\n\n');
  for (let i = 0; i < 200 && (text.match(/Reply-Text: \+OK/g) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  socket.pause();
  return { socket, received: () => text, closed };
}

function fire(f: Fixture, n: number): void {
  for (let i = 0; i < n; i++) {
    f.sim.core.bus.fire({ name: 'CUSTOM', subclass: 'load::test', origin: ORIGIN.heartbeat, blocks: [HeaderBlock.of([['Load-Index', String(i)], ['Padding', BIG]])] });
  }
}

/** Until nothing more has arrived for 200 ms. */
async function quiet(received: () => string): Promise<void> {
  let length = -1;
  while (received().length !== length) {
    length = received().length;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const indexes = (text: string): number[] => [...text.matchAll(/Load-Index: (\d+)/g)].map((m) => Number(m[1]));

describe('a listener that does not keep up', () => {
  it('loses the events beyond its queue, and gets the rest in order when it reads again', async () => {
    f = await startFixture({ eventQueueLength: 20 }, '');
    const slow = await slowListener(f.sim.port);
    // Sockets take a few MB; then 20 wait in the queue; a few hundred more are lost, fewer than MAX_MISSED.
    fire(f, 400);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.sim.stats.connections).toBe(2);
    slow.socket.resume();
    await quiet(slow.received);
    const seen = indexes(slow.received());
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.length).toBeLessThan(400);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // Reading again, it is a listener like any: the next event arrives.
    f.sim.core.bus.fire({ name: 'CUSTOM', subclass: 'load::test', origin: ORIGIN.heartbeat, blocks: [HeaderBlock.of([['Load-Index', '1000']])] });
    for (let i = 0; i < 100 && !slow.received().includes('Load-Index: 1000'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(slow.received()).toContain('Load-Index: 1000');
    expect(f.sim.stats.connections).toBe(2);
  });

  it(`is killed after more than ${MAX_MISSED} lost events`, async () => {
    f = await startFixture({ eventQueueLength: 20 }, '');
    const slow = await slowListener(f.sim.port);
    fire(f, 2000);
    expect(f.sim.stats.connections).toBe(1);
    slow.socket.resume();
    await slow.closed;
    const seen = indexes(slow.received());
    // What the sockets held reached it; the queue and everything after were dropped with the listener.
    expect(seen.length).toBeLessThan(2000 - MAX_MISSED);
    expect(seen).toEqual(seen.map((_, i) => i));
  });
});
