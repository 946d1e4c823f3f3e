/**
 * POLYLINK_* variables polylink does not read: a misspelt setting would otherwise be
 * ignored without a word. Each is reported with the setting whose variable is nearest
 * (edit distance, a swap of two letters counting as one edit), when one is near.
 */
import { CONFIG_FILE_VARIABLE, envSettings } from './load-config.js';

export interface UnknownVariable {
  readonly name: string;
  /** The nearest variable polylink reads, and its config key. */
  readonly nearest: { readonly name: string; readonly key: string } | undefined;
}

/** Farther than this many edits is not a misspelling but something else. */
const MAX_EDITS = 3;

export function unknownVariables(env: NodeJS.ProcessEnv): UnknownVariable[] {
  const known = new Map(envSettings().map((s) => [s.name, s.path]));
  known.set(CONFIG_FILE_VARIABLE, '--config');
  const out: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('POLYLINK_') || known.has(name)) continue;
    let best: { name: string; key: string; edits: number } | undefined;
    for (const [candidate, key] of known) {
      const edits = editDistance(name, candidate);
      if (edits <= MAX_EDITS && (best === undefined || edits < best.edits)) best = { name: candidate, key, edits };
    }
    out.push({ name, nearest: best === undefined ? undefined : { name: best.name, key: best.key } });
  }
  return out;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** One line for an operator. */
export function describeUnknown(v: UnknownVariable): string {
  return v.nearest === undefined
    ? `${v.name} is not a polylink setting; it is ignored`
    : `${v.name} is not a polylink setting; it is ignored (did you mean ${v.nearest.name}, ${v.nearest.key}?)`;
}
