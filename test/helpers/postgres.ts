/**
 * A throwaway PostgreSQL server for the tests that use the PostgreSQL store: initdb into a
 * temporary folder, pg_ctl start on a free loopback port, removed when the test file ends
 * (passed or failed). Started by the test files that need it rather than by the global
 * setup, so a run that touches no PostgreSQL test does not pay its ~3 s.
 *
 * The binaries are Debian's (`apt-get install postgresql`, which .ci/run does):
 * /usr/lib/postgresql/<version>/bin, not on PATH. initdb and postgres refuse to run as root,
 * so as root (CI) they run as the `postgres` user the package creates, in a folder it owns.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migratePostgres } from '../../src/store/postgres/pg-migrate.js';
import { pgSession } from '../../src/store/postgres/pg-session.js';
import { importOrganisationFile } from '../../src/store/import-organisation.js';
import { openPgPool } from '../../src/store/postgres/pg-pool.js';
import { EXAMPLE_ORG } from './test-server.js';

export interface PgCluster {
  /** The URL of a database of this server. */
  url(database: string): string;
  /** A new database holding the example organisation (a copy of the template); it goes with the server. */
  exampleDatabase(): Promise<string>;
  /** A new empty database; it goes with the server. */
  emptyDatabase(): Promise<string>;
  /** Stops the server as a crash or an operator would (connections cut), keeping its data … */
  pause(): void;
  /** … and starts it again on the same port. */
  resume(): void;
  stop(): void;
}

/** initdb, pg_ctl: on PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) if (dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program, as `postgres` when this process is root. */
function pgRun(bin: string, program: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error('PostgreSQL is not installed (initdb, pg_ctl): apt-get install postgresql, as .ci/run does');
  const dir = mkdtempSync(join(tmpdir(), 'polylink-pg-'));
  const data = join(dir, 'data');
  let admin: pg.Pool | undefined;
  let started = false;
  const stop = (): void => {
    void admin?.end();
    admin = undefined;
    try {
      if (started) pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    mkdirSync(data, { mode: 0o700 });
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
      chownSync(data, uid, gid);
    }
    // trust on loopback: a throwaway server of one test file; no fsync: its data need not survive a crash.
    pgRun(bin, 'initdb', ['-D', data, '-U', 'polylink', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const port = await freePort();
    const start = (): void => {
      pgRun(bin, 'pg_ctl', ['start', '-D', data, '-w', '-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`]);
      started = true;
    };
    start();
    const url = (database: string) => `postgres://polylink@127.0.0.1:${port}/${database}`;
    admin = new pg.Pool({ connectionString: url('postgres'), max: 1 });
    // Its idle connection is cut by pause(): without a listener that error would end the test process.
    admin.on('error', () => undefined);
    const db = admin;
    // The example organisation, imported once (scrypt makes it take about a second), then copied per test.
    const template = 'polylink_template';
    await db.query(`CREATE DATABASE ${template}`);
    const pool = openPgPool(url(template), 1);
    try {
      await migratePostgres(pool);
      await importOrganisationFile(pgSession(pool), EXAMPLE_ORG);
    } finally {
      await pool.end();
    }
    const create = async (from: string): Promise<string> => {
      const name = `polylink_${randomBytes(6).toString('hex')}`;
      await db.query(`CREATE DATABASE ${name} TEMPLATE ${from}`);
      return url(name);
    };
    const pause = (): void => {
      pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']);
      started = false;
    };
    return { url, exampleDatabase: () => create(template), emptyDatabase: () => create('template0'), pause, resume: start, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/** One server for the test file: started before its tests, stopped and removed after them. */
export function usePostgres(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());
  return () => {
    if (cluster === undefined) throw new Error('the PostgreSQL server is not started (usePostgres() at the top of the file)');
    return cluster;
  };
}
