// The delivery thread's side of the outbox (ThreadOutbox) on a second connection to the
// same SQLite file while the main thread's OutboxStore keeps writing: delivered rows
// deleted in batches and never read again, rows made dead, and the main thread's counts
// kept right from what the thread reports (OutboxStore.counted).
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SystemClock } from '../../../src/clock.js';
import { silentLogger } from '../../../src/log.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { migrate } from '../../../src/store/migrate.js';
import { OutboxStore } from '../../../src/store/outbox-store.js';
import { Delivery } from '../../../src/webhooks/delivery.js';
import { HttpPoster } from '../../../src/webhooks/http-post.js';
import { ThreadOutbox } from '../../../src/webhooks/thread-outbox.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';

const tempDir = tempDirs('polylink-thread-outbox-');
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

function outboxes(limits = { maxBacklog: 10_000, maxDead: 10_000 }): { main: OutboxStore; mainDb: Db; thread: ThreadOutbox } {
  const path = join(tempDir(), 'outbox.db');
  const mainDb = openDatabase(path);
  migrate(mainDb);
  open.push(mainDb);
  const main = new OutboxStore(mainDb, limits);
  const threadDb = openDatabase(path);
  open.push(threadDb);
  const thread = new ThreadOutbox(threadDb, { batch: 16, flushMs: 5 }, (changes) => main.counted(changes));
  return { main, mainDb, thread };
}

function write(db: Db, main: OutboxStore, lane: string, from: number, count: number): void {
  db.transaction(() => {
    for (let n = from; n < from + count; n++) main.insert({ lane, event: 'cdr', eventId: `${lane}-${n}`, body: JSON.stringify({ n }), factAt: Date.now() }, Date.now());
  }).immediate();
  main.takeTouched();
}

it('deletes delivered rows in batches; a lane read again from its start does not see them; the main counts follow', () => {
  const { main, mainDb, thread } = outboxes();
  write(mainDb, main, 'a', 1, 40);
  const rows = thread.head('a', 0, 100);
  expect(rows.map((r) => JSON.parse(r.body).n)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  for (const row of rows.slice(0, 20)) thread.delivered(row);
  // 16 deleted at once (the batch), 4 waiting for the next flush.
  expect(main.counts('a').pending).toBe(24);
  expect(thread.head('a', 0, 100).map((r) => JSON.parse(r.body).n)[0]).toBe(21);
  expect(main.counts('a').pending).toBe(20);
  expect(mainDb.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()).toEqual({ n: 20 });
});

it('a lane read on from its last row leaves the deliveries waiting to their batch: no write for each read', () => {
  const { main, mainDb, thread } = outboxes();
  write(mainDb, main, 'a', 1, 40);
  const first = thread.head('a', 0, 10);
  for (const row of first) thread.delivered(row);
  // Read on after the last row delivered: nothing deleted yet, the next rows in order.
  const next = thread.head('a', first.at(-1)!.id, 10);
  expect(next.map((r) => JSON.parse(r.body).n)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
  expect(main.counts('a').pending).toBe(40);
  // Read from before them (a lane read again): deleted first, never seen again.
  expect(thread.head('a', first[4]!.id, 1).map((r) => JSON.parse(r.body).n)).toEqual([11]);
  expect(main.counts('a').pending).toBe(30);
});

it('a row the main thread made dead while its POST was under way is counted as a dead row deleted', () => {
  const { main, mainDb, thread } = outboxes({ maxBacklog: 5, maxDead: 100 });
  write(mainDb, main, 'a', 1, 5);
  const [first] = thread.head('a', 0, 1);
  // The sixth push makes the oldest dead ("backlog full") in the main thread.
  write(mainDb, main, 'a', 6, 1);
  expect(main.counts('a')).toEqual({ pending: 5, dead: 1 });
  thread.delivered(first!);
  thread.flush();
  expect(main.counts('a')).toEqual({ pending: 5, dead: 0 });
  thread.kill('a', thread.head('a', 0, 1)[0]!.id, 'test', Date.now());
  expect(main.counts('a')).toEqual({ pending: 4, dead: 1 });
});

it('delivers in order over its own connection while the main thread keeps writing', async () => {
  const { main, mainDb, thread } = outboxes();
  const receiver = await WebhookReceiver.start();
  open.push(receiver);
  const poster = new HttpPoster();
  open.push(poster);
  const delivery = new Delivery(thread, () => ({ url: receiver.url, timeoutMs: 1000, headers: () => ({ 'Content-Type': 'application/json' }) }), poster.post, { maxAttempts: 5, maxAgeMs: 60_000, initialDelayMs: 10, maxDelayMs: 50, maxInFlight: 4 }, new SystemClock(), silentLogger());
  open.push({ close: () => delivery.stop() });
  delivery.start();
  for (let batch = 0; batch < 20; batch++) {
    write(mainDb, main, 'a', batch * 25 + 1, 25);
    delivery.wake('a');
    await new Promise((r) => setTimeout(r, 2));
  }
  await eventually(() => main.counts('a').pending === 0, 10_000);
  expect(receiver.received.map((r) => r.body['n'])).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  expect(mainDb.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()).toEqual({ n: 0 });
});

it('checkpoints the WAL from the thread\'s connection while the main one writes: every page copied back, and the main one restarts the WAL', () => {
  const { main, mainDb, thread } = outboxes();
  // No automatic checkpoint in the main connection's commits: the WAL only grows unless the thread copies it back.
  mainDb.pragma('wal_autocheckpoint = 0');
  write(mainDb, main, 'a', 1, 500);
  for (const row of thread.head('a', 0, 500)) thread.delivered(row);
  thread.flush();
  const first = thread.checkpoint();
  expect(first.walPages).toBeGreaterThan(0);
  expect(first.copied).toBe(first.walPages);
  // Fully copied back, the main connection's next write starts the WAL over from its first page.
  write(mainDb, main, 'a', 501, 1);
  expect(thread.checkpoint().walPages).toBeLessThan(first.walPages);
  expect(main.counts('a').pending).toBe(1);
});
