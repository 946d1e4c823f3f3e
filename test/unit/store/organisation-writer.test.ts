// The admin API's write path below HTTP: a tenant's organisation as a document and back
// (what is not edited comes back as it was), and the diff writer (only what changed is
// written, and SQLite then holds exactly the organisation the core works on).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, inject } from 'vitest';
import { tenantPart, type OrganisationData } from '../../../src/core/organisation.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { tenantDataOf, tenantDocument } from '../../../src/store/organisation-document.js';
import { checkOrganisation } from '../../../src/store/organisation-file.js';
import { loadOrganisation } from '../../../src/store/organisation-repo.js';
import { writeOrganisationChange } from '../../../src/store/organisation-writer.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-writer-');
const TENANT = '20000153';

function exampleDb(): Db {
  const path = join(tempDir(), 'p.db');
  copyFileSync(inject('exampleDatabase'), path);
  return openDatabase(path);
}

/** Comparable: Sets and Maps as sorted arrays, lists in key order. */
function plain(data: OrganisationData): unknown {
  const sort = <T>(items: readonly T[], key: (t: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    ...data,
    roles: sort(data.roles, (r) => r.roleId).map((r) => ({ ...r, rights: [...r.rights].sort(), monitoredGroups: [...r.monitoredGroups].sort() })),
    agents: sort(data.agents, (a) => a.agentId),
    groups: sort(data.groups, (g) => g.groupId),
    queues: sort(data.queues, (q) => q.queueNum),
    queueMembers: sort(data.queueMembers, (m) => `${m.queueNum}/${m.agentId}`),
    customStatuses: sort(data.customStatuses, (s) => String(s.status)),
    accessNumbers: sort(data.accessNumbers, (a) => a.number),
    websites: [...data.websites].sort(),
    thresholds: [...data.thresholds].map(([g, m]) => [g, [...m].sort()]).sort(),
  };
}

describe('a tenant’s organisation as a document', () => {
  it('passes the import’s check and comes back unchanged', () => {
    const db = exampleDb();
    const before = tenantPart(loadOrganisation(db), TENANT);
    const back = tenantDataOf(checkOrganisation(tenantDocument(before)), before, new Map());
    expect(plain(back)).toEqual(plain(before));
    db.close();
  });
});

describe('the diff writer', () => {
  it('writes what changed, deletes what is gone, and leaves SQLite holding the organisation after', () => {
    const db = exampleDb();
    const before = tenantPart(loadOrganisation(db), TENANT);
    const doc = tenantDocument(before);
    doc.agents = doc.agents.filter((a) => a['id'] !== '1024');
    delete doc.websites['1024'];
    for (const q of doc.queues) q['members'] = (q['members'] as Record<string, unknown>[]).filter((m) => m['agent'] !== '1024');
    const a1001 = doc.agents.find((a) => a['id'] === '1001')!;
    a1001['name'] = 'Zhang Wei (lead)';
    a1001['group'] = null;
    doc.groups.push({ id: '9', name: 'Night', leaveThreshold: 4 });
    doc.roles.push({ id: '9', name: 'Night lead', rights: ['monitor'], monitorGroups: ['9'] });
    doc.agents.push({ id: '1030', name: 'New', password: 'pw-1030', role: '9', group: '9' });
    doc.statuses.push({ status: 150, name: 'Training', kind: 'rest' });
    doc.accessNumbers = doc.accessNumbers.map((a) => ({ ...a, default: a['number'] === '4008002000' }));
    const after = tenantDataOf(checkOrganisation(doc), before, new Map([['1030', 'scrypt$hash-of-1030']]));
    let statements = 0;
    const counting = new Proxy(db, { get: (t, p) => (p === 'prepare' ? (sql: string) => (statements++, t.prepare(sql)) : Reflect.get(t, p)) });
    db.transaction(() => writeOrganisationChange(counting, TENANT, before, after, 1_700_000_000_000))();
    expect(plain(tenantPart(loadOrganisation(db), TENANT))).toEqual(plain(after));
    // Only what changed: a handful of statements, not one per row of the organisation.
    expect(statements).toBeLessThan(25);
    expect(db.prepare("SELECT agent_id FROM queue_members WHERE agent_id = '1024'").all()).toEqual([]);
    expect(db.prepare("SELECT password_hash FROM agents WHERE agent_id = '1030'").get()).toEqual({ password_hash: 'scrypt$hash-of-1030' });
    // Written again with nothing changed, nothing is written.
    statements = 0;
    db.transaction(() => writeOrganisationChange(counting, TENANT, after, after, 1_700_000_000_000))();
    expect(statements).toBe(0);
    db.close();
  });
});
