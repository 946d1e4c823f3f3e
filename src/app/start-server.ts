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
import { existsSync } from 'node:fs';
import type { WebSocketServer } from 'ws';
import { SystemClock, type Clock } from '../clock.js';
import type { Config } from '../config/config-schema.js';
import { Core, type CoreOptions } from '../core/core.js';
import { Organisation } from '../core/organisation.js';
import { Engine } from '../engine/engine.js';
import { Store } from '../engine/store.js';
import type { Logger } from '../log.js';
import { COMMANDS } from '../protocol/command-table.js';
import { SigninTurns } from '../protocol/signin-turns.js';
import { openDatabase, type Db } from '../store/database.js';
import { importOrganisationFile } from '../store/import-organisation.js';
import { migrate } from '../store/migrate.js';
import { createDayClock, createTimeFormat } from '../time-format.js';
import { loadNumberDirectory } from '../numbers/load-number-directory.js';
import { sendJson } from '../api/http-json.js';
import { simulatorRoutes } from '../api/simulator-routes.js';
import { statisticsRoutes } from '../api/statistics-routes.js';
import { coocenterRoutes } from '../api/coocenter-routes.js';
import { webRoutes } from '../api/web-routes.js';
import { AddressCounter } from '../transport/address-counter.js';
import { startHttpServer } from '../transport/http-server.js';
import { startTcpServer } from '../transport/tcp-server.js';
import { VERSION } from '../version.js';
import { outboundServices, outboxLimits, type OutboundServices } from './outbound-services.js';
import { shutdownSequence } from './shutdown.js';
import { startSwitch, type RunningSwitch } from './start-switch.js';

/** How often the server looks for an organisation written by another process (`polylink import`). */
const ORGANISATION_CHECK_MS = 1000;

export interface RunningServer {
  readonly engine: Engine;
  readonly switch: RunningSwitch;
  /**
   * A second connection to the database, for tools and tests to look at what was stored.
   * polylink never writes through it: the engine's store writes, one transaction per step.
   */
  readonly db: Db;
  readonly tcpPort: number;
  readonly httpPort: number;
  /** Webhooks and seed 004's exports (their HTTP plugins are in src/api/). */
  readonly outbound: OutboundServices;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
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

export async function startServer({ config, log, clock = new SystemClock(), random = Math.random }: StartOptions): Promise<RunningServer> {
  const started = clock.now();
  // Files polylink reads at start are read before anything is created or started.
  const numbers = loadNumberDirectory(config.numbers);
  const db = openDatabase(config.database.path);
  const applied = migrate(db);
  if (applied.length > 0) log.info({ applied }, 'database migrated');
  const agentCount = (db.prepare('SELECT COUNT(*) AS n FROM agents').get() as { n: number }).n;
  const example = config.organisation.importOnEmpty;
  if (agentCount === 0 && example !== null) {
    if (existsSync(example)) {
      const summary = await importOrganisationFile(db, example);
      log.info({ file: example, ...summary }, 'empty database: organisation imported');
    } else {
      log.warn({ file: example }, 'empty database and organisation.importOnEmpty does not exist: no agents');
    }
  }
  const days = createDayClock(config.timeZone);
  const formatTime = createTimeFormat(config.timeZone);
  // The store writes a step's pushes through the webhooks' fan-out, which reads its targets from the store.
  let outbound: OutboundServices | undefined;
  const store = new Store(db, days, { render: (fact) => outbound?.webhooks.render(fact) ?? [], limits: outboxLimits(config), now: () => clock.now() });
  outbound = outboundServices(config, store, clock, formatTime, log);
  const org = new Organisation(store.organisation());
  let switch_: RunningSwitch;
  try {
    switch_ = await startSwitch(config, org, log);
  } catch (err) {
    store.close();
    throw err;
  }
  const port = switch_.port;
  const { stored, closedLeave } = store.stored(clock.now());
  if (closedLeave > 0) log.child({ module: 'engine' }).info({ closed: closedLeave }, 'leave applications left open by the last run closed');
  const core = new Core({
    org,
    options: coreOptionsOf(config),
    formatTime,
    days,
    numbers,
    switchStatus: { ready: () => port.nodes().some((n) => n.state === 'ready'), isRegistered: (exten) => port.isRegistered(exten) },
    newId: () => randomUUID(),
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
  outbound.start();
  const inspect = openDatabase(config.database.path);
  // Connections per address, counted across the TCP and WebSocket servers together.
  const deps = { engine, table: COMMANDS, clock, log, config, addresses: new AddressCounter(config.agent.maxConnectionsPerAddress) };

  let tcp: net.Server | undefined;
  let http_: { server: http.Server; wss: WebSocketServer } | undefined;
  try {
    tcp = await startTcpServer({ host: config.agent.host, port: config.agent.tcpPort, tls: config.agent.tls }, deps);
    http_ = await startHttpServer({ host: config.http.host, port: config.http.port, tls: config.http.tls }, deps, [
      (req, res) => {
        if (req.method !== 'GET' || req.url !== '/health') return false;
        sendJson(res, 200, {
          status: 'ok',
          version: VERSION,
          agentsOnline: engine.agents.onlineCount(),
          uptimeSeconds: Math.floor((clock.now() - started) / 1000),
          switch: switch_.simulator === undefined ? 'freeswitch' : 'simulator',
          nodes: port.nodes(),
          // The delivery worker's backlog (on disk) and how long its oldest push has waited; exports being built.
          ...outbound.health(),
        });
        return true;
      },
      simulatorRoutes(switch_.simulator),
      statisticsRoutes(engine),
      coocenterRoutes({ engine, days, webKey: config.api.webKey, log }),
      webRoutes(config),
    ]);
  } catch (err) {
    tcp?.close();
    engine.stop();
    await outbound.stop();
    await switch_.stop();
    inspect.close();
    store.close();
    throw err;
  }
  const tcpPort = portOf(tcp);
  const httpPort = portOf(http_.server);
  if (config.api.webKey === null) log.warn({ key: 'api.webKey' }, 'no WEB key set: /coocenter-api/ answers requests from this host only, without Authorization');
  log.info({ tcpPort, httpPort, agents: org.agentCount(), database: config.database.path }, 'polylink is up');

  // Sockets that outlive the orderly close (a peer that never closes its side) are ended at its end.
  const sockets = new Set<net.Socket>();
  for (const server of [tcp, http_.server]) {
    server.on('connection', (s: net.Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
  }
  const close = shutdownSequence({ engine, switch: switch_, store, inspect, log, tcp, http: http_.server, sockets, outbound });
  return { engine, switch: switch_, db: inspect, tcpPort, httpPort, outbound, close };
}

function portOf(server: net.Server | http.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}
