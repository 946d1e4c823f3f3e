/**
 * `polylink simulator`: the FreeSWITCH simulator in a process of its own, as a separate
 * switch box would be — polylink reaches it through `freeswitch.nodes` like any
 * FreeSWITCH, and the two do not share an event loop. It is furnished from the
 * organisation in the configured database as the built-in simulator is (a registered
 * phone per agent extension, the access numbers, IVRs and gateways), stamps its events
 * with a microsecond wall clock as FreeSWITCH does (switch_micro_time_now), and can be
 * driven over HTTP on loopback (`--control-port`): the routes of /simulator/ that
 * docs/api.md describes, plus the load controls of docs/simulator.md.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { sendJson } from '../api/http-json.js';
import { simulatorLoadRoutes } from '../api/simulator-load-routes.js';
import { simulatorRoutes, type Route } from '../api/simulator-routes.js';
import type { Config } from '../config/config-schema.js';
import { Organisation } from '../core/organisation.js';
import { createLogger, type Logger } from '../log.js';
import { furnish } from '../simulator/furnish.js';
import { simulatorSetupOf } from '../app/simulator-setup.js';
import { wallMicroseconds } from '../simulator/core/wall-clock.js';
import { SwitchSimulator } from '../simulator/switch-simulator.js';
import { openDatabase } from '../store/database.js';
import { loadOrganisation } from '../store/organisation-repo.js';
import { listen } from '../transport/listen.js';
import { CliError, systemReason } from './cli-error.js';

export interface SimulatorCommandOptions {
  /** The event socket's address and port (FreeSWITCH's event_socket.conf: 127.0.0.1:8021). */
  readonly host: string;
  readonly port: number;
  readonly password: string;
  /** The HTTP control port on 127.0.0.1; undefined: no HTTP control. */
  readonly controlPort: number | undefined;
}

/** The command line's options (all text, as parseCommandLine gives them), checked. */
export function simulatorOptions(given: Readonly<Record<string, string | boolean | undefined>>): SimulatorCommandOptions {
  const port = (name: string): number | undefined => {
    const text = given[name];
    if (typeof text !== 'string') return undefined;
    const n = Number(text);
    if (!/^[0-9]{1,5}$/.test(text) || n > 65535) throw new CliError(`polylink simulator: --${name} must be a port number, 0 … 65535 (0: any free port)`, 2);
    return n;
  };
  const host = given['host'];
  const password = given['password'];
  // The event socket reads the password up to the end of the line: it cannot hold one.
  if (typeof password === 'string' && /[\r\n]/.test(password)) throw new CliError('polylink simulator: --password cannot contain a line break', 2);
  return {
    host: typeof host === 'string' ? host : '127.0.0.1',
    port: port('port') ?? 8021,
    password: typeof password === 'string' ? password : 'ClueCon',
    controlPort: port('control-port'),
  };
}

export async function simulatorCommand(config: Config, options: SimulatorCommandOptions): Promise<void> {
  const log = createLogger(config.log.level);
  const org = readOrganisation(config.database.path);
  const sim = new SwitchSimulator({
    host: options.host,
    port: options.port,
    password: options.password,
    maxSessions: config.simulator.maxSessions,
    microseconds: wallMicroseconds,
    logger: log,
  });
  const setup = simulatorSetupOf(org);
  furnish(sim, setup, config.simulator);
  let eslPort: number;
  try {
    eslPort = await sim.start();
  } catch (err) {
    throw new CliError(`polylink simulator: port ${options.port} on ${options.host} is ${systemReason(err) ?? (err as Error).message}; choose another with --port`);
  }
  let control: http.Server | undefined;
  if (options.controlPort !== undefined) {
    control = controlServer([simulatorLoadRoutes(sim, loopHealth()), simulatorRoutes(sim)], log);
    try {
      await listen(control, options.controlPort, '127.0.0.1');
    } catch (err) {
      await sim.stop();
      throw new CliError(`polylink simulator: control port ${options.controlPort} is ${systemReason(err) ?? (err as Error).message}; choose another with --control-port`);
    }
  }
  const controlPort = control === undefined ? undefined : (control.address() as AddressInfo).port;
  log.info({ eslPort, controlPort, extensionsRegistered: setup.phones.length, agents: org.agentCount() }, 'simulator is up');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'simulator shutting down');
    control?.closeAllConnections();
    control?.close();
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'simulator shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * The simulator's event loop since the last look: how late it ran (p99, max) and how busy
 * it was. A switch that falls behind delays its events after stamping them, which a load
 * test would otherwise blame on polylink.
 */
function loopHealth(): () => Record<string, number> {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let since = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const figures = {
      loopDelayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - 5),
      loopDelayMaxMs: Math.max(0, delay.max / 1e6 - 5),
      loopUtilisation: performance.eventLoopUtilization(now, since).utilization,
    };
    since = now;
    delay.reset();
    return figures;
  };
}

function readOrganisation(path: string): Organisation {
  if (!existsSync(path)) throw new CliError(`polylink simulator: no database at ${path}; import an organisation first (polylink import FILE)`);
  const db = openDatabase(path);
  try {
    return new Organisation(loadOrganisation(db));
  } catch (err) {
    throw new CliError(`polylink simulator: ${path} holds no organisation (${(err as Error).message}); import one first (polylink import FILE)`);
  } finally {
    db.close();
  }
}

function controlServer(routes: readonly Route[], log: Logger): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      try {
        for (const route of routes) if (await route(req, res)) return;
        sendJson(res, 404, { error: `no ${req.method ?? 'GET'} ${req.url ?? '/'}` });
      } catch (err) {
        log.error({ err, url: req.url }, 'simulator control request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      }
    })();
  });
}
