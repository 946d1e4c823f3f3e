// The database refusing writes, on a real SQLite file: full (max_page_count caps the file
// where it is, as a full disk does: SQLITE_FULL) and read-only (query_only: SQLITE_READONLY).
// The rows of each step wait in order and are written once the database takes them again;
// past the bound the oldest are given up and counted.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import type { OperationEntry } from '../../../src/core/effects.js';
import { RowWriter } from '../../../src/engine/row-writer.js';
import { type RowEffect, SqliteStore } from '../../../src/engine/store.js';
import { openDatabase } from '../../../src/store/database.js';
import { migrate } from '../../../src/store/migrate.js';
import { createDayClock } from '../../../src/time-format.js';
import { captureLog } from '../../helpers/capture-log.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dir = tempDirs('polylink-row-writer-');

/** A step's row: an operation-log line of ~2 KB (a long reason), so that a few fill a page. */
function step(n: number): RowEffect[] {
  const entry: OperationEntry = { accountId: '', agentId: '1001', operation: 'status', oldStatus: 0, newStatus: 6, causedBy: '1001', reason: `step ${n} ${'x'.repeat(2000)}`, exten: null, remote: null, at: n };
  return [{ type: 'log-operation', entry }];
}

function setup(maxPendingRows = 1000) {
  const db = openDatabase(join(dir(), 'polylink.db'));
  migrate(db);
  const store = new SqliteStore(db, createDayClock('Asia/Shanghai'));
  const clock = new ManualClock();
  const captured = captureLog('info');
  const writer = new RowWriter(store, clock, captured.log, { retryMs: 1000, maxPendingRows });
  const written = (): number[] => (db.prepare('SELECT at FROM agent_operation_log ORDER BY id').all() as { at: number }[]).map((r) => r.at);
  /** Caps the file at the pages it has now: the next page it needs is refused, as on a full disk. */
  const fill = (): void => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
  };
  const makeRoom = (): void => void db.pragma('max_page_count = 1073741823');
  /** One turn with one step, as the engine's end of turn writes it. */
  const write = (rows: RowEffect[]): void => {
    writer.add(rows);
    writer.flush();
  };
  return { db, store, clock, captured, writer, write, written, fill, makeRoom };
}

describe('a full disk (SQLITE_FULL)', () => {
  it('keeps every step’s rows, says so once at error and in health, and writes them in order once there is room', () => {
    const t = setup();
    t.write(step(1));
    t.fill();
    for (let n = 2; n <= 40; n++) t.write(step(n));
    expect(t.writer.health).toMatchObject({ writable: false, error: 'SQLITE_FULL' });
    // Some steps may have fitted in the last page's free room; every other one waits.
    const before = t.written();
    expect(before.length).toBeLessThan(40);
    expect(t.writer.health.pendingRows).toBe(40 - before.length);
    expect(t.captured.entries('the database refuses writes: calls go on, and the rows of each step wait in memory until it takes them')).toHaveLength(1);
    // A retry while still full changes nothing.
    t.clock.advance(1000);
    expect(t.written()).toEqual(before);
    t.makeRoom();
    t.clock.advance(1000);
    expect(t.written()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(t.writer.health).toEqual({ writable: true, pendingRows: 0, lostRows: {} });
    const back = t.captured.entries('the database takes writes again: every row kept meanwhile is written');
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ error: 'SQLITE_FULL', refusedForMs: 2000, lostRows: {} });
    t.store.close();
  });

  it('past maxPendingRows gives up the oldest steps, counts them by kind, and writes the rest once there is room', () => {
    const t = setup(10);
    t.fill();
    for (let n = 1; n <= 25; n++) t.write(step(n));
    const kept = t.writer.health.pendingRows;
    expect(kept).toBeLessThanOrEqual(10);
    const lost = t.writer.health.lostRows['log-operation'] ?? 0;
    expect(lost).toBeGreaterThan(0);
    expect(t.captured.entries('the database still refuses writes and the rows kept reached their bound: the oldest are given up from now on (counted in /health)')).toHaveLength(1);
    t.makeRoom();
    t.clock.advance(1000);
    // What fitted before the cap, then the newest `kept`; the lost ones are exactly the gap.
    const written = t.written();
    expect(written.length + lost).toBe(25);
    expect(written.slice(-kept)).toEqual(Array.from({ length: kept }, (_, i) => 25 - kept + 1 + i));
    expect(t.writer.health.lostRows).toEqual({ 'log-operation': lost });
    t.store.close();
  });
});

describe('a read-only database (SQLITE_READONLY)', () => {
  it('waits the same way and writes once it is writable again; at a stop, says what was never written', () => {
    const t = setup();
    t.db.pragma('query_only = ON');
    t.write(step(1));
    t.write(step(2));
    expect(t.writer.health).toMatchObject({ writable: false, error: 'SQLITE_READONLY', pendingRows: 2 });
    t.db.pragma('query_only = OFF');
    t.write(step(3));
    expect(t.written()).toEqual([1, 2, 3]);
    expect(t.writer.health.writable).toBe(true);

    t.db.pragma('query_only = ON');
    t.write(step(4));
    t.writer.close();
    expect(t.captured.entries('stopping with rows the database never took: they are lost')[0]).toMatchObject({ lostRows: { 'log-operation': 1 }, error: 'SQLITE_READONLY' });
    // No retry after the stop.
    t.db.pragma('query_only = OFF');
    t.clock.advance(5000);
    expect(t.written()).toEqual([1, 2, 3]);
    t.store.close();
  });
});

describe('an error retrying cannot cure', () => {
  it('loses that step’s rows alone, at once, as before, and does not hold up the next steps', () => {
    const t = setup();
    t.write([{ type: 'save-membership', queueNum: 'nope', agentId: 'nobody', member: true, position: 1 }]);
    t.write(step(1));
    expect(t.written()).toEqual([1]);
    expect(t.writer.health).toEqual({ writable: true, pendingRows: 0, lostRows: {} });
    t.store.close();
  });
});

describe('a turn of several steps', () => {
  /** The store, counting the transactions it is asked for and the steps in each. */
  function counting(t: ReturnType<typeof setup>) {
    const calls: number[] = [];
    const writer = new RowWriter(
      { writeSteps: (steps) => (calls.push(steps.length), t.store.writeSteps(steps)) },
      t.clock,
      t.captured.log,
      { retryMs: 1000, maxPendingRows: 1000 },
    );
    return { writer, calls };
  }

  it('is written in one transaction, in order, and nothing of it before the flush', () => {
    const t = setup();
    const { writer, calls } = counting(t);
    for (let n = 1; n <= 5; n++) writer.add(step(n));
    expect(t.written()).toEqual([]);
    expect(writer.health.pendingRows).toBe(5);
    writer.flush();
    expect(calls).toEqual([5]);
    expect(t.written()).toEqual([1, 2, 3, 4, 5]);
    expect(writer.health).toEqual({ writable: true, pendingRows: 0, lostRows: {} });
    t.store.close();
  });

  it('a step whose rows break a constraint loses its own rows only (a savepoint each), said at error', () => {
    const t = setup();
    const { writer, calls } = counting(t);
    writer.add(step(1));
    // Its first row would be written; the second is refused by the foreign keys: neither stays.
    writer.add([...step(2), { type: 'save-membership', queueNum: 'nope', agentId: 'nobody', member: true, position: 1 }]);
    writer.add(step(3));
    writer.flush();
    expect(calls).toEqual([3]);
    expect(t.written()).toEqual([1, 3]);
    expect(t.captured.entries('a step’s rows could not be written: none of them was')).toMatchObject([{ rows: ['log-operation', 'save-membership'] }]);
    expect(writer.health).toEqual({ writable: true, pendingRows: 0, lostRows: {} });
    t.store.close();
  });

  it('a refusal keeps every step of the turn, in order, and a later turn writes them with its own', () => {
    const t = setup();
    const { writer } = counting(t);
    t.db.pragma('query_only = ON');
    writer.add(step(1));
    writer.add(step(2));
    writer.flush();
    expect(t.written()).toEqual([]);
    expect(writer.health).toMatchObject({ writable: false, error: 'SQLITE_READONLY', pendingRows: 2 });
    t.db.pragma('query_only = OFF');
    writer.add(step(3));
    writer.flush();
    expect(t.written()).toEqual([1, 2, 3]);
    expect(writer.health.writable).toBe(true);
    t.store.close();
  });
});
