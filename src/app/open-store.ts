/**
 * Opens the store `database.driver` names, migrated, with the example organisation imported
 * into an empty one: SQLite (the file at database.path) or PostgreSQL (database.url). The
 * engine gets a Store either way; nothing past here knows which.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/config-schema.js';
import { SqliteStore, type Store, type StorePushes } from '../engine/store.js';
import { PgStore } from '../engine/pg-store.js';
import type { Logger } from '../log.js';
import { openDatabase, type Db } from '../store/database.js';
import { importOrganisationFile } from '../store/import-organisation.js';
import { migrate } from '../store/migrate.js';
import { migratePostgres } from '../store/postgres/pg-migrate.js';
import { openPgPool, redactUrl } from '../store/postgres/pg-pool.js';
import { pgSession } from '../store/postgres/pg-session.js';
import { sqliteSession, type SqlDatabase } from '../store/sql-session.js';
import type { DayClock } from '../time-format.js';
import { SHUTDOWN_STEP_MS } from './shutdown.js';

export interface OpenedStore {
  readonly store: Store;
  /** SQLite: a second, read-only-by-use connection for tools and tests; PostgreSQL: none (use a client of its own). */
  readonly inspect: Db | undefined;
  /** Where the data is, for the log (a PostgreSQL URL without its password). */
  readonly where: string;
}

/** `pushes`: how SQLite's store renders a step's push facts into its outbox (webhooks: SQLite only for now). */
export async function openStore(config: Config, days: DayClock, log: Logger, now: number, pushes?: StorePushes): Promise<OpenedStore> {
  const { database } = config;
  if (database.driver === 'postgres') {
    const url = database.url!;
    const pool = openPgPool(url);
    try {
      const applied = await migratePostgres(pool);
      if (applied.length > 0) log.info({ applied }, 'database migrated');
      await importOnEmpty(pgSession(pool), config.organisation.importOnEmpty, log);
      const store = await PgStore.open({ pool, url, days, log, now, resumeGraceMs: config.agent.resumeGraceSeconds * 1000, closeWaitMs: SHUTDOWN_STEP_MS.store });
      return { store, inspect: undefined, where: redactUrl(url) };
    } catch (err) {
      await pool.end();
      throw err;
    }
  }
  const db = openDatabase(database.path);
  try {
    const applied = migrate(db);
    if (applied.length > 0) log.info({ applied }, 'database migrated');
    await importOnEmpty(sqliteSession(db), config.organisation.importOnEmpty, log);
  } catch (err) {
    db.close();
    throw err;
  }
  return { store: new SqliteStore(db, days, pushes), inspect: openDatabase(database.path), where: database.path };
}

/** A database without agents gets the example organisation (a fresh start), when the file is there. */
async function importOnEmpty(sql: SqlDatabase, example: string | null, log: Logger): Promise<void> {
  const [row] = await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM agents');
  if (row!.n !== 0 || example === null) return;
  if (!existsSync(example)) {
    log.warn({ file: example }, 'empty database and organisation.importOnEmpty does not exist: no agents');
    return;
  }
  const summary = await importOrganisationFile(sql, example);
  log.info({ file: example, ...summary }, 'empty database: organisation imported');
}
