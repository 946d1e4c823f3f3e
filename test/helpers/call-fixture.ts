/**
 * End-to-end call tests: polylink on its built-in simulator (reached over a real ESL
 * socket), agents on real TCP clients, phones and customers scripted through the
 * simulator, CDRs and statistics read from the real SQLite file.
 *
 * With `sharedClock`, the server and the simulator run on one ManualClock that the
 * fixture moves (clock-driver.ts): while a test waits for a message, time passes as it
 * would in real life — phones answer, rings time out — but in no real time, and only
 * once everything has settled; `settle()` is the barrier for checks that nothing happens.
 */
import { ManualClock } from '../../src/clock.js';
import type { SwitchSimulator } from '../../src/simulator/switch-simulator.js';
import type { FreeSwitchSwitch } from '../../src/switch/freeswitch/freeswitch-switch.js';
import type { CalleeBehaviour } from '../../src/simulator/behaviour/callee-behaviour.js';
import { STAT_FIELDS, type StatValues } from '../../src/core/records/daily-stats.js';
import { TcpAgentClient, type AgentClient, type Received } from './agent-client.js';
import { ClockDriver } from './clock-driver.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

export interface CallFixture {
  readonly s: TestServer;
  readonly sim: SwitchSimulator;
  agent(id: string, fields?: Record<string, string>): Promise<AgentClient>;
  /** The extension of an agent of the example organisation (1001 → 8001). */
  exten(agentId: string): string;
  phone(agentId: string, behaviour: CalleeBehaviour): void;
  trunk(pattern: string | RegExp, behaviour: CalleeBehaviour): void;
  cdr(callId?: string): Record<string, unknown> | undefined;
  cdrs(): Record<string, unknown>[];
  stats(agentId: string): StatValues;
  statusOf(agentId: string): number;
  close(): Promise<void>;
}

/** A call fixture on one ManualClock shared by the server and the simulator. */
export interface DrivenCallFixture extends CallFixture {
  readonly clock: ManualClock;
  /** The clock's time now. */
  readonly now: number;
  /** The barrier: resolves when nothing more happens unless time moves. */
  settle(): Promise<void>;
  /** Moves time forward by `ms`, settling after each timer that falls due on the way. */
  tick(ms: number): Promise<void>;
  /** Moves time as it would pass until `check` holds (fails if it does not within two minutes of clock time). */
  until(check: () => boolean): Promise<void>;
  /** Moves time as it would pass until `waiting` settles, and gives its outcome. */
  drive<T>(waiting: Promise<T>): Promise<T>;
}

export type CallFixtureOptions = TestServerOptions & { sharedClock?: boolean };

export function startCallFixture(options: CallFixtureOptions & { sharedClock: true }): Promise<DrivenCallFixture>;
export function startCallFixture(options?: CallFixtureOptions): Promise<CallFixture>;
export async function startCallFixture(options: CallFixtureOptions = {}): Promise<CallFixture | DrivenCallFixture> {
  const { sharedClock = false, ...serverOptions } = options;
  // Started where real time is, so that "today" of the statistics is today.
  const clock = sharedClock ? new ManualClock(Date.now()) : undefined;
  const s = await startTestServer({
    ...serverOptions,
    ...(clock !== undefined ? { clock, simulatorClock: clock } : {}),
    config: {
      simulator: { port: 0, phoneAnswerAfterMs: 60, customerAnswerAfterMs: 60 },
      ...serverOptions.config,
      // The barrier's heartbeats are requests too; on a clock that stands still, no bucket refills.
      ...(clock !== undefined ? { agent: { maxRequestsPerSecond: 100_000, ...serverOptions.config?.agent } } : {}),
      calls: { agentRingSeconds: 2, customerRingSeconds: 2, ...serverOptions.config?.calls },
    },
  });
  const sim = s.server.switch.simulator!;
  const clients: AgentClient[] = [];
  const signedIn: { client: AgentClient; agentId: string }[] = [];
  const driver =
    clock === undefined
      ? undefined
      : new ClockDriver({ clock, port: s.server.switch.port as FreeSwitchSwitch, sim, clients: () => signedIn });
  const now = () => clock?.now() ?? Date.now();
  const fixture: CallFixture = {
    s,
    sim,
    async agent(id, fields = {}) {
      const c = await TcpAgentClient.connect(s.server.tcpPort);
      clients.push(c);
      // Signing in takes no time; the barrier can sync a bar once it is signed in.
      const r = await c.signIn(id, fields);
      if (r.body['retCode'] !== '0') throw new Error(`sign-in of ${id} answered ${String(r.body['retCode'])}`);
      if (driver !== undefined) {
        signedIn.push({ client: c, agentId: id });
        c.whileWaiting = (waiting) => driver.drive(waiting);
      }
      await c.event('AgentStatusChangeEvent');
      return c;
    },
    exten: (agentId) => s.server.engine.services.org.agent(agentId)!.defaultExten!,
    phone(agentId, behaviour) {
      sim.setPhoneBehaviour(s.server.engine.services.org.agent(agentId)!.defaultExten!, behaviour);
    },
    trunk(pattern, behaviour) {
      sim.setTrunkBehaviour('trunk', pattern, behaviour);
    },
    cdr(callId) {
      const rows = s.server.db.prepare('SELECT * FROM cdr ORDER BY created_at').all() as Record<string, unknown>[];
      return callId === undefined ? rows.at(-1) : rows.find((r) => r['call_id'] === callId);
    },
    cdrs: () => s.server.db.prepare('SELECT * FROM cdr ORDER BY created_at').all() as Record<string, unknown>[],
    stats(agentId) {
      const profile = s.server.engine.services.org.agent(agentId)!;
      const session = s.server.engine.agents.session(agentId);
      return s.server.engine.stats.today(agentId, profile.accountId, now(), session === undefined ? undefined : { status: session.machine.status, since: session.machine.since });
    },
    statusOf: (agentId) => s.server.engine.agents.statusOf(agentId),
    async close() {
      driver?.stop();
      for (const c of clients) c.close();
      await s.close();
    },
  };
  if (driver === undefined || clock === undefined) return fixture;
  return {
    ...fixture,
    clock,
    get now() {
      return clock.now();
    },
    settle: () => driver.settle(),
    tick: (ms) => driver.tick(ms),
    until: (check) => driver.until(check),
    drive: (waiting) => driver.drive(waiting),
  };
}

/** The event types a client received, in order (responses as `response:<cmdType>`). */
export function received(c: AgentClient, from = 0): string[] {
  return c.received.slice(from).map((m: Received) => (m.root === 'event' ? String(m.body['eventType']) : `response:${String(m.body['cmdType'])}`));
}

/** The status changes a client heard about an agent, as `old>new`. */
export function statusTrail(c: AgentClient, agentId: string, from = 0): string[] {
  return c.received
    .slice(from)
    .filter((m) => m.body['eventType'] === 'AgentStatusChangeEvent' && m.body['agent_num'] === agentId)
    .map((m) => `${String(m.body['old_status'])}>${String(m.body['new_status'])}`);
}

export { STAT_FIELDS };

/**
 * Waits until a client has heard as many status changes of an agent as expected, then
 * checks them: the server's state moves before the event reaches the client's socket.
 */
export async function expectTrail(c: AgentClient, agentId: string, from: number, expected: string[]): Promise<void> {
  const start = Date.now();
  while (statusTrail(c, agentId, from).length < expected.length && Date.now() - start < 3000) await new Promise((r) => setTimeout(r, 5));
  if (JSON.stringify(statusTrail(c, agentId, from)) !== JSON.stringify(expected)) {
    throw new Error(`status changes of ${agentId}: ${JSON.stringify(statusTrail(c, agentId, from))}, expected ${JSON.stringify(expected)}`);
  }
}
