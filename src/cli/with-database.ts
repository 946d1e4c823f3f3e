/** The configured database for one command line's work (`migrate`, `import`), closed after it. */
import type { Config } from '../config/config-schema.js';
import { openDatabase, type Db } from '../store/database.js';
import { openPgPool, redactUrl, type PgPool } from '../store/postgres/pg-pool.js';

export type ToolDatabase = { readonly kind: 'sqlite'; readonly db: Db } | { readonly kind: 'postgres'; readonly pool: PgPool };

export async function withDatabase<T>(config: Config, work: (db: ToolDatabase) => Promise<T>): Promise<T> {
  if (config.database.driver === 'postgres') {
    const pool = openPgPool(config.database.url!, 2);
    try {
      return await work({ kind: 'postgres', pool });
    } finally {
      await pool.end();
    }
  }
  const db = openDatabase(config.database.path);
  try {
    return await work({ kind: 'sqlite', db });
  } finally {
    db.close();
  }
}

/** Where the data went, for a message (a PostgreSQL URL without its password). */
export function databaseName(config: Config): string {
  return config.database.driver === 'postgres' ? redactUrl(config.database.url!) : config.database.path;
}
