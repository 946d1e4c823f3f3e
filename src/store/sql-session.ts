/**
 * The few SQL calls that code run against either database needs (the organisation import
 * and the organisation's reads), asynchronous because PostgreSQL's are. Placeholders are
 * `?` in both dialects (the PostgreSQL session numbers them). The engine's per-step writes
 * do not go through this: they are the store's own (engine/store.ts, engine/pg-store.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface SqlSession {
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** How many rows the statement changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export interface SqlDatabase extends SqlSession {
  /** `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
}

/** A SQLite handle as a SqlDatabase. Statements are prepared once per text. */
export function sqliteSession(db: Db): SqlDatabase {
  const prepared = new Map<string, Statement<unknown[]>>();
  const prepare = (sql: string) => {
    let stmt = prepared.get(sql);
    if (stmt === undefined) prepared.set(sql, (stmt = db.prepare<unknown[]>(sql)));
    return stmt;
  };
  const session: SqlDatabase = {
    all: async <T>(sql: string, params: readonly unknown[] = []) => prepare(sql).all(...(params as unknown[])) as T[],
    run: async (sql, params = []) => prepare(sql).run(...(params as unknown[])).changes,
    async transaction(work) {
      // IMMEDIATE takes the write lock at once: the running server (another process) waits
      // for this import rather than failing halfway through it.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(session);
        db.exec('COMMIT');
        return result;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
  };
  return session;
}
