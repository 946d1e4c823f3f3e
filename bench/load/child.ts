/**
 * The harness's child processes (polylink, the simulators, the bars): started with a
 * minimal environment, their output into a log file of the run's folder, stopped in
 * order (SIGTERM, then SIGKILL if they do not exit), and their CPU time and RSS read from
 * /proc while they run.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  readonly cwd: string;
  readonly logFile: string;
  readonly env?: Record<string, string>;
  /** An IPC channel (child_process.fork): the child is a Node module. */
  readonly ipc?: boolean;
}

/** Every child still running, for killAll. */
const running = new Set<ChildProcess>();

/** Ends every child at once (SIGKILL): the harness itself was told to stop. */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
}

const MINIMAL_ENV = (): Record<string, string> => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' });

export function startChild(name: string, args: readonly string[], options: ChildOptions): Child {
  const out = openSync(options.logFile, 'a');
  const env = { ...MINIMAL_ENV(), ...options.env };
  const child =
    options.ipc === true
      ? fork(args[0]!, args.slice(1), { cwd: options.cwd, env, stdio: ['ignore', out, out, 'ipc'], serialization: 'advanced' })
      : spawn(process.execPath, [...args], { cwd: options.cwd, env, stdio: ['ignore', out, out] });
  closeSync(out);
  running.add(child);
  let up = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      up = false;
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return {
    name,
    process: child,
    logFile: options.logFile,
    exited,
    get running() {
      return up;
    },
    async stop(graceMs = 15_000) {
      if (!up) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** JSON lines of a log file (pino), parsed; other lines skipped. */
export function logLines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  const lines: Array<Record<string, unknown>> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut short by the process's end.
    }
  }
  return lines;
}

/** Waits for a log line that matches (polling the file), or fails when the child exits first or the time is up. */
export async function waitForLog(child: Child, match: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const line = logLines(child.logFile).find(match);
    if (line !== undefined) return line;
    if (!child.running) throw new Error(`${child.name} exited before it was up; its log: ${child.logFile}\n${tail(child.logFile)}`);
    if (Date.now() > until) throw new Error(`${child.name} was not up within ${timeoutMs / 1000} s; its log: ${child.logFile}\n${tail(child.logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function tail(file: string, lines = 15): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

/** CPU seconds (user + system) and RSS of a process, from /proc; undefined where /proc cannot tell. */
export function procStat(pid: number): { cpuSeconds: number; rssMB: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime (fields 14 and 15 of proc(5)) in clock ticks, 100 a second on Linux; rss (24) in pages of 4 KiB.
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
    const rssMB = (Number(fields[21]) * 4096) / (1024 * 1024);
    return { cpuSeconds, rssMB };
  } catch {
    return undefined;
  }
}
