import { describe, expect, it } from 'vitest';
import { builtInKind, DailyStats, type StatsRow } from '../../../src/core/records/daily-stats.js';
import { AgentStatus as S } from '../../../src/core/agent-status.js';
import { createDayClock } from '../../../src/time-format.js';

// 2026-11-21 23:59:00 in Shanghai (UTC+8) is 15:59:00 UTC.
const BEFORE_MIDNIGHT = Date.UTC(2026, 10, 21, 15, 59, 0);
const days = createDayClock('Asia/Shanghai');

function stats(maxRestSeconds = 600) {
  return new DailyStats({
    days,
    kindOf: (_account, status) => (status === 101 ? 'busy' : status === 100 ? 'rest' : builtInKind(status)),
    maxRestSeconds,
  });
}

function saved(effects: ReturnType<DailyStats['count']>): StatsRow[] {
  return effects.flatMap((e) => (e.type === 'save-stats' ? [e.row] : []));
}

describe('DailyStats', () => {
  it('counts what the call core counts, and saves the whole row each time', () => {
    const s = stats();
    const rows = saved([...s.count('1001', 'A', 'answernums', BEFORE_MIDNIGHT), ...s.count('1001', 'A', 'answernums', BEFORE_MIDNIGHT)]);
    expect(rows.map((r) => r.values.answernums)).toEqual([1, 2]);
    expect(rows[1]).toMatchObject({ day: '2026-11-21', agentId: '1001', accountId: 'A' });
  });

  it('times follow statuses: talk (TALKING, HOLD, MUTE), busy (BUSY and busy statuses), rest (LEAVE and rest statuses)', () => {
    const s = stats();
    const t0 = BEFORE_MIDNIGHT - 3_600_000;
    s.statusChanged('1001', 'A', S.IDLE, t0, S.TALKING, t0 + 1000);
    s.statusChanged('1001', 'A', S.TALKING, t0 + 1000, S.HOLD, t0 + 61_000);
    s.statusChanged('1001', 'A', S.HOLD, t0 + 61_000, S.BUSY, t0 + 91_000);
    s.statusChanged('1001', 'A', S.BUSY, t0 + 91_000, 101, t0 + 101_000);
    s.statusChanged('1001', 'A', 101, t0 + 101_000, S.LEAVE, t0 + 111_000);
    s.statusChanged('1001', 'A', S.LEAVE, t0 + 111_000, S.IDLE, t0 + 171_000);
    expect(s.today('1001', 'A', t0 + 200_000)).toMatchObject({ talktime: 90, busytime: 20, resttime: 60, busynums: 1, restnums: 1, restoutnums: 0 });
  });

  it('a busy period spanning midnight is split between the two days (Asia/Shanghai)', () => {
    const s = stats();
    const rows = saved(s.statusChanged('1001', 'A', S.BUSY, BEFORE_MIDNIGHT, S.IDLE, BEFORE_MIDNIGHT + 180_000));
    const byDay = Object.fromEntries(rows.map((r) => [r.day, r.values.busytime]));
    expect(byDay).toEqual({ '2026-11-21': 60, '2026-11-22': 120 });
    // The new day starts from zero for counters.
    expect(s.today('1001', 'A', BEFORE_MIDNIGHT + 180_000).answernums).toBe(0);
  });

  it('the current status counts up to now, from the start of today only', () => {
    const s = stats();
    const now = BEFORE_MIDNIGHT + 120_000; // 00:01 on the 22nd
    expect(s.today('1001', 'A', now, { status: S.BUSY, since: BEFORE_MIDNIGHT }).busytime).toBe(60);
  });

  it('a rest longer than stats.maxRestSeconds counts as overrun', () => {
    const s = stats(600);
    const t0 = BEFORE_MIDNIGHT - 7_200_000;
    s.statusChanged('1001', 'A', S.LEAVE, t0, S.IDLE, t0 + 900_000);
    expect(s.today('1001', 'A', t0 + 900_000)).toMatchObject({ resttime: 900, restoutnums: 1, restouttime: 300 });
    expect(s.today('1001', 'A', t0 + 1_000_000, { status: 100, since: t0 + 900_000 - 700_000 })).toMatchObject({ restouttime: 300 + 200 });
  });

  it('goes on from rows saved before a restart', () => {
    const before = stats();
    const rows = saved([...before.count('1001', 'A', 'calloutnums', BEFORE_MIDNIGHT), ...before.statusChanged('1001', 'A', S.BUSY, BEFORE_MIDNIGHT - 30_000, S.IDLE, BEFORE_MIDNIGHT)]);
    const after = stats();
    after.load([rows.at(-1)!]);
    after.count('1001', 'A', 'calloutnums', BEFORE_MIDNIGHT + 1000 - 60_000);
    expect(after.today('1001', 'A', BEFORE_MIDNIGHT - 1000)).toMatchObject({ calloutnums: 2, busytime: 30, busynums: 0 });
  });
});

describe('DayClock', () => {
  it('knows the local day and its bounds, across a DST change too', () => {
    const ny = createDayClock('America/New_York');
    // 2026-03-08 is 23 hours long in New York.
    const noon = Date.UTC(2026, 2, 8, 16, 0, 0);
    expect(ny.dayOf(noon)).toBe('2026-03-08');
    expect(ny.nextDayStart(noon) - ny.startOfDay(noon)).toBe(23 * 3_600_000);
    expect(days.startOfDay(BEFORE_MIDNIGHT)).toBe(Date.UTC(2026, 10, 20, 16, 0, 0));
  });
});
