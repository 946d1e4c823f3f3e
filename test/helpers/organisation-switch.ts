/**
 * "A real FreeSWITCH" for tests of polylink as a child process: the simulator in the test's
 * own process, on its own port, furnished with the example organisation's phones, access
 * numbers and trunk as freeswitch-conf/ furnishes a real one. The test can kill polylink
 * and start it again while the switch (and its calls) go on.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Organisation } from '../../src/core/organisation.js';
import { simulatorSetupOf } from '../../src/app/simulator-setup.js';
import { furnish } from '../../src/simulator/furnish.js';
import { SwitchSimulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { openDatabase } from '../../src/store/database.js';
import { importOrganisationFile } from '../../src/store/import-organisation.js';
import { migrate } from '../../src/store/migrate.js';
import { loadOrganisation } from '../../src/store/organisation-repo.js';
import { ROOT } from './polylink-process.js';

/** examples/callcenter.yaml, as polylink reads it from its database. */
export async function exampleOrganisation(): Promise<Organisation> {
  const db = openDatabase(':memory:');
  try {
    migrate(db);
    await importOrganisationFile(db, join(ROOT, 'examples', 'callcenter.yaml'));
    return new Organisation(loadOrganisation(db));
  } finally {
    db.close();
  }
}

/** A started simulator with the example organisation; phones and customers answer after 50 ms. */
export async function startOrganisationSwitch(options: SimulatorOptions & { password: string }): Promise<SwitchSimulator> {
  const sim = new SwitchSimulator({ port: 0, host: '127.0.0.1', ...options });
  furnish(sim, simulatorSetupOf(await exampleOrganisation()), { phoneAnswerAfterMs: 50, customerAnswerAfterMs: 50 });
  await sim.start();
  return sim;
}

/** The rows of a query on polylink's database file, read through a connection of its own. */
export function rowsOf(file: string, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}
