/**
 * The delivery thread's entry (a node:worker_threads Worker, started by DeliveryThread in
 * delivery-runner.ts): the delivery worker on a loop of its own, so a push's round trip
 * never waits behind the core's calls, with its own SQLite connection to the outbox.
 */
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { LevelWithSilent } from 'pino';
import { SystemClock } from '../clock.js';
import { callbackSigner } from '../exports/callback-signer.js';
import { createLogger } from '../log.js';
import { openDatabase } from '../store/database.js';
import { Delivery } from './delivery.js';
import type { DeliveryThreadData, FromDeliveryThread, ToDeliveryThread } from './delivery-thread-messages.js';
import { Destinations } from './destinations.js';
import { HttpPoster } from './http-post.js';
import { ThreadOutbox } from './thread-outbox.js';

const port = parentPort!;
const data = workerData as DeliveryThreadData;
const send = (m: FromDeliveryThread): void => port.postMessage(m);

const log = createLogger(
  data.logLevel as LevelWithSilent,
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      send({ type: 'log', line: chunk.toString('utf8') });
      done();
    },
  }),
);
// The main thread writes the outbox in its steps' transactions: openDatabase's busy_timeout makes each side wait for the other's short write.
const db = openDatabase(data.dbPath);
const outbox = new ThreadOutbox(db, data.deletes, (changes) => send({ type: 'changes', changes }));
const destinations = new Destinations(data.targets, callbackSigner(data.apps), data.callbackTimeoutMs);
const poster = new HttpPoster();
const delivery = new Delivery(outbox, (row) => destinations.of(row), poster.post, data.delivery, new SystemClock(), log);
const progress = setInterval(() => send({ type: 'progress', progress: delivery.progress() }), data.progressMs);

port.on('message', (m: ToDeliveryThread) => {
  if (m.type === 'lanes') {
    if (m.targets !== undefined) destinations.set(m.targets);
    for (const lane of m.forget) delivery.forget(lane);
    for (const lane of m.reread) delivery.reread(lane);
    for (const lane of m.wake) delivery.wake(lane);
    return;
  }
  void stop(m.timeoutMs);
});

async function stop(timeoutMs: number): Promise<void> {
  clearInterval(progress);
  await delivery.stop(timeoutMs);
  try {
    outbox.close();
  } catch (err) {
    log.error({ err, module: 'webhooks' }, 'delivered pushes not deleted at stop: they will be sent again');
  }
  send({ type: 'progress', progress: delivery.progress() });
  poster.close();
  db.close();
  send({ type: 'stopped' });
  port.close();
}

delivery.start();
log.info({ module: 'webhooks', database: data.dbPath }, 'delivery thread started');
