/** A PostgreSQL pool as a SqlDatabase (sql-session.ts): `?` placeholders numbered $1, $2 … */
import type { SqlDatabase, SqlSession } from '../sql-session.js';
import type { PgClient, PgPool } from './pg-pool.js';

const numbered = new Map<string, string>();

/** Numbers SQLite-style bind parameters for PostgreSQL: `?` → `$n`. polylink's statements hold no `?` inside string literals. */
export function numberBindParameters(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, text);
  }
  return text;
}

function sessionOf(q: PgPool | PgClient): SqlSession {
  return {
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await q.query(numberBindParameters(sql), params as unknown[])).rows as T[],
    run: async (sql, params = []) => (await q.query(numberBindParameters(sql), params as unknown[])).rowCount ?? 0,
  };
}

export function pgSession(pool: PgPool): SqlDatabase {
  return {
    ...sessionOf(pool),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
  };
}
