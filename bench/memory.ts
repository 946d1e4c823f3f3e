/**
 * The memory benchmark (issue 16: "find what each agent, call and queue entry costs"):
 * `npm run bench:memory [-- --n=1000 --queues=10 --keep-snapshots]`. What polylink's
 * thread holds for N agents signed in over TCP, N over WebSocket, N customers queued,
 * N calls ringing and N talking (bench/memory/run.ts), from the V8 heap after full
 * collections and from heap snapshots summed by constructor (bench/memory/heap-summary.ts).
 * Prints bytes per item and the constructors that grew most, and writes
 * bench/results/memory.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeapSummary } from './memory/heap-summary.js';
import { perItem, type ItemCost } from './memory/items.js';
import { printReport } from './memory/report.js';
import { run, type Stage } from './memory/run.js';
import { machine, writeResults } from './results-file.js';

function option(name: string, fallback: number): number {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (given === undefined) return fallback;
  const n = Number(given.slice(name.length + 3));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive whole number`);
    process.exit(2);
  }
  return n;
}

const n = option('n', 1000);
const queues = option('queues', 10);
const keep = process.argv.includes('--keep-snapshots');
const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-memory-'));
const loadAtStart = machine().loadAverage;
let items: ItemCost[];
let stages: Stage[];
try {
  const result = await run({ n, queues, snapshotDir: join(dir, 'snapshots') }, dir);
  stages = result.stages;
  const summarizer = fileURLToPath(new URL('./memory/heap-summary.js', import.meta.url));
  const summaries = new Map<string, HeapSummary>();
  for (const s of stages) {
    process.stderr.write(`[memory] reading the snapshot of ${s.name}…\n`);
    const out = `${s.snapshot}.summary.json`;
    // Its own process: parsing a snapshot takes several times its size.
    execFileSync(process.execPath, ['--max-old-space-size=8192', summarizer, s.snapshot, out], { stdio: 'inherit' });
    summaries.set(s.name, JSON.parse(readFileSync(out, 'utf8')) as HeapSummary);
    if (!keep) rmSync(s.snapshot);
  }
  items = perItem(stages, summaries, n);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`[memory] snapshots kept in ${join(dir, 'snapshots')}\n`);
}
printReport(n, items, stages);
const path = writeResults('memory', {
  machine: { ...machine(), loadAverageAtStart: loadAtStart },
  n,
  queues,
  stages: stages.map(({ snapshot: _s, ...rest }) => rest),
  items,
});
console.log(`results: ${path}`);
