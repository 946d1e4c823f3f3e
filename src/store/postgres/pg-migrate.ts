/**
 * Applies the migrations of schema/ to PostgreSQL (translated: translate-ddl.ts) in order,
 * each once, each in its own transaction, as migrate.ts does for SQLite. Two processes starting together (an active/standby pair)
 * take turns: a transaction-level advisory lock serialises them, and the second finds
 * the migrations recorded.
 */
import { join } from 'node:path';
import { readMigrations, schemaDir, type Migration } from '../migrate.js';
import type { PgPool } from './pg-pool.js';
import { translateMigrations } from './translate-ddl.js';

/** Any constant both processes agree on: "polylink" in ASCII. */
const MIGRATION_LOCK = 0x706f6c796c696e6b;

export function postgresMigrations(): Migration[] {
  return translateMigrations(readMigrations(), join(schemaDir(), 'postgres'));
}

/** Returns the names of the migrations it applied (empty when the schema was current). */
export async function migratePostgres(pool: PgPool, migrations: Migration[] = postgresMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const done: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    await client.query('COMMIT');
    for (const m of migrations) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        const seen = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
        if (seen.rowCount === 0) {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          done.push(m.name);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`schema/${m.name} on PostgreSQL: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    client.release();
  }
  return done;
}
