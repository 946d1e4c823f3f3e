// The store's contract, one suite run against both drivers: SQLite (a real file) and
// PostgreSQL (a real server, test/helpers/postgres.ts). Whatever the engine writes through
// the Store it reads back the same from either, at run time and at the next start; a step
// is all or none; a CDR is written once per call; another process's import is noticed.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../../src/app/open-store.js';
import { DEFAULT_CONFIG, type Config } from '../../../src/config/config-schema.js';
import type { CdrRecord } from '../../../src/core/records/cdr.js';
import { STAT_FIELDS, type StatValues } from '../../../src/core/records/daily-stats.js';
import type { RowEffect, Store } from '../../../src/engine/store.js';
import { silentLogger } from '../../../src/log.js';
import { openDatabase } from '../../../src/store/database.js';
import { importOrganisation } from '../../../src/store/import-organisation.js';
import { parseOrganisationFile } from '../../../src/store/organisation-file.js';
import { notifyOrganisationChanged } from '../../../src/store/postgres/organisation-channel.js';
import { openPgPool } from '../../../src/store/postgres/pg-pool.js';
import { pgSession } from '../../../src/store/postgres/pg-session.js';
import { sqliteSession, type SqlDatabase } from '../../../src/store/sql-session.js';
import { createDayClock } from '../../../src/time-format.js';
import { readFileSync } from 'node:fs';
import { eventually } from '../../helpers/eventually.js';
import { usePostgres } from '../../helpers/postgres.js';
import { tempDirs } from '../../helpers/temp-dirs.js';
import { EXAMPLE_ORG } from '../../helpers/test-server.js';

const postgres = usePostgres();
const dir = tempDirs('polylink-store-');
const days = createDayClock('Asia/Shanghai');
/** 2026-12-03 10:00 in Shanghai. */
const NOON = Date.UTC(2026, 11, 3, 2, 0, 0);

/** A database of the example organisation, and how to open the store and look at its rows. */
interface Site {
  readonly config: Config;
  /** A connection of its own to the same database, for the test to look through and to write as another process would. */
  readonly sql: SqlDatabase;
  /** Tells a running server the organisation changed, as `polylink import` does after writing it. */
  notify(): Promise<void>;
  close(): Promise<void>;
}

const DRIVERS: Record<'sqlite' | 'postgres', () => Promise<Site>> = {
  async sqlite() {
    const path = join(dir(), 'polylink.db');
    copyFileSync(inject('exampleDatabase'), path);
    const db = openDatabase(path);
    return {
      config: { ...DEFAULT_CONFIG, database: { driver: 'sqlite', path, url: null }, organisation: { importOnEmpty: null } },
      sql: sqliteSession(db),
      notify: async () => undefined,
      close: async () => {
        db.close();
      },
    };
  },
  async postgres() {
    const url = await postgres().exampleDatabase();
    const pool = openPgPool(url, 2);
    return {
      config: { ...DEFAULT_CONFIG, database: { driver: 'postgres', path: DEFAULT_CONFIG.database.path, url }, organisation: { importOnEmpty: null } },
      sql: pgSession(pool),
      notify: () => notifyOrganisationChanged(pool),
      close: () => pool.end(),
    };
  },
};

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function site(driver: keyof typeof DRIVERS): Promise<Site> {
  const s = await DRIVERS[driver]();
  open.push(() => s.close());
  return s;
}

async function start(s: Site, now = NOON): Promise<Store> {
  const { store, inspect } = await openStore(s.config, days, silentLogger(), now);
  open.push(async () => {
    inspect?.close();
    await store.close();
  });
  return store;
}

/** Everything written so far is committed (PostgreSQL writes behind; SQLite has by now). */
async function settled(store: Store): Promise<void> {
  await eventually(() => {
    const h = store.health();
    return h.driver === 'sqlite' || (h.writes.pending === 0 && !h.writes.stalled);
  });
}

function cdr(callId: string, fields: Partial<CdrRecord> = {}): RowEffect {
  const base: CdrRecord = {
    callId, accountId: '20000153', callType: 'incoming', status: 'ANSWER', cdrState: 'bridged', customerNumber: '02161234567',
    customerNumberType: null, customerAreaCode: null, customerAreaName: null, displayNumber: null, trunkNumber: '4008001000',
    accessNumberName: null, agentId: '1001', agentName: 'Zhang Wei', agentExten: '8001', agents: '1001', queueNum: '630', queueName: 'Sales',
    ivrNum: null, ivrName: null, ivrDtmf: null, startTime: NOON - 60_000, agentStartTime: null, agentRingTime: null, agentAnswerTime: null,
    customerStartTime: null, customerRingTime: null, customerAnswerTime: null, joinQueueTime: NOON - 55_000, leaveQueueTime: null,
    bridgeTime: null, ivrTime: null, satisfyStartTime: null, satisfyEndTime: null, hangupTime: NOON, endTime: NOON, ringSeconds: null,
    customerRingSeconds: null, queueSeconds: 5, bridgeSeconds: 50, holdSeconds: 0, satisfySeconds: null, totalSeconds: 60, hangupSide: 'customer',
    hangupCause: 'NORMAL_CLEARING', failureReason: null, recordFile: null, score: null, relativeCallId: null, queueEntry: 'direct',
    customerForeignId: null, gateway: null, node: 'fs1', createdAt: NOON,
  };
  return { type: 'save-cdr', cdr: { ...base, ...fields } };
}

function callout(agentId: string, target: string, at: number): RowEffect {
  return { type: 'log-operation', entry: { accountId: '20000153', agentId, operation: 'callout', oldStatus: 0, newStatus: 4, causedBy: agentId, reason: null, target, exten: '8001', remote: null, at } };
}

const openCall = (id: string) => ({ id, kind: 'incoming', accountId: '20000153', node: 'fs1', agents: ['1001'], timeline: { start: NOON - 1000 }, legs: [] }) as never;

describe.each(['sqlite', 'postgres'] as const)('the %s store', (driver) => {
  it('reads the organisation it holds', async () => {
    const store = await start(await site(driver));
    const org = store.organisation();
    expect(org.tenants).toEqual([{ accountId: '20000153', name: 'Demo Call Centre' }]);
    expect(org.agents.find((a) => a.agentId === '1001')).toMatchObject({ name: 'Zhang Wei', enabled: true, ctiAnswer: true, defaultExten: '8001', groupId: '1' });
    expect(org.thresholds.get('1')?.size).toBe(1);
    expect(org.queueMembers.length).toBeGreaterThan(0);
  });

  it('gives back at the next start what the steps wrote', async () => {
    const s = await site(driver);
    const first = await start(s);
    first.write([
      { type: 'save-blacklist', accountId: '20000153', number: '13800000001', on: true, reason: 'abuse', at: NOON },
      { type: 'save-pause', queueNum: '630', agentId: '1002', paused: true, reason: 'training', at: NOON },
      { type: 'save-membership', queueNum: '630', agentId: '1012', member: true, position: 9 },
      { type: 'save-threshold', groupId: '2', status: 7, maxNum: 4 },
      { type: 'save-password', agentId: '1003', hash: 'scrypt$16384$8$1$c2FsdA==$aGFzaA==', at: NOON },
    ]);
    first.write([
      { type: 'save-leave', application: { id: 41, accountId: '20000153', agentId: '1001', groupId: '1', targetStatus: 7, state: 'pending', applyType: 1, appliedAt: NOON, decidedAt: null, decidedBy: null, endedAt: null } },
      { type: 'save-stats', row: { day: '2026-12-03', agentId: '1001', accountId: '20000153', updatedAt: NOON, values: { ...zeroStats(), answernums: 3, talktime: 120 } } },
      { type: 'save-open-calls', calls: [openCall('call-open')], at: NOON },
    ]);
    await first.close();

    const again = await start(s, NOON + 1000);
    const { stored, closedLeave } = again.stored(NOON + 1000, s.config.agent.resumeGraceSeconds * 1000);
    expect(closedLeave).toBe(1);
    expect(stored.firstLeaveId).toBe(42);
    expect(stored.lists.blacklist).toContainEqual({ accountId: '20000153', number: '13800000001' });
    expect(stored.pauses).toEqual([{ queueNum: '630', agentId: '1002', reason: 'training' }]);
    expect(stored.stats).toEqual([expect.objectContaining({ agentId: '1001', day: '2026-12-03', values: expect.objectContaining({ answernums: 3, talktime: 120 }) })]);
    expect(again.openCalls()).toEqual([{ snapshot: expect.objectContaining({ id: 'call-open', agents: ['1001'] }), savedAt: NOON }]);
    const org = again.organisation();
    expect(org.queueMembers).toContainEqual({ queueNum: '630', agentId: '1012', level: 1, penalty: 0, position: 9 });
    expect(org.thresholds.get('2')?.get(7)).toBe(4);
    expect(org.agents.find((a) => a.agentId === '1003')?.passwordHash).toBe('scrypt$16384$8$1$c2FsdA==$aGFzaA==');
    expect(await s.sql.all(`SELECT state, ended_at FROM leave_applications WHERE id = 41`)).toEqual([{ state: 'expired', ended_at: NOON + 1000 }]);
  });

  it('keeps the session tokens: a live session’s gets the resume grace at the next start, an expired or dropped one is gone', async () => {
    const s = await site(driver);
    const first = await start(s);
    first.write([
      { type: 'save-session-token', agentId: '1001', tokenHash: 'a'.repeat(64), expiresAt: null },
      { type: 'save-session-token', agentId: '1002', tokenHash: 'b'.repeat(64), expiresAt: NOON + 500 },
      { type: 'save-session-token', agentId: '1003', tokenHash: 'c'.repeat(64), expiresAt: null },
    ]);
    first.write([{ type: 'save-session-token', agentId: '1003', tokenHash: null, expiresAt: null }]);
    await settled(first);
    await first.close();
    const grace = s.config.agent.resumeGraceSeconds * 1000;
    const again = await start(s, NOON + 1000);
    const { stored } = again.stored(NOON + 1000, grace);
    expect(stored.sessionTokens).toEqual([{ agentId: '1001', tokenHash: 'a'.repeat(64), expiresAt: NOON + 1000 + grace, session: null }]);
  });

  it('writes a CDR once per call, in the step that closes its open call, and counts it in the day once', async () => {
    const s = await site(driver);
    const store = await start(s);
    store.write([{ type: 'save-open-calls', calls: [openCall('c1')], at: NOON - 1000 }]);
    store.write([cdr('c1')]);
    store.write([cdr('c1', { status: 'QUEUE_ABANDON' })]);
    store.write([cdr('c2', { callType: 'dialout', queueNum: null, queueEntry: null, joinQueueTime: null })]);
    store.write([cdr('c3', { status: 'QUEUE_ABANDON', queueEntry: 'other' })]);
    store.write([cdr('yesterday', { startTime: NOON - 86_400_000 })]);
    await settled(store);
    expect(await s.sql.all('SELECT call_id, status FROM cdr ORDER BY call_id')).toEqual([
      { call_id: 'c1', status: 'ANSWER' }, { call_id: 'c2', status: 'ANSWER' }, { call_id: 'c3', status: 'QUEUE_ABANDON' }, { call_id: 'yesterday', status: 'ANSWER' },
    ]);
    expect(await s.sql.all('SELECT * FROM open_calls')).toEqual([]);
    const expected = { todayAbandon: 1, todayCallin: 2, todayCallinAnswer: 1, todayCallout: 1, todayCalloutAnswer: 1, todayEnterQueue: 1, todayEnterQueueOther: 1 };
    await eventually(() => JSON.stringify(store.dayReport('20000153', NOON)) === JSON.stringify(expected));
    expect(store.dayReport('20000153', NOON - 86_400_000).todayCallin).toBe(1);
    await store.close();
    // The next start counts the same from the rows.
    expect((await start(s, NOON + 5000)).dayReport('20000153', NOON + 5000)).toEqual(expected);
  });

  it('answers the numbers an agent dialled, newest first, each once, now and after a restart', async () => {
    const s = await site(driver);
    const store = await start(s);
    store.write([callout('1001', '13900000001', NOON + 1), callout('1001', '13900000002', NOON + 2)]);
    store.write([callout('1001', '13900000001', NOON + 3), callout('1002', '13900000009', NOON + 4)]);
    expect(store.calledNumbers('1001')).toEqual(['13900000001', '13900000002']);
    await store.close();
    const again = await start(s);
    expect(again.calledNumbers('1001')).toEqual(['13900000001', '13900000002']);
    expect(again.calledNumbers('1002')).toEqual(['13900000009']);
    expect(again.calledNumbers('1003')).toEqual([]);
  });

  it('writes a step whole or not at all, and goes on with the next', async () => {
    const s = await site(driver);
    const store = await start(s);
    const step = (): string[] => store.write([
      { type: 'save-pause', queueNum: '630', agentId: '1004', paused: true, reason: null, at: NOON },
      // Refused by the table's CHECK: the pause of the same step must not be written either.
      { type: 'save-leave', application: { id: 7, accountId: '20000153', agentId: '1004', groupId: '1', targetStatus: 7, state: 'bogus' as never, applyType: 1, appliedAt: NOON, decidedAt: null, decidedBy: null, endedAt: null } },
    ]);
    // SQLite knows at once and throws (the effect runner logs it); PostgreSQL learns it at the commit and logs it there.
    if (driver === 'sqlite') expect(step).toThrow(/CHECK constraint failed/);
    else expect(step()).toEqual([]);
    store.write([{ type: 'save-pause', queueNum: '631', agentId: '1005', paused: true, reason: null, at: NOON }]);
    await settled(store);
    expect(await s.sql.all('SELECT queue_num, agent_id FROM queue_pauses')).toEqual([{ queue_num: '631', agent_id: '1005' }]);
    expect(await s.sql.all('SELECT id FROM leave_applications')).toEqual([]);
    const health = store.health();
    if (health.driver === 'postgres') expect(health.writes).toMatchObject({ failed: 1, committed: 1, pending: 0 });
  });

  it('notices an organisation another process wrote (polylink import) and reads it', async () => {
    const s = await site(driver);
    const store = await start(s);
    let told = 0;
    const stop = store.watchForeignCommits(20, () => told++);
    open.push(async () => stop());
    // Give a PostgreSQL store its LISTEN before the import.
    await new Promise((r) => setTimeout(r, 300));
    const file = parseOrganisationFile(readFileSync(EXAMPLE_ORG, 'utf8'));
    await importOrganisation(s.sql, { ...file, agents: [...file.agents, { ...file.agents[0]!, id: '1999', name: 'New Hire', exten: '8999' }] });
    await s.notify();
    await eventually(() => told > 0, 5000);
    expect(store.organisation().agents.find((a) => a.agentId === '1999')?.name).toBe('New Hire');
  });
});

function zeroStats(): StatValues {
  return Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as StatValues;
}
