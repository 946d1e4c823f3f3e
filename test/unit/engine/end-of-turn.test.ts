// The end of a turn comes once the I/O callbacks of the loop's pass have run (setImmediate),
// not after each callback: steps taken in separate callbacks of one pass share one flush, so
// 2,000 requests read together are one commit; and nothing goes out before its rows.
import { describe, expect, it } from 'vitest';
import { EndOfTurn, type TurnRows } from '../../../src/engine/end-of-turn.js';
import type { RowEffect } from '../../../src/engine/store.js';
import { silentLogger } from '../../../src/log.js';

function recorder() {
  const log: string[] = [];
  let pending = 0;
  const rows: TurnRows = {
    add: (r) => void (pending += r.length),
    flush: () => {
      log.push(`commit ${pending}`);
      pending = 0;
    },
  };
  return { log, turn: new EndOfTurn(rows, silentLogger()) };
}

const row = { type: 'log-operation' } as unknown as RowEffect;
const nextPass = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the end of the turn', () => {
  it('takes the steps of every callback before it in the pass: one commit, then what goes out', async () => {
    const { log, turn } = recorder();
    // Three steps in three callbacks of the same pass (microtasks stand for the separate
    // socket reads libuv delivers in one poll phase, each followed by its microtasks).
    turn.addRows([row]);
    turn.afterRows(() => log.push('send a'));
    queueMicrotask(() => {
      turn.addRows([row, row]);
      turn.afterRows(() => log.push('send b'));
    });
    queueMicrotask(() => {
      turn.addRows([row]);
      turn.afterRows(() => log.push('send c'));
    });
    expect(log).toEqual([]);
    await nextPass();
    expect(log).toEqual(['commit 4', 'send a', 'send b', 'send c']);
  });

  it('a step taken while the turn is flushed goes in the next turn', async () => {
    const { log, turn } = recorder();
    turn.addRows([row]);
    turn.afterRows(() => {
      log.push('send a');
      turn.addRows([row]);
      turn.afterRows(() => log.push('send b'));
    });
    await nextPass();
    expect(log).toEqual(['commit 1', 'send a']);
    await nextPass();
    expect(log).toEqual(['commit 1', 'send a', 'commit 1', 'send b']);
  });

  it('flush() ends the turn at once and the scheduled end finds nothing left', async () => {
    const { log, turn } = recorder();
    turn.addRows([row]);
    turn.flush();
    expect(log).toEqual(['commit 1']);
    await nextPass();
    expect(log).toEqual(['commit 1']);
  });
});
