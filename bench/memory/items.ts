/**
 * Bytes per item: the difference between two stages of the run divided by the items
 * the later one added — from the V8 heap after full collections, and from the snapshots
 * summed by constructor (the constructors that grew most, per item).
 */
import type { ClassFigures, HeapSummary } from './heap-summary.js';
import type { Stage } from './run.js';

export interface ClassCost {
  readonly class: string;
  readonly countPerItem: number;
  readonly selfBytesPerItem: number;
  readonly retainedBytesPerItem: number;
}

export interface ItemCost {
  readonly item: string;
  readonly from: string;
  readonly to: string;
  /** process.memoryUsage().heapUsed after full collections. */
  readonly heapBytesPerItem: number;
  /** The snapshots' live objects (their own sizes summed). */
  readonly snapshotBytesPerItem: number;
  /** Outside the V8 heap: Buffers and other external memory held by JS objects. */
  readonly externalBytesPerItem: number;
  readonly top: readonly ClassCost[];
}

/** The items: which stage each is measured from and to. */
const ITEMS: ReadonlyArray<{ item: string; from: string; to: string }> = [
  { item: 'agent signed in over TCP', from: 'empty', to: 'agents-tcp' },
  { item: 'agent signed in over WebSocket', from: 'agents-tcp', to: 'agents' },
  { item: 'customer queued (call + queue entry)', from: 'agents', to: 'queued' },
  { item: 'call ringing an agent', from: 'agents', to: 'ringing' },
  { item: 'call talking (customer bridged to agent)', from: 'agents', to: 'talking' },
  { item: 'left after all calls ended (leak)', from: 'agents', to: 'after' },
];

const TOP = 12;

export function perItem(stages: readonly Stage[], summaries: ReadonlyMap<string, HeapSummary>, n: number): ItemCost[] {
  const stage = (name: string): Stage => stages.find((s) => s.name === name)!;
  const costs = ITEMS.map(({ item, from, to }) => {
    const a = summaries.get(from)!;
    const b = summaries.get(to)!;
    return {
      item,
      from,
      to,
      heapBytesPerItem: (stage(to).heapUsedBytes - stage(from).heapUsedBytes) / n,
      snapshotBytesPerItem: (b.totalBytes - a.totalBytes) / n,
      externalBytesPerItem: (stage(to).externalBytes - stage(from).externalBytes) / n,
      top: grown(a, b, n),
    };
  });
  return [...costs, queueEntry(summaries.get('queued')!, n)];
}

/** The constructors whose objects' own size grew most between two snapshots. */
function grown(a: HeapSummary, b: HeapSummary, n: number): ClassCost[] {
  const zero: ClassFigures = { count: 0, selfBytes: 0, retainedBytes: 0 };
  return Object.entries(b.byClass)
    .map(([name, f]) => {
      const was = a.byClass[name] ?? zero;
      return {
        class: name,
        countPerItem: (f.count - was.count) / n,
        selfBytesPerItem: (f.selfBytes - was.selfBytes) / n,
        retainedBytesPerItem: (f.retainedBytes - was.retainedBytes) / n,
      };
    })
    .sort((x, y) => y.selfBytesPerItem - x.selfBytesPerItem)
    .slice(0, TOP);
}

/**
 * A waiting queue entry alone (src/core/queues/waiting-customer.ts, an object literal):
 * the retained size of the objects of its shape in the queued snapshot. Its call is held
 * by the call registry too, so it is not in the entry's retained size.
 */
function queueEntry(queued: HeapSummary, n: number): ItemCost {
  const fields = (name: string): string[] => (name.startsWith('{') ? name.slice(1, -1).split(', ') : []);
  const shapes = Object.entries(queued.byClass).filter(([name]) => ['call', 'queueNum', 'offering'].every((f) => fields(name).includes(f)));
  const sum = (f: (c: ClassFigures) => number): number => shapes.reduce((t, [, c]) => t + f(c), 0) / n;
  return {
    item: 'waiting queue entry (WaitingCustomer, its own objects)',
    from: 'agents',
    to: 'queued',
    heapBytesPerItem: Number.NaN,
    snapshotBytesPerItem: sum((c) => c.retainedBytes),
    externalBytesPerItem: Number.NaN,
    top: shapes.map(([name, c]) => ({ class: name, countPerItem: c.count / n, selfBytesPerItem: c.selfBytes / n, retainedBytesPerItem: c.retainedBytes / n })),
  };
}
