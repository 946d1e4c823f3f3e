/** The memory benchmark's table: bytes per item, then each item's constructors that grew most. */
import type { ItemCost } from './items.js';
import type { Stage } from './run.js';

const MB = 2 ** 20;
const bytes = (b: number): string => (Number.isNaN(b) ? '—' : Math.round(b).toLocaleString('en-GB'));

export function printReport(n: number, items: readonly ItemCost[], stages: readonly Stage[]): void {
  const out: string[] = [];
  out.push(`polylink memory benchmark — N = ${n} per item; polylink's thread only (switch and bars in worker threads)`, '');
  out.push('stage            heap used MB   external MB   RSS MB (process)   calls  waiting');
  for (const s of stages) {
    out.push(
      `  ${s.name.padEnd(14)} ${(s.heapUsedBytes / MB).toFixed(1).padStart(12)} ${(s.externalBytes / MB).toFixed(1).padStart(13)} ${(s.rssBytes / MB).toFixed(0).padStart(18)} ${String(s.state.calls).padStart(7)} ${String(s.state.waiting).padStart(8)}`,
    );
  }
  out.push('', 'bytes per item                                              heap used   snapshot   external');
  for (const i of items) out.push(`  ${i.item.padEnd(56)} ${bytes(i.heapBytesPerItem).padStart(10)} ${bytes(i.snapshotBytesPerItem).padStart(10)} ${bytes(i.externalBytesPerItem).padStart(10)}`);
  for (const i of items) {
    out.push('', `${i.item} (${i.from} → ${i.to}), per item:   count   self B   retained B`);
    for (const c of i.top) out.push(`  ${c.class.slice(0, 70).padEnd(70)} ${c.countPerItem.toFixed(2).padStart(6)} ${bytes(c.selfBytesPerItem).padStart(8)} ${bytes(c.retainedBytesPerItem).padStart(11)}`);
  }
  console.log(out.join('\n'));
}
