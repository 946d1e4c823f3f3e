/**
 * Reads the config file (YAML or JSON), lays it over the defaults, applies
 * POLYLINK_* environment overrides, and validates the result.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Config, ConfigError, DEFAULT_CONFIG, FREE_MAPPINGS, validateConfig } from './config-schema.js';

export const DEFAULT_CONFIG_FILES = ['polylink.yaml', 'polylink.yml', 'polylink.json'];

type Shape = Record<string, unknown>;

export interface LoadConfigOptions {
  /** An explicit file; it must exist. Without it, the first of DEFAULT_CONFIG_FILES found is read, if any. */
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): { config: Config; file: string | undefined } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env[CONFIG_FILE_VARIABLE];
  // How the user named the file, for messages: what they typed.
  const named = options.file !== undefined ? `--config ${options.file}` : `${CONFIG_FILE_VARIABLE}=${explicit ?? ''}`;
  let file: string | undefined;
  let fromFile: Shape = {};
  if (explicit !== undefined && explicit !== '') {
    if (!existsSync(explicit)) throw new ConfigFileError(named, 'no such file');
    file = explicit;
    fromFile = readConfigFile(file, named);
  } else {
    file = DEFAULT_CONFIG_FILES.map((f) => `${cwd}/${f}`).find((f) => existsSync(f));
    if (file !== undefined) fromFile = readConfigFile(file, file);
  }
  const merged = deepMerge(structuredClone(DEFAULT_CONFIG) as unknown as Shape, fromFile);
  applyEnvironment(merged, env);
  return { config: validateConfig(merged), file };
}

/** The config file itself is the trouble: named but missing, unreadable, or not YAML/JSON. */
export class ConfigFileError extends ConfigError {
  constructor(named: string, reason: string) {
    super('(file)', reason);
    this.message = `${named}: ${reason}`;
  }
}

function readConfigFile(file: string, named: string): Shape {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(named, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigFileError(named, `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigFileError(named, 'must hold a mapping');
  return parsed as Shape;
}

function deepMerge(base: Shape, over: Shape): Shape {
  for (const [key, value] of Object.entries(over)) {
    const b = base[key];
    if (b !== null && typeof b === 'object' && !Array.isArray(b) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      deepMerge(b as Shape, value as Shape);
    } else {
      base[key] = value;
    }
  }
  return base;
}

/** `agent.tcpPort` ↔ `POLYLINK_AGENT_TCP_PORT`. */
export function envName(path: string): string {
  return 'POLYLINK_' + path.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
}

export interface EnvSetting {
  /** The config key, e.g. agent.tcpPort. */
  readonly path: string;
  /** Its variable, e.g. POLYLINK_AGENT_TCP_PORT. */
  readonly name: string;
  readonly defaultValue: unknown;
}

/** The variable naming the config file (like --config). */
export const CONFIG_FILE_VARIABLE = 'POLYLINK_CONFIG';

/**
 * Every scalar key of the defaults can be overridden, and a mapping of free keys (gateway →
 * channels) as a whole; the value is read as the type of the default.
 */
export function envSettings(): EnvSetting[] {
  const out: EnvSetting[] = [];
  const walk = (defaults: Shape, prefix: string): void => {
    for (const [key, d] of Object.entries(defaults)) {
      const path = prefix + key;
      if (d !== null && typeof d === 'object' && !Array.isArray(d) && !FREE_MAPPINGS.has(path)) walk(d as Shape, `${path}.`);
      else out.push({ path, name: envName(path), defaultValue: d });
    }
  };
  walk(DEFAULT_CONFIG as unknown as Shape, '');
  return out;
}

/** `POLYLINK_FREESWITCH_NODES` takes JSON or `password@host:port` items separated by commas. */
function applyEnvironment(merged: Shape, env: NodeJS.ProcessEnv): void {
  for (const { path, name, defaultValue } of envSettings()) {
    const raw = env[name];
    if (raw === undefined) continue;
    const keys = path.split('.');
    let target: unknown = merged;
    for (const key of keys.slice(0, -1)) target = target !== null && typeof target === 'object' && !Array.isArray(target) ? (target as Shape)[key] : undefined;
    // A section the file replaced by something else is reported by the validation.
    if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
    (target as Shape)[keys.at(-1)!] = parseEnvValue(path, name, raw, defaultValue);
  }
}

function parseEnvValue(path: string, name: string, raw: string, defaultValue: unknown): unknown {
  if (path === 'freeswitch.nodes') return parseNodes(name, raw);
  if (path === 'agent.tls' || path === 'http.tls') return raw === '' ? null : parseJson(name, raw);
  if (Array.isArray(defaultValue) || FREE_MAPPINGS.has(path)) return parseJson(name, raw);
  if (typeof defaultValue === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(path, `${name}=${JSON.stringify(raw)} is not a number`);
    return n;
  }
  if (typeof defaultValue === 'boolean') {
    if (raw === 'true' || raw === '1' || raw === 'yes') return true;
    if (raw === 'false' || raw === '0' || raw === 'no') return false;
    throw new ConfigError(path, `${name}=${JSON.stringify(raw)} is not true or false`);
  }
  if (defaultValue === null) return raw === '' ? null : raw;
  return raw;
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'is not valid JSON');
  }
}

function parseNodes(name: string, raw: string): unknown {
  const text = raw.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return parseJson(name, text);
  return text.split(',').map((item, i) => {
    const m = /^(.+)@([^@:]+)(?::(\d+))?$/.exec(item.trim());
    if (!m) throw new ConfigError(`freeswitch.nodes[${i}]`, `${name} items are password@host:port`);
    return { password: m[1], host: m[2], port: m[3] === undefined ? 8021 : Number(m[3]) };
  });
}
