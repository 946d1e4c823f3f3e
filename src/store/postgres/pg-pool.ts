/**
 * Connections to PostgreSQL (node-postgres). BIGINT (int8) and NUMERIC come back as strings
 * by default, because they may pass 2⁵³; polylink's are milliseconds since the epoch and
 * counts, far below it, so they are read as numbers and rows look the same as SQLite's.
 * The parsers are this pool's own: the process-wide pg.types stay untouched.
 */
import pg from 'pg';

const INT8 = 20;
const NUMERIC = 1700;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

/** `max` connections at most: the write queue holds one, reads and the LISTEN one share the rest. */
export function openPgPool(url: string, max = 4): PgPool {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: 'polylink', connectionTimeoutMillis: 10_000 });
  // An idle connection the server ends (restart, idle timeout) is dropped from the pool; without
  // this listener its error would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/** The URL without its password, for logs and /health. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
