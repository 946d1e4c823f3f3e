/**
 * One run of the monitoring benchmark: the ACD benchmark's call centre and load
 * (bench/acd: organisation, polylink in-process on its simulator, agents' bars in a
 * worker, customers through the simulator) with supervisors added — each a role that
 * monitors its group(s) — signed in over TCP from a second worker, asking
 * getallqueuestatis every second and reading every status change of their scope.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { AgentPool } from '../acd/agent-pool.js';
import { monotonicMs } from '../acd/clock.js';
import { CustomerLoad } from '../acd/customers.js';
import { LogSink } from '../acd/log-sink.js';
import { buildOrganisation, PASSWORD, type BenchOrganisation } from '../acd/organisation.js';
import { LoopMonitor, type LoopFigures } from '../acd/process-metrics.js';
import { benchConfig } from '../acd/run.js';
import type { MonitorOptions } from './options.js';
import { statusDelays, type StatusDelays } from './status-delay.js';
import { StatusProbe } from './status-probe.js';
import { SupervisorPool, type SupervisorTotals } from './supervisor-pool.js';

export interface MonitorResult {
  readonly org: BenchOrganisation;
  readonly signedIn: { readonly agents: number; readonly supervisors: number; readonly failures: readonly string[] };
  readonly customers: { readonly placed: number; readonly bridged: number; readonly ended: number };
  readonly supervisors: SupervisorTotals;
  readonly status: StatusDelays;
  readonly loop: LoopFigures;
  readonly loadAverage: { readonly before: number; readonly after: number };
  readonly logs: ReadonlyMap<string, number>;
}

const progress = (text: string): void => void process.stderr.write(`[monitor] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(options: MonitorOptions, loadAverage: () => number): Promise<MonitorResult> {
  const { load } = options;
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-monitor-'));
  try {
    progress(`organisation: ${load.agents} agents in ${load.queues} queues, ${options.supervisors} supervisors (scope ${options.scope})`);
    const org = await buildOrganisation(dir, load.agents, load.queues, load.wrapUpSeconds, load.hashEach, { count: options.supervisors, scope: options.scope });
    const logs = new LogSink();
    const server = await startServer({ config: benchConfig(org.dbPath), log: createLogger('warn', logs) });
    try {
      const { engine } = server;
      const sim = server.switch.simulator;
      if (sim === undefined) throw new Error('polylink did not start its simulator');
      for (const a of org.agents) sim.setPhoneBehaviour(a.exten, { kind: 'answer', afterMs: load.answerMs[0], afterMsMax: load.answerMs[1] });
      const probe = new StatusProbe(engine, new Set(org.agents.map((a) => a.id)));
      const customers = new CustomerLoad(sim, { rate: load.rate, seconds: load.seconds, accessNumbers: org.accessNumbers, talkMs: load.talkMs });
      const heartbeatSeconds = engine.services.heartbeatIntervalSeconds;

      progress(`signing ${org.agents.length} agents and ${org.supervisors.length} supervisors in over TCP…`);
      const agents = new AgentPool({ port: server.tcpPort, agents: org.agents.map((a) => ({ id: a.id, exten: a.exten })), password: PASSWORD, heartbeatSeconds, window: 32 });
      const agentsIn = await agents.whenSignedIn();
      const supervisors = new SupervisorPool({ port: server.tcpPort, supervisors: org.supervisors.map((s) => s.id), password: PASSWORD, heartbeatSeconds, pollMs: options.pollMs });
      const supervisorsIn = await supervisors.whenSignedIn();
      progress(`signed in: ${agentsIn.signedIn} agents, ${supervisorsIn.signedIn} supervisors`);
      await sleep(1000);

      const before = loadAverage();
      logs.counts.clear();
      const monitor = new LoopMonitor();
      probe.record(true);
      agents.mark();
      supervisors.poll();
      monitor.start();
      const began = monotonicMs();
      const ticker = setInterval(() => progress(`t=${((monotonicMs() - began) / 1000).toFixed(0)}s placed ${customers.placed}, answered ${customers.bridged}, ended ${customers.ended}`), 10_000);
      await customers.start();
      clearInterval(ticker);
      // The figures are those of the load: stop asking and recording as the arrivals end,
      // then give the last copies a moment to arrive.
      probe.record(false);
      await sleep(500);
      const loop = monitor.stop();
      const totals = await supervisors.stop();
      const after = loadAverage();
      const limit = monotonicMs() + load.answerMs[1] + load.talkMs[1] + 30_000;
      while (customers.live > 0 && monotonicMs() < limit) await sleep(250);
      customers.stop();
      await agents.stop();

      const scope = new Map<string, number>();
      for (const a of org.agents) scope.set(a.id, org.supervisors.filter((s) => s.groups.includes(a.queueNum)).length);
      return {
        org,
        signedIn: { agents: agentsIn.signedIn, supervisors: supervisorsIn.signedIn, failures: [...agentsIn.failures, ...supervisorsIn.failures] },
        customers: { placed: customers.placed, bridged: customers.bridged, ended: customers.ended },
        supervisors: totals,
        status: statusDelays(probe.changes, supervisors.reads, (agentId) => scope.get(agentId) ?? 0),
        loop,
        loadAverage: { before, after },
        logs: new Map(logs.counts),
      };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
