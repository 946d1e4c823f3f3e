/**
 * A heap snapshot (node:v8 writeHeapSnapshot's JSON) summed by constructor: for each, how
 * many objects, their own (shallow) size, and their retained size — what would be freed
 * with them — computed as Chrome DevTools does, from the dominator tree of the graph
 * reached from the snapshot's root, weak edges not holding anything. A class's retained
 * size counts only its outermost instances (one not dominated by another of the same
 * class), so that nested instances are not counted twice.
 *
 * Runs as a process of its own (`node heap-summary.js <snapshot> <out.json>`): parsing a
 * snapshot takes several times its size in memory, which must not land in the heap
 * being measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface ClassFigures {
  readonly count: number;
  readonly selfBytes: number;
  readonly retainedBytes: number;
}

export interface HeapSummary {
  readonly nodes: number;
  /** Sum of every reachable object's own size: the snapshot's live heap. */
  readonly totalBytes: number;
  readonly byClass: Record<string, ClassFigures>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** The group an object is counted in: its constructor, or for V8's internal kinds the kind (closures by function name). */
function classOf(type: string, name: string): string {
  switch (type) {
    case 'object':
    case 'native':
      return name;
    case 'closure':
      return `(closure ${name === '' ? 'anonymous' : name})`;
    case 'array':
    case 'hidden':
    case 'code':
      return `(${type}) ${name.length > 60 ? `${name.slice(0, 57)}...` : name}`;
    default:
      return `(${type})`;
  }
}

/** a[i] += by (typed arrays: an index in range always holds a number). */
function add(a: Int32Array | Float64Array, i: number, by: number): void {
  a[i] = a[i]! + by;
}

export function summarize(s: Snapshot): HeapSummary {
  const nf = s.snapshot.meta.node_fields;
  const ef = s.snapshot.meta.edge_fields;
  const NF = nf.length;
  const EF = ef.length;
  const nType = nf.indexOf('type');
  const nName = nf.indexOf('name');
  const nSelf = nf.indexOf('self_size');
  const nEdges = nf.indexOf('edge_count');
  const eType = ef.indexOf('type');
  const eName = ef.indexOf('name_or_index');
  const eTo = ef.indexOf('to_node');
  const property = s.snapshot.meta.edge_types[0].indexOf('property');
  const nodeTypes = s.snapshot.meta.node_types[0];
  const weak = s.snapshot.meta.edge_types[0].indexOf('weak');
  const N = s.nodes.length / NF;

  // Each node's class (an index into `classes`) and its first edge.
  const classes: string[] = [];
  const classIndex = new Map<string, number>();
  const cls = new Int32Array(N);
  const firstEdge = new Int32Array(N + 1);
  for (let i = 0, e = 0; i < N; i++) {
    firstEdge[i] = e;
    const end = e + s.nodes[i * NF + nEdges]! * EF;
    let key = classOf(nodeTypes[s.nodes[i * NF + nType]!]!, s.strings[s.nodes[i * NF + nName]!]!);
    // Plain objects (object literals: most of the core's records) by their property names, as DevTools' {a, b, …}
    // (fields holding small integers have no edge in a snapshot, so they are missing from the name).
    if (key === 'Object') {
      const names: string[] = [];
      for (let j = e; j < end && names.length <= 6; j += EF) if (s.edges[j + eType] === property && s.strings[s.edges[j + eName]!] !== '__proto__') names.push(s.strings[s.edges[j + eName]!]!);
      key = `{${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}}`;
    }
    e = end;
    let c = classIndex.get(key);
    if (c === undefined) {
      c = classes.length;
      classes.push(key);
      classIndex.set(key, c);
    }
    cls[i] = c;
  }
  firstEdge[N] = s.edges.length;
  const target = (e: number): number => s.edges[e + eTo]! / NF;
  const strong = (e: number): boolean => s.edges[e + eType] !== weak;

  // Depth-first from the root (node 0): postorder numbers; unreached nodes keep -1.
  const post = new Int32Array(N).fill(-1);
  const order = new Int32Array(N); // order[k] = node with postorder k
  const visited = new Uint8Array(N);
  const stack = new Int32Array(N);
  const edgeAt = new Int32Array(N);
  let top = 0;
  let k = 0;
  stack[top++] = 0;
  visited[0] = 1;
  edgeAt[0] = firstEdge[0]!;
  while (top > 0) {
    const n = stack[top - 1]!;
    let pushed = false;
    while (edgeAt[n]! < firstEdge[n + 1]!) {
      const e = edgeAt[n]!;
      edgeAt[n] = e + EF;
      if (!strong(e)) continue;
      const t = target(e);
      if (visited[t] === 1) continue;
      visited[t] = 1;
      edgeAt[t] = firstEdge[t]!;
      stack[top++] = t;
      pushed = true;
      break;
    }
    if (!pushed) {
      top--;
      post[n] = k;
      order[k++] = n;
    }
  }
  const reached = k;

  // Predecessors of each reached node (strong edges between reached nodes), as compressed rows.
  const predStart = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) {
    if (post[n] === -1) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) if (strong(e)) add(predStart, target(e) + 1, 1);
  }
  for (let n = 0; n < N; n++) add(predStart, n + 1, predStart[n]!);
  const preds = new Int32Array(predStart[N]!);
  const fill = predStart.slice(0, N);
  for (let n = 0; n < N; n++) {
    if (post[n] === -1) continue;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += EF) if (strong(e)) preds[fill[target(e)]!++] = n;
  }

  // Immediate dominators (Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm"), in postorder numbers.
  const idom = new Int32Array(reached).fill(-1);
  const rootPost = reached - 1;
  idom[rootPost] = rootPost;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a < b) a = idom[a]!;
      while (b < a) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let p = rootPost - 1; p >= 0; p--) {
      const n = order[p]!;
      let d = -1;
      for (let j = predStart[n]!; j < predStart[n + 1]!; j++) {
        const q = post[preds[j]!]!;
        if (idom[q] === -1) continue;
        d = d === -1 ? q : intersect(q, d);
      }
      if (d !== -1 && idom[p] !== d) {
        idom[p] = d;
        changed = true;
      }
    }
  }

  // Retained sizes: each node's own size plus its dominated nodes', children (lower postorder) first.
  const retained = new Float64Array(reached);
  let totalBytes = 0;
  for (let p = 0; p < reached; p++) {
    const self = s.nodes[order[p]! * NF + nSelf]!;
    totalBytes += self;
    add(retained, p, self);
    if (p !== rootPost) add(retained, idom[p]!, retained[p]!);
  }

  // Outermost instances: walk the dominator tree keeping how many of each class are above.
  const childStart = new Int32Array(reached + 1);
  for (let p = 0; p < rootPost; p++) add(childStart, idom[p]! + 1, 1);
  for (let p = 0; p < reached; p++) add(childStart, p + 1, childStart[p]!);
  const children = new Int32Array(reached);
  const cfill = childStart.slice(0, reached);
  for (let p = 0; p < rootPost; p++) children[cfill[idom[p]!]!++] = p;
  const above = new Int32Array(classes.length);
  const count = new Float64Array(classes.length);
  const selfBytes = new Float64Array(classes.length);
  const retainedBytes = new Float64Array(classes.length);
  const walk = new Int32Array(reached);
  const childAt = new Int32Array(reached);
  let depth = 0;
  walk[depth++] = rootPost;
  childAt[rootPost] = childStart[rootPost]!;
  while (depth > 0) {
    const p = walk[depth - 1]!;
    if (childAt[p] === childStart[p]) {
      // Entering p.
      const c = cls[order[p]!]!;
      add(count, c, 1);
      add(selfBytes, c, s.nodes[order[p]! * NF + nSelf]!);
      if (above[c] === 0) add(retainedBytes, c, retained[p]!);
      add(above, c, 1);
    }
    if (childAt[p]! < childStart[p + 1]!) {
      const child = children[childAt[p]!++]!;
      childAt[child] = childStart[child]!;
      walk[depth++] = child;
    } else {
      add(above, cls[order[p]!]!, -1);
      depth--;
    }
  }

  const byClass: Record<string, ClassFigures> = {};
  for (let c = 0; c < classes.length; c++) {
    if (count[c] === 0) continue;
    byClass[classes[c]!] = { count: count[c]!, selfBytes: selfBytes[c]!, retainedBytes: retainedBytes[c]! };
  }
  return { nodes: reached, totalBytes, byClass };
}

const [file, out] = process.argv.slice(2);
if (import.meta.url === pathToFileURL(process.argv[1]!).href && file !== undefined && out !== undefined) writeFileSync(out, JSON.stringify(summarize(JSON.parse(readFileSync(file, 'utf8')) as Snapshot)));
