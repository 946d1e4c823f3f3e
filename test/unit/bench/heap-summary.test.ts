import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../bench/memory/heap-summary.js';

const NODE_TYPES = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
const NF = 7;

/** A snapshot in V8's format from a list of nodes and edges (edges by node index). */
function snapshot(nodes: Array<{ type: string; name: string; self: number }>, edges: Array<{ from: number; to: number; type?: string; name?: string }>) {
  const strings: string[] = [];
  const str = (s: string): number => (strings.includes(s) ? strings.indexOf(s) : strings.push(s) - 1);
  const flatNodes: number[] = [];
  const flatEdges: number[] = [];
  nodes.forEach((n, i) => {
    const out = edges.filter((e) => e.from === i);
    flatNodes.push(NODE_TYPES.indexOf(n.type), str(n.name), i + 1, n.self, out.length, 0, 0);
    for (const e of out) flatEdges.push(EDGE_TYPES.indexOf(e.type ?? 'property'), str(e.name ?? `e${e.to}`), e.to * NF);
  });
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
        node_types: [NODE_TYPES] as [string[]],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [EDGE_TYPES] as [string[]],
      },
      node_count: nodes.length,
    },
    nodes: flatNodes,
    edges: flatEdges,
    strings,
  };
}

describe('heap snapshot summary', () => {
  it('gives a shared object to neither holder, counts nested instances of a class once, and ignores what only weak edges reach', () => {
    const s = snapshot(
      [
        { type: 'synthetic', name: '', self: 0 }, // 0 root
        { type: 'object', name: 'Foo', self: 10 }, // 1 A
        { type: 'object', name: 'Foo', self: 10 }, // 2 B
        { type: 'string', name: 'shared', self: 100 }, // 3 X: held by A and B
        { type: 'object', name: 'Foo', self: 5 }, // 4 C: only in A
        { type: 'string', name: 'own', self: 7 }, // 5 Y: only in C
        { type: 'object', name: 'Object', self: 16 }, // 6 plain object {a, b}
        { type: 'object', name: 'Bar', self: 1000 }, // 7 only weakly held
      ],
      [
        { from: 0, to: 1 },
        { from: 0, to: 2 },
        { from: 1, to: 3 },
        { from: 2, to: 3 },
        { from: 1, to: 4 },
        { from: 4, to: 5 },
        { from: 0, to: 6 },
        { from: 6, to: 5, name: 'a' },
        { from: 6, to: 3, name: 'b' },
        { from: 0, to: 7, type: 'weak' },
      ],
    );
    const summary = summarize(s);
    expect(summary.nodes).toBe(7);
    expect(summary.totalBytes).toBe(10 + 10 + 100 + 5 + 7 + 16);
    // A keeps C but not Y (the plain object holds Y too), nor X (B holds it too); C is inside A: not counted again.
    expect(summary.byClass['Foo']).toEqual({ count: 3, selfBytes: 25, retainedBytes: 10 + 5 + 10 });
    expect(summary.byClass['{a, b}']).toEqual({ count: 1, selfBytes: 16, retainedBytes: 16 });
    expect(summary.byClass['(string)']).toEqual({ count: 2, selfBytes: 107, retainedBytes: 107 });
    expect(summary.byClass['Bar']).toBeUndefined();
  });

  it("reads a real node:v8 snapshot: each of 2,000 objects retains its own array and not the one they share", () => {
    const dir = mkdtempSync(join(tmpdir(), 'polylink-heap-summary-'));
    try {
      const file = join(dir, 'test.heapsnapshot');
      const script = `
        const shared = new Array(10000).fill(0.5);
        class Holder { constructor(i) { this.own = new Array(100).fill(i + 0.5); this.shared = shared; } }
        globalThis.kept = Array.from({ length: 2000 }, (_, i) => new Holder(i));
        require('node:v8').writeHeapSnapshot(${JSON.stringify(file)});`;
      execFileSync(process.execPath, ['-e', script]);
      const summary = summarize(JSON.parse(readFileSync(file, 'utf8')));
      const holders = summary.byClass['Holder']!;
      expect(holders.count).toBe(2000);
      // Its own object and its array: a header and 100 boxed doubles (8-byte pointers and 16-byte numbers, or unboxed: at least 800 B).
      const each = holders.retainedBytes / 2000;
      expect(each).toBeGreaterThan(800);
      // Not the shared 10,000-element array (80 KB): that is held by the script's context as well.
      expect(each).toBeLessThan(4000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
