/**
 * Once per test run: the example organisation imported into a template database that
 * every test server copies (scrypt makes each import take about a second, so once per
 * run rather than once per test file), and removed when the run ends, failed or not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/store/database.js';
import { importOrganisationFile } from '../src/store/import-organisation.js';
import { migrate } from '../src/store/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The template database holding examples/callcenter.yaml (test/helpers/test-server.ts). */
    exampleDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-template-'));
  try {
    const path = join(dir, 'template.db');
    const db = openDatabase(path);
    try {
      migrate(db);
      await importOrganisationFile(db, resolve(import.meta.dirname, '..', 'examples', 'callcenter.yaml'));
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    project.provide('exampleDatabase', path);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
