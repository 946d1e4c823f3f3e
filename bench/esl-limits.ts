/**
 * The ESL client's limits, measured through real TCP sockets, the switch being a
 * worker thread (bench/stream-server.ts) so that its buffers and CPU are not counted:
 *
 * 1. An event over the size limit: event-loop lag and memory while a 10 MB event
 *    arrives, skipped unread (the default limit) and read whole (the limit raised to
 *    MAX_BODY_BYTES, as before there was one).
 * 2. A stuck subscriber while the switch sends 80,000 events of ~4 KB: heap growth
 *    with the switch-event backlog bounded (the default limit) and unbounded, and the
 *    time from the subscriber moving again to the link being back.
 * 3. FreeSWITCH away for 3 s and back: time from listening again to the link ready.
 *
 * Prints the figures and writes bench/results/esl-limits.json.
 *
 *   npm run bench:esl-limits -- [--events=80000] [--runs=3]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { SystemClock } from '../src/clock.js';
import { EslClient, type EslClientOptions } from '../src/esl/client.js';
import { EVENT_BODY_LIMIT, MAX_BODY_BYTES } from '../src/esl/connection.js';
import { DEFAULT_BACKLOG_LIMIT } from '../src/esl/delivery-queue.js';
import { FreeSwitchSwitch } from '../src/switch/freeswitch/freeswitch-switch.js';
import { bulkEventHeaders, jsonEvent } from '../test/fakes/esl-wire.js';
import { loadTemplates } from './event-stream.js';
import { machine, writeResults } from './results-file.js';
import { StreamServer, shared } from './stream-server-handle.js';

const MB = 1024 * 1024;
const CORE = 'e3fc0155-d36e-41b5-82a1-40b741527370';
const UUID = '11111111-1111-4111-8111-111111111111';
const silent = pino({ level: 'silent' });

function option(name: string, fallback: number): number {
  const value = process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return value === undefined ? fallback : Number(value);
}

/** What the process holds outside code: JS heap and Buffers (where a buffered frame would sit). */
function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (!predicate()) {
    if (performance.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// ── 1. an event over the size limit ──────────────────────────────────────────

interface OversizeRun {
  readonly lagMs: number;
  readonly memoryMB: number;
  readonly skipped: boolean;
}

function benchClient(server: StreamServer, options: Partial<EslClientOptions> = {}): EslClient {
  return new EslClient({
    node: { id: 'bench', host: '127.0.0.1', port: server.port, password: 'ClueCon' },
    clock: new SystemClock(),
    log: silent,
    events: ['ALL'],
    liveness: false,
    ...options,
  });
}

async function oversizeRun(server: StreamServer, eventBodyLimit: number): Promise<OversizeRun> {
  await server.use('oversize');
  const client = benchClient(server, { eventBodyLimit });
  let after = false;
  let skipped = false;
  let before = 0;
  let peak = 0;
  // Sampled on a timer, and when the event is in hand (read whole, the reads and the
  // parse can all fall between two timer ticks).
  const sample = () => (peak = Math.max(peak, memory() - before));
  client.onEvent.add((e) => {
    sample();
    after ||= e.name === 'CHANNEL_CREATE';
  });
  client.onEventDiscarded.add(() => {
    sample();
    skipped = true;
  });
  client.start();
  await until(() => client.state === 'ready', 5_000);
  gc();
  const lag = monitorEventLoopDelay({ resolution: 1 });
  before = memory();
  const sampler = setInterval(sample, 1);
  lag.enable();
  await until(() => after, 30_000);
  // A stall is recorded when the monitor's next tick comes late: give it that tick.
  await sleep(20);
  lag.disable();
  clearInterval(sampler);
  sample();
  await client.stop();
  return { lagMs: lag.max / 1e6, memoryMB: peak / MB, skipped };
}

// ── 2. a stuck subscriber ────────────────────────────────────────────────────

interface BacklogRun {
  readonly limit: number | 'none';
  readonly eventsRead: number;
  readonly backlog: number;
  readonly heapGrowthMB: number;
  readonly suspended: boolean;
  /** From the subscriber moving again to the node ready (bounded runs). */
  readonly backAfterReleaseMs: number | undefined;
}

async function backlogRun(server: StreamServer, limit: number, events: number): Promise<BacklogRun> {
  await server.use('backlog');
  const sw = new FreeSwitchSwitch({
    nodes: [{ id: 'bench', host: '127.0.0.1', port: server.port, password: 'ClueCon' }],
    clock: new SystemClock(),
    log: silent,
    client: { liveness: false },
    backlogLimit: limit,
    reconcileIntervalMs: 3_600_000,
  });
  let release!: () => void;
  const stuck = new Promise<void>((resolve) => (release = resolve));
  let ups = 0;
  let depth = 0;
  sw.subscribe(async (e) => {
    if (e.type === 'node-up') ups++;
    if (e.type === 'dtmf' && depth++ === 0) await stuck;
  });
  sw.start();
  await until(() => ups === 1, 5_000);
  gc();
  const before = process.memoryUsage().heapUsed;
  const node = sw.node('bench')!;
  // Until the node is suspended, or every event was read.
  await until(() => node.client.stats.suspensions > 0 || node.client.stats.events >= events + 1, 120_000);
  await sleep(300);
  gc();
  const heapGrowthMB = (process.memoryUsage().heapUsed - before) / MB;
  const eventsRead = node.client.stats.events;
  const suspended = node.client.stats.suspensions > 0;
  const released = performance.now();
  release();
  let backAfterReleaseMs: number | undefined;
  if (suspended && (await until(() => node.client.state === 'ready', 60_000))) backAfterReleaseMs = performance.now() - released;
  await sw.stop();
  return { limit: Number.isFinite(limit) ? limit : 'none', eventsRead, backlog: eventsRead - 2, heapGrowthMB, suspended, backAfterReleaseMs };
}

// ── 3. FreeSWITCH away and back ──────────────────────────────────────────────

async function reconnectTimes(server: StreamServer, outages: number, awayMs: number): Promise<number[]> {
  await server.use('idle');
  const client = benchClient(server, { events: ['HEARTBEAT'] });
  let readyAt = 0;
  client.onReady.add(() => (readyAt = performance.now()));
  client.start();
  await until(() => client.state === 'ready', 5_000);
  const times: number[] = [];
  for (let i = 0; i < outages; i++) {
    await server.away();
    await sleep(awayMs);
    const listening = await server.back();
    await until(() => readyAt > listening, 30_000);
    times.push(readyAt - listening);
    await sleep(200);
  }
  await client.stop();
  return times;
}

/**
 * CHANNEL_CREATE, then `events` DTMF events on that channel, each with every channel
 * variable as FreeSWITCH sends them (~4 KB), written straight into shared memory: the
 * stream is a few hundred MB, and a copy of it per step would be as much again.
 */
function backlogStream(channel: Record<string, string>, events: number): Buffer {
  const at = (i: number) =>
    i === 0
      ? jsonEvent({ ...channel, 'Event-Name': 'CHANNEL_CREATE', 'Event-Sequence': '1' })
      : jsonEvent({ ...channel, 'Event-Name': 'DTMF', 'DTMF-Digit': String((i - 1) % 10), 'Event-Sequence': String(i + 1) });
  let total = 0;
  for (let i = 0; i <= events; i++) total += at(i).length;
  const out = Buffer.from(new SharedArrayBuffer(total));
  let offset = 0;
  for (let i = 0; i <= events; i++) offset += at(i).copy(out, offset);
  return out;
}

async function main(): Promise<void> {
  const events = option('events', 80_000);
  const runs = option('runs', 3);
  const templates = loadTemplates();
  const template = templates.find((t) => t['Event-Name'] === 'CHANNEL_ANSWER') ?? templates[0]!;
  const oldUuid = template['Unique-ID']!;
  const channel: Record<string, string> = {};
  for (const [name, value] of Object.entries(template)) channel[name] = value.split(oldUuid).join(UUID);
  channel['Core-UUID'] = CORE;

  const huge = jsonEvent(bulkEventHeaders(10 * MB, 'polylink::bench', CORE));
  const oversize = Buffer.concat([huge, jsonEvent({ ...channel, 'Event-Name': 'CHANNEL_CREATE' })]);
  const backlog = backlogStream(channel, events);
  console.log(`ESL limits benchmark: node ${process.version}, ${machine().cpus} CPU(s), load average ${machine().loadAverage}`);
  console.log(`  event body limit ${EVENT_BODY_LIMIT / MB} MiB; backlog limit ${DEFAULT_BACKLOG_LIMIT.toLocaleString('en-US')} switch events; ${events.toLocaleString('en-US')} events of ~${Math.round(backlog.length / (events + 1))} bytes for the backlog\n`);

  const server = await StreamServer.start({ oversize: shared(oversize), backlog: backlog.buffer as SharedArrayBuffer, idle: new SharedArrayBuffer(0) });
  try {
    const skip: OversizeRun[] = [];
    const whole: OversizeRun[] = [];
    for (let i = 0; i < runs; i++) {
      skip.push(await oversizeRun(server, EVENT_BODY_LIMIT));
      whole.push(await oversizeRun(server, MAX_BODY_BYTES));
    }
    const describe = (list: OversizeRun[]) =>
      `lag max ${median(list.map((r) => r.lagMs)).toFixed(1)} ms, memory +${median(list.map((r) => r.memoryMB)).toFixed(1)} MB (medians of ${list.length}; ${list.map((r) => `${r.lagMs.toFixed(1)} ms/+${r.memoryMB.toFixed(1)} MB`).join(', ')})`;
    console.log(`1. a 10 MB event, skipped unread:   ${describe(skip)}`);
    console.log(`   the same event read whole:       ${describe(whole)}`);

    const bounded = await backlogRun(server, DEFAULT_BACKLOG_LIMIT, events);
    const unbounded = await backlogRun(server, Number.POSITIVE_INFINITY, events);
    for (const r of [bounded, unbounded]) {
      console.log(
        `2. stuck subscriber, backlog limit ${String(r.limit).padEnd(6)}: ${r.eventsRead.toLocaleString('en-US')} events read, heap +${r.heapGrowthMB.toFixed(1)} MB` +
          (r.suspended ? `, node disconnected; back ${r.backAfterReleaseMs?.toFixed(0)} ms after the subscriber moved again` : ', never disconnected'),
      );
    }

    const times = await reconnectTimes(server, 5, 3_000);
    console.log(`3. FreeSWITCH away 3 s, then listening: link ready after ${times.map((t) => t.toFixed(0)).join(', ')} ms`);

    const passed =
      skip.every((r) => r.skipped && r.memoryMB < 4) && bounded.suspended && bounded.heapGrowthMB < unbounded.heapGrowthMB / 4 && times.every((t) => t < 2_000);
    const path = writeResults('esl-limits', {
      machine: machine(),
      oversizeEvent: {
        bytes: huge.length,
        limit: EVENT_BODY_LIMIT,
        skipped: { lagMaxMs: Number(median(skip.map((r) => r.lagMs)).toFixed(1)), memoryMB: Number(median(skip.map((r) => r.memoryMB)).toFixed(1)), runs: skip },
        readWhole: { lagMaxMs: Number(median(whole.map((r) => r.lagMs)).toFixed(1)), memoryMB: Number(median(whole.map((r) => r.memoryMB)).toFixed(1)), runs: whole },
      },
      stuckSubscriber: { eventsSent: events + 1, bounded, unbounded },
      reconnectAfterListeningMs: times.map((t) => Math.round(t)),
      targets: { oversizeMemoryMB: 4, reconnectMs: 2_000, boundedHeapBelowQuarterOfUnbounded: true },
      passed,
    });
    console.log(`\nfigures written to ${path}`);
  } finally {
    await server.close();
  }
}

await main();
