/**
 * ESL parse benchmark: 100,000 realistic events (bench/event-stream.ts) written
 * through a real local TCP socket by a worker thread (bench/stream-server.ts) into
 * polylink's client, modesl (json and plain) and esl-lite (json). Prints events/s
 * and MB/s, medians of 5 runs, and how many events each client delivered intact, and
 * writes them to bench/results/esl-parse.json. Also measures, in the same rounds, the
 * ceiling: JSON.parse alone on each body located in advance (no framing, no socket),
 * and polylink's framer + decoder in-process. Runs are interleaved across clients so
 * that other load on the machine hits them alike.
 *
 *   npm run bench:esl -- [--events=100000] [--runs=5] [--clients=polylink,modesl,esl-lite]
 */
import { loadavg } from 'node:os';
import { decodeFrame } from '../src/esl/event.js';
import { EslFramer } from '../src/esl/framer.js';
import { type ClientName, startClient } from './clients.js';
import { type EventStream, type Format, buildStream, loadTemplates } from './event-stream.js';
import { machine, writeResults } from './results-file.js';
import { StreamServer, shared } from './stream-server-handle.js';

/** The issue's goals for polylink json over TCP. */
const TARGET_EVENTS_PER_SECOND = 90_000;
const TARGET_RATIO_TO_MODESL = 2.5;

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

/** Where each event's body lies in the stream, found once, outside any timing. */
function bodyOffsets(stream: EventStream): Array<[number, number]> {
  const offsets: Array<[number, number]> = [];
  new EslFramer({ maxBodyBytes: stream.bytes.length }).push(stream.bytes, (frame) => {
    if (frame.body !== undefined) offsets.push([frame.body.byteOffset - stream.bytes.byteOffset, frame.body.byteOffset - stream.bytes.byteOffset + frame.body.length]);
  });
  return offsets;
}

/** The ceiling: each body turned into a string and given to JSON.parse, nothing else. */
function jsonParseOnly(stream: EventStream, offsets: ReadonlyArray<[number, number]>): Run {
  let intact = 0;
  const began = performance.now();
  for (const [start, end] of offsets) {
    const headers = JSON.parse(stream.bytes.toString('latin1', start, end)) as Record<string, string>;
    if (stream.uuids[Number(headers['Event-Sequence']) - 1] === headers['Unique-ID']) intact++;
  }
  const seconds = (performance.now() - began) / 1_000;
  return { delivered: offsets.length, intact, duplicates: 0, connections: 0, eventsPerSecond: offsets.length / seconds, megabytesPerSecond: stream.bytes.length / seconds / 1e6 };
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
  return `${label.padEnd(52)} ${Math.round(eps).toLocaleString('en-US').padStart(10)} ev/s ${mbs.toFixed(1).padStart(8)} MB/s   ${note}`;
}

function summary(runs: Run[], count: number): Record<string, unknown> {
  return {
    eventsPerSecond: Math.round(median(runs.map((r) => r.eventsPerSecond))),
    megabytesPerSecond: Number(median(runs.map((r) => r.megabytesPerSecond)).toFixed(1)),
    runs: runs.map((r) => Math.round(r.eventsPerSecond)),
    allIntact: runs.every((r) => r.intact === count),
    worstIntact: Math.min(...runs.map((r) => r.intact)),
    reconnects: Math.max(0, ...runs.map((r) => r.connections - 1)),
  };
}

async function main(): Promise<void> {
  const opts = options();
  const load = [loadavg()[0] ?? 0];
  console.log(`ESL parse benchmark: ${opts.events.toLocaleString('en-US')} events, median of ${opts.runs} runs, node ${process.version}, ${machine().cpus} CPU(s) (${machine().cpuModel}), load average ${load[0]!.toFixed(2)}`);
  const templates = loadTemplates();
  const streams = { json: buildStream('json', opts.events, templates, 1), plain: buildStream('plain', opts.events, templates, 2) };
  for (const s of Object.values(streams)) {
    console.log(
      `  ${s.format.padEnd(5)} stream: ${(s.bytes.length / 1e6).toFixed(1)} MB, ${Math.round(s.bytes.length / s.count)} bytes/event, ` +
        `${s.averageHeaders.toFixed(0)} headers/event on average (${templates.length} templates from the captures)`,
    );
  }
  console.log('  transport: real TCP on 127.0.0.1, the stream written by a worker thread\n');
  const offsets = bodyOffsets(streams.json);

  const server = await StreamServer.start({ json: shared(streams.json.bytes), plain: shared(streams.plain.bytes) });
  const cases: Array<[ClientName, Format]> = (
    [
      ['polylink', 'json'],
      ['modesl', 'json'],
      ['esl-lite', 'json'],
      ['polylink', 'plain'],
      ['modesl', 'plain'],
    ] as Array<[ClientName, Format]>
  ).filter(([name]) => opts.clients.includes(name));
  // Round-robin: in each round the in-process measures, then one run of every client,
  // so that load from elsewhere on the machine falls on all of them alike.
  const runs = new Map<string, Run[]>([
    ['ceiling/json', []],
    ['in-process/json', []],
    ['in-process/plain', []],
    ...cases.map(([name, format]): [string, Run[]] => [`${name}/${format}`, []]),
  ]);
  for (let i = 0; i < opts.runs; i++) {
    runs.get('ceiling/json')!.push(jsonParseOnly(streams.json, offsets));
    runs.get('in-process/json')!.push(inProcess(streams.json));
    runs.get('in-process/plain')!.push(inProcess(streams.plain));
    for (const [name, format] of cases) {
      const run = await runOnce(server, name, streams[format]);
      runs.get(`${name}/${format}`)!.push(run);
      console.log(`  run ${i + 1}/${opts.runs} ${`${name} (${format})`.padEnd(18)} ${Math.round(run.eventsPerSecond).toLocaleString('en-US').padStart(8)} ev/s, ${run.intact} intact`);
    }
    load.push(loadavg()[0] ?? 0);
  }
  await server.close();

  const rate = (key: string) => median(runs.get(key)?.map((r) => r.eventsPerSecond) ?? [NaN]);
  const labels: Record<string, string> = {
    'ceiling/json': 'JSON.parse alone, bodies located in advance (json)',
    'in-process/json': 'polylink framer+decode, in-process (json)',
    'in-process/plain': 'polylink framer+decode, in-process (plain)',
  };
  const lines: string[] = [];
  for (const [key, list] of runs) {
    if (list.length === 0) continue;
    lines.push(row(labels[key] ?? `${key.replace('/', ' (')}) over TCP`, list, opts.events));
  }
  console.log('\n' + lines.join('\n'));

  const ours = rate('polylink/json');
  const ratio = ours / rate('modesl/json');
  const ratioPlain = rate('polylink/plain') / rate('modesl/plain');
  const lostOrMangled = cases.some(([name, format]) => name === 'polylink' && runs.get(`${name}/${format}`)!.some((r) => r.intact !== opts.events));
  const passed = !lostOrMangled && ours >= TARGET_EVENTS_PER_SECOND && ratio >= TARGET_RATIO_TO_MODESL;
  console.log(
    `\npolylink json over TCP: ${Math.round(ours).toLocaleString('en-US')} ev/s (target ${TARGET_EVENTS_PER_SECOND.toLocaleString('en-US')}), ` +
      `${ratio.toFixed(2)}x modesl json (target ${TARGET_RATIO_TO_MODESL}x), ${(ours / rate('ceiling/json') * 100).toFixed(0)} % of the JSON.parse ceiling; ` +
      `plain ${ratioPlain.toFixed(2)}x modesl plain; load average ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}`,
  );
  const path = writeResults('esl-parse', {
    machine: { ...machine(), loadAverage: { min: Number(Math.min(...load).toFixed(2)), max: Number(Math.max(...load).toFixed(2)) } },
    events: opts.events,
    runs: opts.runs,
    bytesPerEvent: { json: Math.round(streams.json.bytes.length / opts.events), plain: Math.round(streams.plain.bytes.length / opts.events) },
    results: Object.fromEntries([...runs].filter(([, list]) => list.length > 0).map(([key, list]) => [key, summary(list, opts.events)])),
    ratios: { polylinkJsonToModeslJson: Number(ratio.toFixed(2)), polylinkPlainToModeslPlain: Number(ratioPlain.toFixed(2)), polylinkJsonToCeiling: Number((ours / rate('ceiling/json')).toFixed(2)) },
    targets: { polylinkJsonEventsPerSecond: TARGET_EVENTS_PER_SECOND, ratioToModeslJson: TARGET_RATIO_TO_MODESL, eventsLostOrMisparsed: 0 },
    passed,
  });
  console.log(`figures written to ${path}`);
  if (lostOrMangled) {
    console.error('polylink lost or mis-parsed events');
    process.exitCode = 1;
  }
}

await main();
