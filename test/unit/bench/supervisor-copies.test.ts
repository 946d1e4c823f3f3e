// bench/load/analysis/supervisor-copies.ts: each status change timed from its cause seen
// outside polylink to the last watching supervisor's copy, on a hand-made timeline (µs).
import { describe, expect, it } from 'vitest';
import { emptyRecords, type Records } from '../../../bench/load/bars/recorder.js';
import { supervisorCopies } from '../../../bench/load/analysis/supervisor-copies.js';
import type { LoadOrganisation } from '../../../bench/load/organisation.js';
import type { CustomerRecord } from '../../../src/simulator/load/call-timeline.js';

const org = {
  queues: [{ num: '7001', accessNumber: '4008000000', members: ['10001'], supervisor: '90001', watchers: ['90001', '90002'] }],
} as unknown as LoadOrganisation;

function customer(caller: string, parkUs: number, bridgeUs: number, agentHangupUs: number): CustomerRecord {
  return { uuid: `u${caller}`, caller, to: '4008000000', placedUs: parkUs - 100, parkUs, bridgeUs, agentLeg: 'a', agentId: '10001', agentAnswerUs: bridgeUs, agentHangupUs, hangupUs: agentHangupUs, cause: 'NORMAL_CLEARING' };
}

function own(r: Records, kind: string, caller: string, at: number): void {
  r.own.agent.push('10001');
  r.own.kind.push(kind);
  r.own.caller.push(caller);
  r.own.at.push(at);
}

function read(r: Records, kind: string, supervisor: string, at: number): void {
  r.supervisorReads.agent.push('10001');
  r.supervisorReads.kind.push(kind);
  r.supervisorReads.supervisor.push(supervisor);
  r.supervisorReads.at.push(at);
}

describe('status change → last supervisor copy', () => {
  it('times each change from its switch event, an offer from the later of park and the agent freeing up', () => {
    const r = emptyRecords();
    // Call A: park 1,000, bridge 5,000, agent hangup 20,000; wrap-up 1 s → IDLE due at 1,020,000.
    // Call B parked at 500,000 (waiting: the agent was busy) and is offered when the agent is free.
    const customers = [customer('A', 1000, 5000, 20_000), customer('B', 500_000, 1_100_000, 2_000_000)];
    own(r, 'S0>1', '', 3000);
    own(r, 'CallInEvent', 'A', 3100);
    own(r, 'S1>2', 'A', 7000);
    own(r, 'S2>4', 'A', 22_000);
    own(r, 'S4>0', 'A', 1_021_000);
    own(r, 'S0>1', 'A', 1_022_000);
    own(r, 'CallInEvent', 'B', 1_022_100);
    read(r, 'S0>1', '90001', 3500);
    read(r, 'S0>1', '90002', 4000); // last copy of the first offer: 4,000 − park 1,000
    read(r, 'S1>2', '90001', 8000);
    read(r, 'S1>2', '90002', 9000); // 9,000 − bridge 5,000
    read(r, 'S2>4', '90002', 23_000);
    read(r, 'S2>4', '90001', 24_000); // 24,000 − hangup 20,000
    read(r, 'S4>0', '90001', 1_021_500);
    read(r, 'S4>0', '90002', 1_023_000); // 1,023,000 − (20,000 + 1 s)
    read(r, 'S0>1', '90001', 1_022_500);
    read(r, 'S0>1', '90002', 1_025_000); // 1,025,000 − the agent free at 1,020,000 (later than B's park)
    const c = supervisorCopies(r, customers, org, 1, 0, Infinity);
    expect(c.changes).toBe(5);
    expect(c.incomplete).toBe(0);
    expect(c.fromOwnCopy).toBe(0);
    expect([...c.lastCopyMs].sort((a, b) => a - b)).toEqual([3, 3, 4, 4, 5]);
    expect(c.eachCopyMs).toHaveLength(10);
  });

  it('counts a change some watcher never read apart, and times a change without a cause from the agent’s own copy', () => {
    const r = emptyRecords();
    own(r, 'S0>6', '', 10_000); // a break: no switch event causes it
    read(r, 'S0>6', '90001', 12_000);
    read(r, 'S0>6', '90002', 15_000);
    own(r, 'S6>0', '', 50_000);
    read(r, 'S6>0', '90001', 51_000); // 90002 never reads it
    const c = supervisorCopies(r, [], org, 0, 0, Infinity);
    expect(c.changes).toBe(2);
    expect(c.fromOwnCopy).toBe(2);
    expect(c.incomplete).toBe(1);
    expect(c.lastCopyMs).toEqual([5]);
  });

  it('never takes a cause later than the agent read the change, and counts by cause within the window', () => {
    const r = emptyRecords();
    // The bridge stamped after the agent's read (clocks of two processes): the read is the reference.
    own(r, 'S0>1', '', 2000);
    own(r, 'CallInEvent', 'A', 2100);
    own(r, 'S1>2', 'A', 6000);
    read(r, 'S1>2', '90001', 6500);
    read(r, 'S1>2', '90002', 7000);
    const c = supervisorCopies(r, [customer('A', 1000, 6200, 30_000)], org, 0, 5000, 10_000);
    // Only the 1→2 change was caused in [5,000, 10,000): the offer (park 1,000) is outside.
    expect(c.changes).toBe(1);
    expect(c.lastCopyMs).toEqual([1]);
  });

  it('does not take the copies of a change after the window for late copies of the last one in it', () => {
    const r = emptyRecords();
    own(r, 'S0>6', '', 1000);
    read(r, 'S0>6', '90001', 1500);
    read(r, 'S0>6', '90002', 2000);
    own(r, 'S6>0', '', 3000);
    read(r, 'S6>0', '90001', 3100);
    read(r, 'S6>0', '90002', 3200);
    // The same change again after the window (the drain): its copies bound the first one's.
    own(r, 'S0>6', '', 90_000);
    read(r, 'S0>6', '90001', 90_500);
    read(r, 'S0>6', '90002', 91_000);
    const c = supervisorCopies(r, [], org, 0, 0, 10_000);
    expect(c.changes).toBe(2);
    expect([...c.lastCopyMs].sort((a, b) => a - b)).toEqual([0.2, 1]);
    expect(c.eachCopyMs).toHaveLength(4);
  });
});
