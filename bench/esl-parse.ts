/**
 * ESL parse benchmark: 100,000 realistic events (bench/event-stream.ts) written
 * through a real local TCP socket by a worker thread (bench/stream-server.ts) into
 * polylink's client, modesl (json and plain) and esl-lite (json). Prints events/s
 * and MB/s, medians of 5 runs, and how many events each client delivered intact.
 * Also prints polylink's framer + decoder alone, in-process, as the ceiling. Runs are
 * interleaved across clients so that other load on the machine hits them alike.
 *
 *   npm run bench:esl -- [--events=100000] [--runs=5] [--clients=polylink,modesl,esl-lite]
 */
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { decodeFrame } from '../src/esl/event.js';
import { EslFramer } from '../src/esl/framer.js';
import { type ClientName, startClient } from './clients.js';
import { type EventStream, type Format, buildStream, loadTemplates } from './event-stream.js';

interface Options {
  events: number;
  runs: number;
  clients: ClientName[];
}

interface Run {
  delivered: number;
  intact: number;
  duplicates: number;
  connections: number;
  eventsPerSecond: number;
  megabytesPerSecond: number;
}

const IDLE_AFTER_SENT_MS = 1_500;
const RUN_LIMIT_MS = 180_000;

function options(): Options {
  const get = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  return {
    events: Number(get('events') ?? 100_000),
    runs: Number(get('runs') ?? 5),
    clients: (get('clients') ?? 'polylink,modesl,esl-lite').split(',') as ClientName[],
  };
}

function shared(bytes: Buffer): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes.length);
  bytes.copy(Buffer.from(sab));
  return sab;
}

class StreamServer {
  private readonly worker: Worker;
  private readonly waiters: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
  port = 0;
  sentAt: number | undefined;
  connections = 0;

  constructor(streams: Record<string, SharedArrayBuffer>) {
    this.worker = new Worker(new URL('./stream-server.js', import.meta.url), { workerData: { streams } });
    this.worker.on('message', (m: Record<string, unknown>) => {
      if (m['type'] === 'sent') this.sentAt = performance.now();
      if (m['type'] === 'connection') this.connections++;
      const i = this.waiters.findIndex((w) => w.type === m['type']);
      if (i !== -1) this.waiters.splice(i, 1)[0]!.resolve(m);
    });
  }

  next(type: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  async use(format: Format): Promise<void> {
    const ready = this.next('ready');
    this.sentAt = undefined;
    this.connections = 0;
    this.worker.postMessage({ type: 'use', format });
    await ready;
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await this.worker.terminate();
  }
}

async function runOnce(server: StreamServer, name: ClientName, stream: EventStream): Promise<Run> {
  await server.use(stream.format);
  const client = startClient(name, stream.format, server.port, stream.uuids);
  const began = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { tally } = client;
    if (tally.intact >= stream.count) break;
    const now = performance.now();
    if (server.sentAt !== undefined && now - Math.max(server.sentAt, tally.lastAt) > IDLE_AFTER_SENT_MS) break;
    if (now - began > RUN_LIMIT_MS) break;
  }
  await client.stop();
  const { delivered, intact, duplicates, firstAt, lastAt } = client.tally;
  const seconds = Math.max(lastAt - firstAt, 1e-3) / 1_000;
  const bytes = (stream.bytes.length * intact) / stream.count;
  (globalThis as { gc?: () => void }).gc?.();
  return {
    delivered,
    intact,
    duplicates,
    connections: server.connections,
    // Counted on intact events: a lost or mangled event is not throughput.
    eventsPerSecond: Math.max(intact - 1, 0) / seconds,
    megabytesPerSecond: bytes / seconds / 1e6,
  };
}

function inProcess(stream: EventStream): Run {
  const framer = new EslFramer();
  let delivered = 0;
  let intact = 0;
  const chunk = 64 * 1024;
  const began = performance.now();
  for (let offset = 0; offset < stream.bytes.length; offset += chunk) {
    framer.push(stream.bytes.subarray(offset, offset + chunk), (frame) => {
      const message = decodeFrame(frame);
      if (message.kind !== 'event') return;
      delivered++;
      if (stream.uuids[Number(message.event.headers['Event-Sequence']) - 1] === message.event.headers['Unique-ID']) intact++;
    });
  }
  const seconds = (performance.now() - began) / 1_000;
  return { delivered, intact, duplicates: 0, connections: 0, eventsPerSecond: delivered / seconds, megabytesPerSecond: stream.bytes.length / seconds / 1e6 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function row(label: string, runs: Run[], count: number): string {
  const eps = median(runs.map((r) => r.eventsPerSecond));
  const mbs = median(runs.map((r) => r.megabytesPerSecond));
  const worst = runs.reduce((a, b) => (b.intact < a.intact ? b : a));
  const reconnects = Math.max(...runs.map((r) => r.connections)) - 1;
  let note = worst.intact === count ? 'all intact' : `LOST: worst run ${worst.intact} of ${count} intact (${worst.delivered} delivered, ${worst.duplicates} duplicates)`;
  if (reconnects > 0) note += `; reconnected ${reconnects}x`;
  return `${label.padEnd(34)} ${Math.round(eps).toLocaleString('en-US').padStart(10)} ev/s ${mbs.toFixed(1).padStart(8)} MB/s   ${note}`;
}

async function main(): Promise<void> {
  const opts = options();
  console.log(`ESL parse benchmark: ${opts.events.toLocaleString('en-US')} events, median of ${opts.runs} runs, node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'})`);
  const templates = loadTemplates();
  const streams = { json: buildStream('json', opts.events, templates, 1), plain: buildStream('plain', opts.events, templates, 2) };
  for (const s of Object.values(streams)) {
    console.log(
      `  ${s.format.padEnd(5)} stream: ${(s.bytes.length / 1e6).toFixed(1)} MB, ${Math.round(s.bytes.length / s.count)} bytes/event, ` +
        `${s.averageHeaders.toFixed(0)} headers/event on average (${templates.length} templates from the captures)`,
    );
  }
  console.log('  transport: real TCP on 127.0.0.1, the stream written by a worker thread\n');

  const results: string[] = [];
  let failed = false;
  const rates = new Map<string, number>();
  for (const format of ['json', 'plain'] as const) {
    const runs = Array.from({ length: opts.runs }, () => inProcess(streams[format]));
    results.push(row(`polylink framer+decode, in-process (${format})`, runs, opts.events));
  }

  const server = new StreamServer({ json: shared(streams.json.bytes), plain: shared(streams.plain.bytes) });
  server.port = Number((await server.next('listening'))['port']);
  const cases: Array<[ClientName, Format]> = (
    [
      ['polylink', 'json'],
      ['modesl', 'json'],
      ['esl-lite', 'json'],
      ['polylink', 'plain'],
      ['modesl', 'plain'],
    ] as Array<[ClientName, Format]>
  ).filter(([name]) => opts.clients.includes(name));
  // Round-robin: run 1 of every client, then run 2 of every client…, so that load
  // from elsewhere on the machine falls on all clients alike.
  const runs = new Map<string, Run[]>(cases.map(([name, format]) => [`${name}/${format}`, []]));
  for (let i = 0; i < opts.runs; i++) {
    for (const [name, format] of cases) {
      const run = await runOnce(server, name, streams[format]);
      runs.get(`${name}/${format}`)!.push(run);
      console.log(`  run ${i + 1}/${opts.runs} ${`${name} (${format})`.padEnd(18)} ${Math.round(run.eventsPerSecond).toLocaleString('en-US').padStart(8)} ev/s, ${run.intact} intact`);
    }
  }
  for (const [name, format] of cases) {
    const list = runs.get(`${name}/${format}`)!;
    results.push(row(`${name} (${format}) over TCP`, list, opts.events));
    rates.set(`${name}/${format}`, median(list.map((r) => r.eventsPerSecond)));
    if (name === 'polylink' && list.some((r) => r.intact !== opts.events)) failed = true;
  }
  await server.close();

  console.log('\n' + results.join('\n'));
  const ours = rates.get('polylink/json');
  const theirs = rates.get('modesl/json');
  if (ours !== undefined && theirs !== undefined) {
    console.log(`\npolylink json / modesl json = ${(ours / theirs).toFixed(2)}x (target: at least 2x)`);
  }
  if (failed) {
    console.error('polylink lost or mis-parsed events');
    process.exitCode = 1;
  }
}

await main();
