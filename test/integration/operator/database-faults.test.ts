// The database's storage refusing writes under a running polylink (a child process on its
// built-in simulator): its file size limit lowered from outside with prlimit(1) to below
// the size of its database and write-ahead log, so every write past it fails with EFBIG
// as on a full disk (SQLite: SQLITE_IOERR_WRITE), then raised again. Real file, real
// process, real agents. (The same on SQLITE_FULL and SQLITE_READONLY, the codes a full
// disk and a read-only file give: test/unit/engine/row-writer.test.ts.)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../helpers/organisation-switch.js';
import { processKit } from '../../helpers/process-kit.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const tempDir = tempDirs('polylink-db-faults-');
const kit = processKit();
const bar = kit.bar;

/** The process's file size limit (bytes; soft, the hard one stays unlimited so that it can be raised again). */
function fileSizeLimit(pid: number, bytes: number | 'unlimited'): void {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:unlimited`]);
}

interface Health {
  status: string;
  database: { writable: boolean; error?: string; pendingRows: number; lostRows: Record<string, number> };
}

describe('the database refusing writes (its storage full)', () => {
  it('says so at error and in /health, keeps serving calls, and writes every row it kept once the storage takes writes again', async () => {
    const file = join(tempDir(), 'polylink.db');
    const server = await kit.start(file);
    const pid = server.process.child.pid!;
    const health = async (): Promise<Health> => (await (await fetch(`http://127.0.0.1:${server.httpPort}/health`)).json()) as Health;
    const rows = (sql: string): Record<string, unknown>[] => rowsOf(file, sql);
    const a = await bar(server.tcpPort, '1001');
    await a.request('callout', '1001', { calledID: '13900139001' });
    await a.event('BridgeEvent');
    expect((await health()).database).toEqual({ writable: true, pendingRows: 0, lostRows: {} });

    fileSizeLimit(pid, 1024);
    try {
      // Calls go on: a call ends (its CDR cannot be written), another agent signs in and calls.
      expect(String((await a.request('hangup', '1001')).body['retCode'])).toBe('0');
      await a.event('HangupEvent');
      const b = await bar(server.tcpPort, '1002');
      await b.request('callout', '1002', { calledID: '13900139002' });
      await b.event('BridgeEvent');
      // Said loudly: one line at error, /health degraded with the SQLite code and what waits.
      const refused = await server.process.waitForLog((l) => l['msg'] === 'the database refuses writes: calls go on, and the rows of each step wait in memory until it takes them');
      expect(refused['level']).toBe(50);
      expect(String(refused['error'])).toMatch(/^SQLITE_(IOERR|FULL)/);
      const degraded = await health();
      expect(degraded.status).toBe('degraded');
      expect(degraded.database.writable).toBe(false);
      expect(degraded.database.pendingRows).toBeGreaterThan(0);
      expect(rows('SELECT * FROM cdr')).toEqual([]);
      expect(rows("SELECT * FROM agent_operation_log WHERE agent_id = '1002'")).toEqual([]);
      expect(String((await b.request('hangup', '1002')).body['retCode'])).toBe('0');
      await b.event('HangupEvent');
    } finally {
      fileSizeLimit(pid, 'unlimited');
    }
    // Room again: within a retry (1 s) every kept row is written, in order, and nothing was lost.
    await server.process.waitForLog((l) => l['msg'] === 'the database takes writes again: every row kept meanwhile is written', 5000);
    expect((await health())).toMatchObject({ status: 'ok', database: { writable: true, pendingRows: 0, lostRows: {} } });
    expect(rows('SELECT customer_number, agent_id FROM cdr ORDER BY start_time')).toEqual([
      { customer_number: '13900139001', agent_id: '1001' },
      { customer_number: '13900139002', agent_id: '1002' },
    ]);
    expect(rows("SELECT operation FROM agent_operation_log WHERE agent_id = '1002' ORDER BY id").map((r) => r['operation'])).toEqual(expect.arrayContaining(['signin', 'callout']));
    expect(rows('SELECT * FROM open_calls')).toEqual([]);
    expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
  }, 90_000);

  it('stopped while the storage still refuses, says exactly which rows were never written', async () => {
    const file = join(tempDir(), 'polylink.db');
    const server = await kit.start(file);
    const a = await bar(server.tcpPort, '1001');
    fileSizeLimit(server.process.child.pid!, 1024);
    await a.request('setagentdefinestatus', '1001', { targetStatus: '6' });
    await server.process.waitForLog((l) => l['msg'] === 'the database refuses writes: calls go on, and the rows of each step wait in memory until it takes them');
    server.process.child.kill('SIGTERM');
    expect((await server.process.exited).code).toBe(0);
    const lost = server.process.log.find((l) => l['msg'] === 'stopping with rows the database never took: they are lost');
    expect(lost?.['level']).toBe(50);
    // The status change and the sign-out at the stop (its operation-log rows, the statistics).
    expect((lost?.['lostRows'] as Record<string, number>)['log-operation']).toBeGreaterThanOrEqual(2);
  }, 90_000);
});
