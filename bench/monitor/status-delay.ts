/**
 * From an agent's status change to the last copy its supervisors read: each change
 * polylink decided (status-probe.ts) is matched with the supervisors' reads of the same
 * change (`agent|old|new`) that came after it and before that agent made the same change
 * again (seconds later at the least: a call in between).
 */
import type { StatusRead } from './supervisor-pool.js';

export interface StatusDelays {
  /** ms from the change to the last supervisor's copy, for changes every supervisor in scope read. */
  readonly lastCopyMs: number[];
  /** ms from the change to each copy. */
  readonly copyMs: number[];
  readonly changes: number;
  /** Changes some supervisor in scope never read (before the run stopped). */
  readonly incomplete: number;
}

export function statusDelays(
  changes: ReadonlyMap<string, readonly number[]>,
  reads: ReadonlyMap<string, readonly StatusRead[]>,
  /** How many supervisors watch this agent. */
  scopeOf: (agentId: string) => number,
): StatusDelays {
  const lastCopyMs: number[] = [];
  const copyMs: number[] = [];
  let count = 0;
  let incomplete = 0;
  for (const [key, stamps] of changes) {
    const expected = scopeOf(key.slice(0, key.indexOf('|')));
    const seen = [...(reads.get(key) ?? [])].sort((a, b) => a.at - b.at);
    let r = 0;
    for (let i = 0; i < stamps.length; i++) {
      const from = stamps[i]!;
      const until = stamps[i + 1] ?? Infinity;
      while (r < seen.length && seen[r]!.at < from) r++;
      const who = new Set<number>();
      let last = from;
      for (; r < seen.length && seen[r]!.at < until; r++) {
        who.add(seen[r]!.supervisor);
        copyMs.push(seen[r]!.at - from);
        last = Math.max(last, seen[r]!.at);
      }
      count++;
      if (who.size >= expected) lastCopyMs.push(last - from);
      else incomplete++;
    }
  }
  return { lastCopyMs, copyMs, changes: count, incomplete };
}
