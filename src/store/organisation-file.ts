/**
 * The organisation file (`examples/callcenter.yaml`): its shape and the check that
 * names the bad entry. The import (import-organisation.ts) writes what this returns.
 */
import { AGENT_ID, isAgentId, NUMBER_ID } from '../core/identifiers.js';
import { PHONE_NUMBER } from '../numbers/phone-number.js';
import { parse as parseYaml } from 'yaml';
import { ALL_RIGHTS, isRight, type Right } from '../core/rights.js';
import { isSelectableStatus } from '../core/agent-status.js';

export const QUEUE_STRATEGIES = [
  'longest-idle',
  'round-robin',
  'fewest-calls',
  'least-talk-time',
  'ring-all',
  'random',
  'top-down',
  'skill',
] as const;

export const OVERFLOW_ACTIONS = ['hangup', 'voicemail', 'queue', 'ivr', 'number', 'wait'] as const;

export interface OrganisationFile {
  tenant: { accountId: string; name: string };
  statuses: { status: number; name: string; kind: 'busy' | 'rest' }[];
  groups: { id: string; name: string; leaveThreshold: number | null }[];
  roles: { id: string; name: string; rights: Right[]; monitorAllGroups: boolean; monitorGroups: string[] }[];
  agents: {
    id: string;
    name: string;
    password: string;
    role: string;
    group: string | null;
    enabled: boolean;
    exten: string | null;
    afterHangupStatus: number | null;
    wrapUpSeconds: number;
    record: boolean;
    ctiAnswer: boolean;
  }[];
  queues: {
    num: string;
    name: string;
    strategy: (typeof QUEUE_STRATEGIES)[number];
    maxWaitSeconds: number;
    maxLength: number;
    timeoutAction: (typeof OVERFLOW_ACTIONS)[number];
    timeoutTarget: string | null;
    noAgentAction: (typeof OVERFLOW_ACTIONS)[number];
    noAgentTarget: string | null;
    musicOnHold: string;
    announcePosition: boolean;
    wrapUpSeconds: number | null;
    ringTimeoutSeconds: number;
    record: boolean;
    members: { agent: string; level: number; penalty: number }[];
  }[];
  ivrs: { num: string; name: string }[];
  ivrProfiles: { num: string; name: string }[];
  accessNumbers: { number: string; name: string; isDefault: boolean; queue: string | null; gateway: string | null }[];
  /** Agent ID (or `all`) → sites. */
  websites: Map<string, { name: string; url: string }[]>;
  /** Numbers the ACD turns away. */
  blacklist: { number: string; reason: string | null }[];
  /** VIP grades and exclusive agents (专属坐席) of customer numbers. */
  customers: { number: string; grade: number; exclusiveAgent: string | null; fallbackSeconds: number }[];
}

export class OrganisationFileError extends Error {
  override readonly name = 'OrganisationFileError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

type Obj = Record<string, unknown>;

/** A customer's number as the caller ID shows it. */
const CUSTOMER_NUMBER = PHONE_NUMBER;

export function parseOrganisationFile(text: string): OrganisationFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new OrganisationFileError('(file)', `not valid YAML: ${(err as Error).message}`);
  }
  return checkOrganisation(doc);
}

/**
 * The check of an organisation given as data (a parsed file, or one tenant's organisation
 * the admin API edited): every entry's shape and every reference between entries, the
 * first problem thrown as an OrganisationFileError naming the entry (`agents[3].exten`).
 */
export function checkOrganisation(doc: unknown): OrganisationFile {
  const root = obj(doc, '(file)', [
    'tenant', 'statuses', 'groups', 'roles', 'agents', 'queues', 'ivrs', 'ivrProfiles', 'accessNumbers', 'websites', 'blacklist', 'customers',
  ]);
  const t = obj(root['tenant'], 'tenant', ['accountId', 'name']);
  const tenant = { accountId: text_(t['accountId'], 'tenant.accountId', /^[0-9A-Za-z]{1,20}$/), name: text_(t['name'], 'tenant.name') };

  const statuses = list(root['statuses'], 'statuses').map((s, i) => {
    const p = `statuses[${i}]`;
    const o = obj(s, p, ['status', 'name', 'kind']);
    const status = int(o['status'], `${p}.status`, 100, 998);
    return { status, name: text_(o['name'], `${p}.name`), kind: oneOf(o['kind'] ?? 'busy', ['busy', 'rest'] as const, `${p}.kind`) };
  });
  unique(statuses.map((s) => String(s.status)), 'statuses', 'status');

  const groups = list(root['groups'], 'groups').map((g, i) => {
    const p = `groups[${i}]`;
    const o = obj(g, p, ['id', 'name', 'leaveThreshold']);
    return {
      id: text_(o['id'], `${p}.id`, NUMBER_ID),
      name: text_(o['name'], `${p}.name`),
      leaveThreshold: o['leaveThreshold'] === undefined || o['leaveThreshold'] === null ? null : int(o['leaveThreshold'], `${p}.leaveThreshold`, 0, 100000),
    };
  });
  unique(groups.map((g) => g.id), 'groups', 'id');
  unique(groups.map((g) => g.name), 'groups', 'name');
  const groupIds = new Set(groups.map((g) => g.id));

  const roles = list(root['roles'], 'roles').map((r, i) => {
    const p = `roles[${i}]`;
    const o = obj(r, p, ['id', 'name', 'rights', 'monitorGroups']);
    const rights: Right[] =
      o['rights'] === 'all'
        ? [...ALL_RIGHTS]
        : list(o['rights'] ?? [], `${p}.rights`).map((x, j) => {
            const code = text_(x, `${p}.rights[${j}]`);
            if (!isRight(code)) throw new OrganisationFileError(`${p}.rights[${j}]`, `unknown right "${code}" (known: ${ALL_RIGHTS.join(', ')})`);
            return code;
          });
    const monitorAllGroups = o['monitorGroups'] === 'all';
    const monitorGroups = monitorAllGroups
      ? []
      : list(o['monitorGroups'] ?? [], `${p}.monitorGroups`).map((x, j) => {
          const id = text_(x, `${p}.monitorGroups[${j}]`);
          if (!groupIds.has(id)) throw new OrganisationFileError(`${p}.monitorGroups[${j}]`, `unknown group "${id}"`);
          return id;
        });
    return { id: text_(o['id'], `${p}.id`, NUMBER_ID), name: text_(o['name'], `${p}.name`), rights, monitorAllGroups, monitorGroups };
  });
  unique(roles.map((r) => r.id), 'roles', 'id');
  const roleIds = new Set(roles.map((r) => r.id));
  const customStatuses = new Set(statuses.map((s) => s.status));

  const agents = list(root['agents'], 'agents').map((a, i) => {
    const p = `agents[${i}]`;
    const o = obj(a, p, ['id', 'name', 'password', 'role', 'group', 'enabled', 'exten', 'afterHangupStatus', 'wrapUpSeconds', 'record', 'ctiAnswer']);
    const id = text_(o['id'], `${p}.id`, AGENT_ID);
    if (!isAgentId(id)) throw new OrganisationFileError(`${p}.id`, 'agent IDs are 101 … 999999');
    const role = text_(o['role'], `${p}.role`);
    if (!roleIds.has(role)) throw new OrganisationFileError(`${p}.role`, `unknown role "${role}"`);
    const group = o['group'] === undefined || o['group'] === null ? null : text_(o['group'], `${p}.group`);
    if (group !== null && !groupIds.has(group)) throw new OrganisationFileError(`${p}.group`, `unknown group "${group}"`);
    const password = text_(o['password'], `${p}.password`);
    let afterHangupStatus: number | null = null;
    if (o['afterHangupStatus'] !== undefined && o['afterHangupStatus'] !== null) {
      afterHangupStatus = int(o['afterHangupStatus'], `${p}.afterHangupStatus`, 0, 998);
      if (!isSelectableStatus(afterHangupStatus) || (afterHangupStatus >= 100 && !customStatuses.has(afterHangupStatus))) {
        throw new OrganisationFileError(`${p}.afterHangupStatus`, 'must be 0, 6, 7, 8 or a configured custom status');
      }
    }
    return {
      id,
      name: text_(o['name'], `${p}.name`),
      password,
      role,
      group,
      enabled: o['enabled'] === undefined ? true : bool(o['enabled'], `${p}.enabled`),
      exten: o['exten'] === undefined || o['exten'] === null ? null : text_(o['exten'], `${p}.exten`, NUMBER_ID),
      afterHangupStatus,
      wrapUpSeconds: o['wrapUpSeconds'] === undefined ? 15 : int(o['wrapUpSeconds'], `${p}.wrapUpSeconds`, 0, 3600),
      record: o['record'] === undefined ? false : bool(o['record'], `${p}.record`),
      ctiAnswer: o['ctiAnswer'] === undefined ? false : bool(o['ctiAnswer'], `${p}.ctiAnswer`),
    };
  });
  unique(agents.map((a) => a.id), 'agents', 'id');
  const agentIds = new Set(agents.map((a) => a.id));

  const queues = list(root['queues'], 'queues').map((q, i) => {
    const p = `queues[${i}]`;
    const o = obj(q, p, [
      'num', 'name', 'strategy', 'maxWaitSeconds', 'maxLength', 'timeoutAction', 'timeoutTarget', 'noAgentAction',
      'noAgentTarget', 'musicOnHold', 'announcePosition', 'wrapUpSeconds', 'ringTimeoutSeconds', 'record', 'members',
    ]);
    const members = list(o['members'] ?? [], `${p}.members`).map((m, j) => {
      const mp = `${p}.members[${j}]`;
      const mo = typeof m === 'string' ? { agent: m } : obj(m, mp, ['agent', 'level', 'penalty']);
      const agent = text_(mo['agent'], `${mp}.agent`);
      if (!agentIds.has(agent)) throw new OrganisationFileError(`${mp}.agent`, `unknown agent "${agent}"`);
      return {
        agent,
        level: mo['level'] === undefined ? 1 : int(mo['level'], `${mp}.level`, 1, 100),
        penalty: mo['penalty'] === undefined ? 0 : int(mo['penalty'], `${mp}.penalty`, 0, 1000),
      };
    });
    unique(members.map((m) => m.agent), `${p}.members`, 'agent');
    return {
      num: text_(o['num'], `${p}.num`, NUMBER_ID),
      name: text_(o['name'], `${p}.name`),
      strategy: oneOf(o['strategy'] ?? 'longest-idle', QUEUE_STRATEGIES, `${p}.strategy`),
      maxWaitSeconds: o['maxWaitSeconds'] === undefined ? 300 : int(o['maxWaitSeconds'], `${p}.maxWaitSeconds`, 1, 86400),
      maxLength: o['maxLength'] === undefined ? 50 : int(o['maxLength'], `${p}.maxLength`, 1, 100000),
      timeoutAction: oneOf(o['timeoutAction'] ?? 'hangup', OVERFLOW_ACTIONS, `${p}.timeoutAction`),
      timeoutTarget: optionalText(o['timeoutTarget'], `${p}.timeoutTarget`),
      noAgentAction: oneOf(o['noAgentAction'] ?? 'wait', OVERFLOW_ACTIONS, `${p}.noAgentAction`),
      noAgentTarget: optionalText(o['noAgentTarget'], `${p}.noAgentTarget`),
      musicOnHold: o['musicOnHold'] === undefined ? 'local_stream://moh' : text_(o['musicOnHold'], `${p}.musicOnHold`, /^(local_stream:\/\/[A-Za-z0-9_.-]+|\/[A-Za-z0-9_./-]+)$/),
      announcePosition: o['announcePosition'] === undefined ? false : bool(o['announcePosition'], `${p}.announcePosition`),
      wrapUpSeconds: o['wrapUpSeconds'] === undefined ? null : int(o['wrapUpSeconds'], `${p}.wrapUpSeconds`, 0, 3600),
      ringTimeoutSeconds: o['ringTimeoutSeconds'] === undefined ? 20 : int(o['ringTimeoutSeconds'], `${p}.ringTimeoutSeconds`, 1, 600),
      record: o['record'] === undefined ? false : bool(o['record'], `${p}.record`),
      members,
    };
  });
  unique(queues.map((q) => q.num), 'queues', 'num');
  const queueNums = new Set(queues.map((q) => q.num));
  queues.forEach((q, i) => {
    for (const [action, target, key] of [
      [q.timeoutAction, q.timeoutTarget, 'timeoutTarget'],
      [q.noAgentAction, q.noAgentTarget, 'noAgentTarget'],
    ] as const) {
      if ((action === 'queue' || action === 'ivr' || action === 'number') && target === null) {
        throw new OrganisationFileError(`queues[${i}].${key}`, `is required when the action is ${action}`);
      }
      if (action === 'queue' && target !== null && !queueNums.has(target)) {
        throw new OrganisationFileError(`queues[${i}].${key}`, `unknown queue "${target}"`);
      }
    }
  });

  const named = (key: 'ivrs' | 'ivrProfiles') =>
    list(root[key], key).map((x, i) => {
      const o = obj(x, `${key}[${i}]`, ['num', 'name']);
      return { num: text_(o['num'], `${key}[${i}].num`, NUMBER_ID), name: text_(o['name'], `${key}[${i}].name`) };
    });
  const ivrs = named('ivrs');
  unique(ivrs.map((x) => x.num), 'ivrs', 'num');
  const ivrProfiles = named('ivrProfiles');
  unique(ivrProfiles.map((x) => x.num), 'ivrProfiles', 'num');

  const accessNumbers = list(root['accessNumbers'], 'accessNumbers').map((a, i) => {
    const p = `accessNumbers[${i}]`;
    const o = obj(a, p, ['number', 'name', 'default', 'queue', 'gateway']);
    const queue = optionalText(o['queue'], `${p}.queue`);
    if (queue !== null && !queueNums.has(queue)) throw new OrganisationFileError(`${p}.queue`, `unknown queue "${queue}"`);
    return {
      number: text_(o['number'], `${p}.number`, PHONE_NUMBER),
      name: text_(o['name'], `${p}.name`),
      isDefault: o['default'] === undefined ? false : bool(o['default'], `${p}.default`),
      queue,
      gateway: o['gateway'] === undefined || o['gateway'] === null ? null : text_(o['gateway'], `${p}.gateway`, /^[A-Za-z0-9_.-]{1,64}$/),
    };
  });
  unique(accessNumbers.map((a) => a.number), 'accessNumbers', 'number');
  if (accessNumbers.filter((a) => a.isDefault).length > 1) {
    throw new OrganisationFileError('accessNumbers', 'at most one access number may be the default');
  }

  const websites = new Map<string, { name: string; url: string }[]>();
  if (root['websites'] !== undefined && root['websites'] !== null) {
    const w = obj(root['websites'], 'websites', null);
    for (const [owner, sites] of Object.entries(w)) {
      if (owner !== 'all' && !agentIds.has(owner)) throw new OrganisationFileError(`websites.${owner}`, `unknown agent "${owner}"`);
      websites.set(
        owner,
        list(sites, `websites.${owner}`).map((s, i) => {
          const p = `websites.${owner}[${i}]`;
          const o = obj(s, p, ['name', 'url']);
          return { name: text_(o['name'], `${p}.name`), url: text_(o['url'], `${p}.url`, /^https?:\/\/\S+$/) };
        }),
      );
      unique(websites.get(owner)!.map((s) => s.name), `websites.${owner}`, 'name');
    }
  }

  const blacklist = list(root['blacklist'], 'blacklist').map((b, i) => {
    const p = `blacklist[${i}]`;
    const o = obj(b, p, ['number', 'reason']);
    return { number: text_(o['number'], `${p}.number`, CUSTOMER_NUMBER), reason: optionalText(o['reason'], `${p}.reason`) };
  });
  unique(blacklist.map((b) => b.number), 'blacklist', 'number');

  const customers = list(root['customers'], 'customers').map((c, i) => {
    const p = `customers[${i}]`;
    const o = obj(c, p, ['number', 'grade', 'exclusiveAgent', 'fallbackSeconds']);
    const exclusiveAgent = optionalText(o['exclusiveAgent'], `${p}.exclusiveAgent`);
    if (exclusiveAgent !== null && !agentIds.has(exclusiveAgent)) throw new OrganisationFileError(`${p}.exclusiveAgent`, `unknown agent "${exclusiveAgent}"`);
    return {
      number: text_(o['number'], `${p}.number`, CUSTOMER_NUMBER),
      grade: o['grade'] === undefined ? 0 : int(o['grade'], `${p}.grade`, 0, 9),
      exclusiveAgent,
      fallbackSeconds: o['fallbackSeconds'] === undefined ? 30 : int(o['fallbackSeconds'], `${p}.fallbackSeconds`, 0, 86400),
    };
  });
  unique(customers.map((c) => c.number), 'customers', 'number');

  return { tenant, statuses, groups, roles, agents, queues, ivrs, ivrProfiles, accessNumbers, websites, blacklist, customers };
}

function obj(v: unknown, path: string, keys: string[] | null): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new OrganisationFileError(path, 'must be a mapping');
  if (keys !== null) {
    for (const k of Object.keys(v)) if (!keys.includes(k)) throw new OrganisationFileError(`${path}.${k}`, 'unknown key');
  }
  return v as Obj;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OrganisationFileError(path, 'must be a list');
  return v;
}

function text_(v: unknown, path: string, pattern?: RegExp): string {
  if (typeof v === 'number' && Number.isFinite(v)) {
    // A YAML number would lose leading zeros (0216… → 216…): insist on quotes.
    throw new OrganisationFileError(path, `write ${v} in quotes ("${v}") so leading zeros and length are kept`);
  }
  if (typeof v !== 'string' || v.trim() === '') throw new OrganisationFileError(path, 'must be a non-empty string');
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new OrganisationFileError(path, 'must not contain control characters');
  if (pattern !== undefined && !pattern.test(v)) throw new OrganisationFileError(path, `"${v}" does not match ${pattern}`);
  return v;
}

function optionalText(v: unknown, path: string): string | null {
  return v === undefined || v === null ? null : text_(v, path);
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new OrganisationFileError(path, `must be a whole number from ${min} to ${max}`);
  }
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new OrganisationFileError(path, 'must be true or false');
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new OrganisationFileError(path, `must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

function unique(values: string[], path: string, key: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) throw new OrganisationFileError(path, `duplicate ${key} "${v}"`);
    seen.add(v);
  }
}
