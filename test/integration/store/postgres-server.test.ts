// polylink started on PostgreSQL (database.driver postgres), end to end: the organisation
// read from the server, an agent bar signs in over TCP, a customer calls through the
// built-in simulator and is served, the agent hangs up, and the CDR and the operation log
// are in PostgreSQL; /health reports the store, and says "degraded" while PostgreSQL is away.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Config } from '../../../src/config/config-schema.js';
import { createLogger } from '../../../src/log.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { openPgPool } from '../../../src/store/postgres/pg-pool.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { usePostgres } from '../../helpers/postgres.js';
import { Writable } from 'node:stream';

const postgres = usePostgres();
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function health(server: RunningServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('polylink on PostgreSQL', () => {
  it('serves a call and writes its CDR to PostgreSQL; /health reports the store and its outage', async () => {
    const cluster = postgres();
    const url = await cluster.exampleDatabase();
    const config: Config = {
      ...DEFAULT_CONFIG,
      agent: { ...DEFAULT_CONFIG.agent, host: '127.0.0.1', tcpPort: 0 },
      http: { ...DEFAULT_CONFIG.http, host: '127.0.0.1', port: 0 },
      database: { driver: 'postgres', path: DEFAULT_CONFIG.database.path, url },
      organisation: { importOnEmpty: null },
      simulator: { ...DEFAULT_CONFIG.simulator, phoneAnswerAfterMs: 50, customerAnswerAfterMs: 50 },
    };
    const logs: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const server = await startServer({ config, log: createLogger('info', sink) });
    closers.push(() => server.close());
    const pool = openPgPool(url, 1);
    closers.push(() => pool.end());
    expect(() => server.db).toThrow(/postgres/);

    const bar = await TcpAgentClient.connect(server.tcpPort);
    closers.push(() => bar.close());
    expect(String((await bar.signIn('1001')).body['retCode'])).toBe('0');
    const call = await fetch(`http://127.0.0.1:${server.httpPort}/simulator/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '4008001000', from: '02161234567' }),
    });
    expect(call.status).toBe(201);
    await bar.event('CallInEvent');
    await bar.event('BridgeEvent');
    expect(String((await bar.request('hangup', '1001')).body['retCode'])).toBe('0');

    await until(async () => (await pool.query('SELECT 1 FROM cdr')).rowCount === 1);
    expect((await pool.query('SELECT call_type, status, agent_id, customer_number, queue_num FROM cdr')).rows).toEqual([
      { call_type: 'incoming', status: 'ANSWER', agent_id: '1001', customer_number: '02161234567', queue_num: expect.any(String) },
    ]);
    expect((await pool.query(`SELECT agent_id FROM agent_operation_log WHERE operation = 'signin'`)).rows).toEqual([{ agent_id: '1001' }]);
    await until(async () => (await pool.query(`SELECT answernums FROM agent_daily_stats WHERE agent_id = '1001'`)).rows[0]?.answernums === 1);

    const up = await health(server);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', store: { driver: 'postgres', ok: true, writes: { failed: 0, pending: 0 } } });
    expect(JSON.stringify(up.body)).not.toContain('password');

    // PostgreSQL goes away: the next rows wait, /health says so; back, everything is written.
    cluster.pause();
    try {
      expect(String((await bar.request('signout', '1001')).body['retCode'])).toBe('0');
      await until(async () => (await health(server)).status === 503);
      expect((await health(server)).body).toMatchObject({ status: 'degraded', store: { ok: false, writes: { stalled: true } } });
    } finally {
      cluster.resume();
    }
    await until(async () => (await health(server)).status === 200);
    expect((await pool.query(`SELECT agent_id FROM agent_operation_log WHERE operation = 'signout'`)).rows).toEqual([{ agent_id: '1001' }]);
    expect(logs.some((l) => l['msg'] === 'polylink is up' && String(l['database']).startsWith('postgres://polylink@127.0.0.1:'))).toBe(true);
  }, 60_000);
});
