/**
 * The benchmark's call centre: N agents in Q queues (each agent a member of one
 * queue, with its own extension), one access number per queue, written as an
 * organisation file and imported into a fresh SQLite database.
 *
 * Import and scrypt: every agent's password is hashed with scrypt (~45 ms each on
 * the 2-core machine), so a plain import of 2,000 agents takes about 90 s. By default
 * the agents share one password: the first agent is imported (one real scrypt hash),
 * its hash row is copied to the other agents' rows, and then the whole file goes
 * through importOrganisation — which hashes only agents that do not exist yet, so it
 * writes every other row (agents' settings, queues, members, access numbers) exactly
 * as a plain import would. `--hash-each` runs the plain import instead. Sign-in still
 * verifies the real scrypt hash for every agent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openDatabase } from '../../src/store/database.js';
import { importOrganisation } from '../../src/store/import-organisation.js';
import { migrate } from '../../src/store/migrate.js';
import { parseOrganisationFile, type OrganisationFile } from '../../src/store/organisation-file.js';

export const PASSWORD = 'acd-bench-pw';
const ACCOUNT = '30000001';

export interface BenchAgent {
  readonly id: string;
  readonly exten: string;
  readonly queueNum: string;
}

export interface BenchOrganisation {
  readonly dbPath: string;
  readonly agents: readonly BenchAgent[];
  readonly queueNums: readonly string[];
  /** accessNumbers[i] routes to queueNums[i]. */
  readonly accessNumbers: readonly string[];
  /** Writing and importing the file, ms. */
  readonly importMs: number;
  readonly hashes: 'shared' | 'each';
}

export function layout(agentCount: number, queueCount: number): { agents: BenchAgent[]; queueNums: string[]; accessNumbers: string[] } {
  const queueNums = Array.from({ length: queueCount }, (_, q) => String(7001 + q));
  const accessNumbers = Array.from({ length: queueCount }, (_, q) => `4008${String(q).padStart(6, '0')}`);
  const agents = Array.from({ length: agentCount }, (_, i) => ({
    id: String(10001 + i),
    exten: String(1_000_001 + i),
    // Contiguous blocks: agents 0–99 in the first queue, 100–199 in the second …
    queueNum: queueNums[Math.floor((i * queueCount) / agentCount)]!,
  }));
  return { agents, queueNums, accessNumbers };
}

/** The organisation file's text (YAML), as an operator would write it. */
export function organisationYaml(agentCount: number, queueCount: number, wrapUpSeconds: number): string {
  const { agents, queueNums, accessNumbers } = layout(agentCount, queueCount);
  return stringify({
    tenant: { accountId: ACCOUNT, name: 'ACD benchmark' },
    statuses: [],
    // Each queue's agents are one group, named like the queue.
    groups: queueNums.map((q) => ({ id: q, name: `Team ${q}` })),
    roles: [
      { id: '1', name: 'Agent', rights: ['callout', 'callagent', 'transfer', 'consult', 'threeway', 'hold', 'grade'] },
    ],
    agents: agents.map((a) => ({ id: a.id, name: `Agent ${a.id}`, password: PASSWORD, role: '1', group: a.queueNum, exten: a.exten, wrapUpSeconds })),
    queues: queueNums.map((q) => ({
      num: q,
      name: `Queue ${q}`,
      strategy: 'longest-idle',
      maxWaitSeconds: 600,
      // Never turn a customer away: the benchmark wants to see every customer served.
      maxLength: 10_000,
      ringTimeoutSeconds: 20,
      members: agents.filter((a) => a.queueNum === q).map((a) => a.id),
    })),
    ivrs: [],
    ivrProfiles: [],
    accessNumbers: queueNums.map((q, i) => ({ number: accessNumbers[i]!, name: `Line ${q}`, default: i === 0, queue: q })),
  });
}

export async function buildOrganisation(
  dir: string,
  agentCount: number,
  queueCount: number,
  wrapUpSeconds: number,
  hashEach: boolean,
): Promise<BenchOrganisation> {
  const began = performance.now();
  const file = join(dir, 'organisation.yaml');
  writeFileSync(file, organisationYaml(agentCount, queueCount, wrapUpSeconds));
  const org = parseOrganisationFile(readFileSync(file, 'utf8'));
  const dbPath = join(dir, 'polylink.db');
  const db = openDatabase(dbPath);
  try {
    migrate(db);
    if (hashEach) await importOrganisation(db, org);
    else await importSharingOneHash(db, org);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { dbPath, ...layout(agentCount, queueCount), importMs: performance.now() - began, hashes: hashEach ? 'each' : 'shared' };
}

type Db = ReturnType<typeof openDatabase>;

/** Imports `org` with one real scrypt hash shared by every agent (see above); the load harness uses it too. */
export async function importSharingOneHash(db: Db, org: OrganisationFile): Promise<void> {
  const [first, ...rest] = org.agents;
  if (first === undefined) throw new Error('no agents');
  // Tenant, groups, roles and the first agent, with its real scrypt hash.
  await importOrganisation(db, { ...org, agents: [first], queues: [], accessNumbers: [] });
  const { password_hash: hash } = db.prepare('SELECT password_hash FROM agents WHERE agent_id = ?').get(first.id) as { password_hash: string };
  const insert = db.prepare(`INSERT INTO agents (agent_id, account_id, name, password_hash, role_id, group_id, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const now = Date.now();
  db.transaction(() => {
    for (const a of rest) insert.run(a.id, org.tenant.accountId, a.name, hash, a.role, a.group, now, now);
  })();
  // Everything else as a plain import writes it (existing agents keep their hash).
  await importOrganisation(db, org);
}
