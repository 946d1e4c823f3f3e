// The PostgreSQL store's write-behind queue against a real server that goes away and comes
// back: steps are kept, in order, none lost or doubled; the queue says it is stalled and
// backlogged while the server is away (what /health reports), and recovers by itself.
import { afterEach, describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/engine/pg-store.js';
import type { RowEffect } from '../../../src/engine/store.js';
import { silentLogger } from '../../../src/log.js';
import { openPgPool } from '../../../src/store/postgres/pg-pool.js';
import { createDayClock } from '../../../src/time-format.js';
import { eventually } from '../../helpers/eventually.js';
import { usePostgres } from '../../helpers/postgres.js';

const postgres = usePostgres();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function status(agentId: string, at: number): RowEffect {
  return { type: 'log-operation', entry: { accountId: '20000153', agentId, operation: 'status', oldStatus: 0, newStatus: 6, causedBy: agentId, reason: null, exten: null, remote: null, at } };
}

async function openStore(url: string): Promise<PgStore> {
  const store = await PgStore.open({
    pool: openPgPool(url),
    url,
    days: createDayClock('Asia/Shanghai'),
    log: silentLogger(),
    now: Date.now(),
    resumeGraceMs: 0,
    writes: { maxPending: 3, retryMinMs: 20, retryMaxMs: 200 },
    closeWaitMs: 5000,
  });
  closers.push(() => store.close());
  return store;
}

describe('the PostgreSQL write-behind queue', () => {
  it('keeps the steps of an outage and writes them, in order, once the server is back', async () => {
    const cluster = postgres();
    const url = await cluster.exampleDatabase();
    const store = await openStore(url);
    store.write([status('1001', 1)]);
    await eventually(() => store.health().writes.committed === 1);

    cluster.pause();
    try {
      for (let at = 2; at <= 6; at++) store.write([status('1001', at), status('1002', at)]);
      await eventually(() => store.health().writes.stalled, 5000);
      const away = store.health();
      expect(away).toMatchObject({ driver: 'postgres', ok: false, writes: { pending: 5, backlogged: true, stalled: true, failed: 0 } });
      expect(away.writes.lastError).not.toBeNull();
    } finally {
      cluster.resume();
    }

    await eventually(() => store.health().writes.pending === 0, 10_000);
    expect(store.health()).toMatchObject({ ok: true, writes: { committed: 6, failed: 0, backlogged: false, stalled: false } });
    expect(store.health().writes.retries).toBeGreaterThan(0);
    const pool = openPgPool(url, 1);
    closers.push(() => pool.end());
    const rows = (await pool.query('SELECT agent_id, at FROM agent_operation_log ORDER BY id')).rows;
    expect(rows).toEqual([
      { agent_id: '1001', at: 1 },
      ...[2, 3, 4, 5, 6].flatMap((at) => [{ agent_id: '1001', at }, { agent_id: '1002', at }]),
    ]);
  }, 30_000);

  it('writes out what it holds when closed', async () => {
    const url = await postgres().exampleDatabase();
    const store = await openStore(url);
    for (let at = 1; at <= 50; at++) store.write([status('1003', at)]);
    await store.close();
    const pool = openPgPool(url, 1);
    closers.push(() => pool.end());
    expect((await pool.query(`SELECT COUNT(*) AS n FROM agent_operation_log WHERE agent_id = '1003'`)).rows).toEqual([{ n: 50 }]);
  });
});
