/**
 * The configuration: its shape, its defaults, and the check that names the bad key.
 * Every key is documented in README.md ("Configuration").
 */

export type DuplicateSigninPolicy = 'kick' | 'reject';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type EslEventFormat = 'json' | 'plain';

export interface FreeswitchNodeConfig {
  id: string;
  host: string;
  port: number;
  password: string;
}

export interface Config {
  /** IANA time zone for event times, daily statistics and exports. */
  timeZone: string;
  log: { level: LogLevel };
  agent: {
    host: string;
    tcpPort: number;
    heartbeatIntervalSeconds: number;
    resumeGraceSeconds: number;
    signinTimeoutSeconds: number;
    duplicateSignin: DuplicateSigninPolicy;
    maxMessageBytes: number;
    /** Sustained requests per second one connection may send; bursts of twice that pass. */
    maxRequestsPerSecond: number;
    /** Minimum length of a new password set with changepassword. */
    minPasswordLength: number;
    tls: { certFile: string; keyFile: string } | null;
  };
  http: { host: string; port: number };
  database: { path: string };
  /** Organisation file imported when the database holds no agents (a fresh start). */
  organisation: { importOnEmpty: string | null };
  leave: {
    /** A leave application not decided within this time expires (timeoutType 1). */
    applyTimeoutSeconds: number;
    /** An approved leave the agent could not start within this time lapses (timeoutType 2). */
    approvalTimeoutSeconds: number;
    /** When true, status 7 (LEAVE) can only be reached through an approved application. */
    requireApproval: boolean;
  };
  freeswitch: {
    /** Empty: polylink starts its built-in FreeSWITCH simulator and uses it. */
    nodes: FreeswitchNodeConfig[];
    eventFormat: EslEventFormat;
  };
  /** The built-in simulator, used when freeswitch.nodes is empty. */
  simulator: {
    /** Its event socket port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** How long a simulated agent phone rings before it answers. */
    phoneAnswerAfterMs: number;
    /** How long a simulated customer's phone rings before it answers an outbound call. */
    customerAnswerAfterMs: number;
  };
}

export const DEFAULT_CONFIG: Config = {
  timeZone: 'Asia/Shanghai',
  log: { level: 'info' },
  agent: {
    host: '0.0.0.0',
    tcpPort: 6020,
    heartbeatIntervalSeconds: 30,
    resumeGraceSeconds: 60,
    signinTimeoutSeconds: 10,
    duplicateSignin: 'kick',
    maxMessageBytes: 65536,
    maxRequestsPerSecond: 50,
    minPasswordLength: 6,
    tls: null,
  },
  http: { host: '0.0.0.0', port: 8080 },
  database: { path: './data/polylink.db' },
  organisation: { importOnEmpty: 'examples/callcenter.yaml' },
  leave: { applyTimeoutSeconds: 600, approvalTimeoutSeconds: 1800, requireApproval: false },
  freeswitch: { nodes: [], eventFormat: 'json' },
  simulator: { port: 0, phoneAnswerAfterMs: 1500, customerAnswerAfterMs: 2000 },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`config key "${key}": ${message}`);
  }
}

type Shape = Record<string, unknown>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Checks a merged (defaults + file + environment) object and returns it typed. */
export function validateConfig(raw: Shape): Config {
  rejectUnknownKeys(raw, DEFAULT_CONFIG as unknown as Shape, '');
  const agent = section(raw, 'agent');
  const http = section(raw, 'http');
  const leave = section(raw, 'leave');
  const freeswitch = section(raw, 'freeswitch');
  const simulator = section(raw, 'simulator');
  const config: Config = {
    timeZone: timeZone(raw['timeZone'], 'timeZone'),
    log: { level: oneOf(section(raw, 'log')['level'], LOG_LEVELS, 'log.level') },
    agent: {
      host: str(agent['host'], 'agent.host'),
      tcpPort: port(agent['tcpPort'], 'agent.tcpPort'),
      heartbeatIntervalSeconds: int(agent['heartbeatIntervalSeconds'], 'agent.heartbeatIntervalSeconds', 1, 3600),
      resumeGraceSeconds: int(agent['resumeGraceSeconds'], 'agent.resumeGraceSeconds', 0, 86400),
      signinTimeoutSeconds: int(agent['signinTimeoutSeconds'], 'agent.signinTimeoutSeconds', 1, 3600),
      duplicateSignin: oneOf(agent['duplicateSignin'], ['kick', 'reject'] as const, 'agent.duplicateSignin'),
      maxMessageBytes: int(agent['maxMessageBytes'], 'agent.maxMessageBytes', 1024, 16 * 1024 * 1024),
      maxRequestsPerSecond: int(agent['maxRequestsPerSecond'], 'agent.maxRequestsPerSecond', 1, 100000),
      minPasswordLength: int(agent['minPasswordLength'], 'agent.minPasswordLength', 1, 128),
      tls: tls(agent['tls']),
    },
    http: { host: str(http['host'], 'http.host'), port: port(http['port'], 'http.port') },
    database: { path: str(section(raw, 'database')['path'], 'database.path') },
    organisation: { importOnEmpty: nullableStr(section(raw, 'organisation')['importOnEmpty'], 'organisation.importOnEmpty') },
    leave: {
      applyTimeoutSeconds: int(leave['applyTimeoutSeconds'], 'leave.applyTimeoutSeconds', 1, 7 * 86400),
      approvalTimeoutSeconds: int(leave['approvalTimeoutSeconds'], 'leave.approvalTimeoutSeconds', 1, 7 * 86400),
      requireApproval: bool(leave['requireApproval'], 'leave.requireApproval'),
    },
    freeswitch: {
      nodes: nodes(freeswitch['nodes']),
      eventFormat: oneOf(freeswitch['eventFormat'], ['json', 'plain'] as const, 'freeswitch.eventFormat'),
    },
    simulator: {
      port: port(simulator['port'], 'simulator.port'),
      phoneAnswerAfterMs: int(simulator['phoneAnswerAfterMs'], 'simulator.phoneAnswerAfterMs', 0, 600_000),
      customerAnswerAfterMs: int(simulator['customerAnswerAfterMs'], 'simulator.customerAnswerAfterMs', 0, 600_000),
    },
  };
  return config;
}

function rejectUnknownKeys(raw: Shape, defaults: Shape, prefix: string): void {
  for (const key of Object.keys(raw)) {
    const path = prefix + key;
    if (!(key in defaults)) throw new ConfigError(path, 'unknown key');
    const d = defaults[key];
    const v = raw[key];
    if (d !== null && typeof d === 'object' && !Array.isArray(d) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      rejectUnknownKeys(v as Shape, d as Shape, `${path}.`);
    }
  }
}

function section(raw: Shape, key: string): Shape {
  const v = raw[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(key, 'must be a mapping');
  return v as Shape;
}

function str(v: unknown, key: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(key, 'must be a non-empty string');
  return v;
}

function nullableStr(v: unknown, key: string): string | null {
  if (v === null || v === '') return null;
  return str(v, key);
}

function int(v: unknown, key: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(key, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return v;
}

function port(v: unknown, key: string): number {
  return int(v, key, 0, 65535);
}

function bool(v: unknown, key: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(key, `must be true or false (got ${JSON.stringify(v)})`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], key: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ConfigError(key, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)})`);
  }
  return v as T;
}

function timeZone(v: unknown, key: string): string {
  const zone = str(v, key);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ConfigError(key, `unknown time zone ${JSON.stringify(zone)}`);
  }
  return zone;
}

function tls(v: unknown): Config['agent']['tls'] {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError('agent.tls', 'must be a mapping with certFile and keyFile, or null');
  const t = v as Shape;
  for (const k of Object.keys(t)) if (k !== 'certFile' && k !== 'keyFile') throw new ConfigError(`agent.tls.${k}`, 'unknown key');
  return { certFile: str(t['certFile'], 'agent.tls.certFile'), keyFile: str(t['keyFile'], 'agent.tls.keyFile') };
}

function nodes(v: unknown): FreeswitchNodeConfig[] {
  if (!Array.isArray(v)) throw new ConfigError('freeswitch.nodes', 'must be a list');
  const seen = new Set<string>();
  return v.map((n: unknown, i) => {
    const key = `freeswitch.nodes[${i}]`;
    if (n === null || typeof n !== 'object' || Array.isArray(n)) throw new ConfigError(key, 'must be a mapping with host, port, password');
    const node = n as Shape;
    for (const k of Object.keys(node)) {
      if (!['id', 'host', 'port', 'password'].includes(k)) throw new ConfigError(`${key}.${k}`, 'unknown key');
    }
    const host = str(node['host'], `${key}.host`);
    const p = node['port'] === undefined ? 8021 : port(node['port'], `${key}.port`);
    const id = node['id'] === undefined ? `${host}:${p}` : str(node['id'], `${key}.id`);
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(id)) throw new ConfigError(`${key}.id`, 'may hold letters, digits, _ . : - only');
    if (seen.has(id)) throw new ConfigError(`${key}.id`, `duplicate node id ${id}`);
    seen.add(id);
    const password = str(node['password'], `${key}.password`);
    if (password === 'ClueCon') throw new ConfigError(`${key}.password`, 'is FreeSWITCH\'s default; set event_socket.conf.xml\'s password to a secret of your own');
    return { id, host, port: p, password };
  });
}
