/**
 * The composition root: opens the store, migrates it, imports the example organisation
 * on a fresh start, builds the engine, and starts the agent TCP port and the HTTP port.
 */
import type http from 'node:http';
import type net from 'node:net';
import { existsSync } from 'node:fs';
import type { WebSocketServer } from 'ws';
import { SystemClock, type Clock } from './clock.js';
import type { Config } from './config/config-schema.js';
import { Organisation } from './core/organisation.js';
import { Engine } from './engine.js';
import type { Logger } from './log.js';
import { COMMANDS } from './protocol/command-table.js';
import { openDatabase, type Db } from './store/database.js';
import { importOrganisationFile } from './store/import-organisation.js';
import { migrate } from './store/migrate.js';
import { watchForeignCommits } from './store/foreign-commits.js';
import { loadOrganisation } from './store/organisation-repo.js';
import { createDayClock, createTimeFormat } from './time-format.js';
import { loadNumberDirectory } from './numbers/load-number-directory.js';
import { sendJson } from './api/http-json.js';
import { simulatorRoutes } from './api/simulator-routes.js';
import { statisticsRoutes } from './api/statistics-routes.js';
import { coocenterRoutes } from './api/coocenter-routes.js';
import { startSwitch, type RunningSwitch } from './switch/start-switch.js';
import { startHttpServer } from './transport/http-server.js';
import { startTcpServer } from './transport/tcp-server.js';
import { AddressCounter } from './transport/address-counter.js';
import { VERSION } from './version.js';
import { shutdownSequence } from './shutdown.js';

/** How often the server looks for an organisation written by another process (`polylink import`). */
const ORGANISATION_CHECK_MS = 1000;

export interface RunningServer {
  readonly engine: Engine;
  readonly switch: RunningSwitch;
  readonly db: Db;
  readonly tcpPort: number;
  readonly httpPort: number;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
}

export async function startServer({ config, log, clock = new SystemClock() }: StartOptions): Promise<RunningServer> {
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
  const org = new Organisation(loadOrganisation(db));
  const formatTime = createTimeFormat(config.timeZone);
  let switch_: RunningSwitch;
  try {
    switch_ = await startSwitch(config, org, log);
  } catch (err) {
    db.close();
    throw err;
  }
  const port = switch_.port;
  const days = createDayClock(config.timeZone);
  const engine = new Engine({ db, org, config, clock, log, formatTime, days, switch: port, numbers });
  engine.start();
  // `polylink import` while the server runs writes the same file from another process:
  // the running server takes the new organisation within this time.
  const stopWatching = watchForeignCommits(db, ORGANISATION_CHECK_MS, () => {
    try {
      engine.reloadOrganisation(loadOrganisation(db));
      log.info({ agents: org.agentCount() }, 'the organisation changed in the database: reloaded');
    } catch (err) {
      log.error({ err }, 'reloading the organisation failed; the server goes on with the one it had');
    }
  });
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
        });
        return true;
      },
      simulatorRoutes(switch_.simulator),
      statisticsRoutes(engine),
      coocenterRoutes({ engine, days, webKey: config.api.webKey, log }),
    ]);
  } catch (err) {
    tcp?.close();
    stopWatching();
    engine.stop();
    await switch_.stop();
    db.close();
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
  const shutdown = shutdownSequence({ engine, switch: switch_, db, log, tcp, http: http_.server, sockets });
  const close = (): Promise<void> => {
    stopWatching();
    return shutdown();
  };
  return { engine, switch: switch_, db, tcpPort, httpPort, close };
}

function portOf(server: net.Server | http.Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}
