/**
 * Where a benchmark leaves its figures: `bench/results/<name>.json` in the repository
 * (benchmarks run from dist/, so the folder is found from package.json), with the
 * machine they were measured on, since this one is shared and its load moves them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

export interface Machine {
  readonly node: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGB: number;
  /** 1-minute load average when the figures were taken. */
  readonly loadAverage: number;
}

export function machine(): Machine {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadAverage: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
}

/** Writes the figures (into bench/results unless told another folder); returns the file's path. */
export function writeResults(name: string, figures: Record<string, unknown>, dir = join(repositoryRoot(), 'bench', 'results')): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify({ benchmark: name, measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
  return path;
}
