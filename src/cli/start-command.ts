/**
 * `polylink start`: checks that its ports are free before it touches anything, starts the
 * server in the foreground, and stops it in order on SIGTERM or SIGINT (src/shutdown.ts),
 * exiting within SHUTDOWN_LIMIT_MS whatever happens.
 */
import type { Config } from '../config/config-schema.js';
import { envName } from '../config/load-config.js';
import type { UnknownVariable } from '../config/env-names.js';
import { createLogger } from '../log.js';
import { startServer } from '../server.js';
import { SHUTDOWN_STEP_MS } from '../app/shutdown.js';
import { tryListen } from '../transport/port-check.js';
import { VERSION } from '../version.js';
import { CliError, systemReason } from './cli-error.js';

/** The steps' bounds and a margin: a stop that takes longer than this exits anyway. */
export const SHUTDOWN_LIMIT_MS = Object.values(SHUTDOWN_STEP_MS).reduce((a, b) => a + b, 0) + 1000;

export async function startCommand(config: Config, file: string | undefined, unknown: readonly UnknownVariable[]): Promise<void> {
  const ports = [
    { key: 'agent.tcpPort', host: config.agent.host, port: config.agent.tcpPort },
    { key: 'http.port', host: config.http.host, port: config.http.port },
  ];
  for (const p of ports) {
    if (p.port === 0) continue;
    const err = await tryListen(p.host, p.port);
    if (err !== undefined) {
      throw new CliError(
        `polylink start: port ${p.port} on ${p.host} (${p.key}) is ${systemReason(err) ?? err.message}; is polylink already running? Choose another with ${envName(p.key)}=… or in the config file`,
      );
    }
  }
  const log = createLogger(config.log.level);
  for (const v of unknown) {
    log.warn({ variable: v.name, ...(v.nearest !== undefined ? { nearest: v.nearest.name, key: v.nearest.key } : {}) }, 'unknown POLYLINK_ variable ignored (misspelt?)');
  }
  log.info({ version: VERSION, config: file ?? '(defaults)', switch: config.freeswitch.nodes.length > 0 ? 'freeswitch' : 'built-in simulator' }, 'starting polylink');
  // A file size limit (ulimit -f, systemd LimitFSIZE) reached by the database would end the
  // process with SIGXFSZ; caught, the write fails instead (EFBIG: SQLITE_IOERR_WRITE) and the
  // server goes on, keeping the rows until the limit allows them (engine/row-writer.ts).
  process.on('SIGXFSZ', () => undefined);
  const server = await startServer({ config, log });
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal during shutdown: exiting at once');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, limitMs: SHUTDOWN_LIMIT_MS }, 'shutting down');
    const limit = setTimeout(() => {
      log.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    server.close().then(
      () => {
        clearTimeout(limit);
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
