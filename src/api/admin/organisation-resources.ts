/**
 * The organisation's entries as admin resources: agents, groups, roles and their rights,
 * custom statuses, queues (with their members), IVRs, IVR profiles, access numbers. Each
 * is a list of the tenant's organisation document (organisation-edit.ts), its fields those
 * of the organisation file (examples/callcenter.yaml), so an admin request and an import
 * say the same thing the same way.
 */
import { ALL_RIGHTS } from '../../core/rights.js';
import type { Organisation } from '../../core/organisation.js';
import type { Engine } from '../../engine/engine.js';
import { OVERFLOW_ACTIONS, QUEUE_STRATEGIES } from '../../store/organisation-file.js';
import { tenantNamed } from '../tenant-of.js';
import { AdminError } from './admin-error.js';
import type { OrganisationDocument } from '../../store/organisation-document.js';
import { apply, checked, documentOf, type DocumentList } from './organisation-edit.js';
import { byKey, type Entry, type Resource } from './resource.js';

const text = (description: string) => ({ type: 'string', description });
const nullableText = (description: string) => ({ type: ['string', 'null'], description });
const int = (description: string) => ({ type: 'integer', description });
const flag = (description: string) => ({ type: 'boolean', description });
const allOrList = (description: string) => ({ anyOf: [{ type: 'string', enum: ['all'] }, { type: 'array', items: { type: 'string' } }], description });

interface DocumentResourceSpec {
  readonly path: string;
  readonly label: string;
  readonly list: DocumentList;
  readonly key: string;
  readonly keySchema: Record<string, unknown>;
  readonly properties: Readonly<Record<string, Record<string, unknown>>>;
  readonly required: readonly string[];
  readonly writeOnly?: readonly string[];
  /** The tenant holding this key, for keys unique across tenants; absent for keys each tenant has its own of. */
  readonly owner?: (org: Organisation, key: string) => string | undefined;
  /** Refuses to delete an entry that is in use at run time (a signed-in agent, a queue with customers). */
  readonly inUse?: (engine: Engine, key: string) => string | undefined;
  /** What else an entry's deletion takes with it, as SQLite's ON DELETE CASCADE does (an agent's memberships). */
  readonly cascade?: (doc: OrganisationDocument, key: string) => void;
  /** What a new or changed entry means for the others (one default access number per tenant). */
  readonly settle?: (list: Entry[], entry: Entry) => void;
}

function documentResource(spec: DocumentResourceSpec): Resource {
  const writeOnly = spec.writeOnly ?? [];
  const keyOf = (e: Entry): string => String(e[spec.key]);
  const entries = (engine: Engine, accountId: string) => {
    const doc = documentOf(engine, accountId);
    return { doc, list: doc[spec.list] as Entry[] };
  };
  /** New passwords, hashed before the document is built (scrypt runs off the event loop). */
  const hashes = async (engine: Engine, key: string, entry: Entry): Promise<Map<string, string>> => {
    const password = entry['password'];
    if (typeof password !== 'string') return new Map();
    const min = engine.services.minPasswordLength;
    if (password.length < min || password.length > 128) throw new AdminError(400, 'bad-request', `password: must be ${min} to 128 characters long`, 'password');
    return new Map([[key, await engine.services.passwords.hash(password)]]);
  };
  return {
    path: spec.path,
    label: spec.label,
    key: spec.key,
    keySchema: spec.keySchema,
    properties: spec.properties,
    required: spec.required,
    writeOnly,
    tenantOf(engine, key, named) {
      if (spec.owner !== undefined) {
        const owner = spec.owner(engine.services.org, key);
        return named === undefined || named === owner ? owner : undefined;
      }
      const accountId = tenantNamed(engine.services.org, named);
      return entries(engine, accountId).list.some((e) => keyOf(e) === key) ? accountId : undefined;
    },
    list(engine, accountId) {
      return entries(engine, accountId)
        .list.map((e) => ({ accountId, ...withoutKeys(e, writeOnly) }))
        .sort((a, b) => byKey(keyOf(a), keyOf(b)));
    },
    async create(engine, accountId, entry) {
      const key = keyOf(entry);
      const newHashes = await hashes(engine, key, entry);
      const owner = spec.owner?.(engine.services.org, key);
      if (owner !== undefined && owner !== accountId) throw new AdminError(409, 'conflict', `${spec.label} ${key} belongs to tenant ${owner}`);
      const { doc, list } = entries(engine, accountId);
      if (list.some((e) => keyOf(e) === key)) throw new AdminError(409, 'conflict', `${spec.label} ${key} exists: change it with PATCH`);
      const added = withoutNulls(entry);
      spec.settle?.(list, added);
      list.push(added);
      apply(engine, accountId, checked(doc, `${spec.list}[${list.length - 1}]`), newHashes);
    },
    async update(engine, accountId, key, patch) {
      if (patch[spec.key] !== undefined && String(patch[spec.key]) !== key) throw new AdminError(400, 'bad-request', `${spec.key}: cannot be changed (it is ${key})`, spec.key);
      const newHashes = await hashes(engine, key, patch);
      const { doc, list } = entries(engine, accountId);
      const index = list.findIndex((e) => keyOf(e) === key);
      if (index < 0) throw new AdminError(404, 'not-found', `no ${spec.label} ${key}`);
      list[index] = withoutNulls({ ...list[index], ...patch });
      spec.settle?.(list, list[index]!);
      apply(engine, accountId, checked(doc, `${spec.list}[${index}]`), newHashes);
    },
    remove(engine, accountId, key) {
      const busy = spec.inUse?.(engine, key);
      if (busy !== undefined) throw new AdminError(409, 'conflict', busy);
      const { doc, list } = entries(engine, accountId);
      const index = list.findIndex((e) => keyOf(e) === key);
      if (index < 0) throw new AdminError(404, 'not-found', `no ${spec.label} ${key}`);
      list.splice(index, 1);
      spec.cascade?.(doc, key);
      apply(engine, accountId, checked(doc, undefined));
    },
  };
}

/** A field the file may leave out is left out rather than null: the check reads both alike. */
function withoutNulls(entry: Entry): Entry {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null));
}

function withoutKeys(entry: Entry, keys: readonly string[]): Entry {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !keys.includes(k)));
}

const ID = (what: string) => ({ type: 'string', description: what });

export const ORGANISATION_RESOURCES: readonly Resource[] = [
  documentResource({
    path: 'agents',
    label: 'agent',
    list: 'agents',
    key: 'id',
    keySchema: ID('the agent id, 101 … 999999'),
    properties: {
      name: text('the name shown to supervisors and in reports'),
      password: text('set only, never read back: stored as a scrypt hash'),
      role: text('its role id'),
      group: nullableText('its group id, or null'),
      enabled: flag('false: it cannot sign in'),
      exten: nullableText('its default extension, or null'),
      afterHangupStatus: { type: ['integer', 'null'], description: 'the state after a customer call instead of after-call work: 0, 6, 7, 8 or a custom status; null: after-call work' },
      wrapUpSeconds: int('after-call work, seconds'),
      record: flag("record the agent's calls"),
      ctiAnswer: flag('its phone answers when told to (the bar’s answer button works)'),
    },
    required: ['name', 'password', 'role'],
    writeOnly: ['password'],
    owner: (org, id) => org.agent(id)?.accountId,
    inUse: (engine, id) => (engine.agents.session(id) === undefined ? undefined : `agent ${id} is signed in: sign it out first`),
    cascade(doc, id) {
      for (const q of doc.queues) q['members'] = ((q['members'] ?? []) as Entry[]).filter((m) => m['agent'] !== id);
      delete doc.websites[id];
    },
  }),
  documentResource({
    path: 'groups',
    label: 'group',
    list: 'groups',
    key: 'id',
    keySchema: ID('the group id (digits)'),
    properties: { name: text('unique in the tenant'), leaveThreshold: { type: ['integer', 'null'], description: 'how many of its agents may be on leave at once; null: no limit' } },
    required: ['name'],
    owner: (org, id) => org.group(id)?.accountId,
  }),
  documentResource({
    path: 'roles',
    label: 'role',
    list: 'roles',
    key: 'id',
    keySchema: ID('the role id (digits)'),
    properties: {
      name: text('the role’s name'),
      rights: allOrList(`its rights: "all" or a list of ${ALL_RIGHTS.join(', ')}`),
      monitorGroups: allOrList('the groups it supervises: "all" or a list of group ids'),
    },
    required: ['name'],
    owner: (org, id) => org.role(id)?.accountId,
  }),
  documentResource({
    path: 'statuses',
    label: 'custom status',
    list: 'statuses',
    key: 'status',
    keySchema: { type: 'integer', description: 'the status number, 100 … 998' },
    properties: { name: text('its name on the bars'), kind: { type: 'string', enum: ['busy', 'rest'], description: 'how statistics count time in it' } },
    required: ['name'],
  }),
  documentResource({
    path: 'queues',
    label: 'queue',
    list: 'queues',
    key: 'num',
    keySchema: ID('the queue number (digits)'),
    properties: {
      name: text('the queue’s name'),
      strategy: { type: 'string', enum: [...QUEUE_STRATEGIES], description: 'how an agent is chosen' },
      maxWaitSeconds: int('the longest a customer waits before the timeout action'),
      maxLength: int('the most customers waiting'),
      timeoutAction: { type: 'string', enum: [...OVERFLOW_ACTIONS], description: 'what happens at the timeout' },
      timeoutTarget: nullableText('the queue, IVR or number of the timeout action'),
      noAgentAction: { type: 'string', enum: [...OVERFLOW_ACTIONS], description: 'what happens when no member is signed in' },
      noAgentTarget: nullableText('the queue, IVR or number of the no-agent action'),
      musicOnHold: text('local_stream://<name> or an absolute file path'),
      announcePosition: flag('tell a customer its position'),
      wrapUpSeconds: { type: ['integer', 'null'], description: 'after-call work after its calls; null: each agent’s own' },
      ringTimeoutSeconds: int('how long an agent’s phone rings'),
      record: flag('record its calls'),
      members: {
        type: 'array',
        description: 'its members (also /admin/queues/{num}/members)',
        items: {
          type: 'object',
          properties: { agent: text('an agent id'), level: int('skill level, 1 first'), penalty: int('order within a level') },
          required: ['agent'],
          additionalProperties: false,
        },
      },
    },
    required: ['name'],
    owner: (org, num) => org.queue(num)?.accountId,
    inUse: (engine, num) => (engine.queues.waitingCount(num) > 0 ? `queue ${num} has customers waiting: delete it when it is empty` : undefined),
  }),
  documentResource({
    path: 'ivrs',
    label: 'IVR',
    list: 'ivrs',
    key: 'num',
    keySchema: ID('the IVR number (digits)'),
    properties: { name: text('the IVR’s name') },
    required: ['name'],
    owner: (org, num) => [...org.allTenants()].find((t) => org.ivrsOf(t.accountId).some((i) => i.num === num))?.accountId,
  }),
  documentResource({
    path: 'ivr-profiles',
    label: 'IVR profile',
    list: 'ivrProfiles',
    key: 'num',
    keySchema: ID('the IVR profile number (digits)'),
    properties: { name: text('the IVR profile’s name') },
    required: ['name'],
    owner: (org, num) => [...org.allTenants()].find((t) => org.ivrProfilesOf(t.accountId).some((i) => i.num === num))?.accountId,
  }),
  documentResource({
    path: 'access-numbers',
    label: 'access number',
    list: 'accessNumbers',
    key: 'number',
    keySchema: ID('the number customers dial'),
    properties: {
      name: text('its name'),
      default: flag('the number outbound calls show by default (one per tenant)'),
      queue: nullableText('the queue its calls go to, or null'),
      gateway: nullableText('the gateway outbound calls shown with it leave through, or null'),
    },
    required: ['name'],
    owner: (org, number) => org.accessNumber(number)?.accountId,
    settle(list, entry) {
      // The tenant's default moves to the new one.
      if (entry['default'] === true) for (const other of list) if (other !== entry) other['default'] = false;
    },
  }),
];
