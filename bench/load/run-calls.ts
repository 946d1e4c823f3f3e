/**
 * A calls scenario (small, large, soak): supervisors and agents sign in, customers call
 * the queues' access numbers at the scenario's rate (placed by the switch nodes
 * themselves), agents take breaks, supervisors watch; then every customer is let finish,
 * the end state is looked at from all sides (bars, polylink, switch, CDRs), and the
 * figures are worked out.
 */
import { wallMicroseconds } from '../../src/simulator/core/wall-clock.js';
import type { CustomerRecord } from '../../src/simulator/load/call-timeline.js';
import { summarize, type Summary } from '../acd/stats.js';
import { findAnomalies } from './analysis/anomalies.js';
import { checkCdrs } from './analysis/cdr.js';
import { freeAtPark, latencies } from './analysis/latencies.js';
import { memoryFigures } from './analysis/memory.js';
import { supervisorCopies } from './analysis/supervisor-copies.js';
import { timelines } from './analysis/timelines.js';
import { logLines } from './child.js';
import { lastProbe } from './monitor.js';
import { type RampFigures, type RunOutcome, signInFigures } from './results.js';
import { agentChannels, customers as customersOf, loopHealth, loadState, startLoad, worstLoops, type LoadState, type LoopHealth } from './switch-nodes.js';
import { progress, type Stage } from './stage.js';
import { CEILING_P99_MS } from './scenarios.js';
import type { Fan } from './bars/recorder.js';
import type { Timelines } from './analysis/timelines.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Another load beside the calls, from a process of its own (bench/http: seed 000's
 * statistics polled over HTTP): started with the load, once everyone is signed in; the
 * arrivals' end waits for its end too, so that it runs beside the calls and not after them.
 */
export interface Beside {
  start(stage: Stage): Promise<void>;
  finished(): Promise<void>;
}

export async function runCalls(stage: Stage, beside?: Beside): Promise<RunOutcome> {
  const { options, org, nodes, bars, monitor } = stage;
  const s = options.scenario;
  progress(`signing in ${org.supervisors.length} supervisors and ${org.agents.length} agents (each a scrypt verification in polylink)…`);
  const supervisors = (await bars.command<'signed-in'>({ type: 'sign-in', who: 'supervisors', mode: { kind: 'window', window: 8 }, timeoutMs: 120_000 })).result;
  const agents = (await bars.command<'signed-in'>({ type: 'sign-in', who: 'agents', mode: { kind: 'window', window: 32 }, timeoutMs: 120_000 })).result;
  progress(`signed in: ${agents.ok} agents in ${(agents.durationMs / 1000).toFixed(1)} s${agents.ok < agents.attempted ? ` (${agents.attempted - agents.ok} NOT: ${agents.failed.join('; ')})` : ''}`);
  await sleep(1000);

  monitor.start();
  const switchLoops: LoopHealth[][] = nodes.map(() => []);
  // Reset the switches' loop figures: what they show from now on is the load.
  await Promise.all(nodes.map(loopHealth));
  await bars.command({ type: 'load', on: true });
  const loadStartUs = wallMicroseconds();
  await beside?.start(stage);
  const states = (): Promise<LoadState[]> => Promise.all(nodes.map(loadState));
  const report = async (): Promise<LoadState[]> => {
    const now = await states();
    (await Promise.all(nodes.map(loopHealth))).forEach((h, i) => switchLoops[i]!.push(h));
    const sum = (k: keyof LoadState): number => now.reduce((n, x) => n + Number(x[k]), 0);
    const p = lastProbe(stage.probeFile);
    progress(
      `t=${((wallMicroseconds() - loadStartUs) / 1e6).toFixed(0)}s placed ${sum('placed')}, bridged ${sum('bridged')}, ended ${sum('ended')}, on the line ${sum('live')}; ` +
        `polylink RSS ${p?.rssMB.toFixed(0) ?? '?'} MB, heap ${p?.heapUsedMB.toFixed(0) ?? '?'} MB, busy ${p === undefined ? '?' : (p.utilisation * 100).toFixed(0)} %; load average ${monitor.loads.at(-1)?.toFixed(2) ?? '?'}`,
    );
    return now;
  };
  // Every customer talks to its end or gives up; bounded, for a polylink that has lost the calls.
  const drain = async (): Promise<number> => {
    const drainLimit = Date.now() + s.patienceSeconds * 1000 + s.talkMs[1] + s.wrapUpSeconds * 1000 + 120_000;
    let left = await states();
    for (let i = 1; left.some((x) => x.live > 0) && Date.now() < drainLimit; i++) {
      await sleep(1000);
      left = i % 10 === 0 ? await report() : await states();
    }
    const stillUp = left.reduce((n, x) => n + x.live, 0);
    if (stillUp > 0) {
      progress(`${stillUp} customers still on the line after the drain: hanging them up`);
      await Promise.all(nodes.map((n) => n.control('DELETE', '/simulator/load')));
    }
    return stillUp;
  };
  // One step at the scenario's rate, or the ramp's rates in turn (the ceiling scenario).
  // A step's customers are read back from the switches before the next step replaces them.
  const steps = s.rampRates ?? [s.rate];
  const perNode: CustomerRecord[][] = nodes.map(() => []);
  const stepOf = new Map<string, number>();
  let customersLeft = 0;
  let arrivalsEndUs = loadStartUs;
  for (const [index, rate] of steps.entries()) {
    const perQueue = rate / org.queues.length;
    await Promise.all(
      nodes.map((node, n) => {
        const queues = org.queues.filter((q) => stage.nodeOfQueue.get(q.num) === node);
        return startLoad(node, {
          callsPerSecond: perQueue * queues.length,
          seconds: s.seconds,
          accessNumbers: queues.map((q) => q.accessNumber),
          talkMs: s.talkMs,
          patienceMs: s.patienceSeconds * 1000,
          // 11 digits, a mobile number as polylink formats it (docs/protocol.md, makeStr); unique per
          // node and step (13…, 14… for the ramp's steps: options.ts allows seven).
          callerPrefix: `1${index + 3}${n}0`,
        });
      }),
    );
    progress(`load: ${rate} calls/s for ${s.seconds} s over ${nodes.length} node(s)${steps.length > 1 ? ` (step ${index + 1} of ${steps.length})` : ''}`);
    let now = await report();
    for (let i = 1; now.some((x) => x.arriving); i++) {
      await sleep(1000);
      now = i % 10 === 0 ? await report() : await states();
    }
    arrivalsEndUs = wallMicroseconds();
    if (index === steps.length - 1) {
      await beside?.finished();
      await bars.command({ type: 'load', on: false });
      await bars.command({ type: 'quiesce' });
    }
    customersLeft += await drain();
    const read = await Promise.all(nodes.map(customersOf));
    read.forEach((list, n) => {
      perNode[n]!.push(...list);
      for (const c of list) stepOf.set(c.caller, index);
    });
  }
  // The last wrap-ups run out; then everyone should be IDLE — once polylink has worked through what it was sent.
  await sleep(s.wrapUpSeconds * 1000 + 2000);
  const settleSeconds = await settle(stage.probeFile);
  if (settleSeconds > 3) progress(`polylink was busy for ${settleSeconds} s after the last customer left`);
  monitor.stop();
  const endUs = wallMicroseconds();
  progress('end state: asking polylink about every agent…');
  const final = (await bars.command<'checked'>({ type: 'final-check', deadlineMs: 120_000 })).check;
  const channelsLeft = (await Promise.all(nodes.map(agentChannels))).reduce((a, b) => a + b, 0);
  const { records } = await bars.command<'records'>({ type: 'collect' });
  const customers: CustomerRecord[] = perNode.flat();
  await bars.close();
  // What polylink logged while it carried the load (not its start-up and shutdown lines).
  const polylinkLog = logLines(stage.polylink.logFile).filter((l) => Number(l['time']) >= loadStartUs / 1000 && Number(l['time']) <= endUs / 1000);
  const overload = await switchEventFigures(stage.ports.http);
  await stage.polylink.stop();
  const cdr = checkCdrs(org.dbPath, customers.map((c) => c.caller));

  progress(`analysing ${customers.length} customers, ${records.own.agent.length} agent events, ${records.fans.size} queue fan-outs…`);
  const t = timelines(records);
  const free = freeAtPark(customers, org, t, loadStartUs);
  const lat = latencies(customers, free, t, records.fans);
  // With several switch nodes, each node's customers apart: does one polylink serve them alike?
  const byNode: Record<string, Summary | undefined> = {};
  if (nodes.length > 1) {
    let from = 0;
    perNode.forEach((list, i) => {
      const mine = latencies(list, free.slice(from, from + list.length), t, records.fans);
      from += list.length;
      byNode[`parkToCallIn.${nodes[i]!.id}`] = mine.pairs.parkToCallIn;
      byNode[`switchToAgent.${nodes[i]!.id}`] = mine.switchToAgent;
    });
  }
  // Issue 11: each status change's cause → the last watching supervisor's copy, while customers arrived.
  const copies = supervisorCopies(records, customers, org, s.wrapUpSeconds, loadStartUs, arrivalsEndUs);
  const watched = records.supervisorReads.agent.length > 0;
  const ramp = steps.length > 1 ? rampFigures(steps, customers, free, t, records.fans, stepOf) : undefined;
  const found = findAnomalies({
    org,
    customers,
    timelines: t,
    fans: records.fans,
    oddities: records.oddities,
    unanswered: records.unanswered,
    final,
    agentChannelsLeft: channelsLeft,
    customersLeft,
    cdr,
    loadStartUs,
    endUs,
    queueEvents: options.queueEvents,
  });
  const allRtt = Object.values(records.rtt).flat();
  const warmUpMs = Math.max(60_000, (s.seconds * 1000) / 6);
  const memory = memoryFigures(monitor.probe(), loadStartUs / 1000, arrivalsEndUs / 1000, warmUpMs);
  const placed = customers.length;
  return {
    signIn: { supervisors: signInFigures(supervisors), agents: signInFigures(agents) },
    counts: {
      placed,
      bridged: customers.filter((c) => c.bridgeUs !== undefined).length,
      hadFreeAgent: lat.hadFreeAgent,
      waitedForAgent: lat.waited,
      reOffers: [...t.offeredTo.values()].reduce((n, list) => n + list.length - 1, 0),
      customersLeft,
      settleSeconds,
      cdrRows: cdr.rows,
      cdrByStatus: cdr.byStatus,
      // Customers polylink turned to their queue's overflow while behind the switch, and how often it was behind.
      overflowedForOverload: overload.customersTurnedAway,
      timesBehind: overload.behindTimes,
      backlogHighWater: overload.highWater,
      linksCut: overload.fullTimes,
      ...(watched ? { statusChanges: copies.changes, statusChangesIncomplete: copies.incomplete, statusChangesFromOwnCopy: copies.fromOwnCopy } : {}),
      ...(s.supervisorQuery?.cmdType === 'getallqueuestatis' ? { queriesSkipped: records.queriesSkipped } : {}),
    },
    latency: {
      parkToCallIn: lat.pairs.parkToCallIn,
      switchToAgent: lat.switchToAgent,
      ...Object.fromEntries(Object.entries(lat.pairs).filter(([k]) => k !== 'parkToCallIn')),
      ...byNode,
      ...(watched ? { statusToLastSupervisor: summarize(copies.lastCopyMs), statusToEachSupervisor: summarize(copies.eachCopyMs) } : {}),
      ...(s.supervisorQuery?.cmdType === 'getallqueuestatis' ? { monitorQuery: summarize(records.queryResultMs) } : {}),
      commandRtt: summarize(allRtt),
      ...Object.fromEntries(Object.entries(records.rtt).map(([cmd, v]) => [`rtt.${cmd}`, summarize(v)])),
    },
    messages: {
      total: records.messages,
      perCall: placed === 0 ? 0 : records.messages / placed,
      bytesPerCall: placed === 0 ? 0 : records.bytes / placed,
      byTypePerCall: Object.fromEntries(Object.entries(records.byType).map(([k, v]) => [k, placed === 0 ? 0 : v / placed])),
      refused: records.refused,
    },
    memory,
    loops: {
      switch: switchLoops.map(worstLoops),
      bars: records.loops,
    },
    children: monitor.childUse(),
    loads: monitor.loads,
    wallSeconds: monitor.wallSeconds,
    anomalies: found.anomalies,
    anomalyTotal: found.total,
    sideBySide: found.sideBySide,
    polylinkLog: countLog(polylinkLog),
    ...(ramp !== undefined ? { ramp } : {}),
  };
}

/**
 * Each step of a ramp on its own: its customers' park → CallInEvent (free agent) and
 * every switch event → agent event; the ceiling is the highest rate whose p99 park →
 * CallInEvent stayed under CEILING_P99_MS, every step below it too.
 */
function rampFigures(
  rates: readonly number[],
  customers: readonly CustomerRecord[],
  free: readonly boolean[],
  t: Timelines,
  fans: ReadonlyMap<string, Fan>,
  stepOf: ReadonlyMap<string, number>,
): RampFigures {
  const steps = rates.map((rate, index) => {
    const mine = customers.map((c, i) => [c, i] as const).filter(([c]) => stepOf.get(c.caller) === index);
    const lat = latencies(mine.map(([c]) => c), mine.map(([, i]) => free[i]!), t, fans);
    return {
      rate,
      placed: mine.length,
      bridged: mine.filter(([c]) => c.bridgeUs !== undefined).length,
      hadFreeAgent: lat.hadFreeAgent,
      parkToCallIn: lat.pairs.parkToCallIn,
      switchToAgent: lat.switchToAgent,
    };
  });
  let ceiling: number | undefined;
  for (const step of steps) {
    const p99 = step.parkToCallIn?.p99;
    if (p99 === undefined || p99 >= CEILING_P99_MS) break;
    ceiling = step.rate;
  }
  return { steps, ceiling, boundMs: CEILING_P99_MS };
}

/**
 * Waits until polylink is no longer busy (its thread under half busy for 3 s running, per
 * its probe), at most 5 minutes: an overloaded polylink still works through a backlog of
 * switch events when the last customer has gone, and the end state is only meaningful
 * after it. Returns the seconds it took.
 */
async function settle(probeFile: string): Promise<number> {
  const began = Date.now();
  let quiet = 0;
  while (quiet < 3 && Date.now() - began < 300_000) {
    await sleep(1000);
    const last = lastProbe(probeFile);
    quiet = last !== undefined && last.utilisation < 0.5 && Date.now() - last.t < 2000 ? quiet + 1 : 0;
  }
  return Math.round((Date.now() - began) / 1000);
}

/** What polylink's /health says about its switch-event backlog and the overload it caused (src/api/health-plugin.ts). */
async function switchEventFigures(httpPort: number): Promise<{ customersTurnedAway: number; behindTimes: number; highWater: number; fullTimes: number }> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/health`, { signal: AbortSignal.timeout(10_000) });
  const e = ((await res.json()) as { switchEvents: Record<string, number> }).switchEvents;
  return { customersTurnedAway: e['customersTurnedAway'] ?? 0, behindTimes: e['behindTimes'] ?? 0, highWater: e['highWater'] ?? 0, fullTimes: e['fullTimes'] ?? 0 };
}

/** polylink's warnings and errors, counted by message. */
export function countLog(lines: ReadonlyArray<Record<string, unknown>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) {
    const level = Number(l['level']);
    if (!(level >= 40)) continue;
    const key = `${level >= 50 ? 'error' : 'warn'} ${String(l['msg'] ?? '')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
