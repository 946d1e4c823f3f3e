// Every SQLite migration has its PostgreSQL translation under the same name, and the
// translations are numbered as the originals are (the PostgreSQL store applies them:
// src/store/postgres/pg-migrate.ts). What the translations do is tested on a real server
// (test/integration/store/).
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/store/migrate.js';
import { postgresMigrations } from '../../../src/store/postgres/pg-migrate.js';

describe('schema/postgres/', () => {
  it('has one translation of each migration of schema/, with the same name', () => {
    expect(postgresMigrations().map((m) => m.name)).toEqual(readMigrations().map((m) => m.name));
  });

  it('holds none of the SQLite-only syntax the translation replaces', () => {
    for (const m of postgresMigrations()) {
      const sql = m.sql.replace(/--.*$/gm, '');
      expect(sql, m.name).not.toMatch(/\bGLOB\b|AUTOINCREMENT|\bPRAGMA\b|\bWITHOUT ROWID\b/i);
    }
  });
});
