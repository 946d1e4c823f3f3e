/**
 * The Dockerfile, checked without a Docker engine: valid instructions in a sensible order,
 * the runtime stage's contract (ports, health check, unprivileged user, command), every
 * COPY source present in the repository and not hidden by .dockerignore, and the usual
 * hadolint rules that are cheap to check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyArgs, ignoredBy, type Instruction, KEYWORDS, parseDockerfile, type Stage, stagesOf } from '../../helpers/dockerfile-model.js';

const ROOT = join(import.meta.dirname, '../../..');

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const instructions = parseDockerfile(dockerfile);
const stages = stagesOf(instructions);
const final = stages.at(-1) as Stage;
const finalOf = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('uses only valid instructions, FROM first', () => {
    expect(instructions.length).toBeGreaterThan(5);
    expect(instructions.filter((i) => !KEYWORDS.has(i.keyword))).toEqual([]);
    expect(instructions.find((i) => i.keyword !== 'ARG')?.keyword).toBe('FROM');
  });

  it('builds in one stage and runs from another, each base image with a pinned tag', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      expect(s.image, s.image).toMatch(/^[^:@\s]+(:[^:\s]+|@sha256:[0-9a-f]{64})$/);
      expect(s.image, s.image).not.toMatch(/:latest$/);
    }
    const names = stages.map((s) => s.name);
    stages.forEach((s, i) => {
      for (const ins of s.instructions.filter((x) => x.keyword === 'COPY')) {
        const { from } = copyArgs(ins.args);
        if (from !== undefined) expect(names.slice(0, i), `line ${ins.line}: --from=${from}`).toContain(from);
      }
    });
    const buildRuns = stages
      .slice(0, -1)
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join('\n');
    expect(buildRuns).toMatch(/npm ci\b/);
    expect(buildRuns).toMatch(/npm run build\b/);
    expect(buildRuns).toMatch(/python3/);
    expect(buildRuns).toMatch(/g\+\+/);
    expect(final.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('exposes the agent and HTTP ports and checks GET /health', () => {
    const ports = finalOf('EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(ports).toEqual(expect.arrayContaining(['6020', '8080']));
    const health = finalOf('HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]?.args).not.toMatch(/^NONE/);
    expect(health[0]?.args).toMatch(/CMD/);
    expect(health[0]?.args).toContain('/health');
    expect(health[0]?.args).toContain('8080');
  });

  it('runs as an unprivileged user, set before the command', () => {
    const users = finalOf('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1) as Instruction;
    expect(user.args.split(':')[0]).not.toMatch(/^(root|0)$/);
    const cmd = finalOf('CMD').at(-1) as Instruction;
    expect(final.instructions.indexOf(user)).toBeLessThan(final.instructions.indexOf(cmd));
  });

  it('starts the compiled CLI, which the build produces at that path', () => {
    const cmds = finalOf('CMD');
    expect(cmds).toHaveLength(1);
    expect(JSON.parse(cmds[0]?.args ?? '')).toEqual(['node', 'dist/src/cli.js', 'start']);
    expect(finalOf('ENTRYPOINT')).toEqual([]);
    // tsc -p tsconfig.build.json: rootDir "." and outDir "dist" put src/cli.ts at dist/src/cli.js.
    const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
    const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { extends: string; include: string[] };
    expect(build.extends).toBe('./tsconfig.json');
    expect(build.include).toContain('src');
    expect([base.compilerOptions.outDir, base.compilerOptions.rootDir]).toEqual(['dist', '.']);
    expect(existsSync(join(ROOT, 'src/cli.ts'))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; allowScripts?: Record<string, boolean> };
    const steps = (pkg.scripts['build'] ?? '').split(' && ');
    expect(steps[0]).toBe('tsc -p tsconfig.build.json');
    // The web pages (dist/web/) and the agent bar SDK's bundle (dist/web/sdk/) are built from web/ with their Vite configs: the build stage needs both.
    const buildCopies = stages
      .slice(0, -1)
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => copyArgs(i.args).sources);
    for (const step of steps.slice(1)) {
      expect(['vite build --config web/vite.config.ts', 'vite build --config web/sdk/vite.config.ts']).toContain(step);
      expect(existsSync(join(ROOT, step.split(' ').at(-1)!))).toBe(true);
      expect(buildCopies).toContain('web');
    }
    // npm 11 runs better-sqlite3's install script (its native build) only when allowed.
    expect(pkg.allowScripts?.['better-sqlite3']).toBe(true);
  });

  it('puts everything the server reads at run time where it looks for it', () => {
    const workdirs = finalOf('WORKDIR');
    expect(workdirs.length).toBeGreaterThan(0);
    const workdir = (workdirs.at(-1) as Instruction).args;
    expect(posix.isAbsolute(workdir)).toBe(true);
    const dests = finalOf('COPY').map((i) => posix.resolve(workdir, copyArgs(i.args).dest));
    // package.json (ES modules), dependencies, compiled code, what src/store/migrate.ts
    // finds from dist/src/store ("../../../schema"), what src/numbers/load-number-directory.ts
    // finds from dist/src/numbers ("../../../resources"), and organisation.importOnEmpty's
    // default. test/integration/deploy/runtime-layout.test.ts starts the layout itself.
    for (const p of ['package.json', 'node_modules', 'dist', 'schema', 'resources', 'examples']) expect(dests, p).toContain(posix.join(workdir, p));
    expect(posix.resolve(workdir, 'dist/src/store', '../../..', 'schema')).toBe(posix.join(workdir, 'schema'));
    expect(posix.resolve(workdir, 'dist/src/numbers', '../../..', 'resources')).toBe(posix.join(workdir, 'resources'));
    const env = finalOf('ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/POLYLINK_DATABASE_PATH=\/data\/polylink\.db/);
    expect(finalOf('VOLUME').map((i) => i.args).join(' ')).toContain('/data');
  });

  it('copies only files that exist in the repository and reach the build context', () => {
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
      .map((i) => copyArgs(i.args))
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), `${s} exists`).toBe(true);
      expect(ignoredBy(dockerignore, s), `${s} is not in .dockerignore`).toBeUndefined();
    }
    // The context must not carry the local install, local secrets or databases.
    for (const p of ['node_modules', '.env', 'data/polylink.db', '.git']) expect(ignoredBy(dockerignore, p), p).toBeDefined();
  });

  it('follows the hadolint rules that apply', () => {
    for (const ins of instructions) {
      const at = `line ${ins.line}: ${ins.keyword} ${ins.args.slice(0, 60)}`;
      if (ins.keyword === 'ADD') expect.fail(`${at}: use COPY (DL3020)`);
      if (ins.keyword === 'WORKDIR') expect(posix.isAbsolute(ins.args), `${at} (DL3000)`).toBe(true);
      if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') expect(ins.args, `${at} (DL3025)`).toMatch(/^\[/);
      if (ins.keyword !== 'RUN') continue;
      if (/apt-get install/.test(ins.args)) {
        expect(ins.args, `${at} (DL3015)`).toContain('--no-install-recommends');
        expect(ins.args, `${at} (DL3014)`).toMatch(/apt-get install -y|apt-get install --yes|apt-get -y install/);
        expect(ins.args, `${at} (DL3009)`).toContain('rm -rf /var/lib/apt/lists/*');
      }
      expect(ins.args, `${at}: use WORKDIR (DL3003)`).not.toMatch(/(^|&&|;)\s*cd\s/);
      expect(ins.args, `${at} (DL3004)`).not.toMatch(/\bsudo\b/);
      expect(ins.args, `${at}: npm ci, not npm install`).not.toMatch(/npm install\b/);
      if (/\|/.test(ins.args.replace(/\|\|/g, ''))) {
        expect(instructions.some((i) => i.keyword === 'SHELL' && i.line < ins.line && i.args.includes('pipefail')), `${at} (DL4006)`).toBe(true);
      }
    }
  });
});

describe('parseDockerfile', () => {
  it('joins continued lines and skips comments, even between continued lines', () => {
    const parsed = parseDockerfile('# c\nFROM a:1 AS b\nRUN x \\\n  # note\n  && y\n\nCMD ["z"]\n');
    expect(parsed).toEqual([
      { keyword: 'FROM', args: 'a:1 AS b', line: 2 },
      { keyword: 'RUN', args: 'x && y', line: 3 },
      { keyword: 'CMD', args: '["z"]', line: 7 },
    ]);
  });

  it('matches .dockerignore patterns against a path and its parents', () => {
    expect(ignoredBy(['node_modules', '*.log', '.env.*'], 'node_modules/x/y.js')).toBe('node_modules');
    expect(ignoredBy(['node_modules', '*.log', '.env.*'], 'debug.log')).toBe('*.log');
    expect(ignoredBy(['node_modules', '*.log', '.env.*'], '.env.example')).toBe('.env.*');
    expect(ignoredBy(['node_modules', '*.log', '.env.*'], 'src/cli.ts')).toBeUndefined();
  });
});
