// The end of a turn comes once the turn's synchronous work is done (a microtask): the steps
// of one slice share one commit, and nothing goes out before its rows.
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
  it('takes the steps of the synchronous slice: one commit, then what goes out, in order', async () => {
    const { log, turn } = recorder();
    turn.addRows([row]);
    turn.afterRows(() => log.push('send a'));
    turn.addRows([row, row]);
    turn.afterRows(() => log.push('send b'));
    expect(log).toEqual([]);
    await nextPass();
    expect(log).toEqual(['commit 3', 'send a', 'send b']);
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
