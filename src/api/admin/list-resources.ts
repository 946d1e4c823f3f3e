/**
 * The ACD's customer lists as admin resources: the blacklist (numbers turned away) and
 * the customers (a number's VIP grade and exclusive agent). An entry is checked as the
 * organisation file's `blacklist` and `customers` entries are (with the tenant's agents,
 * for an exclusive agent), then changed through the core (inputs `blacklist` and
 * `customer-entry`), which stores it in the same step.
 */
import type { Engine } from '../../engine/engine.js';
import { tenantNamed } from '../tenant-of.js';
import { AdminError } from './admin-error.js';
import { checked, documentOf } from './organisation-edit.js';
import { byKey, type Entry, type Resource } from './resource.js';

const NUMBER = { type: 'string', description: "a customer's number as the caller ID shows it: digits with an optional leading +" };

/** The tenant named (or the only one) when it has this number on the list. */
function listTenant(engine: Engine, named: string | undefined, has: (accountId: string) => boolean): string | undefined {
  const accountId = tenantNamed(engine.services.org, named);
  return has(accountId) ? accountId : undefined;
}

const blacklist: Resource = {
  path: 'blacklist',
  label: 'blacklisted number',
  key: 'number',
  keySchema: NUMBER,
  properties: { reason: { type: ['string', 'null'], description: 'why, kept in SQLite (set when it is added)' } },
  required: [],
  writeOnly: ['reason'],
  immutable: true,
  tenantOf: (engine, number, named) => listTenant(engine, named, (accountId) => engine.lists.isBlacklisted(accountId, number)),
  list: (engine, accountId) => engine.lists.blacklistOf(accountId).sort(byKey).map((number) => ({ accountId, number })),
  async create(engine, accountId, entry) {
    const doc = documentOf(engine, accountId);
    doc.blacklist = [entry];
    const file = checked(doc, 'blacklist[0]');
    const { number, reason } = file.blacklist[0]!;
    const step = engine.handle({ type: 'blacklist', accountId, number, on: true, reason });
    if (step?.changed !== true) throw new AdminError(409, 'conflict', `${number} is blacklisted already`);
  },
  async update() {
    throw new AdminError(405, 'method-not-allowed', 'a blacklisted number is put on or taken off, not changed');
  },
  remove(engine, accountId, number) {
    const step = engine.handle({ type: 'blacklist', accountId, number, on: false, reason: null });
    if (step?.changed !== true) throw new AdminError(404, 'not-found', `${number} is not blacklisted`);
  },
};

function customerView(engine: Engine, accountId: string, number: string): Entry | undefined {
  const c = engine.lists.customer(accountId, number);
  if (c === undefined) return undefined;
  return { accountId, number, grade: c.grade, exclusiveAgent: c.exclusiveAgent?.agentId ?? null, fallbackSeconds: c.exclusiveAgent?.fallbackSeconds ?? 30 };
}

/** Checks a customer entry as the file's `customers` entry, and hands it to the core. */
function putCustomer(engine: Engine, accountId: string, entry: Entry): boolean {
  const doc = documentOf(engine, accountId);
  doc.customers = [Object.fromEntries(Object.entries(entry).filter(([k, v]) => k !== 'accountId' && v !== null))];
  const c = checked(doc, 'customers[0]').customers[0]!;
  const exclusiveAgent = c.exclusiveAgent === null ? null : { agentId: c.exclusiveAgent, fallbackSeconds: c.fallbackSeconds };
  return engine.handle({ type: 'customer-entry', accountId, number: c.number, entry: { grade: c.grade, exclusiveAgent } })?.changed === true;
}

const customers: Resource = {
  path: 'customers',
  label: 'customer',
  key: 'number',
  keySchema: NUMBER,
  properties: {
    grade: { type: 'integer', description: 'cust_grade: 0 ordinary, 1 VIP (served first), up to 9' },
    exclusiveAgent: { type: ['string', 'null'], description: 'the agent the number goes to first (专属坐席), or null' },
    fallbackSeconds: { type: 'integer', description: 'after this long any agent may take it' },
  },
  required: [],
  writeOnly: [],
  tenantOf: (engine, number, named) => listTenant(engine, named, (accountId) => engine.lists.customer(accountId, number) !== undefined),
  list: (engine, accountId) => engine.lists.customersOf(accountId).map((c) => customerView(engine, accountId, c.number)!),
  async create(engine, accountId, entry) {
    if (engine.lists.customer(accountId, String(entry['number'])) !== undefined) throw new AdminError(409, 'conflict', `customer ${String(entry['number'])} exists: change it with PATCH`);
    // An ordinary grade and no exclusive agent is what every number not on the lists has.
    if (!putCustomer(engine, accountId, entry)) throw new AdminError(400, 'bad-request', 'grade 0 and no exclusiveAgent: nothing to keep for this number');
  },
  async update(engine, accountId, number, patch) {
    if (patch['number'] !== undefined && patch['number'] !== number) throw new AdminError(400, 'bad-request', `number: cannot be changed (it is ${number})`, 'number');
    const current = customerView(engine, accountId, number);
    if (current === undefined) throw new AdminError(404, 'not-found', `no customer ${number}`);
    putCustomer(engine, accountId, { ...current, ...patch });
  },
  remove(engine, accountId, number) {
    const step = engine.handle({ type: 'customer-entry', accountId, number, entry: null });
    if (step?.changed !== true) throw new AdminError(404, 'not-found', `no customer ${number}`);
  },
};

export const LIST_RESOURCES: readonly Resource[] = [blacklist, customers];
