/**
 * A real polylink server for integration tests: port 0, 127.0.0.1, a temporary SQLite
 * file holding the example organisation, an optional ManualClock, logs captured. Its
 * folder goes with close(), or at once when the server does not start.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import type { Clock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { openDatabase, type Db } from '../../src/store/database.js';

export const EXAMPLE_ORG = resolve(import.meta.dirname, '..', '..', 'examples', 'callcenter.yaml');

export interface TestServer {
  readonly server: RunningServer;
  readonly config: Config;
  readonly dir: string;
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export type ConfigOverrides = {
  [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K];
};

export interface TestServerOptions {
  clock?: Clock;
  /** The built-in simulator's clock: the same ManualClock as `clock` lets a test move both at once. */
  simulatorClock?: Clock;
  config?: ConfigOverrides;
  /** Changes to the example organisation's database before the server reads it. */
  prepare?: (db: Db) => void;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-test-'));
  try {
    return await startIn(dir, options);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function startIn(dir: string, options: TestServerOptions): Promise<TestServer> {
  const dbPath = join(dir, 'polylink.db');
  // The example organisation, imported once per run (test/global-setup.ts).
  copyFileSync(inject('exampleDatabase'), dbPath);
  if (options.prepare !== undefined) {
    const db = openDatabase(dbPath);
    options.prepare(db);
    db.close();
  }
  const base = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  const overrides = (options.config ?? {}) as Record<string, unknown>;
  // Each section of the overrides is laid over the same section of the defaults.
  for (const [key, value] of Object.entries(overrides)) {
    const section = base[key];
    base[key] = section !== null && typeof section === 'object' && !Array.isArray(section) && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { ...section, ...value }
      : value;
  }
  const config = base as unknown as Config;
  config.agent = { ...config.agent, host: '127.0.0.1', tcpPort: (overrides['agent'] as Partial<Config['agent']> | undefined)?.tcpPort ?? 0 };
  // Loopback unless a test needs a client from another address (http.host '0.0.0.0').
  config.http = { ...config.http, host: (overrides['http'] as Partial<Config['http']> | undefined)?.host ?? '127.0.0.1', port: 0 };
  config.database = { driver: 'sqlite', path: dbPath, url: null };
  config.organisation = { importOnEmpty: null };
  config.exports = { ...config.exports, dir: join(dir, 'exports') };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const log = createLogger('info', sink);
  const server = await startServer({ config, log, ...(options.clock ? { clock: options.clock } : {}), ...(options.simulatorClock ? { simulatorClock: options.simulatorClock } : {}) });
  return {
    server,
    config,
    dir,
    logs,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
