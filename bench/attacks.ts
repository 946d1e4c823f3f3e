/**
 * Attack benchmark (issue 15, attacks 1 and 4, faults 8): polylink in-process on its
 * simulator with agents signed in (a worker thread), an attacker in another worker:
 *
 * 1. what each message of the attack set costs the codec (before the server starts);
 * 2. the attack set over TCP, WebSocket and cti.json, each several times: the answer or
 *    close the attacker saw and how long it took, polylink's longest event-loop stall
 *    during it, the heap before and after the set, and the signed-in agents' heartbeat
 *    round trips meanwhile;
 * 3. 400 connections from one address, then wrong passwords from another, all at once,
 *    then the right one from a third;
 * 4. bars that stop reading while events for them pile up: polylink's memory while it
 *    cuts them off.
 *
 * Prints the figures and writes bench/results/attacks.json.
 *
 *   npm run bench:attacks
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { decodeTimes } from './attacks/decode-times.js';
import type { AttackRun, BystanderReport, Command, Report, SigninFlood } from './attacks/messages.js';
import { printReport, type AttackFigure, type Results } from './attacks/report.js';
import { startBenchServer } from './attacks/server.js';
import { CONTROL } from '../test/helpers/attack-payloads.js';
import { summarize } from './acd/stats.js';
import { machine, writeResults } from './results-file.js';
import { agentEvent } from '../src/core/agent-event.js';

const MB = 1024 * 1024;
const REPEAT = 5;
const SLOW_READERS = 10;
const BYSTANDERS = ['1011', '1012', '1013', '1014', '1015', '1016'];
const progress = (text: string): void => void process.stderr.write(`[attacks] ${text}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:attacks does)');

/** A customer's update to the agents of its queue (~600 bytes of XML), as the ACD sends many. */
function queueEvent(at: number): ReturnType<typeof agentEvent> {
  return agentEvent('UpdateCustomerOfQueueEvent', at, {
    queueNum: '630',
    customer_list: Array.from({ length: 4 }, (_, i) => ({ customerNum: `1380013800${i}`, enterTime: '2026-11-21 10:00:00', status: 'waiting', relation_uuid: `0f8fad5b-d9cb-469f-a165-70867728950${i}` })),
  });
}

function heapMB(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / MB;
}

progress('codec: each attack decoded 50 times after 20 warm-up runs');
const decode = decodeTimes();

const bench = await startBenchServer();
const { tcpPort, httpPort } = bench.server;
const inbox: Report[] = [];
let wake: (() => void) | undefined;
const attacker = new Worker(new URL('./attacks/attacker.js', import.meta.url), { workerData: { tcpPort, httpPort } });
const bystanders = new Worker(new URL('./attacks/bystanders.js', import.meta.url), { workerData: { tcpPort, httpPort, agents: BYSTANDERS } });
const bystanderReports: BystanderReport[] = [];
let bystanderWake: (() => void) | undefined;
bystanders.on('message', (m: BystanderReport) => {
  bystanderReports.push(m);
  bystanderWake?.();
});
for (const w of [attacker, bystanders]) w.on('error', (err) => (progress(`worker failed: ${String(err)}`), process.exit(1)));

/**
 * While one attack is under way: polylink's longest stall (the event loop's delay,
 * sampled every ms) and the time its thread ran (event-loop utilisation). On a shared
 * 2-core machine the stall also holds time the thread was not given the CPU.
 */
const stall = monitorEventLoopDelay({ resolution: 1 });
let utilisation = performance.eventLoopUtilization();
let measured = { stallMs: 0, busyMs: 0 };
attacker.on('message', (r: Report) => {
  if (r.kind === 'attack-ready') {
    gc!();
    stall.reset();
    stall.enable();
    utilisation = performance.eventLoopUtilization();
    send({ cmd: 'go' });
  } else if (r.kind === 'attack-answered') {
    stall.disable();
    measured = { stallMs: Math.max(0, stall.max / 1e6 - 1), busyMs: performance.eventLoopUtilization(utilisation).active };
  } else if (r.kind === 'attack-end') {
    figures.push({ ...r.run, ...measured });
  }
  inbox.push(r);
  wake?.();
});
const figures: (AttackRun & { stallMs: number; busyMs: number })[] = [];

async function next<K extends Report['kind']>(kind: K): Promise<Extract<Report, { kind: K }>> {
  for (;;) {
    const at = inbox.findIndex((r) => r.kind === kind);
    if (at !== -1) return inbox.splice(at, 1)[0] as Extract<Report, { kind: K }>;
    await new Promise<void>((r) => (wake = r));
  }
}
async function bystanderLatencies(): Promise<{ ms: readonly number[]; failures: number }> {
  const before = bystanderReports.length;
  bystanders.postMessage('report');
  while (bystanderReports.length === before) await new Promise<void>((r) => (bystanderWake = r));
  const r = bystanderReports[bystanderReports.length - 1]!;
  if (r.kind !== 'latencies') throw new Error('unexpected bystander report');
  return r;
}
const send = (c: Command): void => attacker.postMessage(c);

try {
  while (!bystanderReports.some((r) => r.kind === 'ready')) await new Promise<void>((r) => (bystanderWake = r));
  await bystanderLatencies();
  const heapBefore = heapMB();
  progress(`attack set: ${REPEAT} times over TCP, WebSocket and cti.json, ${BYSTANDERS.length} agents signed in`);
  send({ cmd: 'attacks', repeat: REPEAT });
  await next('attacks-done');
  const during = await bystanderLatencies();
  const heapAfter = heapMB();

  progress('sign-in flood: 400 connections from one address, 80 wrong passwords from another at once');
  send({ cmd: 'signin-flood', connections: 400, guesses: 80 });
  const flood: SigninFlood = (await next('signin-flood')).result;

  progress(`slow readers: ${SLOW_READERS} bars stop reading while events for them pile up`);
  const slowBefore = heapMB();
  send({ cmd: 'slow-readers', readers: SLOW_READERS });
  await next('slow-readers-waiting');
  // Events as the core sends them (the engine's 'send' effect), 50 per bar every 10 ms,
  // while polylink's memory (after a collection) is looked at every 100 ms.
  const readers = Array.from({ length: SLOW_READERS }, (_, i) => String(1001 + i));
  let events = 0;
  const pile = setInterval(() => {
    const event = queueEvent(bench.server.engine.clock.now());
    bench.server.engine.run(readers.flatMap((agentId) => Array.from({ length: 50 }, () => ({ type: 'send' as const, agentId, event }))));
    events += 50 * readers.length;
  }, 10);
  let peak = 0;
  const cutOffKey = 'warn [agent-connection] peer is not reading; closing';
  const slowStart = performance.now();
  while ((bench.logs.counts.get(cutOffKey) ?? 0) < SLOW_READERS && performance.now() - slowStart < 60_000) {
    peak = Math.max(peak, heapMB());
    await new Promise((r) => setTimeout(r, 100));
  }
  const slowCutOffMs = performance.now() - slowStart;
  clearInterval(pile);
  send({ cmd: 'stop-slow-readers' });
  await next('slow-readers-done');
  await new Promise((r) => setTimeout(r, 1500));
  const slowAfter = heapMB();
  const afterAll = await bystanderLatencies();

  const attacks: AttackFigure[] = [];
  for (const name of new Set(figures.map((f) => f.name))) {
    for (const transport of ['tcp', 'ws-xml', 'ws-json'] as const) {
      const runs = figures.filter((f) => f.name === name && f.transport === transport);
      if (runs.length === 0) continue;
      attacks.push({
        name,
        transport,
        outcomes: [...new Set(runs.map((r) => r.outcome))],
        closed: runs.every((r) => r.closed),
        roundTripMs: summarize(runs.map((r) => r.ms))!,
        stallMs: summarize(runs.map((r) => r.stallMs))!,
        busyMs: summarize(runs.map((r) => r.busyMs))!,
      });
    }
  }
  const maxUnreadMB = bench.config.agent.maxUnreadBytes / MB;
  const results: Results = {
    machine: machine(),
    decode,
    attacks,
    memory: { beforeMB: heapBefore, afterMB: heapAfter, growthMB: heapAfter - heapBefore },
    bystanders: {
      agents: BYSTANDERS.length,
      duringAttacks: summarize(during.ms),
      failures: during.failures + afterAll.failures,
    },
    signinFlood: flood,
    slowReaders: {
      readers: SLOW_READERS,
      maxUnreadMB,
      events,
      cutOff: bench.logs.counts.get(cutOffKey) ?? 0,
      cutOffMs: slowCutOffMs,
      beforeMB: slowBefore,
      peakMB: peak,
      afterMB: slowAfter,
    },
    targets: { decodeMs: 10, busyBeyondBaselineMs: 10, memoryGrowthMB: 20 },
    log: Object.fromEntries(bench.logs.counts),
  };
  // polylink's own work for an attack: its busy time beyond the ordinary request's on the same transport.
  const baseline = (transport: AttackFigure['transport']): number => attacks.find((a) => a.name === CONTROL.name && a.transport === transport)?.busyMs.p50 ?? 0;
  const passed =
    decode.every((d) => d.now.p90 <= 10) &&
    attacks.every((a) => a.busyMs.p50 - baseline(a.transport) <= 10) &&
    results.memory.growthMB < 20 &&
    results.bystanders.failures === 0 &&
    results.slowReaders.cutOff === SLOW_READERS &&
    results.slowReaders.peakMB - results.slowReaders.beforeMB < SLOW_READERS * maxUnreadMB * 2 + 20;
  console.log(printReport(results, passed));
  const path = writeResults('attacks', { ...results, passed });
  progress(`written: ${path}`);
  if (!passed) process.exitCode = 1;
} finally {
  attacker.terminate();
  bystanders.postMessage('stop');
  await bystanders.terminate();
  await bench.close();
}
