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
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { simulatorLoadPlugin } from '../api/simulator-load-plugin.js';
import { simulatorPlugin } from '../api/simulator-plugin.js';
import type { Config } from '../config/config-schema.js';
import { Organisation } from '../core/organisation.js';
import { createLogger, type Logger } from '../log.js';
import { furnish } from '../simulator/furnish.js';
import { simulatorSetupOf } from '../app/simulator-setup.js';
import { wallMicroseconds } from '../simulator/core/wall-clock.js';
import { SwitchSimulator } from '../simulator/switch-simulator.js';
import { fastifyOptions } from '../transport/fastify-options.js';
import { openDatabase } from '../store/database.js';
import { loadOrganisation, loadOrganisationFrom } from '../store/organisation-repo.js';
import { openPgPool, redactUrl } from '../store/postgres/pg-pool.js';
import { pgSession } from '../store/postgres/pg-session.js';
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
  const org = config.database.driver === 'postgres' ? await readPgOrganisation(config.database.url!) : readOrganisation(config.database.path);
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
  let control: FastifyInstance | undefined;
  if (options.controlPort !== undefined) {
    try {
      control = await controlServer(sim, log);
      await control.listen({ port: options.controlPort, host: '127.0.0.1' });
    } catch (err) {
      await sim.stop();
      throw new CliError(`polylink simulator: control port ${options.controlPort} is ${systemReason(err) ?? (err as Error).message}; choose another with --control-port`);
    }
  }
  const controlPort = control === undefined ? undefined : (control.server.address() as AddressInfo).port;
  log.info({ eslPort, controlPort, extensionsRegistered: setup.phones.length, agents: org.agentCount() }, 'simulator is up');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'simulator shutting down');
    void control?.close();
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

async function readPgOrganisation(url: string): Promise<Organisation> {
  const pool = openPgPool(url, 1);
  try {
    return new Organisation(await loadOrganisationFrom(pgSession(pool)));
  } catch (err) {
    throw new CliError(`polylink simulator: no organisation read from ${redactUrl(url)} (${(err as Error).message}); import one first (polylink import FILE)`);
  } finally {
    await pool.end();
  }
}

/**
 * The control port: a fastify instance of its own with the simulator's routes of polylink's
 * HTTP port (simulator-plugin.ts) and the load controls (simulator-load-plugin.ts).
 */
async function controlServer(sim: SwitchSimulator, log: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    ...fastifyOptions(log.child({ module: 'simulator-control' })),
    // A harness that stops the simulator does not wait for its kept-alive connections.
    forceCloseConnections: true,
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no ${request.method} ${request.url}` }));
  await app.register(simulatorPlugin, { prefix: '/simulator', simulator: sim });
  await app.register(simulatorLoadPlugin, { prefix: '/simulator', simulator: sim, process: loopHealth() });
  return app;
}
