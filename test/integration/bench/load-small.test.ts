/**
 * The load harness's `small` scenario (issue 16): 200 agents over TCP and WebSocket,
 * 4 supervisors, 10 calls/s for 60 s, polylink, the simulator and the bars each in a
 * process of their own. It must finish in under two minutes with zero anomalies — no
 * lost or duplicated event, no stuck agent, no customer beside an idle agent, every CDR
 * once. This runs the harness itself (`node dist/bench/load.js small`, as `npm run bench
 * -- small` does) on a build of this tree and checks what it wrote; its latency figures
 * are printed, not asserted (docs: bench/README.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPolylink, type Build } from '../../helpers/polylink-process.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-load-results-');
let build: Build | undefined;
let harness: ChildProcess | undefined;

beforeAll(async () => {
  build = await buildPolylink('tsconfig.json');
}, 60_000);

afterAll(async () => {
  // A harness still running (the test timed out) stops its children and removes its folder on SIGTERM.
  if (harness !== undefined && harness.exitCode === null && harness.signalCode === null) {
    const exited = new Promise((r) => harness!.once('exit', r));
    harness.kill('SIGTERM');
    await exited;
  }
  build?.remove();
});

describe('load harness, scenario small', () => {
  it('runs in under two minutes with zero anomalies', async () => {
    const results = tempDir();
    let output = '';
    harness = spawn(process.execPath, [join(build!.dir, 'dist', 'bench', 'load.js'), 'small', `--results-dir=${results}`], {
      cwd: build!.dir,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    harness.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    harness.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => harness!.once('exit', (c) => resolve(c)));
    console.log(output);

    const file = join(results, 'small.json');
    expect(existsSync(file), output).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      passed: boolean;
      runSeconds: number;
      figures: Record<string, number>;
      outcome: { anomalies: Record<string, { count: number; examples: string[] }>; counts: Record<string, number> };
      targets: Array<{ label: string; passed: boolean; value: number }>;
    };
    expect(written.outcome.anomalies, output).toEqual({});
    expect(written.figures['anomalies']).toBe(0);
    expect(written.runSeconds).toBeLessThan(120);
    // The load really ran: 10 calls/s for 60 s, every customer reached an agent and has one CDR.
    expect(written.outcome.counts['placed']).toBe(600);
    expect(written.outcome.counts['bridged']).toBe(600);
    expect(written.outcome.counts['cdrRows']).toBe(600);
    // Far from overload: no customer turned away for it, the switch link never cut (/health, read by the harness).
    expect(written.outcome.counts['overflowedForOverload'], output).toBe(0);
    expect(written.outcome.counts['linksCut']).toBe(0);
    expect(output).toMatch(/Overload: overflowed for overload 0 customers/);
    expect(written.targets.every((t) => t.passed)).toBe(true);
    expect(written.passed).toBe(true);
    expect(code).toBe(0);
    // The harness took its processes and its folder down.
    const folder = /run folder (\S+)/.exec(output)?.[1];
    expect(folder, output).toBeDefined();
    expect(existsSync(folder!)).toBe(false);
  }, 180_000);
});
