/**
 * The machine and the processes while a run measures: polylink's own samples (its probe's
 * file, once a second), the CPU time and RSS of the other children from /proc, and the
 * machine's load average — the machine has 2 cores shared with other work, so every
 * figure is reported with the load it was measured under.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Child } from './child.js';
import { procStat } from './child.js';

export interface ProbeSample {
  /** Wall clock, ms. */
  readonly t: number;
  readonly rssMB: number;
  readonly heapUsedMB: number;
  readonly heapTotalMB: number;
  readonly externalMB: number;
  /** CPU seconds used in the second before. */
  readonly cpuSeconds: number;
  readonly utilisation: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
}

export interface ChildUse {
  readonly name: string;
  readonly cpuSeconds: number;
  readonly peakRssMB: number;
}

export class Monitor {
  readonly loads: number[] = [];
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, { cpuSeconds: number; peakRssMB: number }>();
  private timer: NodeJS.Timeout | undefined;
  private began = 0;
  private ended = 0;

  constructor(
    private readonly probeFile: string,
    private readonly children: () => readonly Child[],
  ) {}

  start(): void {
    this.began = Date.now();
    this.look();
    this.timer = setInterval(() => this.look(), 1000);
  }

  stop(): void {
    this.look();
    this.ended = Date.now();
    clearInterval(this.timer);
  }

  get wallSeconds(): number {
    return ((this.ended || Date.now()) - this.began) / 1000;
  }

  private look(): void {
    this.loads.push(loadavg()[0]!);
    for (const c of this.children()) {
      const pid = c.process.pid;
      if (pid === undefined || !c.running) continue;
      const s = procStat(pid);
      if (s === undefined) continue;
      const key = `${c.name}#${pid}`;
      if (!this.first.has(key)) this.first.set(key, s.cpuSeconds);
      const seen = this.last.get(key);
      this.last.set(key, { cpuSeconds: s.cpuSeconds, peakRssMB: Math.max(seen?.peakRssMB ?? 0, s.rssMB) });
    }
  }

  /** Each child's CPU seconds and peak RSS while the monitor ran (a restarted child counts once per process). */
  childUse(): ChildUse[] {
    const byName = new Map<string, { cpuSeconds: number; peakRssMB: number }>();
    for (const [key, s] of this.last) {
      const name = key.slice(0, key.indexOf('#'));
      const sum = byName.get(name) ?? { cpuSeconds: 0, peakRssMB: 0 };
      byName.set(name, { cpuSeconds: sum.cpuSeconds + s.cpuSeconds - (this.first.get(key) ?? 0), peakRssMB: Math.max(sum.peakRssMB, s.peakRssMB) });
    }
    return [...byName].map(([name, s]) => ({ name, ...s }));
  }

  /** polylink's samples taken while the monitor ran. */
  probe(): ProbeSample[] {
    return readProbe(this.probeFile).filter((s) => s.t >= this.began && (this.ended === 0 || s.t <= this.ended + 1000));
  }
}

export function readProbe(file: string): ProbeSample[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ProbeSample);
}

export function lastProbe(file: string): ProbeSample | undefined {
  return readProbe(file).at(-1);
}
