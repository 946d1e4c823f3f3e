/**
 * The layering of docs/architecture.md, checked with dependency-cruiser and the rules in
 * .dependency-cruiser.cjs: the core imports none of protocol, transport, api, store,
 * engine, app, switch implementations or esl; esl and the simulator import nothing of
 * polylink but the clock leaf; the protocol never imports esl.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CONFIG = resolve(ROOT, '.dependency-cruiser.cjs');
const BIN = resolve(ROOT, 'node_modules', '.bin', 'depcruise');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

async function cruise(cwd: string): Promise<{ violations: Violation[]; modules: number }> {
  const { stdout } = await promisify(execFile)(BIN, ['src', '--config', CONFIG, '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: result.summary.violations, modules: result.summary.totalCruised };
}

describe('layers', () => {
  it('src/ keeps every rule', async () => {
    const { violations, modules } = await cruise(ROOT);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    // The whole tree was read (a parser that read nothing would find nothing wrong).
    expect(modules).toBeGreaterThan(150);
  }, 60_000);

  it('a tree that breaks them is refused, rule by rule', async () => {
    const { violations } = await cruise(resolve(ROOT, 'test', 'fixtures', 'layers'));
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort()).toEqual([
      'core-is-inside: src/core/reads-the-wire.ts → src/protocol/texts.ts',
      'esl-knows-nothing-of-polylink: src/esl/knows-the-core.ts → src/core/reads-the-wire.ts',
      'simulator-knows-nothing-of-polylink: src/simulator/knows-the-protocol.ts → src/protocol/texts.ts',
    ]);
  }, 60_000);
});
