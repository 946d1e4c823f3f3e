/**
 * polylink in-process for the attack benchmark: the example organisation imported into
 * a fresh SQLite file in a temporary folder, the built-in simulator, loopback ports.
 * Its log is counted, not printed (bench/acd/log-sink.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { LogSink } from '../acd/log-sink.js';
import { repositoryRoot } from '../results-file.js';

export interface BenchServer {
  readonly server: RunningServer;
  readonly config: Config;
  readonly logs: LogSink;
  close(): Promise<void>;
}

export async function startBenchServer(change: (config: Config) => void = () => undefined): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-attacks-'));
  try {
    const config = structuredClone(DEFAULT_CONFIG);
    config.log.level = 'warn';
    config.agent = { ...config.agent, host: '127.0.0.1', tcpPort: 0 };
    config.http = { ...config.http, host: '127.0.0.1', port: 0 };
    config.database = { path: join(dir, 'polylink.db') };
    config.organisation = { importOnEmpty: join(repositoryRoot(), 'examples', 'callcenter.yaml') };
    config.simulator = { ...config.simulator, port: 0 };
    change(config);
    const logs = new LogSink();
    const server = await startServer({ config, log: createLogger('warn', logs) });
    return {
      server,
      config,
      logs,
      async close() {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
