/**
 * polylink as an operator runs it: compiled (`npm run build`'s tsc), started as a child
 * process with its command line, its JSON log read from stdout line by line. For the
 * tests of the command line, of shutdown on a signal and of the container image's layout.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** `tsc -p <project>` (tsconfig.build.json: src/ only), writing into `outDir`. */
export async function compile(project: string, outDir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [TSC, '-p', project, '--outDir', outDir], { cwd: ROOT });
}

export interface Build {
  readonly dir: string;
  /** dist/src/cli.js of this build. */
  readonly cli: string;
  remove(): void;
}

/**
 * A build in a temporary folder laid out like the repository after `npm run build`: the
 * compiled dist/ beside links to package.json (ES modules), node_modules, schema/,
 * resources/ and examples/. `project` tsconfig.json also compiles bench/ (the load harness).
 */
export async function buildPolylink(project: 'tsconfig.build.json' | 'tsconfig.json' = 'tsconfig.build.json'): Promise<Build> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-build-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    for (const entry of ['package.json', 'node_modules', 'schema', 'resources', 'examples']) symlinkSync(join(ROOT, entry), join(dir, entry));
    await compile(join(ROOT, project), join(dir, 'dist'));
  } catch (err) {
    remove();
    throw err;
  }
  return { dir, cli: join(dir, 'dist', 'src', 'cli.js'), remove };
}

export type LogLine = Record<string, unknown>;

export interface PolylinkProcess {
  readonly child: ChildProcess;
  /** stdout lines that are JSON (the pino log), parsed. */
  readonly log: LogLine[];
  /** Every stdout line as written. */
  readonly stdout: string[];
  /** stderr, whole. */
  stderr(): string;
  /** Resolves with the first log line that matches (also one already written). */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process if it still runs (SIGKILL): for clean-up after a failed test. */
  kill(): void;
}

export interface SpawnOptions {
  readonly cwd?: string;
  /** Added to a minimal environment (PATH, HOME): the tests' own POLYLINK_* never leak in. */
  readonly env?: Record<string, string>;
  readonly stdin?: 'ignore' | 'pipe';
}

export function spawnPolylink(command: readonly string[], options: SpawnOptions = {}): PolylinkProcess {
  const [program, ...args] = command;
  const child = spawn(program!, args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const log: LogLine[] = [];
  const stdout: string[] = [];
  let err = '';
  let waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      stdout.push(line);
      let parsed: LogLine | undefined;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        continue;
      }
      log.push(parsed);
      waiters = waiters.filter((w) => {
        if (!w.match(parsed!)) return true;
        w.resolve(parsed!);
        return false;
      });
    }
  });
  child.stdout!.on('end', () => {
    if (partial !== '') stdout.push(partial);
    partial = '';
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    log,
    stdout,
    stderr: () => err,
    waitForLog(match, timeoutMs = 15_000) {
      const found = log.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such log line within ${timeoutMs} ms; stderr: ${err.slice(-2000)}; last lines: ${stdout.slice(-5).join('\n')}`)), timeoutMs);
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`polylink exited (${code ?? signal}) before the log line; stderr: ${err.slice(-2000)}; last lines: ${stdout.slice(-5).join('\n')}`));
        });
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolveLine(l);
          },
        });
      });
    },
    exited,
    kill() {
      if (!done) child.kill('SIGKILL');
    },
  };
}

/** Runs a command to its end (killed after `timeoutMs`: a command that should not have started a server): exit code, stdout and stderr. */
export async function runPolylink(
  command: readonly string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnPolylink(command, options);
  const timer = setTimeout(() => p.kill(), options.timeoutMs ?? 15_000);
  const { code } = await p.exited;
  clearTimeout(timer);
  // The streams may still hold the last chunk when 'exit' fires.
  await new Promise<void>((r) => (p.child.stdout!.readableEnded ? r() : p.child.stdout!.once('end', () => r())));
  await new Promise<void>((r) => (p.child.stderr!.readableEnded ? r() : p.child.stderr!.once('end', () => r())));
  return { code, stdout: p.stdout.join('\n'), stderr: p.stderr() };
}

export interface RunningPolylink {
  readonly process: PolylinkProcess;
  readonly tcpPort: number;
  readonly httpPort: number;
}

/**
 * `polylink start` of a build, on free loopback ports, its database `databasePath`, the
 * simulator's phones and customers quick to answer; resolves once it says it is up.
 */
export async function startPolylink(build: Build, databasePath: string, env: Record<string, string> = {}): Promise<RunningPolylink> {
  const p = spawnPolylink([process.execPath, build.cli, 'start'], {
    cwd: build.dir,
    env: {
      POLYLINK_DATABASE_PATH: databasePath,
      POLYLINK_AGENT_HOST: '127.0.0.1',
      POLYLINK_AGENT_TCP_PORT: '0',
      POLYLINK_HTTP_HOST: '127.0.0.1',
      POLYLINK_HTTP_PORT: '0',
      POLYLINK_SIMULATOR_PHONE_ANSWER_AFTER_MS: '50',
      POLYLINK_SIMULATOR_CUSTOMER_ANSWER_AFTER_MS: '50',
      ...env,
    },
  });
  try {
    const up = await p.waitForLog((l) => l['msg'] === 'polylink is up', 30_000);
    return { process: p, tcpPort: Number(up['tcpPort']), httpPort: Number(up['httpPort']) };
  } catch (err) {
    p.kill();
    throw err;
  }
}

/** A port nothing listens on (just now). */
export function unusedPort(): Promise<number> {
  return new Promise((resolvePort) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolvePort(port));
    });
  });
}
