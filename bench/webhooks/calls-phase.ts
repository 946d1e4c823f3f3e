/**
 * Webhooks under calls: polylink in-process on its simulator with two targets (seed001
 * and seed003, every event) on local receivers in a worker thread, N agents on real TCP
 * (the ACD benchmark's agent pool), customers at `rate` calls/s throughout. Three
 * windows: steady (fact → receiver's 2xx latency), outage (the receivers refuse
 * connections; the backlog grows on disk), drain (the receivers are back: how fast the
 * backlog is delivered, in order, and whether calls slowed — a customer's placement to its
 * CallInEvent read by the agent's bar, before and during the drain, and polylink's event loop),
 * then `afterSeconds` of calls once the backlog is delivered (do they come back?). Each
 * window records the machine's load average at its end: the machine is shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { AgentPool } from '../acd/agent-pool.js';
import { monotonicMs } from '../acd/clock.js';
import { CustomerLoad } from '../acd/customers.js';
import { LogSink } from '../acd/log-sink.js';
import { buildOrganisation, PASSWORD } from '../acd/organisation.js';
import { LoopMonitor, type LoopFigures } from '../acd/process-metrics.js';
import type { WebhookBenchOptions } from './options.js';
import { Receivers } from './receivers.js';
import { summary } from './stats.js';

const progress = (text: string): void => void process.stderr.write(`[webhooks] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const loadAverage = (): number => Number(loadavg()[0]!.toFixed(2));

export interface CallsResult {
  readonly pushesPerCall: number;
  readonly steady: { readonly latencyMs: ReturnType<typeof summary>; readonly perTarget: Record<string, ReturnType<typeof summary>>; readonly pushesPerSecond: number; readonly loop: LoopFigures; readonly offerMs: ReturnType<typeof summary>; readonly loadAverage: number };
  readonly outage: { readonly seconds: number; readonly backlogAtEnd: number; readonly oldestAgeSecondsAtEnd: number | null; readonly loop: LoopFigures; readonly offerMs: ReturnType<typeof summary>; readonly loadAverage: number };
  readonly drain: {
    readonly seconds: number;
    readonly drained: boolean;
    readonly delivered: number;
    readonly pushesPerSecond: number;
    readonly outOfOrder: number;
    readonly duplicates: number;
    readonly idChanged: number;
    readonly loop: LoopFigures;
    readonly offerMs: ReturnType<typeof summary>;
    readonly loadAverage: number;
  };
  /** Calls once the backlog is delivered: the same figures as in steady. */
  readonly after: { readonly seconds: number; readonly loop: LoopFigures; readonly offerMs: ReturnType<typeof summary>; readonly loadAverage: number };
  readonly callsPlaced: number;
  readonly callsUnserved: number;
  readonly warnings: Record<string, number>;
}

export async function callsPhase(o: WebhookBenchOptions): Promise<CallsResult> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-webhooks-'));
  const receivers = new Receivers(['legacy', 'crm']);
  try {
    const ports = await receivers.up();
    const org = await buildOrganisation(dir, o.agents, o.queues, 0, false);
    const config: Config = structuredClone(DEFAULT_CONFIG);
    config.log.level = 'warn';
    config.agent.host = '127.0.0.1';
    config.agent.tcpPort = 0;
    // Every bar of the agent pool connects from 127.0.0.1.
    config.agent.maxConnectionsPerAddress = 0;
    config.http = { ...config.http, host: '127.0.0.1', port: 0 };
    config.database = { driver: 'sqlite', path: org.dbPath, url: null };
    config.organisation = { importOnEmpty: null };
    config.exports = { ...config.exports, dir: join(dir, 'exports') };
    config.simulator = { ...config.simulator, port: 0, maxSessions: 20_000 };
    config.webhooks = {
      ...config.webhooks,
      mac: '68:69:2e:03:8b:3e',
      // A refused connection is retried within a second once the receiver is back; with tries
      // that often, enough of them that no head of a lane dies during the outage (≥ 2 tries a second).
      maxDelayMs: 1000,
      maxAttempts: Math.max(config.webhooks.maxAttempts, 2 * (o.outageSeconds + 60)),
      pace: { ...config.webhooks.pace, ...o.pace },
      targets: [
        { id: 'legacy', url: `http://127.0.0.1:${ports['legacy']}/hook`, format: 'seed001', events: 'all', secret: 'bench-secret-seed001', timeoutMs: 5000 },
        { id: 'crm', url: `http://127.0.0.1:${ports['crm']}/hook`, format: 'seed003', events: 'all', secret: 'bench-secret-seed003', timeoutMs: 5000 },
      ],
    };
    const logs = new LogSink();
    const server = await startServer({ config, log: createLogger('warn', logs) });
    try {
      const sim = server.switch.simulator!;
      for (const a of org.agents) sim.setPhoneBehaviour(a.exten, { kind: 'answer', afterMs: o.answerMs[0], afterMsMax: o.answerMs[1] });
      progress(`signing ${org.agents.length} agents in…`);
      const agents = new AgentPool({ port: server.tcpPort, agents: org.agents.map((a) => ({ id: a.id, exten: a.exten })), password: PASSWORD, heartbeatSeconds: 30, window: 32 });
      const signIn = await agents.whenSignedIn();
      if (signIn.failures.length > 0) throw new Error(`sign-ins failed: ${signIn.failures.slice(0, 3).join('; ')}`);
      // The sign-ins' pushes are delivered before the load starts.
      while (server.outbound!.health().webhooks.backlog > 0) await sleep(200);
      const health = () => server.outbound!.health().webhooks;
      const seconds = o.steadySeconds + o.outageSeconds + o.drainLimitSeconds + o.afterSeconds;
      const customers = new CustomerLoad(sim, { rate: o.rate, seconds, accessNumbers: org.accessNumbers, talkMs: o.talkMs });
      const offerMs = (from: number, to: number): number[] => {
        const out: number[] = [];
        customers.placeTimes.forEach((placedAt, n) => {
          if (placedAt < from || placedAt >= to) return;
          const read = agents.readAt.get(`13${String(n).padStart(9, '0')}`);
          if (read !== undefined) out.push(read - placedAt);
        });
        return out;
      };
      logs.counts.clear();
      agents.mark();
      const arrivals = customers.start();
      const tick = setInterval(() => progress(`placed ${customers.placed}, backlog ${health().backlog}, oldest ${health().oldestAgeSeconds ?? 0} s`), 10_000);

      // Steady: latencies of what is delivered in the window (after a first 5 s to settle).
      let monitor = new LoopMonitor();
      await sleep(5000);
      await receivers.window();
      const before = await receivers.stats();
      monitor.start();
      const steadyFrom = monotonicMs();
      await sleep((o.steadySeconds - 5) * 1000);
      const steadyTo = monotonicMs();
      const steadyLoop = monitor.stop();
      const steadyLoad = loadAverage();
      const atSteadyEnd = await receivers.stats();
      const perTarget = Object.fromEntries(Object.entries(atSteadyEnd).map(([k, v]) => [k, summary(v.latencies)]));
      const steadyLatencies = Object.values(atSteadyEnd).flatMap((v) => v.latencies);
      const steadyDelivered = Object.keys(atSteadyEnd).reduce((n, k) => n + atSteadyEnd[k]!.delivered - before[k]!.delivered, 0);
      const bridgedInSteady = customers.bridgeTimes.filter((t) => t >= steadyFrom && t < steadyTo).length;
      progress(`steady: p99 ${perTarget['crm']?.p99} / ${perTarget['legacy']?.p99} ms, ${Math.round(steadyDelivered / ((steadyTo - steadyFrom) / 1000))} pushes/s`);

      // Outage.
      await receivers.down();
      progress(`receivers down for ${o.outageSeconds} s`);
      monitor = new LoopMonitor();
      monitor.start();
      const outageFrom = monotonicMs();
      await sleep(o.outageSeconds * 1000);
      const outageTo = monotonicMs();
      const outageLoop = monitor.stop();
      const outageLoad = loadAverage();
      const atOutageEnd = health();
      progress(`backlog after the outage: ${atOutageEnd.backlog} (oldest ${atOutageEnd.oldestAgeSeconds} s)`);

      // Drain.
      const beforeDrain = await receivers.stats();
      await receivers.up();
      await receivers.window();
      monitor = new LoopMonitor();
      monitor.start();
      const drainFrom = monotonicMs();
      // Drained: the backlog is back to what steady delivery leaves waiting (a few hundred at most).
      const caughtUp = Math.max(200, o.rate * 3);
      // Drained when a look saw it caught up; a second look could find the next pushes (written at the load's rate) already waiting.
      let drainedAtEnd = false;
      while (!(drainedAtEnd = health().backlog <= caughtUp) && monotonicMs() - drainFrom < o.drainLimitSeconds * 1000) await sleep(100);
      const drainTo = monotonicMs();
      const drainLoop = monitor.stop();
      const drainLoad = loadAverage();
      const afterDrain = await receivers.stats();
      const delivered = Object.keys(afterDrain).reduce((n, k) => n + afterDrain[k]!.delivered - beforeDrain[k]!.delivered, 0);
      progress(`drain: ${delivered} pushes in ${((drainTo - drainFrom) / 1000).toFixed(1)} s; ${o.afterSeconds} s of calls after it`);

      // After: the calls once the backlog is delivered.
      monitor = new LoopMonitor();
      monitor.start();
      const afterFrom = monotonicMs();
      await sleep(o.afterSeconds * 1000);
      const afterTo = monotonicMs();
      const afterLoop = monitor.stop();
      const afterLoad = loadAverage();
      clearInterval(tick);
      customers.stop();
      void arrivals;
      await agents.stop();
      const warnings = Object.fromEntries([...logs.counts].filter(([k]) => !k.includes('simulator')));
      return {
        pushesPerCall: Number((steadyDelivered / Math.max(1, bridgedInSteady)).toFixed(1)),
        steady: { latencyMs: summary(steadyLatencies), perTarget, pushesPerSecond: Math.round(steadyDelivered / ((steadyTo - steadyFrom) / 1000)), loop: steadyLoop, offerMs: summary(offerMs(steadyFrom, steadyTo)), loadAverage: steadyLoad },
        outage: { seconds: o.outageSeconds, backlogAtEnd: atOutageEnd.backlog, oldestAgeSecondsAtEnd: atOutageEnd.oldestAgeSeconds, loop: outageLoop, offerMs: summary(offerMs(outageFrom, outageTo)), loadAverage: outageLoad },
        drain: {
          seconds: Number(((drainTo - drainFrom) / 1000).toFixed(1)),
          drained: drainedAtEnd,
          delivered,
          pushesPerSecond: Math.round(delivered / ((drainTo - drainFrom) / 1000)),
          outOfOrder: Object.values(afterDrain).reduce((n, v) => n + v.outOfOrder, 0),
          duplicates: Object.values(afterDrain).reduce((n, v) => n + v.duplicates, 0),
          idChanged: Object.values(afterDrain).reduce((n, v) => n + v.idChanged, 0),
          loop: drainLoop,
          offerMs: summary(offerMs(drainFrom, drainTo)),
          loadAverage: drainLoad,
        },
        after: { seconds: o.afterSeconds, loop: afterLoop, offerMs: summary(offerMs(afterFrom, afterTo)), loadAverage: afterLoad },
        callsPlaced: customers.placed,
        callsUnserved: customers.unserved,
        warnings,
      };
    } finally {
      await server.close();
    }
  } finally {
    await receivers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
