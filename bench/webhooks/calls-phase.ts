/**
 * Webhooks under calls, on the load harness's pieces (bench/load/stage.ts): polylink as an
 * operator runs it (the build's CLI, a child process) with two targets (seed001 and
 * seed003, every event) on local receivers (a worker thread of this process), the
 * simulated FreeSWITCH in a process of its own placing `rate` customers a second, the N
 * agents' bars in another. Four windows: steady (fact → receiver's 2xx latency), outage
 * (the receivers refuse connections; the backlog grows on disk), drain (the receivers are
 * back: how fast the backlog is delivered, in order), after (calls once the backlog is
 * delivered). In each window, calls are measured the harness's way: the switch's
 * CHANNEL_PARK of a customer with a free agent → the CallInEvent read by that agent's bar
 * (bench/load/analysis/latencies.ts), with polylink's event loop from its probe. Each
 * window records the machine's load average at its end: the machine is shared.
 */
import { loadavg } from 'node:os';
import { wallMicroseconds } from '../../src/simulator/core/wall-clock.js';
import type { CustomerRecord } from '../../src/simulator/load/call-timeline.js';
import type { Summary } from '../acd/stats.js';
import { freeAtPark, latencies } from '../load/analysis/latencies.js';
import { timelines } from '../load/analysis/timelines.js';
import { logLines } from '../load/child.js';
import { readProbe } from '../load/monitor.js';
import type { HarnessOptions } from '../load/options.js';
import { countLog } from '../load/run-calls.js';
import { SCENARIOS } from '../load/scenarios.js';
import { progress, withStage, type Stage } from '../load/stage.js';
import { customers as customersOf, loadState, startLoad } from '../load/switch-nodes.js';
import type { WebhookBenchOptions } from './options.js';
import { Receivers } from './receivers.js';
import { summary } from './stats.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const loadAverage = (): number => Number(loadavg()[0]!.toFixed(2));

/** polylink's main thread in a window, from its probe (bench/load/polylink-probe.ts): mean busy share, worst second's delay. */
export interface LoopFigures {
  readonly utilisation: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  readonly rssMaxMB: number;
}

/** Calls in a window: park → CallInEvent read (customers with a free agent), the customers who waited, polylink's loop. */
export interface CallFigures {
  readonly parkToCallInMs: Summary | undefined;
  readonly placed: number;
  readonly waitedForAgent: number;
  readonly loop: LoopFigures | undefined;
  readonly loadAverage: number;
}

export interface CallsResult {
  readonly pushesPerCall: number;
  readonly steady: CallFigures & { readonly latencyMs: ReturnType<typeof summary>; readonly perTarget: Record<string, ReturnType<typeof summary>>; readonly pushesPerSecond: number };
  readonly outage: CallFigures & { readonly seconds: number; readonly backlogAtEnd: number; readonly oldestAgeSecondsAtEnd: number | null };
  readonly drain: CallFigures & {
    readonly seconds: number;
    readonly drained: boolean;
    readonly delivered: number;
    readonly pushesPerSecond: number;
    readonly outOfOrder: number;
    readonly duplicates: number;
    readonly idChanged: number;
  };
  /** Calls once the backlog is delivered: the same figures as in steady. */
  readonly after: CallFigures & { readonly seconds: number };
  readonly callsPlaced: number;
  readonly callsUnserved: number;
  /** polylink's warnings and errors while the load ran, counted by message. */
  readonly warnings: Record<string, number>;
}

interface WebhookHealth {
  readonly backlog: number;
  readonly oldestAgeSeconds: number | null;
}

async function webhookHealth(httpPort: number): Promise<WebhookHealth> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/health`, { signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as { webhooks: WebhookHealth }).webhooks;
}

/** The harness's options for this bench: its organisation and load, polylink's webhooks section. */
function harnessOptions(o: WebhookBenchOptions, resultsDir: string, ports: Record<string, number>): HarnessOptions {
  const seconds = o.steadySeconds + o.outageSeconds + o.drainLimitSeconds + o.afterSeconds;
  return {
    scenario: { ...SCENARIOS.small, agents: o.agents, queues: o.queues, supervisors: 0, rate: o.rate, seconds, talkMs: o.talkMs, answerMs: o.answerMs, wrapUpSeconds: 0, breaksPerAgentPerHour: 0, targets: [] },
    changed: [],
    nodes: 1,
    profile: o.profile,
    profileSwitch: false,
    resultsDir,
    barWorkers: 2,
    keep: o.keep,
    queueEvents: 'asked',
    profileName: 'webhooks',
    polylinkConfig: {
      // Warnings and errors: the journal of 100 calls/s is not what this bench measures.
      log: { level: 'warn' },
      webhooks: {
        mac: '68:69:2e:03:8b:3e',
        // A refused connection is retried within a second once the receiver is back; with tries
        // that often, enough of them that no head of a lane dies during the outage (≥ 2 tries a second).
        maxDelayMs: 1000,
        maxAttempts: Math.min(1000, 2 * (o.outageSeconds + 60)),
        ...(Object.keys(o.pace).length === 0 ? {} : { pace: o.pace }),
        targets: [
          { id: 'legacy', url: `http://127.0.0.1:${ports['legacy']}/hook`, format: 'seed001', events: 'all', secret: 'bench-secret-seed001', timeoutMs: 5000 },
          { id: 'crm', url: `http://127.0.0.1:${ports['crm']}/hook`, format: 'seed003', events: 'all', secret: 'bench-secret-seed003', timeoutMs: 5000 },
        ],
      },
    },
  };
}

/** `build`: the repository whose dist/ runs (polylink's CLI, the simulator, the bars). */
export async function callsPhase(o: WebhookBenchOptions, build: string, resultsDir: string): Promise<CallsResult> {
  const receivers = new Receivers(['legacy', 'crm']);
  try {
    const ports = await receivers.up();
    return await withStage(harnessOptions(o, resultsDir, ports), build, (stage) => underLoad(stage, o, receivers));
  } finally {
    await receivers.stop();
  }
}

async function underLoad(stage: Stage, o: WebhookBenchOptions, receivers: Receivers): Promise<CallsResult> {
  const { org, bars } = stage;
  const node = stage.nodes[0]!;
  const health = (): Promise<WebhookHealth> => webhookHealth(stage.ports.http);
  progress(`signing in ${org.agents.length} agents…`);
  const signIn = (await bars.command<'signed-in'>({ type: 'sign-in', who: 'agents', mode: { kind: 'window', window: 32 }, timeoutMs: 120_000 })).result;
  if (signIn.ok < signIn.attempted) throw new Error(`sign-ins failed: ${signIn.failed.slice(0, 3).join('; ')}`);
  // The sign-ins' pushes are delivered before the load starts.
  while ((await health()).backlog > 0) await sleep(200);

  await bars.command({ type: 'load', on: true });
  const loadStartUs = wallMicroseconds();
  const s = stage.options.scenario;
  await startLoad(node, { callsPerSecond: o.rate, seconds: s.seconds, accessNumbers: org.queues.map((q) => q.accessNumber), talkMs: o.talkMs, patienceMs: s.patienceSeconds * 1000, callerPrefix: '1300' });
  const tick = setInterval(() => {
    void Promise.all([loadState(node), health()])
      .then(([l, h]) => progress(`placed ${l.placed}, on the line ${l.live}; backlog ${h.backlog}, oldest ${h.oldestAgeSeconds ?? 0} s; load average ${loadAverage()}`))
      .catch(() => undefined);
  }, 10_000);
  try {
    // Steady: latencies of what is delivered in the window (after a first 5 s to settle).
    await sleep(5000);
    await receivers.window();
    const before = await receivers.stats();
    const steadyFrom = wallMicroseconds();
    await sleep((o.steadySeconds - 5) * 1000);
    const steadyTo = wallMicroseconds();
    const steadyLoad = loadAverage();
    const atSteadyEnd = await receivers.stats();
    const perTarget = Object.fromEntries(Object.entries(atSteadyEnd).map(([k, v]) => [k, summary(v.latencies)]));
    const steadyLatencies = Object.values(atSteadyEnd).flatMap((v) => v.latencies);
    const steadyDelivered = Object.keys(atSteadyEnd).reduce((n, k) => n + atSteadyEnd[k]!.delivered - before[k]!.delivered, 0);
    const steadySeconds = (steadyTo - steadyFrom) / 1e6;
    progress(`steady: p99 ${perTarget['crm']?.p99} / ${perTarget['legacy']?.p99} ms, ${Math.round(steadyDelivered / steadySeconds)} pushes/s`);

    // Outage.
    await receivers.down();
    progress(`receivers down for ${o.outageSeconds} s`);
    const outageFrom = wallMicroseconds();
    await sleep(o.outageSeconds * 1000);
    const outageTo = wallMicroseconds();
    const outageLoad = loadAverage();
    const atOutageEnd = await health();
    progress(`backlog after the outage: ${atOutageEnd.backlog} (oldest ${atOutageEnd.oldestAgeSeconds} s)`);

    // Drain.
    const beforeDrain = await receivers.stats();
    await receivers.up();
    await receivers.window();
    const drainFrom = wallMicroseconds();
    // Drained: the backlog is back to what steady delivery leaves waiting (a few hundred at most).
    const caughtUp = Math.max(200, o.rate * 3);
    // Drained when a look saw it caught up; a second look could find the next pushes (written at the load's rate) already waiting.
    let drainedAtEnd = false;
    while (!(drainedAtEnd = (await health()).backlog <= caughtUp) && wallMicroseconds() - drainFrom < o.drainLimitSeconds * 1e6) await sleep(100);
    const drainTo = wallMicroseconds();
    const drainLoad = loadAverage();
    const afterDrain = await receivers.stats();
    const delivered = Object.keys(afterDrain).reduce((n, k) => n + afterDrain[k]!.delivered - beforeDrain[k]!.delivered, 0);
    const drainSeconds = (drainTo - drainFrom) / 1e6;
    progress(`drain: ${delivered} pushes in ${drainSeconds.toFixed(1)} s; ${o.afterSeconds} s of calls after it`);

    // After: the calls once the backlog is delivered.
    const afterFrom = wallMicroseconds();
    await sleep(o.afterSeconds * 1000);
    const afterTo = wallMicroseconds();
    const afterLoad = loadAverage();
    clearInterval(tick);

    // The last customers' CallInEvents are read; then the switch's and the bars' records.
    await bars.command({ type: 'load', on: false });
    await sleep(3000);
    const customers = await customersOf(node);
    const state = await loadState(node);
    const { records } = await bars.command<'records'>({ type: 'collect' });
    await node.control('DELETE', '/simulator/load');
    const warnings = countLog(logLines(stage.polylink.logFile).filter((l) => Number(l['time']) >= loadStartUs / 1000));

    const t = timelines(records);
    const free = freeAtPark(customers, org, t, loadStartUs);
    const probe = readProbe(stage.probeFile);
    const calls = (from: number, to: number, load: number): CallFigures => {
      const inWindow = customers.map((c, i) => [c, i] as const).filter(([c]) => c.parkUs !== undefined && c.parkUs >= from && c.parkUs < to);
      const lat = latencies(
        inWindow.map(([c]) => c),
        inWindow.map(([, i]) => free[i]!),
        t,
        records.fans,
      );
      return { parkToCallInMs: lat.pairs.parkToCallIn, placed: inWindow.length, waitedForAgent: lat.waited, loop: loopOf(probe, from / 1000, to / 1000), loadAverage: load };
    };
    const steadyCalls = calls(steadyFrom, steadyTo, steadyLoad);
    const bridgedInSteady = customers.filter((c: CustomerRecord) => c.bridgeUs !== undefined && c.bridgeUs >= steadyFrom && c.bridgeUs < steadyTo).length;
    return {
      pushesPerCall: Number((steadyDelivered / Math.max(1, bridgedInSteady)).toFixed(1)),
      steady: { ...steadyCalls, latencyMs: summary(steadyLatencies), perTarget, pushesPerSecond: Math.round(steadyDelivered / steadySeconds) },
      outage: { ...calls(outageFrom, outageTo, outageLoad), seconds: o.outageSeconds, backlogAtEnd: atOutageEnd.backlog, oldestAgeSecondsAtEnd: atOutageEnd.oldestAgeSeconds },
      drain: {
        ...calls(drainFrom, drainTo, drainLoad),
        seconds: Number(drainSeconds.toFixed(1)),
        drained: drainedAtEnd,
        delivered,
        pushesPerSecond: Math.round(delivered / drainSeconds),
        outOfOrder: Object.values(afterDrain).reduce((n, v) => n + v.outOfOrder, 0),
        duplicates: Object.values(afterDrain).reduce((n, v) => n + v.duplicates, 0),
        idChanged: Object.values(afterDrain).reduce((n, v) => n + v.idChanged, 0),
      },
      after: { ...calls(afterFrom, afterTo, afterLoad), seconds: o.afterSeconds },
      callsPlaced: state.placed,
      callsUnserved: state.unserved,
      warnings,
    };
  } finally {
    clearInterval(tick);
  }
}

function loopOf(probe: ReturnType<typeof readProbe>, fromMs: number, toMs: number): LoopFigures | undefined {
  const mine = probe.filter((p) => p.t >= fromMs && p.t < toMs);
  if (mine.length === 0) return undefined;
  return {
    utilisation: Number((mine.reduce((n, p) => n + p.utilisation, 0) / mine.length).toFixed(3)),
    delayP99Ms: Number(Math.max(...mine.map((p) => p.delayP99Ms)).toFixed(1)),
    delayMaxMs: Number(Math.max(...mine.map((p) => p.delayMaxMs)).toFixed(1)),
    rssMaxMB: Math.round(Math.max(...mine.map((p) => p.rssMB))),
  };
}
