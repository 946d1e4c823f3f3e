/**
 * Where polylink's CPU went, from the profiles `node --cpu-prof` wrote (`--profile`):
 * busy time by polylink source file — each sample given to the innermost frame of
 * polylink's own code, so that the library and runtime work a file causes (JSON.parse,
 * socket writes) counts for that file — and the functions with the most self time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export function summarizeProfiles(dir: string, build: string, whose = 'polylink'): string {
  if (!existsSync(dir)) return `no CPU profile in ${dir}`;
  // `node --cpu-prof` writes one profile per thread, CPU.<date>.<time>.<pid>.<thread>.<seq>:
  // the figures are about the main thread (thread 0): polylink's core, the simulator's
  // switch; worker threads (the webhooks' delivery, the password checks) would dilute them.
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
  if (files.length === 0) return `no CPU profile of a main thread in ${dir}`;
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const name of files) {
    const profile = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Profile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const owner = new Map<number, string>();
    const ownerOf = (id: number): string => {
      const known = owner.get(id);
      if (known !== undefined) return known;
      const frame = nodes.get(id)!.callFrame;
      const src = frame.url.indexOf('/dist/src/');
      const p = parent.get(id);
      const found = src !== -1 ? frame.url.slice(src + '/dist/'.length) : p === undefined ? categoryOf(frame.functionName, frame.url) : ownerOf(p);
      owner.set(id, found);
      return found;
    };
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      const frame = nodes.get(id)!.callFrame;
      if (frame.functionName === '(idle)') {
        idle += us;
        return;
      }
      total += us;
      byFile.set(ownerOf(id), (byFile.get(ownerOf(id)) ?? 0) + us);
      const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url, build)}:${frame.lineNumber + 1}`;
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    });
  }
  const pct = (us: number): string => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number): string[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${pct(v)}  ${k}`);
  return [
    `CPU profile of ${whose}'s main thread (${files.length} file(s) in ${dir}): busy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s`,
    `busy time by ${whose}'s file (the innermost frame of src/ in each sample; its library and runtime calls included):`,
    ...top(byFile, 20),
    'functions with the most self time:',
    ...top(byFunction, 25),
  ].join('\n');
}

/** Samples with no polylink frame: the garbage collector, the runtime, polylink's dependencies. */
function categoryOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(program)') return '(program: native code outside JavaScript)';
  if (functionName === '(root)') return '(root: no JavaScript frame: I/O callbacks, native work)';
  if (url.includes('/node_modules/')) return `(dependency ${url.slice(url.lastIndexOf('/node_modules/') + 14).split('/')[0]})`;
  if (url.startsWith('node:')) return '(node runtime, not called from polylink code)';
  return `(other: ${functionName || 'anonymous'})`;
}

function shortUrl(url: string, build: string): string {
  const root = `file://${build}/`;
  return url.startsWith(root) ? url.slice(root.length) : url;
}
