/**
 * Applies the SQL files of schema/ in order (NNN_name.sql), each once, each in its own
 * transaction, recording them in schema_migrations.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './database.js';

/** schema/ beside src/ (from source) or beside dist/src/ (built). */
export function schemaDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'schema');
    try {
      readdirSync(dir);
      return dir;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(`schema/ not found from ${here}`);
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string = schemaDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`schema/${m.name}: expected migration number ${i + 1}`);
  });
  return migrations;
}

/** Returns the names of the migrations it applied (empty when the schema was current). */
export function migrate(db: Db, migrations: Migration[] = readMigrations()): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    done.push(m.name);
  }
  return done;
}
