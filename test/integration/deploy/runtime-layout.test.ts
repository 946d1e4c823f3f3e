/**
 * The container image without a Docker engine: the Dockerfile's stages are laid out in a
 * scratch folder exactly as its COPY lines say (the build stage's RUN steps done by what
 * they stand for: `npm ci` by the installed node_modules, `npm run build` by tsc), then
 * polylink is started there with the runtime stage's ENV and CMD and checked with the
 * image's own HEALTHCHECK. A file the runtime stage forgets to copy stops the start here
 * as it would in the container.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyArgs, type Instruction, parseDockerfile, type Stage, stagesOf } from '../../helpers/dockerfile-model.js';
import { compile, type PolylinkProcess, ROOT, runPolylink, spawnPolylink } from '../../helpers/polylink-process.js';

const stages = stagesOf(parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')));

/** A stage's file system: its WORKDIR and absolute paths, both under `root`. */
interface Layout {
  readonly root: string;
  workdir: string;
}

const inside = (layout: Layout, path: string): string => join(layout.root, posix.resolve(layout.workdir, path));

/** Lays out one stage; `built` maps earlier stages' names to their layouts (COPY --from). */
async function layOut(stage: Stage, root: string, built: ReadonlyMap<string, Layout>): Promise<Layout> {
  const layout: Layout = { root, workdir: '/' };
  mkdirSync(root, { recursive: true });
  for (const ins of stage.instructions) {
    switch (ins.keyword) {
      case 'WORKDIR':
        layout.workdir = posix.resolve(layout.workdir, ins.args);
        mkdirSync(inside(layout, '.'), { recursive: true });
        break;
      case 'COPY': {
        const { from, sources, dest } = copyArgs(ins.args);
        const source = from === undefined ? undefined : built.get(from);
        if (from !== undefined && source === undefined) throw new Error(`line ${ins.line}: no stage ${from}`);
        for (const s of sources) {
          const src = source === undefined ? join(ROOT, s) : inside(source, s);
          // "COPY a b ./" copies into the folder; "COPY src ./src" names the target.
          const target = dest.endsWith('/') || sources.length > 1 ? join(inside(layout, dest), posix.basename(s)) : inside(layout, dest);
          cpSync(src, target, { recursive: true, verbatimSymlinks: true });
        }
        break;
      }
      case 'RUN':
        await run(ins, layout);
        break;
      default:
        break;
    }
  }
  return layout;
}

/** The RUN steps this Dockerfile has, done by what they stand for; any other fails the test. */
async function run(ins: Instruction, layout: Layout): Promise<void> {
  for (const step of ins.args.split('&&').map((s) => s.trim())) {
    if (/^apt-get |^rm -rf \/var\/lib\/apt\/lists/.test(step)) continue; // system packages of the build image
    if (/^npm ci\b/.test(step)) symlinkSync(join(ROOT, 'node_modules'), inside(layout, 'node_modules'));
    else if (step === 'npm run build') await compile(inside(layout, 'tsconfig.build.json'), inside(layout, 'dist'));
    else if (/^npm prune --omit=dev\b/.test(step)) continue; // fewer packages, none that polylink runs with
    else if (/^mkdir -p \S+$/.test(step)) mkdirSync(inside(layout, step.split(' ')[2]!), { recursive: true });
    else if (/^chown \S+ \S+$/.test(step)) continue; // the scratch folder is the test's own
    else throw new Error(`line ${ins.line}: the test does not know how to do "RUN ${step}"`);
  }
}

const envOf = (stage: Stage): Record<string, string> =>
  Object.fromEntries(
    stage.instructions
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => [...i.args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((m) => [m[1]!, m[2]!.replace(/^"|"$/g, '')])),
  );

let scratch: string;
let runtime: Layout;
let env: Record<string, string>;
let server: PolylinkProcess | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'polylink-image-'));
  const built = new Map<string, Layout>();
  for (const [i, stage] of stages.slice(0, -1).entries()) built.set(stage.name ?? String(i), await layOut(stage, join(scratch, `stage-${i}`), built));
  runtime = await layOut(stages.at(-1)!, join(scratch, 'runtime'), built);
  // The image's absolute paths (the /data volume) live under the runtime stage's root.
  env = Object.fromEntries(Object.entries(envOf(stages.at(-1)!)).map(([k, v]) => [k, v.startsWith('/') ? join(runtime.root, v) : v]));
}, 60_000);

afterAll(async () => {
  server?.kill();
  await server?.exited;
  rmSync(scratch, { recursive: true, force: true });
});

describe('the runtime stage of the Dockerfile', () => {
  it('starts polylink with its CMD and ENV, answers its HEALTHCHECK, and stops on SIGTERM', async () => {
    const final = stages.at(-1)!;
    const cmd = JSON.parse(final.instructions.find((i) => i.keyword === 'CMD')!.args) as string[];
    expect(cmd[0]).toBe('node');
    server = spawnPolylink([process.execPath, ...cmd.slice(1)], {
      cwd: inside(runtime, '.'),
      env: {
        ...env,
        // Free ports on loopback instead of the image's 6020 and 8080.
        POLYLINK_AGENT_HOST: '127.0.0.1',
        POLYLINK_AGENT_TCP_PORT: '0',
        POLYLINK_HTTP_HOST: '127.0.0.1',
        POLYLINK_HTTP_PORT: '0',
      },
    });
    const up = await server.waitForLog((l) => l['msg'] === 'polylink is up', 30_000);
    expect(up).toMatchObject({ agents: 27 });
    expect(existsSync(String(env['POLYLINK_DATABASE_PATH']))).toBe(true);

    const health = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')!.args;
    const check = JSON.parse(health.slice(health.indexOf('CMD') + 3).trim()) as string[];
    const probe = await runPolylink([process.execPath, ...check.slice(1)], { env: { POLYLINK_HTTP_PORT: String(up['httpPort']) } });
    expect(probe.code, probe.stderr).toBe(0);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});
