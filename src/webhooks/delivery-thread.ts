/**
 * The delivery thread's entry (a node:worker_threads Worker, started by DeliveryThread in
 * delivery-runner.ts): the delivery worker on a loop of its own, so a push's round trip
 * never waits behind the core's calls, with its own SQLite connection to the outbox.
 */
import { setPriority } from 'node:os';
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
import { Pace } from './pace.js';
import { ThreadOutbox } from './thread-outbox.js';

/** How often the thread checkpoints the WAL: often enough that it rarely reaches the automatic checkpoint's 1,000 pages. */
const CHECKPOINT_MS = 200;

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
// Linux's setpriority(PRIO_PROCESS, 0, n), libuv's uv_os_setpriority, renices the calling thread only (a thread is a
// task of its own there; setpriority(2), NOTES): the core's thread keeps its priority and wins the CPU when both want
// it. Elsewhere it would renice the whole process, core included, so it is left alone.
if (data.nice > 0 && process.platform === 'linux') {
  try {
    setPriority(0, data.nice);
  } catch (err) {
    log.warn({ err, module: 'webhooks', nice: data.nice }, 'the delivery thread keeps the core\'s priority');
  }
}
// The main thread writes the outbox in its steps' transactions: openDatabase's busy_timeout makes each side wait for the other's short write.
const db = openDatabase(data.dbPath);
const outbox = new ThreadOutbox(db, data.deletes, (changes) => send({ type: 'changes', changes }));
const destinations = new Destinations(data.targets, callbackSigner(data.apps), data.callbackTimeoutMs);
const poster = new HttpPoster();
const clock = new SystemClock();
const pace = new Pace(data.pace, clock);
const delivery = new Delivery(outbox, (row) => destinations.of(row), poster.post, data.delivery, clock, log, Math.random, pace.enabled ? pace : undefined);
const progress = setInterval(() => send({ type: 'progress', progress: delivery.progress() }), data.progressMs);
// The WAL checkpointed here, not in the main thread's commits (thread-outbox.ts, checkpoint()).
const checkpoints = setInterval(() => {
  try {
    outbox.checkpoint();
  } catch (err) {
    log.warn({ err, module: 'webhooks' }, 'WAL checkpoint failed; SQLite\'s automatic one stays');
  }
}, CHECKPOINT_MS);

port.on('message', (m: ToDeliveryThread) => {
  if (m.type === 'load') {
    pace.heard(m.load);
    return;
  }
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
  clearInterval(checkpoints);
  await delivery.stop(timeoutMs);
  pace.stop();
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
