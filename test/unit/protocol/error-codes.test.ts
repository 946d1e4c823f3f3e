import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allErrors, errorInfo, ErrorCode, reasonOf } from '../../../src/protocol/error-codes.js';

const SEED = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'seeds', '002-agent-bar-design.txt');

/** The table of seed 002 §3.2.8, as (code, Chinese text) pairs. */
function seedTable(): Map<number, string> {
  const text = readFileSync(SEED, 'utf8');
  const table = new Map<number, string>();
  for (const m of text.matchAll(/<add\s+ke[yv]="(-\d+)"\s+value="(.*?)"\s*\/>/g)) table.set(Number(m[1]), m[2]!);
  return table;
}

const normalise = (zh: string) => zh.replace(/[\s"“”!!]/g, '');

describe('the error registry', () => {
  it('holds every code of the seed table with its Chinese text', () => {
    const seed = seedTable();
    expect(seed.size).toBeGreaterThanOrEqual(89);
    for (const [code, zh] of seed) {
      expect(normalise(errorInfo(code).zh), `code ${code}`).toBe(normalise(zh));
    }
  });

  it('adds its own codes only from -85 down, and every code has English and Chinese text', () => {
    const seed = seedTable();
    for (const e of allErrors()) {
      if (!seed.has(e.code) && e.code !== 0) expect(e.code).toBeLessThanOrEqual(-85);
      expect(e.en.length).toBeGreaterThan(0);
      expect(e.zh.length).toBeGreaterThan(0);
    }
  });

  it('gives a response its English reason', () => {
    expect(reasonOf(ErrorCode.NOT_SIGNED_IN)).toBe('Agent not found, not signed in');
    expect(() => errorInfo(-12345)).toThrow();
  });
});
