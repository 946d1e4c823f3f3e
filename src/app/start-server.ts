/**
 * The composition root: reads the configuration's files, opens and migrates the store
 * (importing the example organisation on a fresh start), starts the switch (FreeSWITCH
 * or the built-in simulator), builds the core from what the store kept, hands core, store
 * and switch to the engine, and starts the agent TCP port and the HTTP port. Only here
 * does every layer meet.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type net from 'node:net';
import type { WebSocketServer } from 'ws';
import { SystemClock, type Clock } from '../clock.js';
import type { Config } from '../config/config-schema.js';
import { Core, type CoreOptions } from '../core/core.js';
import { Organisation } from '../core/organisation.js';
import { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import { COMMANDS } from '../protocol/command-table.js';
import { SigninTurns } from '../protocol/signin-turns.js';
import type { Db } from '../store/database.js';
import { hashSessionToken } from '../store/session-token-store.js';
import { createDayClock, createTimeFormat } from '../time-format.js';
import { loadNumberDirectory } from '../numbers/load-number-directory.js';
import { AddressCounter } from '../transport/address-counter.js';
import { startHttpServer, type HttpRoute } from '../transport/http-server.js';
import { startTcpServer } from '../transport/tcp-server.js';
import { VERSION } from '../version.js';
import type { Health } from '../api/health-plugin.js';
import { httpRoutes } from './http-routes.js';
import { watchClockSteps } from './clock-watch.js';
import { watchLongTurns } from './turn-watch.js';
import { outboundServices, outboxLimits, type OutboundServices } from './outbound-services.js';
import { shutdownSequence } from './shutdown.js';
import { openStore } from './open-store.js';
import { SqliteStore } from '../engine/store.js';
import { startSwitch, type RunningSwitch } from './start-switch.js';

/** How often the server looks for an organisation written by another process (`polylink import`). */
const ORGANISATION_CHECK_MS = 1000;

export interface RunningServer {
  readonly engine: Engine;
  readonly switch: RunningSwitch;
  /**
   * A second connection to the SQLite database, for tools and tests to look at what was
   * stored. polylink never writes through it: the engine's store writes, one transaction
   * per step. With database.driver postgres there is none (reading it throws): look with
   * a PostgreSQL client of your own at database.url.
   */
  readonly db: Db;
  readonly tcpPort: number;
  readonly httpPort: number;
  /** The routes the HTTP port serves (the OpenAPI test holds the document to them). */
  readonly httpRoutes: readonly HttpRoute[];
  /** Webhooks and seed 004's exports (their HTTP plugins are in src/api/); none on PostgreSQL (SQLite's outbox only, for now). */
  readonly outbound: OutboundServices | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
  /**
   * The built-in simulator's time (its phones, customers and trunks; FreeSWITCH's own timers).
   * Tests pass the ManualClock they give the core, so that one clock moves both. Default: the system clock.
   */
  readonly simulatorClock?: Clock;
  /** Random numbers for the `random` queue strategy (tests pass a seeded one). */
  readonly random?: () => number;
}

/** The core's options, from the configuration. */
export function coreOptionsOf(config: Config): CoreOptions {
  return {
    agent: { duplicateSignin: config.agent.duplicateSignin, resumeGraceSeconds: config.agent.resumeGraceSeconds, leaveRequiresApproval: config.leave.requireApproval },
    leave: { applyTimeoutSeconds: config.leave.applyTimeoutSeconds, approvalTimeoutSeconds: config.leave.approvalTimeoutSeconds },
    calls: config.calls,
    acd: config.acd,
    stats: { maxRestSeconds: config.stats.maxRestSeconds },
    signin: {
      failuresPerAddress: config.agent.signinFailuresPerAddress,
      windowMs: config.agent.signinFailureWindowSeconds * 1000,
      lockAfterAddresses: config.agent.signinLockAfterAddresses,
      lockMs: config.agent.signinLockSeconds * 1000,
    },
  };
}

export async function startServer({ config, log, clock = new SystemClock(), simulatorClock, random = Math.random }: StartOptions): Promise<RunningServer> {
  const started = clock.now();
  // Files polylink reads at start are read before anything is created or started.
  const numbers = loadNumberDirectory(config.numbers);
  const days = createDayClock(config.timeZone);
  const formatTime = createTimeFormat(config.timeZone);
  // The store writes a step's pushes through the webhooks' fan-out, which reads its targets from the store.
  let outbound: OutboundServices | undefined;
  const { store, inspect, where } = await openStore(config, days, log, clock.now(), { render: (fact) => outbound?.webhooks.render(fact) ?? [], limits: outboxLimits(config), now: () => clock.now() });
  outbound = store instanceof SqliteStore ? outboundServices(config, store, clock, formatTime, log) : undefined;
  const org = new Organisation(store.organisation());
  let switch_: RunningSwitch;
  try {
    switch_ = await startSwitch(config, org, log, { simulatorClock });
  } catch (err) {
    inspect?.close();
    await store.close();
    throw err;
  }
  const port = switch_.port;
  const { stored, closedLeave } = store.stored(clock.now(), config.agent.resumeGraceSeconds * 1000);
  if (closedLeave > 0) log.child({ module: 'engine' }).info({ closed: closedLeave }, 'leave applications left open by the last run closed');
  const core = new Core({
    org,
    options: coreOptionsOf(config),
    formatTime,
    days,
    numbers,
    switchStatus: { ready: () => port.nodes().some((n) => n.state === 'ready'), isRegistered: (exten) => port.isRegistered(exten) },
    newId: () => randomUUID(),
    hashToken: hashSessionToken,
    random,
    stored,
  });
  const engine = new Engine({
    core,
    store,
    switch: port,
    clock,
    log,
    protocol: {
      formatTime,
      heartbeatIntervalSeconds: config.agent.heartbeatIntervalSeconds,
      minPasswordLength: config.agent.minPasswordLength,
      signinTurns: new SigninTurns(),
    },
    organisationCheckMs: ORGANISATION_CHECK_MS,
  });
  engine.start();
  outbound?.start();
  // Connections per address, counted across the TCP and WebSocket servers together.
  const deps = { engine, table: COMMANDS, clock, log, config, addresses: new AddressCounter(config.agent.maxConnectionsPerAddress) };

  let tcp: net.Server | undefined;
  let http_: { server: http.Server; wss: WebSocketServer; routes: readonly HttpRoute[] } | undefined;
  try {
    tcp = await startTcpServer({ host: config.agent.host, port: config.agent.tcpPort, tls: config.agent.tls }, deps);
    const health = (): Health => {
      const stored = store.health();
      const database = engine.storeHealth;
      return {
        // Degraded while the database refuses writes (rows wait in memory: row-writer.ts) or
        // PostgreSQL is behind or away; calls are served meanwhile.
        status: stored.ok && database.writable ? 'ok' : 'degraded',
        version: VERSION,
        agentsOnline: engine.agents.onlineCount(),
        uptimeSeconds: Math.floor((clock.now() - started) / 1000),
        switch: switch_.simulator === undefined ? 'freeswitch' : 'simulator',
        nodes: port.nodes(),
        store: stored,
        database,
        // The wall clock minus polylink's own (src/clock.ts): not 0 after the wall clock stepped.
        clockOffsetMs: clock.wallNow() - clock.now(),
        switchEvents: { ...port.backlog(), customersTurnedAway: engine.queues.overload.turnedAway },
        // The delivery worker's backlog (on disk) and how long its oldest push has waited; exports being built.
        ...outbound?.health(),
      };
    };
    http_ = await startHttpServer({ host: config.http.host, port: config.http.port, tls: config.http.tls }, deps, httpRoutes({ config, engine, switch: switch_, days, health, log, outbound, clock }));
  } catch (err) {
    tcp?.close();
    engine.stop();
    await outbound?.stop();
    await switch_.stop();
    inspect?.close();
    await store.close();
    throw err;
  }
  const tcpPort = portOf(tcp);
  const httpPort = portOf(http_.server);
  if (config.api.webKey === null) log.warn({ key: 'api.webKey' }, 'no WEB key set: /coocenter-api/ answers requests from this host only, without Authorization');
  log.info({ tcpPort, httpPort, agents: org.agentCount(), database: where }, 'polylink is up');

  // Sockets that outlive the orderly close (a peer that never closes its side) are ended at its end.
  const sockets = new Set<net.Socket>();
  for (const server of [tcp, http_.server]) {
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  const stopClockWatch = watchClockSteps(clock, log.child({ module: 'clock' }));
  const stopTurnWatch = watchLongTurns(engine.tally, log.child({ module: 'turns' }));
  const closeInOrder = shutdownSequence({ engine, switch: switch_, store, inspect, log, tcp, http: http_.server, sockets, outbound });
  const close = (): Promise<void> => {
    stopClockWatch();
    stopTurnWatch();
    return closeInOrder();
  };
  return {
    engine,
    switch: switch_,
    get db(): Db {
      if (inspect === undefined) throw new Error('RunningServer.db is the SQLite file: database.driver is postgres');
      return inspect;
    },
    tcpPort,
    httpPort,
    httpRoutes: http_.routes,
    outbound,
    close,
  };
}

function portOf(server: net.Server | http.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}
