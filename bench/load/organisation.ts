/**
 * The harness's call centre, written as an organisation file and imported into a fresh
 * SQLite file in the run's temporary folder: N agents in Q queues (each agent a member of
 * one queue and of that queue's group, with its own extension), one access number per
 * queue, and supervisors dealt round the groups (one per group; with more supervisors
 * than groups, two or more on a group), each with its group's leader role, which
 * monitors that group. Every password is
 * the same, imported with one scrypt hash shared by all (bench/acd/organisation.ts says
 * why); sign-in still verifies a real scrypt hash for each agent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { openDatabase } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { parseOrganisationFile } from '../../src/store/organisation-file.js';
import { importSharingOneHash } from '../acd/organisation.js';

export const PASSWORD = 'load-harness-pw';

export interface LoadAgent {
  readonly id: string;
  readonly exten: string;
  readonly queue: string;
}

export interface LoadQueue {
  readonly num: string;
  readonly accessNumber: string;
  readonly members: readonly string[];
  /** The (first) supervisor watching the queue's group, if any. */
  readonly supervisor: string | undefined;
  /** Every supervisor watching the queue's group. */
  readonly watchers: readonly string[];
}

export interface LoadOrganisation {
  readonly dbPath: string;
  readonly file: string;
  readonly agents: readonly LoadAgent[];
  readonly supervisors: ReadonlyArray<{ readonly id: string; readonly queue: string }>;
  readonly queues: readonly LoadQueue[];
  readonly importMs: number;
}

export function layout(agentCount: number, queueCount: number, supervisorCount: number): Omit<LoadOrganisation, 'dbPath' | 'file' | 'importMs'> {
  const nums = Array.from({ length: queueCount }, (_, q) => String(7001 + q));
  const agents = Array.from({ length: agentCount }, (_, i) => ({
    id: String(10001 + i),
    exten: String(1_000_001 + i),
    // Contiguous blocks: the first N/Q agents in the first queue …
    queue: nums[Math.floor((i * queueCount) / agentCount)]!,
  }));
  // Dealt round: supervisor s watches the s-th group, again from the first past the last.
  const supervisors = Array.from({ length: supervisorCount }, (_, s) => ({ id: String(90001 + s), queue: nums[s % queueCount]! }));
  const queues = nums.map((num, q) => {
    const watchers = supervisors.filter((s) => s.queue === num).map((s) => s.id);
    return { num, accessNumber: `4008${String(q).padStart(6, '0')}`, members: agents.filter((a) => a.queue === num).map((a) => a.id), supervisor: watchers[0], watchers };
  });
  return { agents, supervisors, queues };
}

function organisationYaml(org: Omit<LoadOrganisation, 'dbPath' | 'file' | 'importMs'>, wrapUpSeconds: number): string {
  return stringify({
    tenant: { accountId: '30000001', name: 'Load harness' },
    statuses: [],
    groups: org.queues.map((q) => ({ id: q.num, name: `Team ${q.num}` })),
    roles: [
      { id: '1', name: 'Agent', rights: ['callout', 'callagent', 'transfer', 'consult', 'threeway', 'hold', 'grade'] },
      // One supervisor role per watched group: each team leader watches its own team.
      ...org.queues
        .filter((q) => q.watchers.length > 0)
        .map((q) => ({ id: String(1000 + Number(q.num) - 7000), name: `Leader of team ${q.num}`, rights: ['monitor', 'forcechangestatus'], monitorGroups: [q.num] })),
    ],
    agents: [
      ...org.agents.map((a) => ({ id: a.id, name: `Agent ${a.id}`, password: PASSWORD, role: '1', group: a.queue, exten: a.exten, wrapUpSeconds })),
      ...org.supervisors.map((s) => ({ id: s.id, name: `Supervisor ${s.id}`, password: PASSWORD, role: String(1000 + Number(s.queue) - 7000), group: s.queue })),
    ],
    queues: org.queues.map((q) => ({
      num: q.num,
      name: `Queue ${q.num}`,
      strategy: 'longest-idle',
      maxWaitSeconds: 600,
      // Never turn a customer away: every customer should reach an agent.
      maxLength: 10_000,
      ringTimeoutSeconds: 20,
      members: q.members,
    })),
    ivrs: [],
    ivrProfiles: [],
    accessNumbers: org.queues.map((q, i) => ({ number: q.accessNumber, name: `Line ${q.num}`, default: i === 0, queue: q.num })),
  });
}

export async function buildOrganisation(dir: string, agentCount: number, queueCount: number, supervisorCount: number, wrapUpSeconds: number): Promise<LoadOrganisation> {
  const began = performance.now();
  const org = layout(agentCount, queueCount, supervisorCount);
  const file = join(dir, 'organisation.yaml');
  writeFileSync(file, organisationYaml(org, wrapUpSeconds));
  const dbPath = join(dir, 'polylink.db');
  const db = openDatabase(dbPath);
  try {
    migrate(db);
    await importSharingOneHash(db, parseOrganisationFile(readFileSync(file, 'utf8')));
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return { ...org, dbPath, file, importMs: performance.now() - began };
}
