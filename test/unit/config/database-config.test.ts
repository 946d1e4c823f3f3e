// database.driver / database.url: SQLite by default, PostgreSQL by configuration or the
// environment, and a clear refusal of what cannot work.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dir = tempDirs('polylink-dbconfig-');
const load = (env: Record<string, string>) => loadConfig({ env, cwd: dir() }).config.database;

describe('database configuration', () => {
  it('is SQLite at ./data/polylink.db unless told otherwise', () => {
    expect(load({})).toEqual({ driver: 'sqlite', path: './data/polylink.db', url: null });
  });

  it('takes PostgreSQL from POLYLINK_DATABASE_DRIVER and POLYLINK_DATABASE_URL', () => {
    const url = 'postgres://polylink:secret@db.example:5432/polylink';
    expect(load({ POLYLINK_DATABASE_DRIVER: 'postgres', POLYLINK_DATABASE_URL: url })).toEqual({ driver: 'postgres', path: './data/polylink.db', url });
  });

  it('refuses postgres without a URL, a URL that is not postgres://, and an unknown driver', () => {
    expect(() => load({ POLYLINK_DATABASE_DRIVER: 'postgres' })).toThrow('config key "database.url": is needed with database.driver postgres');
    expect(() => load({ POLYLINK_DATABASE_DRIVER: 'postgres', POLYLINK_DATABASE_URL: 'mysql://x/y' })).toThrow('config key "database.url": must be a postgres:// URL');
    expect(() => load({ POLYLINK_DATABASE_DRIVER: 'mongo' })).toThrow('config key "database.driver": must be one of sqlite, postgres');
  });
});
