// Run to completion (issue 10): what one step decides is finished — its events sent, its
// operation-log row written — before anything it caused is handled. An agent going from
// BUSY to IDLE while a customer waits is offered that customer, but only after its own
// change is complete: the operation log and the events say BUSY→IDLE, then IDLE→RING.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { expectTrail, startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';

let f: CallFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('a step runs to completion', () => {
  it('BUSY → IDLE with a customer waiting: BUSY→IDLE then IDLE→RING, in the operation log and in the events', async () => {
    f = await startCallFixture();
    const a = await f.agent('1001', { initStatus: '6' });
    const from = a.received.length;
    f.sim.placeCall({ from: '051287654321', to: '4008001000' });
    await a.event('AddCustomerToQueueEvent', from);
    const opsFrom = (f.s.server.db.prepare("SELECT COALESCE(MAX(id), 0) AS id FROM agent_operation_log WHERE agent_id = '1001'").get() as { id: number }).id;
    await a.request('setagentdefinestatus', '1001', { targetStatus: '0' });
    await a.event('CallInEvent', from);
    await expectTrail(a, '1001', from, ['6>0', '0>1']);
    await eventually(() => rows(f!, opsFrom).length >= 2);
    expect(rows(f, opsFrom).slice(0, 2)).toEqual([
      { operation: 'status', old_status: 6, new_status: 0 },
      { operation: 'offer', old_status: 0, new_status: 1 },
    ]);
  });
});

function rows(f: CallFixture, after: number): { operation: string; old_status: number; new_status: number }[] {
  return f.s.server.db
    .prepare("SELECT operation, old_status, new_status FROM agent_operation_log WHERE agent_id = '1001' AND id > ? AND old_status IS NOT NULL ORDER BY id")
    .all(after) as { operation: string; old_status: number; new_status: number }[];
}
