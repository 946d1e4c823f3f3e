import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Organisation } from '../../../src/core/organisation.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { importOrganisation, importOrganisationFile } from '../../../src/store/import-organisation.js';
import { migrate, readMigrations } from '../../../src/store/migrate.js';
import { OrganisationFileError, parseOrganisationFile } from '../../../src/store/organisation-file.js';
import { loadOrganisation } from '../../../src/store/organisation-repo.js';
import { verifyPassword } from '../../../src/store/password.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { EXAMPLE_ORG } from '../../helpers/test-server.js';

const tempDir = tempDirs('polylink-store-');

function freshDb(): Db {
  const db = openDatabase(join(tempDir(), 'p.db'));
  migrate(db);
  return db;
}

describe('migrations', () => {
  it('are applied in order, each once, and recorded', () => {
    const db = openDatabase(join(tempDir(), 'p.db'));
    expect(migrate(db)).toEqual(readMigrations().map((m) => m.name));
    expect(migrate(db)).toEqual([]);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('import of the example organisation', () => {
  it('loads at least 20 agents, 3 groups, 3 queues and the agent, monitor and admin roles', async () => {
    const db = freshDb();
    const summary = await importOrganisationFile(db, EXAMPLE_ORG);
    expect(summary.agentsCreated).toBeGreaterThanOrEqual(20);
    const org = new Organisation(loadOrganisation(db));
    expect(org.groupsOf('20000153')).toHaveLength(3);
    expect(org.queuesOf('20000153')).toHaveLength(3);
    expect(org.rolesOf('20000153').map((r) => r.name)).toEqual(['Agent 坐席', 'Monitor 班长', 'Admin 管理员']);
    expect(org.hasRight('1101', 'listen')).toBe(true);
    expect(org.hasRight('1001', 'listen')).toBe(false);
    expect(org.monitorsGroup('1901', '3')).toBe(true);
    expect(org.membersOfQueue('632').map((m) => [m.agentId, m.level])).toContainEqual(['1024', 2]);
    expect(org.accessNumbersOf('20000153').find((a) => a.isDefault)?.number).toBe('4008001000');
    expect(await verifyPassword('1001pw', org.agent('1001')!.passwordHash)).toBe(true);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const db = freshDb();
    await importOrganisationFile(db, EXAMPLE_ORG, { now: 1 });
    const dump = () => JSON.stringify(['agents', 'roles', 'role_rights', 'queues', 'queue_members', 'agent_websites', 'access_numbers', 'custom_statuses', 'group_status_thresholds'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()));
    const before = dump();
    const again = await importOrganisationFile(db, EXAMPLE_ORG, { now: 2 });
    expect(again.agentsCreated).toBe(0);
    expect(again.agentsUpdated).toBe(0);
    expect(again.agentsUnchanged).toBe(27);
    expect(dump()).toBe(before);
  });

  it('keeps a password an agent changed unless asked to reset it', async () => {
    const db = freshDb();
    await importOrganisationFile(db, EXAMPLE_ORG);
    db.prepare("UPDATE agents SET password_hash = 'changed' WHERE agent_id = '1001'").run();
    await importOrganisationFile(db, EXAMPLE_ORG);
    expect(db.prepare("SELECT password_hash FROM agents WHERE agent_id = '1001'").get()).toEqual({ password_hash: 'changed' });
    await importOrganisationFile(db, EXAMPLE_ORG, { resetPasswords: true });
    const { password_hash } = db.prepare("SELECT password_hash FROM agents WHERE agent_id = '1001'").get() as { password_hash: string };
    expect(await verifyPassword('1001pw', password_hash)).toBe(true);
  });

  it('applies an edit: a moved agent, a renamed queue, a new membership list', async () => {
    const db = freshDb();
    const text = readFileSync(EXAMPLE_ORG, 'utf8');
    await importOrganisation(db, parseOrganisationFile(text));
    const edited = text
      .replace('{ id: "1002", name: "Wang Fang", password: "1002pw", role: "1", group: "1"', '{ id: "1002", name: "Wang Fang", password: "1002pw", role: "1", group: "2"')
      .replace('name: "Sales hotline 销售热线"', 'name: "Sales 销售"');
    const summary = await importOrganisation(db, parseOrganisationFile(edited));
    expect(summary.agentsUpdated).toBe(1);
    const org = new Organisation(loadOrganisation(db));
    expect(org.agent('1002')?.groupId).toBe('2');
    expect(org.queue('630')?.name).toBe('Sales 销售');
  });
});

describe('organisation file errors name the entry', () => {
  const base = readFileSync(EXAMPLE_ORG, 'utf8');
  it.each([
    ['agents[0].group', base.replace('role: "1", group: "1", exten: "8001"', 'role: "1", group: "9", exten: "8001"')],
    ['agents[0].id', base.replace('{ id: "1001"', '{ id: "42"')],
    ['agents[1].id', base.replace('{ id: "1002"', '{ id: 1002')],
    ['agents', base.replace('{ id: "1002"', '{ id: "1001"')],
    ['roles[0].rights[0]', base.replace('rights: [callout,', 'rights: [teleport,')],
    ['queues[0].strategy', base.replace('    strategy: longest-idle', '    strategy: fastest')],
    ['queues[1].timeoutTarget', base.replace('timeoutTarget: "632"', 'timeoutTarget: "999"')],
    ['accessNumbers', base.replace('name: "Service line 客服线",', 'name: "Service line 客服线", default: true,')],
    ['websites.9999', base.replace('  "1101":', '  "9999":')],
    ['tenant.accountId', base.replace('accountId: "20000153"', 'accountId: "200 00153"')],
  ])('%s', (path, text) => {
    let err: unknown;
    try {
      parseOrganisationFile(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OrganisationFileError);
    expect((err as OrganisationFileError).path).toBe(path);
  });
});
