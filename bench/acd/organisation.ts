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
/** The supervisors' own group (group ids are digits; the queues' groups are named like the queues, 7001 …). */
const LEADS_GROUP = '9000';

export interface BenchAgent {
  readonly id: string;
  readonly exten: string;
  readonly queueNum: string;
}

/** A supervisor of the monitoring benchmark: no phone, no queue, watching some groups (one group per queue). */
export interface BenchSupervisor {
  readonly id: string;
  /** The groups its role monitors: one (`group` scope) or every group (`all`). */
  readonly groups: readonly string[];
}

export interface SupervisorLayout {
  readonly count: number;
  /** `group`: supervisor i watches the group of queue i mod Q (2–3 per group with 50 and 20); `all`: every one watches every group. */
  readonly scope: 'group' | 'all';
}

export interface BenchOrganisation {
  readonly dbPath: string;
  readonly agents: readonly BenchAgent[];
  readonly supervisors: readonly BenchSupervisor[];
  readonly queueNums: readonly string[];
  /** accessNumbers[i] routes to queueNums[i]. */
  readonly accessNumbers: readonly string[];
  /** Writing and importing the file, ms. */
  readonly importMs: number;
  readonly hashes: 'shared' | 'each';
}

export function layout(
  agentCount: number,
  queueCount: number,
  sup: SupervisorLayout = { count: 0, scope: 'group' },
): { agents: BenchAgent[]; supervisors: BenchSupervisor[]; queueNums: string[]; accessNumbers: string[] } {
  const queueNums = Array.from({ length: queueCount }, (_, q) => String(7001 + q));
  const accessNumbers = Array.from({ length: queueCount }, (_, q) => `4008${String(q).padStart(6, '0')}`);
  const agents = Array.from({ length: agentCount }, (_, i) => ({
    id: String(10001 + i),
    exten: String(1_000_001 + i),
    // Contiguous blocks: agents 0–99 in the first queue, 100–199 in the second …
    queueNum: queueNums[Math.floor((i * queueCount) / agentCount)]!,
  }));
  // Each queue's agents are one group, named like the queue.
  const supervisors = Array.from({ length: sup.count }, (_, i) => ({
    id: String(90001 + i),
    groups: sup.scope === 'all' ? queueNums : [queueNums[i % queueCount]!],
  }));
  return { agents, supervisors, queueNums, accessNumbers };
}

/** The organisation file's text (YAML), as an operator would write it. */
export function organisationYaml(agentCount: number, queueCount: number, wrapUpSeconds: number, sup?: SupervisorLayout): string {
  const { agents, supervisors, queueNums, accessNumbers } = layout(agentCount, queueCount, sup);
  return stringify({
    tenant: { accountId: ACCOUNT, name: 'ACD benchmark' },
    statuses: [],
    groups: [...queueNums.map((q) => ({ id: q, name: `Team ${q}` })), ...(supervisors.length > 0 ? [{ id: LEADS_GROUP, name: 'Team leads' }] : [])],
    roles: [
      { id: '1', name: 'Agent', rights: ['callout', 'callagent', 'transfer', 'consult', 'threeway', 'hold', 'grade'] },
      // One role per supervisor: a role names the groups it monitors.
      ...supervisors.map((s) => ({ id: `9${s.id}`, name: `Lead ${s.id}`, rights: ['monitor', 'listen', 'whisper', 'bargein', 'forcehangup', 'intercept'], monitorGroups: s.groups })),
    ],
    agents: [
      ...agents.map((a) => ({ id: a.id, name: `Agent ${a.id}`, password: PASSWORD, role: '1', group: a.queueNum, exten: a.exten, wrapUpSeconds })),
      ...supervisors.map((s) => ({ id: s.id, name: `Lead ${s.id}`, password: PASSWORD, role: `9${s.id}`, group: LEADS_GROUP })),
    ],
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
  sup?: SupervisorLayout,
): Promise<BenchOrganisation> {
  const began = performance.now();
  const file = join(dir, 'organisation.yaml');
  writeFileSync(file, organisationYaml(agentCount, queueCount, wrapUpSeconds, sup));
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
  return { dbPath, ...layout(agentCount, queueCount, sup), importMs: performance.now() - began, hashes: hashEach ? 'each' : 'shared' };
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
