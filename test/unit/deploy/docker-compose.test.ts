/**
 * docker-compose.yml, checked without a Docker engine: interpolated the way compose does
 * it from an .env made of .env.example, then the resulting environments are fed to what
 * reads them — FreeSWITCH's configuration (through the preprocessor model) and polylink's
 * own loadConfig — to see that both ends agree on the event socket, the ports and the
 * recordings, and that the event socket never reaches the host.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { assemble } from './freeswitch-preprocessor.js';
import { all, configuration, kid, params, parseTree } from './freeswitch-xml.js';

const ROOT = join(import.meta.dirname, '../../..');
/** An empty working directory for loadConfig, so that no polylink.yaml of the checkout is read. */
const tempDir = tempDirs('polylink-compose-');
const COMPOSE_TEXT = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const ENV_EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');

type Env = Record<string, string>;

/** KEY=VALUE lines of an env file; comments and blank lines skipped. */
function parseEnvFile(text: string): Env {
  const env: Env = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m !== null) env[m[1] as string] = (m[2] as string).trim();
  }
  return env;
}

class InterpolationError extends Error {}

/** Compose's variable substitution in one string: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}. */
function interpolate(s: string, env: Env): string {
  return s.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
    if (m === '$$') return '$';
    const key = (name ?? bare) as string;
    const value = env[key];
    const missing = value === undefined || (colon === ':' && value === '');
    if (op === '-') return missing ? (arg ?? '') : (value as string);
    if (op === '?') {
      if (missing) throw new InterpolationError(`${key}: ${arg ?? 'required'}`);
      return value as string;
    }
    return value ?? '';
  });
}

function interpolateTree(node: unknown, env: Env): unknown {
  if (typeof node === 'string') return interpolate(node, env);
  if (Array.isArray(node)) return node.map((n) => interpolateTree(n, env));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateTree(v, env)]));
  }
  return node;
}

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  networks?: Record<string, { ipv4_address?: string } | null>;
  network_mode?: string;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
}

interface Compose {
  services: Record<string, Service>;
  networks?: Record<string, { ipam?: { config?: { subnet: string }[] } }>;
  volumes?: Record<string, unknown>;
}

/** An operator's .env: .env.example with the required blanks filled in. */
const FILLED: Env = {
  ...parseEnvFile(ENV_EXAMPLE),
  FREESWITCH_ESL_PASSWORD: 'c0ffee0123456789',
  FREESWITCH_SIP_PASSWORD: 'phonesSecret42',
  FREESWITCH_EXTERNAL_IP: '192.0.2.20',
};

const compose = (env: Env): Compose => interpolateTree(parseYaml(COMPOSE_TEXT), env) as Compose;
const c = compose(FILLED);
const fs = c.services['freeswitch'] as Service;
const pl = c.services['polylink'] as Service;

interface Published {
  hostFrom: number;
  hostTo: number;
  containerFrom: number;
  containerTo: number;
  protocol: string;
}

/** Short port syntax: [ip:]host[-host]:container[-container][/protocol]. */
function published(spec: string): Published {
  const m = /^(?:[\d.]+:)?(\d+)(?:-(\d+))?:(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(spec);
  if (m === null) throw new Error(`port "${spec}": not host:container (a port without a host side would be published on a random port)`);
  const n = (i: number, d: number) => (m[i] === undefined ? d : Number(m[i]));
  return { hostFrom: n(1, 0), hostTo: n(2, n(1, 0)), containerFrom: n(3, 0), containerTo: n(4, n(3, 0)), protocol: m[5] ?? 'tcp' };
}

const publishes = (s: Service, port: number, protocol: string) =>
  (s.ports ?? []).map(published).some((p) => p.protocol === protocol && p.containerFrom <= port && port <= p.containerTo && p.hostFrom === p.containerFrom);

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

function mounts(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    const [source, target, mode] = v.split(':');
    if (source === undefined || target === undefined) throw new Error(`volume "${v}": needs source:target`);
    return { source, target, readOnly: (mode ?? '').split(',').includes('ro') };
  });
}

const isBind = (m: Mount) => m.source.startsWith('.') || m.source.startsWith('/');

describe('docker-compose.yml', () => {
  it('refuses to start without the secrets and the host address', () => {
    expect(() => compose({ ...FILLED, FREESWITCH_ESL_PASSWORD: '' })).toThrow(/FREESWITCH_ESL_PASSWORD/);
    expect(() => compose({ ...FILLED, FREESWITCH_SIP_PASSWORD: '' })).toThrow(/FREESWITCH_SIP_PASSWORD/);
    expect(() => compose({ ...FILLED, FREESWITCH_EXTERNAL_IP: '' })).toThrow(/FREESWITCH_EXTERNAL_IP/);
    // .env.example as shipped leaves them blank, so a forgotten value stops compose.
    expect(() => compose(parseEnvFile(ENV_EXAMPLE))).toThrow(InterpolationError);
  });

  it('has FreeSWITCH from a public image and polylink built from this repository, after FreeSWITCH', () => {
    expect(Object.keys(c.services).sort()).toEqual(['freeswitch', 'polylink']);
    expect(fs.image).toMatch(/freeswitch/);
    const context = typeof pl.build === 'string' ? pl.build : pl.build?.context;
    expect(context).toBe('.');
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
    const deps = Array.isArray(pl.depends_on) ? pl.depends_on : Object.keys(pl.depends_on ?? {});
    expect(deps).toContain('freeswitch');
  });

  it('publishes SIP, RTP and the agent ports, and never the event socket', () => {
    for (const proto of ['udp', 'tcp']) expect(publishes(fs, 5060, proto), `5060/${proto}`).toBe(true);
    expect(publishes(pl, 6020, 'tcp')).toBe(true);
    expect(publishes(pl, 8080, 'tcp')).toBe(true);
    for (const [name, s] of Object.entries(c.services)) {
      expect(s.network_mode, `${name} shares the host's network`).toBeUndefined();
      for (const p of (s.ports ?? []).map(published)) {
        expect(p.containerFrom <= 8021 && 8021 <= p.containerTo, `${name} publishes 8021`).toBe(false);
        expect(p.hostFrom <= 8021 && 8021 <= p.hostTo, `${name} publishes host port 8021`).toBe(false);
      }
    }
  });

  it('publishes exactly the RTP range FreeSWITCH is configured with', () => {
    const fsConf = parseTree(assemble(join(ROOT, 'freeswitch-conf'), fs.environment ?? {}).text);
    const core = params(kid(configuration(fsConf, 'switch.conf') ?? expect.fail('no switch.conf'), 'settings'));
    const start = Number(core.get('rtp-start-port')?.[0]);
    const end = Number(core.get('rtp-end-port')?.[0]);
    const rtp = (fs.ports ?? []).map(published).filter((p) => p.protocol === 'udp' && p.containerTo > p.containerFrom);
    expect(rtp).toEqual([{ hostFrom: start, hostTo: end, containerFrom: start, containerTo: end, protocol: 'udp' }]);
    expect(end - start).toBeGreaterThanOrEqual(100);
  });

  it('mounts only paths that exist and volumes that are declared', () => {
    for (const [name, s] of Object.entries(c.services)) {
      for (const m of mounts(s)) {
        if (isBind(m)) expect(existsSync(join(ROOT, m.source)), `${name}: ${m.source} exists`).toBe(true);
        else expect(Object.keys(c.volumes ?? {}), `${name}: volume ${m.source} declared`).toContain(m.source);
        expect(posix.isAbsolute(m.target), `${name}: ${m.target}`).toBe(true);
      }
    }
  });

  it('gives FreeSWITCH this repository configuration read-only', () => {
    const conf = mounts(fs).find((m) => m.target === '/etc/freeswitch');
    expect(conf).toEqual({ source: './freeswitch-conf', target: '/etc/freeswitch', readOnly: true });
    expect(existsSync(join(ROOT, 'freeswitch-conf/freeswitch.xml'))).toBe(true);
  });

  it('shares the recordings at the path FreeSWITCH records to, read-only for polylink', () => {
    const dir = assemble(join(ROOT, 'freeswitch-conf'), fs.environment ?? {}).vars.get('polylink_recordings_dir');
    const fsRec = mounts(fs).find((m) => m.target === dir);
    const plRec = mounts(pl).find((m) => m.target === dir);
    expect(fsRec?.readOnly).toBe(false);
    expect(plRec?.readOnly).toBe(true);
    expect(plRec?.source).toBe(fsRec?.source);
    expect(isBind(fsRec as Mount)).toBe(false);
  });

  it('keeps polylink’s database on a volume at /data', () => {
    const data = mounts(pl).find((m) => m.target === '/data');
    expect(data?.readOnly).toBe(false);
    expect(Object.keys(c.volumes ?? {})).toContain(data?.source);
  });

  it('gives polylink a configuration that reaches FreeSWITCH’s event socket with its password', () => {
    const { config } = loadConfig({ cwd: tempDir(), env: pl.environment ?? {} });
    expect(config.freeswitch.nodes).toEqual([{ id: 'freeswitch:8021', host: 'freeswitch', port: 8021, password: FILLED['FREESWITCH_ESL_PASSWORD'] }]);
    expect(config.database.path.startsWith('/data/')).toBe(true);
    expect(config.agent.tcpPort).toBe(6020);
    expect(config.http.port).toBe(8080);
    expect(config.organisation.importOnEmpty).toBe('examples/callcenter.yaml');
    // An empty value in .env means: import nothing.
    const none = compose({ ...FILLED, POLYLINK_ORGANISATION_IMPORT_ON_EMPTY: '' }).services['polylink']?.environment ?? {};
    expect(loadConfig({ cwd: tempDir(), env: none }).config.organisation.importOnEmpty).toBeNull();
  });

  it('lets only polylink’s fixed address through FreeSWITCH’s event socket ACL', () => {
    const assembled = assemble(join(ROOT, 'freeswitch-conf'), fs.environment ?? {});
    expect(assembled.unset).toEqual([]);
    const doc = parseTree(assembled.text);
    const esl = params(kid(configuration(doc, 'event_socket.conf') ?? expect.fail('no event_socket.conf'), 'settings'));
    expect(esl.get('password')).toEqual([FILLED['FREESWITCH_ESL_PASSWORD']]);
    expect(esl.get('listen-port')).toEqual(['8021']);
    const aclName = esl.get('apply-inbound-acl')?.[0];
    const list = all(configuration(doc, 'acl.conf') ?? expect.fail('no acl.conf'), 'list').find((l) => l.attrs['name'] === aclName);
    expect(list?.attrs['default']).toBe('deny');
    const allowed = (list?.children ?? []).filter((n) => n.attrs['type'] === 'allow').map((n) => n.attrs['cidr']);
    const polylinkIp = Object.values(pl.networks ?? {})[0]?.ipv4_address;
    expect(polylinkIp).toBeTruthy();
    expect(allowed.sort()).toEqual(['127.0.0.1/32', `${polylinkIp}/32`].sort());
    // polylink's address is on the network both services share.
    const net = Object.keys(pl.networks ?? {})[0] as string;
    expect(Object.keys(fs.networks ?? {})).toContain(net);
    const subnet = c.networks?.[net]?.ipam?.config?.[0]?.subnet ?? '';
    expect(inCidr(polylinkIp as string, subnet)).toBe(true);
    expect(inCidr(fs.networks?.[net]?.ipv4_address ?? '', subnet)).toBe(true);
  });

  it('checks FreeSWITCH’s health by logging in to the event socket with the configured password', () => {
    expect(fs.healthcheck?.test.join(' ')).toContain('fs_cli -p "$FREESWITCH_ESL_PASSWORD"');
    expect(Object.keys(fs.environment ?? {})).toContain('FREESWITCH_ESL_PASSWORD');
  });

  it('names in .env.example every variable it reads, and git ignores .env', () => {
    const used = new Set([...COMPOSE_TEXT.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string));
    const documented = new Set([...ENV_EXAMPLE.matchAll(/^#?\s*([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
    expect([...used].filter((v) => !documented.has(v))).toEqual([]);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    const tracked = execFileSync('git', ['ls-files', '.env'], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked).toBe('');
  });
});

describe('compose interpolation model', () => {
  it('substitutes as compose does', () => {
    const env = { A: 'a', E: '' };
    expect(interpolate('${A}-${B:-b}-${E:-e}-${E-e}-$$A-$A', env)).toBe('a-b-e--$A-a');
    expect(() => interpolate('${E:?need E}', env)).toThrow('need E');
    expect(interpolate('${E?need E}', env)).toBe('');
  });
});

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (base === undefined || bits === undefined || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}
