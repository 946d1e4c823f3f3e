// The command line as an operator meets it: the compiled CLI run as a child process,
// its exit code, stdout and stderr. Mistakes get one line naming what was typed, no stack.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/command-line.js';
import { VERSION } from '../../../src/version.js';
import { type Build, buildPolylink, ROOT, runPolylink, startPolylink, unusedPort } from '../../helpers/polylink-process.js';
import { readFileSync } from 'node:fs';

let build: Build;
let dir: string;
beforeAll(async () => {
  build = await buildPolylink();
  dir = mkdtempSync(join(tmpdir(), 'polylink-cli-'));
}, 60_000);
afterAll(() => {
  build?.remove();
  rmSync(dir, { recursive: true, force: true });
});

const polylink = (args: string[], env: Record<string, string> = {}) =>
  runPolylink([process.execPath, build.cli, ...args], { cwd: dir, env: { POLYLINK_DATABASE_PATH: join(dir, 'cli.db'), ...env } });

/** One line on stderr, no stack trace, nothing on stdout. */
function oneLine(r: { stdout: string; stderr: string }): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
  return lines[0]!;
}

describe('--version and --help', () => {
  it.each([[[]], [['start']], [['migrate']], [['import']], [['call-in']]])('%j --version prints the version', async (args) => {
    const r = await polylink([...args, '--version']);
    expect(r).toMatchObject({ code: 0, stdout: `polylink ${VERSION}` });
  });

  it('--help lists every command; COMMAND --help that command and its options', async () => {
    const general = await polylink(['--help']);
    expect(general.code).toBe(0);
    for (const c of COMMANDS) expect(general.stdout).toContain(`polylink ${c.name}`);
    const r = await polylink(['call-in', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: polylink call-in NUMBER/);
    for (const option of ['--from CALLER', '--url URL', '--config FILE', '--help', '--version']) expect(r.stdout).toContain(option);
  });
});

describe('a command line that cannot be run', () => {
  it.each([
    [['start', '--bogus'], 'polylink start: unknown option --bogus', 'usage: polylink start'],
    [['migrate', '--from', 'x'], 'polylink migrate: unknown option --from', 'usage: polylink migrate'],
    [['import'], 'polylink import: which file?', 'usage: polylink import FILE'],
    [['import', 'a.yaml', 'b.yaml'], 'polylink import: unexpected argument "b.yaml"', 'usage: polylink import FILE'],
    [['start', '--config'], 'polylink start: --config needs FILE', 'usage: polylink start'],
    [['frobnicate'], 'polylink: unknown command "frobnicate"', 'usage:'],
    [[], 'polylink: which command?', 'usage:'],
  ])('%j is refused (exit 2) with the usage', async (args, message, usage) => {
    const r = await polylink(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stderr).toContain(usage);
    expect(existsSync(join(dir, 'cli.db'))).toBe(false);
  });
});

describe('mistakes said in one line', () => {
  it('import of a file that does not exist names it', async () => {
    const r = await polylink(['import', 'my-centre.yaml']);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toBe('polylink import: my-centre.yaml: no such file');
  });

  it('a --config file that does not exist, and POLYLINK_CONFIG naming one', async () => {
    const r = await polylink(['migrate', '--config', 'site.yaml']);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toBe('polylink: --config site.yaml: no such file');
    const e = await polylink(['migrate'], { POLYLINK_CONFIG: 'other.yaml' });
    expect(oneLine(e)).toBe('polylink: POLYLINK_CONFIG=other.yaml: no such file');
  });

  it('call-in with no server running names the address it tried', async () => {
    const port = await unusedPort();
    const r = await polylink(['call-in', '4008001000', '--url', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toBe(
      `polylink call-in: cannot reach polylink at http://127.0.0.1:${port} (connection refused); is it running? Start it with "polylink start", or name it with --url`,
    );
  });

  it('start with its port in use says so and starts nothing (no database, no log)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const db = join(dir, 'busy', 'polylink.db');
      const r = await polylink(['start'], { POLYLINK_DATABASE_PATH: db, POLYLINK_AGENT_HOST: '127.0.0.1', POLYLINK_AGENT_TCP_PORT: String(port), POLYLINK_HTTP_PORT: '0' });
      expect(r.code).toBe(1);
      expect(oneLine(r)).toBe(
        `polylink start: port ${port} on 127.0.0.1 (agent.tcpPort) is in use by another program; is polylink already running? Choose another with POLYLINK_AGENT_TCP_PORT=… or in the config file`,
      );
      expect(existsSync(db)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('a bad config file: its name and what is wrong, in one line', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'agent:\n  tcpPort: [1\n');
    const r = await polylink(['migrate', '--config', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(oneLine(r)).toMatch(/^polylink: --config bad\.yaml: not valid YAML: /);
  });
});

describe('with a server running', () => {
  it('call-in places a call to a routed number and says when a number is not routed; a misspelt POLYLINK_ variable is reported at start', async () => {
    const server = await startPolylink(build, join(dir, 'running.db'), { POLYLINK_AGENT_TCP_PROT: '6021', POLYLINK_LOGLEVEL: 'debug' });
    try {
      const url = `http://127.0.0.1:${server.httpPort}`;
      const ok = await polylink(['call-in', '4008001000', '--from', '13800138000', '--url', url]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^customer 13800138000 is calling 4008001000 \(channel [0-9a-f-]{36}\)$/);
      const not = await polylink(['call-in', '4008009999', '--url', url]);
      expect(not.code).toBe(1);
      expect(oneLine(not)).toMatch(/^polylink call-in: 4008009999 is not a number the simulator routes; it routes .*4008001000/);
      const warnings = server.process.log.filter((l) => l['level'] === 40 && l['msg'] === 'unknown POLYLINK_ variable ignored (misspelt?)');
      expect(warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ variable: 'POLYLINK_AGENT_TCP_PROT', nearest: 'POLYLINK_AGENT_TCP_PORT', key: 'agent.tcpPort' }),
          expect.objectContaining({ variable: 'POLYLINK_LOGLEVEL', nearest: 'POLYLINK_LOG_LEVEL', key: 'log.level' }),
        ]),
      );
    } finally {
      server.process.child.kill('SIGTERM');
      await server.process.exited;
    }
  }, 60_000);
});

describe('README', () => {
  it('lists every command in its command-line section', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 3));
    for (const c of COMMANDS) expect(section, c.name).toContain(`polylink ${c.name}`);
    expect(section).toContain('--version');
    expect(section).toContain('--help');
  });
});
