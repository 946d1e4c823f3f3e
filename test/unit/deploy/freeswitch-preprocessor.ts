/**
 * What FreeSWITCH 1.10 does to its configuration before parsing it (src/switch_xml.c,
 * preprocess()), so that tests can check the document FreeSWITCH really builds from
 * freeswitch-conf/ rather than the files one by one:
 *
 * - it reads each file line by line and first replaces every `$${name}` by the global
 *   variable's value, or by nothing when the variable is unset (silently);
 * - it drops every line that contains an include-wrapper tag or `<?` (whatever else is on
 *   that line goes with it);
 * - a line containing the directive tag name (any case) is a directive: `set name=value`,
 *   `env-set name=$ENV` (only if ENV exists), `include GLOB` (relative to the including
 *   file's directory, matches in sorted order). Nothing else on that line is kept; a line
 *   where the tag name is not right after `<` is dropped.
 *
 * Only the directives freeswitch-conf/ uses are supported; another one fails the test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Assembled {
  /** The document FreeSWITCH would parse. */
  readonly text: string;
  /** Global variables after the whole configuration was read. */
  readonly vars: ReadonlyMap<string, string>;
  /** `$${name}` references to variables that were unset when read, with where. */
  readonly unset: readonly { name: string; file: string; line: number }[];
  /** Files read, in order. */
  readonly files: readonly string[];
}

const DIRECTIVE = /x-pre-process/i;

/**
 * Variables FreeSWITCH sets itself before reading the configuration (the list in its
 * example vars.xml), with the values of a Debian-package layout (/etc/freeswitch …), which
 * the Docker images use too. Addresses are documentation addresses (RFC 5737).
 */
export const BUILT_IN_VARIABLES: Readonly<Record<string, string>> = {
  hostname: 'fs1',
  local_ip_v4: '192.0.2.10',
  local_mask_v4: '255.255.255.0',
  local_ip_v6: '::1',
  base_dir: '/usr',
  conf_dir: '/etc/freeswitch',
  log_dir: '/var/log/freeswitch',
  run_dir: '/var/run/freeswitch',
  db_dir: '/var/lib/freeswitch/db',
  mod_dir: '/usr/lib/freeswitch/mod',
  htdocs_dir: '/usr/share/freeswitch/htdocs',
  script_dir: '/usr/share/freeswitch/scripts',
  temp_dir: '/tmp',
  grammar_dir: '/usr/share/freeswitch/grammar',
  certs_dir: '/etc/freeswitch/tls',
  storage_dir: '/var/lib/freeswitch/storage',
  cache_dir: '/var/cache/freeswitch',
  recordings_dir: '/var/lib/freeswitch/recordings',
  sounds_dir: '/usr/share/freeswitch/sounds',
  sound_prefix: '/usr/share/freeswitch/sounds/en/us/callie',
  core_uuid: '00000000-0000-4000-8000-000000000000',
};

export function assemble(confDir: string, env: Readonly<Record<string, string>>, top = 'freeswitch.xml'): Assembled {
  const vars = new Map<string, string>(Object.entries(BUILT_IN_VARIABLES));
  const unset: { name: string; file: string; line: number }[] = [];
  const files: string[] = [];
  const out: string[] = [];

  const readFile = (file: string, depth: number): void => {
    if (depth > 100) throw new Error(`${file}: includes nested too deep`);
    files.push(file);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((raw, i) => {
      const line = raw.replace(/\$\$\{([^}]*)\}/g, (_m, name: string) => {
        const value = vars.get(name);
        if (value === undefined) unset.push({ name, file, line: i + 1 });
        return value ?? '';
      });
      if (raw.includes('<include>') || raw.includes('</include>') || raw.includes('<?')) return;
      const at = line.search(DIRECTIVE);
      if (at >= 0) {
        if (line[at - 1] !== '<') return;
        const cmd = /cmd\s*=\s*"([^"]*)"/.exec(line.slice(at))?.[1];
        const data = /data\s*=\s*"([^"]*)"/.exec(line.slice(at))?.[1];
        if (cmd === undefined || data === undefined) return;
        runDirective(cmd.toLowerCase(), data, file, i + 1, depth);
        return;
      }
      out.push(line);
    });
  };

  const runDirective = (cmd: string, data: string, file: string, line: number, depth: number): void => {
    switch (cmd) {
      case 'set': {
        const eq = data.indexOf('=');
        if (eq < 0) return;
        vars.set(data.slice(0, eq).trimEnd(), data.slice(eq + 1).trimStart());
        return;
      }
      case 'env-set': {
        const eq = data.indexOf('=');
        if (eq < 0 || data[eq + 1] !== '$') return;
        const value = env[data.slice(eq + 2)];
        if (value !== undefined) vars.set(data.slice(0, eq), value);
        return;
      }
      case 'include': {
        const matches = glob(join(dirname(file), data));
        if (matches.length === 0) throw new Error(`${file}:${line}: include ${data} matches no file`);
        for (const m of matches) readFile(m, depth + 1);
        return;
      }
      default:
        throw new Error(`${file}:${line}: directive "${cmd}" is not modelled by this test`);
    }
  };

  readFile(join(confDir, top), 0);
  return { text: out.join('\n'), vars, unset, files };
}

/** The shell-style glob FreeSWITCH passes to glob(3): `*` in the last path component only. */
function glob(pattern: string): string[] {
  const dir = dirname(pattern);
  const last = basename(pattern);
  if (!last.includes('*')) {
    try {
      return statSync(pattern).isFile() ? [pattern] : [];
    } catch {
      return [];
    }
  }
  const re = new RegExp('^' + last.split('*').map(escapeRegExp).join('[^/]*') + '$');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => re.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
