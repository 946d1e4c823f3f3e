/**
 * The configuration: its shape, its defaults, and the check that names the bad key.
 * Every key is documented in README.md ("Configuration").
 */
import { type BehindLimits, DEFAULT_BEHIND_LIMITS } from '../esl/behind-gauge.js';
import { DEFAULT_BACKLOG_LIMIT } from '../esl/delivery-queue.js';
import { MAKE_STR_KEYS } from '../numbers/make-str.js';
import { checkTarget, TargetError, type WebhookTarget } from '../webhooks/target.js';

export type DuplicateSigninPolicy = 'kick' | 'reject';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type EslEventFormat = 'json' | 'plain';

/** A certificate and its private key (PEM files) to serve TLS with. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface FreeswitchNodeConfig {
  id: string;
  host: string;
  port: number;
  password: string;
}

/** When the screen pop opens, and where. */
export type ScreenPopMoment = 'ring' | 'answer';
export type ScreenPopTarget = 'frame' | 'tab';

export interface ScreenPopConfig {
  /** A URL template, `{field}` standing for a makeStr field (MAKE_STR_KEYS); null: no screen pop. */
  url: string | null;
  on: ScreenPopMoment;
  target: ScreenPopTarget;
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
    /** Our messages a peer may leave unread (bytes queued in polylink) before it is cut off. */
    maxUnreadBytes: number;
    /** Agent connections (TCP and WebSocket together) open at once from one address; 0: no cap. */
    maxConnectionsPerAddress: number;
    /** Failed sign-ins on one connection before it is closed. */
    signinFailuresPerConnection: number;
    /** Failed sign-ins from one address within the window before its sign-ins are refused (-89). */
    signinFailuresPerAddress: number;
    /** The window the sign-in failures are counted in. */
    signinFailureWindowSeconds: number;
    /** An agent ID with wrong passwords from this many addresses within the window is locked (-90). */
    signinLockAfterAddresses: number;
    /** How long such a lock lasts unless a supervisor or an admin lifts it. */
    signinLockSeconds: number;
    /** Minimum length of a new password set with changepassword. */
    minPasswordLength: number;
    tls: TlsFiles | null;
  };
  /** tls: serve HTTPS and wss:// (the WebSocket /agent) instead of HTTP and ws://. */
  http: { host: string; port: number; tls: TlsFiles | null };
  /**
   * Where polylink keeps what it stores. driver sqlite: the file at `path` (the default); driver
   * postgres: the server at `url` (postgres://user:password@host:port/database, also
   * POLYLINK_DATABASE_URL), schema/ translated for it (store/postgres/translate-ddl.ts). The engine sees the same
   * store either way (docs/architecture.md, "The store").
   */
  database: { driver: DatabaseDriver; path: string; url: string | null };
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
    /**
     * When polylink counts as behind the switch (the age of its oldest unhandled switch
     * event, or how many wait; back to normal below both leave thresholds): new customers
     * then go to their queue's overflow (src/core/queues/overload-gate.ts).
     */
    overload: BehindLimits;
    /** Switch events waiting at most: past it the links are cut until they drain (the last resort; FreeSWITCH's own bound is 100,000). */
    backlogLimit: number;
  };
  calls: {
    /** How long an agent's own phone rings for its outbound and internal calls. */
    agentRingSeconds: number;
    /** How long a customer's phone rings for an outbound call. */
    customerRingSeconds: number;
    /** Agent states in which an agent may make or take an internal (agent-to-agent) call. */
    internalCallStates: number[];
    /** What a customer hears while held, consulted about or transferred. */
    holdMusic: string;
    /** Where recordings are written (a path FreeSWITCH can write; the CDR carries it). */
    recordingsDir: string;
    /** Record outbound calls of every agent (agents with record_calls are recorded anyway). */
    recordOutbound: boolean;
    /** Simultaneous calls each gateway carries; a gateway not named has no limit. */
    gatewayChannels: Record<string, number>;
    /** Calls on a switch node that stays unreachable this long are given up (agents freed, CDRs written). */
    nodeLostSeconds: number;
    /** The satisfaction survey (grade): prompt and thanks per language, and how long to wait for a key. */
    grade: { prompts: { zh: string; en: string }; thanks: { zh: string; en: string }; digitTimeoutSeconds: number };
  };
  numbers: {
    /** Country of numbers written without a country code (ISO 3166, e.g. CN). */
    country: string;
    /** A file of mobile prefixes (号段: prefix<TAB>province<TAB>city) for the area of mobile numbers; null: none. */
    mobilePrefixFile: string | null;
  };
  stats: {
    /** A rest (LEAVE or a rest status) longer than this counts as overrun (restoutnums, restouttime). */
    maxRestSeconds: number;
  };
  acd: {
    /** Where an agent goes when it lets a queue call ring out: 6 (BUSY) by default, 0 keeps it IDLE. */
    noAnswerStatus: number;
    /** What a blacklisted caller hears before it is released. */
    blacklistPrompt: string;
    /** Played to a customer entering a queue that announces positions: position-<n>.wav from this folder. */
    positionPromptDir: string;
    /** The dialplan extension a queue's `voicemail` overflow sends customers to (the queue number travels in polylink_queue). */
    voicemailExtension: string;
    /** How often the ACD checks that queues, agents and calls agree. */
    sweepIntervalSeconds: number;
    unreachableRetrySeconds: number;
    leaveKey: string | null;
    /** The wallboard's service level: the share of customers answered within this many seconds of entering a queue. */
    serviceLevelSeconds: number;
    /** A customer hanging up within this many seconds of entering a queue is a short abandon: counted apart, not as abandoned. */
    shortAbandonSeconds: number;
    /**
     * Which members of a queue receive its AddCustomerToQueueEvent, UpdateCustomerOfQueueEvent
     * and DelCustomerFromQueueEvent: `members` every signed-in member (the protocol's rule,
     * the default); `asked` only those whose bar asked for the queue's customers
     * (getcustomerofqueue, getcustomerofmyqueue) in this session. Supervisors receive them
     * either way. With 100-member queues `asked` saves ~200 messages per call (issue 16).
     */
    queueEvents: 'members' | 'asked';
  };
  api: {
    /**
     * Seed 001's WEBKEY: when set, /coocenter-api/ requests must carry
     * Authorization: md5(webKey + 'YYYY-MM-DD'); null: no authentication.
     */
    webKey: string | null;
    /**
     * The admin API's key (/admin/): requests carry `Authorization: Bearer <adminKey>`;
     * null: the admin API is off (404).
     */
    adminKey: string | null;
  };
  /** The web pages polylink serves on its HTTP port (src/api/web-plugin.ts). */
  web: {
    /** The pages as `npm run build` writes them (dist/web); a relative path is from the working directory. */
    dir: string;
    /** Seed 001's pop_url: the page the agent bar opens for a call, filled with the call's makeStr fields. */
    screenPop: ScreenPopConfig;
  };
  /** Pushes to business systems (seeds 001 and 003), delivered through the outbox (docs/api.md "Webhooks"). */
  webhooks: {
    /** Seed 001's `mac` field. */
    mac: string;
    /** Targets written into the database at start when their id was never stored there (the database rules after). */
    targets: WebhookTarget[];
    /**
     * A push is dead after this many failed attempts … With the default delays, 50 tries
     * take at least 22 minutes (every wait at its shortest, half of the full one): a
     * receiver down that long loses nothing and its pushes keep their order (issue 15,
     * Faults 5). 20 took as little as 7 minutes.
     */
    maxAttempts: number;
    /** … or after waiting this long in the outbox. */
    maxAgeSeconds: number;
    /** The first retry waits this long; each next one twice as long, up to maxDelayMs (less up to half at random). */
    initialDelayMs: number;
    maxDelayMs: number;
    /** POSTs under way at once over all targets (each target sends one push at a time, in order). */
    maxInFlight: number;
    /** Pushes waiting per target at most: beyond, the oldest waiting one is made dead ("backlog full"). */
    maxBacklog: number;
    /** Dead pushes kept per target: beyond, the oldest dead one is deleted. */
    maxDead: number;
    /** How fast the delivery thread POSTs, adapted each second to the core's event loop (src/webhooks/pace.ts, docs/api.md "Delivery"). */
    pace: {
      /** Pushes per second kept to beyond those being written, however busy the core is; 0: no pacing (as fast as the receivers answer). */
      floorPerSecond: number;
      /** Pushes per second at most, however idle the core. */
      ceilingPerSecond: number;
      /** A second the core's event loop was busy this fraction of (0 to 1) halves the rate … */
      busyUtilisation: number;
      /** … as does one whose timers were this many ms late on average; another second raises it by half. */
      busyDelayMs: number;
      /** The delivery thread's nice value (Linux: that thread only), so that the core's thread wins the CPU; 0: as the core. */
      threadNice: number;
    };
  };
  /** Seed 004's agent operation details export (docs/api.md "Seed 004"). */
  exports: {
    /** Where the zip files are written; a relative path is from the working directory. */
    dir: string;
    /** A file is removed this long after it was built. */
    retentionHours: number;
    /** App keys: ak, sk (HMAC key of auth-v2) and the accountId the app may read. */
    apps: Array<{ ak: string; sk: string; accountId: string }>;
    /** How far an Authorization timestamp may be from the server's time. */
    maxSkewSeconds: number;
    /** The longest period one request may cover (the seed: three days). */
    maxPeriodDays: number;
    /** Exports built at once; more are refused (0300009) while this many wait. */
    maxConcurrent: number;
    /** Lines per CSV file in the zip. */
    rowsPerFile: number;
    /** How long a callback may wait for its answer (it is retried like a webhook). */
    callbackTimeoutMs: number;
  };
  /** The built-in simulator, used when freeswitch.nodes is empty. */
  simulator: {
    /** Its event socket port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** How long a simulated agent phone rings before it answers. */
    phoneAnswerAfterMs: number;
    /** How long a simulated customer's phone rings before it answers an outbound call. */
    customerAnswerAfterMs: number;
    /** Channels the simulator carries at once (FreeSWITCH's max-sessions); beyond it originate fails SWITCH_CONGESTION. */
    maxSessions: number;
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
    maxUnreadBytes: 1024 * 1024,
    maxConnectionsPerAddress: 100,
    signinFailuresPerConnection: 3,
    signinFailuresPerAddress: 20,
    signinFailureWindowSeconds: 600,
    signinLockAfterAddresses: 5,
    signinLockSeconds: 900,
    minPasswordLength: 6,
    tls: null,
  },
  http: { host: '0.0.0.0', port: 8080, tls: null },
  database: { driver: 'sqlite', path: './data/polylink.db', url: null },
  organisation: { importOnEmpty: 'examples/callcenter.yaml' },
  leave: { applyTimeoutSeconds: 600, approvalTimeoutSeconds: 1800, requireApproval: false },
  freeswitch: { nodes: [], eventFormat: 'json', overload: { ...DEFAULT_BEHIND_LIMITS }, backlogLimit: DEFAULT_BACKLOG_LIMIT },
  calls: {
    agentRingSeconds: 30,
    customerRingSeconds: 60,
    internalCallStates: [0, 4, 6, 8],
    holdMusic: 'local_stream://moh',
    recordingsDir: '/var/lib/freeswitch/recordings/polylink',
    recordOutbound: false,
    gatewayChannels: {},
    nodeLostSeconds: 60,
    grade: {
      prompts: { zh: '/usr/share/freeswitch/sounds/polylink/grade-zh.wav', en: '/usr/share/freeswitch/sounds/polylink/grade-en.wav' },
      thanks: { zh: '/usr/share/freeswitch/sounds/polylink/thanks-zh.wav', en: '/usr/share/freeswitch/sounds/polylink/thanks-en.wav' },
      digitTimeoutSeconds: 10,
    },
  },
  numbers: { country: 'CN', mobilePrefixFile: null },
  stats: { maxRestSeconds: 1800 },
  acd: {
    noAnswerStatus: 6,
    blacklistPrompt: '/usr/share/freeswitch/sounds/polylink/blacklisted.wav',
    positionPromptDir: '/usr/share/freeswitch/sounds/polylink/positions',
    voicemailExtension: 'polylink_voicemail',
    sweepIntervalSeconds: 5,
    unreachableRetrySeconds: 10,
    leaveKey: null,
    serviceLevelSeconds: 20,
    shortAbandonSeconds: 5,
    queueEvents: 'members',
  },
  api: { webKey: null, adminKey: null },
  web: { dir: 'dist/web', screenPop: { url: null, on: 'ring', target: 'frame' } },
  webhooks: {
    mac: '',
    targets: [],
    maxAttempts: 50,
    maxAgeSeconds: 86_400,
    initialDelayMs: 1000,
    maxDelayMs: 60_000,
    maxInFlight: 16,
    maxBacklog: 1_000_000,
    maxDead: 100_000,
    pace: { floorPerSecond: 1000, ceilingPerSecond: 20_000, busyUtilisation: 0.8, busyDelayMs: 20, threadNice: 5 },
  },
  exports: {
    dir: './data/exports',
    retentionHours: 72,
    apps: [],
    maxSkewSeconds: 900,
    maxPeriodDays: 3,
    maxConcurrent: 2,
    rowsPerFile: 100_000,
    callbackTimeoutMs: 10_000,
  },
  simulator: { port: 0, phoneAnswerAfterMs: 1500, customerAnswerAfterMs: 2000, maxSessions: 1000 },
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
  const calls = section(raw, 'calls');
  const numbers = section(raw, 'numbers');
  const switchOverload = overload(section(freeswitch, 'overload'));
  const backlogLimit = int(freeswitch['backlogLimit'], 'freeswitch.backlogLimit', 1_000, 1_000_000);
  // Shedding must begin before the last resort: cutting the links is the collapse it avoids.
  if (backlogLimit <= switchOverload.enterDepth) throw new ConfigError('freeswitch.backlogLimit', 'must be above freeswitch.overload.enterDepth');
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
      maxUnreadBytes: int(agent['maxUnreadBytes'], 'agent.maxUnreadBytes', 64 * 1024, 1024 * 1024 * 1024),
      maxConnectionsPerAddress: int(agent['maxConnectionsPerAddress'], 'agent.maxConnectionsPerAddress', 0, 1_000_000),
      signinFailuresPerConnection: int(agent['signinFailuresPerConnection'], 'agent.signinFailuresPerConnection', 1, 1000),
      signinFailuresPerAddress: int(agent['signinFailuresPerAddress'], 'agent.signinFailuresPerAddress', 1, 100_000),
      signinFailureWindowSeconds: int(agent['signinFailureWindowSeconds'], 'agent.signinFailureWindowSeconds', 1, 86400),
      signinLockAfterAddresses: int(agent['signinLockAfterAddresses'], 'agent.signinLockAfterAddresses', 2, 100_000),
      signinLockSeconds: int(agent['signinLockSeconds'], 'agent.signinLockSeconds', 1, 7 * 86400),
      minPasswordLength: int(agent['minPasswordLength'], 'agent.minPasswordLength', 1, 128),
      tls: tls(agent['tls'], 'agent.tls'),
    },
    http: { host: str(http['host'], 'http.host'), port: port(http['port'], 'http.port'), tls: tls(http['tls'], 'http.tls') },
    database: database(section(raw, 'database')),
    organisation: { importOnEmpty: nullableStr(section(raw, 'organisation')['importOnEmpty'], 'organisation.importOnEmpty') },
    leave: {
      applyTimeoutSeconds: int(leave['applyTimeoutSeconds'], 'leave.applyTimeoutSeconds', 1, 7 * 86400),
      approvalTimeoutSeconds: int(leave['approvalTimeoutSeconds'], 'leave.approvalTimeoutSeconds', 1, 7 * 86400),
      requireApproval: bool(leave['requireApproval'], 'leave.requireApproval'),
    },
    freeswitch: {
      nodes: nodes(freeswitch['nodes']),
      eventFormat: oneOf(freeswitch['eventFormat'], ['json', 'plain'] as const, 'freeswitch.eventFormat'),
      overload: switchOverload,
      backlogLimit,
    },
    calls: {
      agentRingSeconds: int(calls['agentRingSeconds'], 'calls.agentRingSeconds', 1, 300),
      customerRingSeconds: int(calls['customerRingSeconds'], 'calls.customerRingSeconds', 1, 300),
      internalCallStates: statusList(calls['internalCallStates'], 'calls.internalCallStates'),
      holdMusic: media(calls['holdMusic'], 'calls.holdMusic'),
      recordingsDir: absolutePath(calls['recordingsDir'], 'calls.recordingsDir'),
      recordOutbound: bool(calls['recordOutbound'], 'calls.recordOutbound'),
      gatewayChannels: gatewayChannels(calls['gatewayChannels']),
      nodeLostSeconds: int(calls['nodeLostSeconds'], 'calls.nodeLostSeconds', 1, 86400),
      grade: grade(calls['grade']),
    },
    numbers: {
      country: str(numbers['country'], 'numbers.country'),
      mobilePrefixFile: nullableStr(numbers['mobilePrefixFile'], 'numbers.mobilePrefixFile'),
    },
    stats: { maxRestSeconds: int(section(raw, 'stats')['maxRestSeconds'], 'stats.maxRestSeconds', 60, 86400) },
    acd: acd(section(raw, 'acd')),
    api: { webKey: secretKey(section(raw, 'api')['webKey'], 'api.webKey', 8), adminKey: secretKey(section(raw, 'api')['adminKey'], 'api.adminKey', 16) },
    web: web(section(raw, 'web')),
    webhooks: webhooks(section(raw, 'webhooks')),
    exports: exportsSection(section(raw, 'exports')),
    simulator: {
      port: port(simulator['port'], 'simulator.port'),
      phoneAnswerAfterMs: int(simulator['phoneAnswerAfterMs'], 'simulator.phoneAnswerAfterMs', 0, 600_000),
      customerAnswerAfterMs: int(simulator['customerAnswerAfterMs'], 'simulator.customerAnswerAfterMs', 0, 600_000),
      maxSessions: int(simulator['maxSessions'], 'simulator.maxSessions', 1, 1_000_000),
    },
  };
  // The webhooks' outbox and the exports' jobs live in SQLite, read by the delivery thread
  // through its own connection to the file (docs/scaling.md): not on PostgreSQL yet.
  if (config.database.driver === 'postgres' && config.webhooks.targets.length > 0) {
    throw new ConfigError('webhooks.targets', 'need database.driver sqlite: the webhooks\' outbox is not on PostgreSQL yet');
  }
  if (config.database.driver === 'postgres' && config.exports.apps.length > 0) {
    throw new ConfigError('exports.apps', 'need database.driver sqlite: seed 004 exports are not on PostgreSQL yet');
  }
  return config;
}

/** Keys whose value is a mapping with keys of the operator's choosing (gateway → channels). */
export const FREE_MAPPINGS: ReadonlySet<string> = new Set(['calls.gatewayChannels']);

function rejectUnknownKeys(raw: Shape, defaults: Shape, prefix: string): void {
  for (const key of Object.keys(raw)) {
    const path = prefix + key;
    if (!(key in defaults)) throw new ConfigError(path, 'unknown key');
    const d = defaults[key];
    const v = raw[key];
    if (FREE_MAPPINGS.has(path)) continue;
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

function statusList(v: unknown, key: string): number[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > 998)) {
    throw new ConfigError(key, 'must be a list of agent status numbers');
  }
  return v as number[];
}

/** A file FreeSWITCH plays, or a local_stream:// source. */
function media(v: unknown, key: string): string {
  const s = str(v, key);
  if (!/^(local_stream:\/\/[A-Za-z0-9_.-]+|\/[A-Za-z0-9_./-]+)$/.test(s) || s.includes('..')) {
    throw new ConfigError(key, 'must be an absolute file path or local_stream://name');
  }
  return s;
}

function absolutePath(v: unknown, key: string): string {
  const s = str(v, key);
  if (!/^\/[A-Za-z0-9_./-]+$/.test(s) || s.includes('..')) throw new ConfigError(key, 'must be an absolute path of letters, digits, _ . / -');
  return s.replace(/\/+$/, '');
}

function gatewayChannels(v: unknown): Record<string, number> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError('calls.gatewayChannels', 'must be a mapping gateway → channels');
  const out: Record<string, number> = {};
  for (const [name, n] of Object.entries(v as Shape)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new ConfigError(`calls.gatewayChannels.${name}`, 'is not a gateway name');
    out[name] = int(n, `calls.gatewayChannels.${name}`, 1, 100000);
  }
  return out;
}

function grade(v: unknown): Config['calls']['grade'] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError('calls.grade', 'must be a mapping');
  const g = v as Shape;
  const pair = (x: unknown, key: string) => {
    if (x === null || typeof x !== 'object') throw new ConfigError(key, 'must be a mapping with zh and en');
    const o = x as Shape;
    return { zh: media(o['zh'], `${key}.zh`), en: media(o['en'], `${key}.en`) };
  };
  return {
    prompts: pair(g['prompts'], 'calls.grade.prompts'),
    thanks: pair(g['thanks'], 'calls.grade.thanks'),
    digitTimeoutSeconds: int(g['digitTimeoutSeconds'], 'calls.grade.digitTimeoutSeconds', 1, 120),
  };
}

function acd(a: Shape): Config['acd'] {
  const noAnswerStatus = int(a['noAnswerStatus'], 'acd.noAnswerStatus', 0, 998);
  if (![0, 6, 7].includes(noAnswerStatus) && noAnswerStatus < 100) throw new ConfigError('acd.noAnswerStatus', 'must be 0, 6, 7 or a custom status');
  const extension = str(a['voicemailExtension'], 'acd.voicemailExtension');
  if (!/^[A-Za-z0-9_*#+-]{1,64}$/.test(extension)) throw new ConfigError('acd.voicemailExtension', 'is not a dialplan extension');
  const leaveKey = a['leaveKey'] === null ? null : str(a['leaveKey'], 'acd.leaveKey');
  if (leaveKey !== null && !/^[0-9*#]$/.test(leaveKey)) throw new ConfigError('acd.leaveKey', 'must be one key: 0-9, * or #, or null');
  const queueEvents = a['queueEvents'];
  if (queueEvents !== 'members' && queueEvents !== 'asked') throw new ConfigError('acd.queueEvents', 'must be members or asked');
  return {
    noAnswerStatus,
    leaveKey,
    queueEvents,
    blacklistPrompt: media(a['blacklistPrompt'], 'acd.blacklistPrompt'),
    positionPromptDir: absolutePath(a['positionPromptDir'], 'acd.positionPromptDir'),
    voicemailExtension: extension,
    sweepIntervalSeconds: int(a['sweepIntervalSeconds'], 'acd.sweepIntervalSeconds', 1, 3600),
    unreachableRetrySeconds: int(a['unreachableRetrySeconds'], 'acd.unreachableRetrySeconds', 1, 3600),
    serviceLevelSeconds: int(a['serviceLevelSeconds'], 'acd.serviceLevelSeconds', 1, 3600),
    shortAbandonSeconds: int(a['shortAbandonSeconds'], 'acd.shortAbandonSeconds', 0, 3600),
  };
}

/**
 * A shared secret: long enough not to be guessed from a few tries, and free of spaces
 * and control characters, which in a config file are nearly always a copying mistake.
 */
export type DatabaseDriver = 'sqlite' | 'postgres';

function overload(o: Shape): BehindLimits {
  const key = 'freeswitch.overload';
  const limits = {
    enterAgeMs: int(o['enterAgeMs'], `${key}.enterAgeMs`, 1, 600_000),
    leaveAgeMs: int(o['leaveAgeMs'], `${key}.leaveAgeMs`, 0, 600_000),
    enterDepth: int(o['enterDepth'], `${key}.enterDepth`, 1, 1_000_000),
    leaveDepth: int(o['leaveDepth'], `${key}.leaveDepth`, 0, 1_000_000),
  };
  // Equal thresholds would flip the state on every event at the edge.
  if (limits.leaveAgeMs >= limits.enterAgeMs) throw new ConfigError(`${key}.leaveAgeMs`, 'must be below enterAgeMs');
  if (limits.leaveDepth >= limits.enterDepth) throw new ConfigError(`${key}.leaveDepth`, 'must be below enterDepth');
  return limits;
}

function database(d: Shape): Config['database'] {
  const driver = oneOf(d['driver'], ['sqlite', 'postgres'] as const, 'database.driver');
  const url = nullableStr(d['url'], 'database.url');
  if (url !== null && !/^postgres(ql)?:\/\/./.test(url)) throw new ConfigError('database.url', 'must be a postgres:// URL (postgres://user:password@host:port/database)');
  if (driver === 'postgres' && url === null) throw new ConfigError('database.url', 'is needed with database.driver postgres (or POLYLINK_DATABASE_URL)');
  return { driver, path: str(d['path'], 'database.path'), url };
}

function secretKey(v: unknown, path: string, minLength: number): string | null {
  const key = nullableStr(v, path);
  if (key === null) return null;
  if (key.length < minLength || key.length > 256) throw new ConfigError(path, `must be ${minLength} to 256 characters long (got ${key.length})`);
  if (/[\s\x00-\x1f\x7f]/.test(key)) throw new ConfigError(path, 'must not hold spaces or control characters');
  return key;
}

function web(w: Shape): Config['web'] {
  const pop = section(w, 'screenPop') as Shape;
  return {
    dir: str(w['dir'], 'web.dir'),
    screenPop: {
      url: screenPopUrl(pop['url']),
      on: oneOf(pop['on'], ['ring', 'answer'] as const, 'web.screenPop.on'),
      target: oneOf(pop['target'], ['frame', 'tab'] as const, 'web.screenPop.target'),
    },
  };
}

/** An http(s) URL whose `{…}` placeholders all name makeStr fields, so that a typo is said at start, not found in a blank CRM page. */
function screenPopUrl(v: unknown): string | null {
  const key = 'web.screenPop.url';
  const url = nullableStr(v, key);
  if (url === null) return null;
  if (!/^https?:\/\/[^\s]+$/i.test(url) || /[\x00-\x1f\x7f]/.test(url)) throw new ConfigError(key, 'must be an http:// or https:// URL without spaces');
  const outside = url.replace(/\{[^{}]*\}/g, '');
  if (/[{}]/.test(outside)) throw new ConfigError(key, 'has a { or } that does not enclose a field name');
  for (const [, name] of url.matchAll(/\{([^{}]*)\}/g)) {
    if (!(MAKE_STR_KEYS as readonly string[]).includes(name!)) throw new ConfigError(key, `{${name}} is not a makeStr field; use one of ${MAKE_STR_KEYS.map((k) => `{${k}}`).join(' ')}`);
  }
  return url;
}

function tls(v: unknown, key: string): TlsFiles | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(key, 'must be a mapping with certFile and keyFile, or null');
  const t = v as Shape;
  for (const k of Object.keys(t)) if (k !== 'certFile' && k !== 'keyFile') throw new ConfigError(`${key}.${k}`, 'unknown key');
  return { certFile: str(t['certFile'], `${key}.certFile`), keyFile: str(t['keyFile'], `${key}.keyFile`) };
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

function webhooks(w: Shape): Config['webhooks'] {
  const mac = w['mac'];
  if (typeof mac !== 'string' || mac.length > 64) throw new ConfigError('webhooks.mac', 'must be a string (the MAC address seed 001 pushes carry)');
  const raw = w['targets'];
  if (!Array.isArray(raw)) throw new ConfigError('webhooks.targets', 'must be a list of targets');
  const targets = raw.map((t, i) => {
    try {
      return checkTarget(t, `webhooks.targets[${i}]`);
    } catch (err) {
      if (err instanceof TargetError) throw new ConfigError(err.key, err.message.slice(err.key.length + 2));
      throw err;
    }
  });
  const ids = new Set<string>();
  for (const [i, t] of targets.entries()) {
    if (ids.has(t.id)) throw new ConfigError(`webhooks.targets[${i}].id`, `${t.id} is given twice`);
    ids.add(t.id);
  }
  const initialDelayMs = int(w['initialDelayMs'], 'webhooks.initialDelayMs', 10, 3_600_000);
  const maxDelayMs = int(w['maxDelayMs'], 'webhooks.maxDelayMs', 10, 86_400_000);
  if (maxDelayMs < initialDelayMs) throw new ConfigError('webhooks.maxDelayMs', 'must not be less than webhooks.initialDelayMs');
  return {
    mac,
    targets,
    maxAttempts: int(w['maxAttempts'], 'webhooks.maxAttempts', 1, 1000),
    maxAgeSeconds: int(w['maxAgeSeconds'], 'webhooks.maxAgeSeconds', 1, 90 * 86_400),
    initialDelayMs,
    maxDelayMs,
    maxInFlight: int(w['maxInFlight'], 'webhooks.maxInFlight', 1, 1000),
    maxBacklog: int(w['maxBacklog'], 'webhooks.maxBacklog', 1, 100_000_000),
    maxDead: int(w['maxDead'], 'webhooks.maxDead', 1, 100_000_000),
    pace: pace(section(w, 'pace')),
  };
}

function pace(p: Shape): Config['webhooks']['pace'] {
  const floorPerSecond = int(p['floorPerSecond'], 'webhooks.pace.floorPerSecond', 0, 1_000_000);
  const ceilingPerSecond = int(p['ceilingPerSecond'], 'webhooks.pace.ceilingPerSecond', 1, 1_000_000);
  if (ceilingPerSecond < floorPerSecond) throw new ConfigError('webhooks.pace.ceilingPerSecond', 'must not be less than webhooks.pace.floorPerSecond');
  const busyUtilisation = p['busyUtilisation'];
  if (typeof busyUtilisation !== 'number' || !(busyUtilisation > 0 && busyUtilisation <= 1)) {
    throw new ConfigError('webhooks.pace.busyUtilisation', `must be a number above 0 and at most 1 (got ${JSON.stringify(busyUtilisation)})`);
  }
  return {
    floorPerSecond,
    ceilingPerSecond,
    busyUtilisation,
    busyDelayMs: int(p['busyDelayMs'], 'webhooks.pace.busyDelayMs', 1, 60_000),
    threadNice: int(p['threadNice'], 'webhooks.pace.threadNice', 0, 19),
  };
}

function exportsSection(e: Shape): Config['exports'] {
  const raw = e['apps'];
  if (!Array.isArray(raw)) throw new ConfigError('exports.apps', 'must be a list of { ak, sk, accountId }');
  const apps = raw.map((a: unknown, i) => {
    const key = `exports.apps[${i}]`;
    if (a === null || typeof a !== 'object' || Array.isArray(a)) throw new ConfigError(key, 'must be a mapping { ak, sk, accountId }');
    const app = a as Shape;
    for (const k of Object.keys(app)) if (!['ak', 'sk', 'accountId'].includes(k)) throw new ConfigError(`${key}.${k}`, 'unknown key');
    const ak = app['ak'];
    if (typeof ak !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(ak)) throw new ConfigError(`${key}.ak`, 'must be 1 to 64 letters, digits, _ . -');
    const sk = app['sk'];
    if (typeof sk !== 'string' || sk.length < 16 || sk.length > 256) throw new ConfigError(`${key}.sk`, 'must be 16 to 256 characters');
    const accountId = app['accountId'];
    if (typeof accountId !== 'string' || !/^[0-9A-Za-z]{1,20}$/.test(accountId)) throw new ConfigError(`${key}.accountId`, 'must be the tenant\'s accountId (1 to 20 letters and digits)');
    return { ak, sk, accountId };
  });
  const aks = new Set<string>();
  for (const [i, a] of apps.entries()) {
    if (aks.has(a.ak)) throw new ConfigError(`exports.apps[${i}].ak`, `${a.ak} is given twice`);
    aks.add(a.ak);
  }
  return {
    dir: str(e['dir'], 'exports.dir'),
    retentionHours: int(e['retentionHours'], 'exports.retentionHours', 1, 24 * 365),
    apps,
    maxSkewSeconds: int(e['maxSkewSeconds'], 'exports.maxSkewSeconds', 1, 86_400),
    maxPeriodDays: int(e['maxPeriodDays'], 'exports.maxPeriodDays', 1, 366),
    maxConcurrent: int(e['maxConcurrent'], 'exports.maxConcurrent', 1, 64),
    rowsPerFile: int(e['rowsPerFile'], 'exports.rowsPerFile', 1, 10_000_000),
    callbackTimeoutMs: int(e['callbackTimeoutMs'], 'exports.callbackTimeoutMs', 100, 120_000),
  };
}
