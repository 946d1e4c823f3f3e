// The wallboard's pure parts: the agents' tiles, the queues' rows, the charts' data and shapes.
import { describe, expect, it } from 'vitest';
import { countByClass, inGridOrder, onCall, stateClass, tilesFrom, withStatus, type MonitoredAgent } from '../src/agent-grid.js';
import { judgeAbandonRate, judgeServiceLevel, judgeWait, longestWaitNow, oneDecimal, queueRow } from '../src/queue-board.js';
import { addSample, HOUR_MS, quarterOf, quarters, sumQuarters } from '../src/series.js';
import { bars, niceMax, stepPath } from '../src/chart-geometry.js';

const agent = (agentNum: string, agentStatus: string, changed: string, flag = '0'): MonitoredAgent => ({
  agentNum,
  agentName: `Agent ${agentNum}`,
  agentgroup_name: 'Sales',
  agentStatus,
  flag,
  status_change_time: changed,
  agentExten: `8${agentNum.slice(1)}`,
});

describe('agent tiles', () => {
  const now = 1_000_000;
  const tiles = tilesFrom(
    [agent('1001', '2', '2026-12-03 10:00:00'), agent('1002', '0', '2026-12-03 10:04:30'), agent('1003', '-1', '', '-1'), agent('1201', '0', '2026-12-03 10:00:00', '-99')],
    '2026-12-03 10:05:00',
    now,
  );

  it('come from getagentsmonitorinfo: agents outside the role’s scope (-99) left out, offline ones shown as such, time in state from the server’s clock', () => {
    expect([...tiles.keys()]).toEqual(['1001', '1002', '1003']);
    expect(tiles.get('1001')).toMatchObject({ status: '2', since: now - 300_000, exten: '8001' });
    expect(tiles.get('1002')?.since).toBe(now - 30_000);
    expect(tiles.get('1003')).toMatchObject({ status: '-1', since: now, exten: '' });
  });

  it('move with AgentStatusChangeEvent; a state repeated (a resumed session) keeps its time; agents out of scope are not added', () => {
    const moved = withStatus(tiles, { agent_num: '1002', new_status: '1' }, now + 5000);
    expect(moved.get('1002')).toMatchObject({ status: '1', since: now + 5000 });
    expect(withStatus(moved, { agent_num: '1002', new_status: '1' }, now + 9000)).toBe(moved);
    expect(withStatus(moved, { agent_num: '1201', new_status: '2' }, now)).toBe(moved);
  });

  it('are ordered by state, ringing first, then the longest in its state; coloured by state class', () => {
    const order = inGridOrder(withStatus(tiles, { agent_num: '1002', new_status: '1' }, now)).map((t) => t.agentNum);
    expect(order).toEqual(['1002', '1001', '1003']);
    expect(['1', '2', '11', '3', '10', '4', '0', '6', '100', '7', '-1'].map(stateClass)).toEqual(['ring', 'talk', 'talk', 'hold', 'out', 'acw', 'idle', 'busy', 'busy', 'leave', 'offline']);
    expect(countByClass(tiles)).toMatchObject({ talk: 1, idle: 1, offline: 1, ring: 0 });
    expect(['2', '3', '11', '0', '1'].map(onCall)).toEqual([true, true, true, false, false]);
  });
});

describe('queue rows', () => {
  const figures = {
    queue_num: '630',
    queue_name: 'Sales',
    queue_wait_people_amount: '2',
    longest_wait_seconds: '40',
    service_level: '75.0',
    abandon_rate: '',
    average_speed_of_answer: '12.5',
    offered_amount: '9',
    answered_amount: '6',
    abandoned_amount: '1',
    service_level_seconds: '20',
    agent_idle_amount: '1',
    agent_online_amount: '4',
  };

  it('read the figures; an empty rate is “nothing counted yet”', () => {
    const row = queueRow(figures, 0);
    expect(row).toMatchObject({ num: '630', waiting: 2, longestWait: 40, serviceLevel: 75, abandonRate: undefined, averageSpeedOfAnswer: 12.5, offered: 9 });
    expect([oneDecimal(row.serviceLevel, ' %'), oneDecimal(row.abandonRate)]).toEqual(['75.0 %', '–']);
  });

  it('count the longest wait up while someone waits', () => {
    const row = queueRow(figures, 1000);
    expect(longestWaitNow(row, 6000)).toBe(45);
    expect(longestWaitNow(queueRow({ ...figures, queue_wait_people_amount: '0' }, 1000), 6000)).toBe(0);
  });

  it('judge the figures against the usual targets', () => {
    expect([judgeServiceLevel(85), judgeServiceLevel(70), judgeServiceLevel(40), judgeServiceLevel(undefined)]).toEqual(['good', 'warn', 'bad', 'none']);
    expect([judgeAbandonRate(3), judgeAbandonRate(8), judgeAbandonRate(20)]).toEqual(['good', 'warn', 'bad']);
    expect([judgeWait(0, 20), judgeWait(15, 20), judgeWait(30, 20), judgeWait(50, 20)]).toEqual(['none', 'good', 'warn', 'bad']);
  });
});

describe('chart data', () => {
  it('reads 96 quarter hours, adds queues, finds the quarter of a server time', () => {
    const a = quarters('1,2,x,-3');
    expect(a).toHaveLength(96);
    expect(a.slice(0, 5)).toEqual([1, 2, 0, 0, 0]);
    expect(quarters(undefined).every((n) => n === 0)).toBe(true);
    expect(sumQuarters([a, quarters('4')]).slice(0, 2)).toEqual([5, 2]);
    expect([quarterOf('2026-12-03 00:14:59'), quarterOf('2026-12-03 13:45:00'), quarterOf('')]).toEqual([0, 55, undefined]);
  });

  it('keeps an hour of waiting samples, and the one just before it where the line starts', () => {
    let samples = addSample([], { at: 0, waiting: 1 });
    samples = addSample(samples, { at: 1000, waiting: 3 });
    samples = addSample(samples, { at: HOUR_MS + 500, waiting: 2 });
    expect(samples.map((s) => s.at)).toEqual([0, 1000, HOUR_MS + 500]);
    samples = addSample(samples, { at: HOUR_MS + 2000, waiting: 0 });
    expect(samples.map((s) => s.at)).toEqual([1000, HOUR_MS + 500, HOUR_MS + 2000]);
  });

  it('draws bars on a nice scale and a step line over time', () => {
    expect([niceMax(0), niceMax(1), niceMax(3), niceMax(7), niceMax(12), niceMax(230)]).toEqual([1, 1, 5, 10, 20, 500]);
    const b = bars([0, 5, 10], { width: 30, height: 100 });
    expect(b.map((r) => [r.x, r.height, r.y])).toEqual([[1, 0, 100], [11, 50, 50], [21, 100, 0]]);
    expect(b[0]!.width).toBe(8);
    const d = stepPath([{ at: 10, waiting: 2 }, { at: 60, waiting: 0 }], 0, 100, { width: 100, height: 50 }, 4);
    expect(d).toBe('M10,25 H60 V50 H100');
    expect(stepPath([], 0, 100, { width: 100, height: 50 }, 4)).toBe('');
  });
});
