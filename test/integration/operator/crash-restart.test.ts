// polylink killed with SIGKILL (a crash, the OOM killer, a power cut of its container)
// while agents talk and customers wait, and started again on the same database: a real
// child process, a switch of its own (the simulator, in this process) that keeps the calls
// up meanwhile, real agent bars, the SQLite file read by the test, and a business system's
// webhook receiver (seed 003 pushes) that dedupes by eventUniqueId.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchSimulator } from '../../../src/simulator/index.js';
import { eventually } from '../../helpers/eventually.js';
import { rowsOf, startOrganisationSwitch } from '../../helpers/organisation-switch.js';
import type { RunningPolylink } from '../../helpers/polylink-process.js';
import { processKit } from '../../helpers/process-kit.js';
import { WebhookReceiver } from '../../helpers/webhook-receiver.js';

const PASSWORD = 'cr4sh-test';
const kit = processKit();
let sim: SwitchSimulator;
let dir: string;

let receiver: WebhookReceiver;

beforeAll(async () => {
  sim = await startOrganisationSwitch({ password: PASSWORD });
  receiver = await WebhookReceiver.start();
}, 60_000);
afterAll(async () => {
  sim?.stop();
  await receiver?.close();
});
afterEach(() => {
  for (const ch of sim.channels()) sim.hangup(ch.uuid);
  receiver.received.length = 0;
  receiver.answer = () => ({ status: 200 });
  rmSync(dir, { recursive: true, force: true });
});

const start = (): Promise<RunningPolylink> =>
  kit.start(join(dir, 'polylink.db'), {
    POLYLINK_FREESWITCH_NODES: `${PASSWORD}@127.0.0.1:${sim.port}`,
    POLYLINK_WEBHOOKS_TARGETS: JSON.stringify([{ id: 'crm', url: receiver.url, format: 'seed003', events: 'all', secret: 'crash-restart-secret', timeoutMs: 2000 }]),
  });
const bar = (port: number, agentId: string) => kit.bar(port, agentId);

async function crash(r: RunningPolylink): Promise<void> {
  r.process.child.kill('SIGKILL');
  expect((await r.process.exited).signal).toBe('SIGKILL');
}

const rows = (sql: string, ...params: unknown[]): Record<string, unknown>[] => rowsOf(join(dir, 'polylink.db'), sql, ...params);
const uuidOf = (number: string): string => sim.channels().find((c) => c.name.includes(number))!.uuid;

/** The outbox once the delivery thread has sent everything: no push waiting, none dead. */
const outboxEmpty = (): boolean => rows('SELECT COUNT(*) AS n FROM outbox')[0]!['n'] === 0;

/** Each call of the CDR table had each of `pushTypes` pushed once: one eventUniqueId, whatever number of copies arrived. */
function pushedOncePerCall(pushTypes: readonly string[]): void {
  const calls = rows('SELECT call_id FROM cdr ORDER BY call_id').map((r) => String(r['call_id']));
  for (const pushType of pushTypes) {
    const ids = receiver.idsByCall(pushType);
    expect([...ids.keys()].sort(), pushType).toEqual(calls);
    for (const [call, set] of ids) expect(set.size, `${pushType} of ${call}`).toBe(1);
  }
}

describe('polylink killed (SIGKILL) with agents talking and customers queued, and started again', () => {
  it('follows the calls it had: talking calls go on untouched, each ends with one CDR of the whole call, queued customers keep their order, agents get their calls back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-crash-'));
    const first = await start();
    const a = await bar(first.tcpPort, '1001');
    const b = await bar(first.tcpPort, '1002');
    await a.request('callout', '1001', { calledID: '13900139001' });
    await b.request('callout', '1002', { calledID: '13900139002' });
    await a.event('BridgeEvent');
    await b.event('BridgeEvent');
    // Two customers queue on the service line (queue 631: none of its agents signed in), one after the other.
    const early = sim.placeCall({ from: '13700000001', to: '4008002000' }).uuid;
    await eventually(() => sim.channel(early)?.answered === true, 5000);
    const late = sim.placeCall({ from: '13700000002', to: '4008002000' }).uuid;
    await eventually(() => sim.channel(late)?.answered === true, 5000);
    // Written as they began, not at a shutdown: the four calls are in the database while polylink runs.
    await eventually(() => rows('SELECT call_id FROM open_calls').length === 4, 5000);
    const bridgeOfA = (rows("SELECT snapshot FROM open_calls WHERE snapshot LIKE '%13900139001%'")[0]!['snapshot'] as string).match(/"bridge":(\d+)/)?.[1];
    expect(bridgeOfA).toBeDefined();

    await crash(first);
    // No shutdown ran: nobody was signed out, nothing was saved at the end.
    expect(rows("SELECT * FROM agent_operation_log WHERE operation = 'signout'")).toEqual([]);
    const customerA = uuidOf('13900139001');
    const agentLegA = sim.channel(customerA)!.bridgedTo!;
    // While polylink is down, B's customer hangs up.
    sim.hangup(uuidOf('13900139002'));

    const second = await start();
    await second.process.waitForLog((l) => l['msg'] === 'calls up when polylink last stopped: following them again' && l['calls'] === 4);
    // B ended unseen: found gone by the first reconcile, one CDR that says its end was not seen.
    await eventually(() => rows('SELECT * FROM cdr').length === 1, 10_000);
    expect(rows('SELECT customer_number, status, agent_id, hangup_cause FROM cdr')).toEqual([
      { customer_number: '13900139002', status: 'ANSWER', agent_id: '1002', hangup_cause: 'NORMAL_UNSPECIFIED' },
    ]);
    // A was left alone (before the fix its agent leg got uuid_kill): still bridged, the same legs.
    expect(sim.channel(customerA)?.bridgedTo).toBe(agentLegA);
    expect(sim.channel(agentLegA)?.bridgedTo).toBe(customerA);
    // The queued customers were not answered again nor dropped: still up, in the queue.
    expect(sim.channel(early)?.answered).toBe(true);
    expect(sim.channel(late)?.answered).toBe(true);

    // 1001 signs in again: its call is its own again, and its hangup ends it.
    const a2 = await bar(second.tcpPort, '1001');
    await a2.event('BridgeEvent');
    // IDLE (signed in), RING and TALKING, as for a call offered to it.
    expect(a2.events('AgentStatusChangeEvent').map((m) => String(m.body['new_status']))).toEqual(['0', '1', '2']);
    expect(String((await a2.request('hangup', '1001')).body['retCode'])).toBe('0');
    await a2.event('HangupEvent');
    await eventually(() => rows('SELECT * FROM cdr').length === 2, 5000);
    const [cdrA] = rows("SELECT * FROM cdr WHERE customer_number = '13900139001'");
    const calloutAt = rows("SELECT at FROM agent_operation_log WHERE operation = 'callout' AND agent_id = '1001'")[0]!['at'] as number;
    // One CDR covering the whole call: from the callout before the crash, talk time from the first bridge.
    expect(cdrA).toMatchObject({ status: 'ANSWER', agent_id: '1001', hangup_side: 'agent' });
    expect(cdrA!['start_time']).toBe(calloutAt);
    expect(cdrA!['bridge_time']).toBe(Number(bridgeOfA));
    expect(cdrA!['bridge_seconds'] as number).toBeGreaterThanOrEqual(0);
    expect((cdrA!['hangup_time'] as number) - (cdrA!['bridge_time'] as number)).toBeGreaterThan(0);

    // Queue 631's agents sign in: the customer who came first is offered first.
    const c = await bar(second.tcpPort, '1009');
    const offered = await c.event('CallInEvent', 0, 10_000);
    expect(offered.body['callerID']).toBe('13700000001');
    const d = await bar(second.tcpPort, '1010');
    const offeredLate = await d.event('CallInEvent', 0, 10_000);
    expect(offeredLate.body['callerID']).toBe('13700000002');
    await c.event('BridgeEvent');
    await d.event('BridgeEvent');
    sim.hangup(early);
    sim.hangup(late);

    // Every call exactly one CDR, nothing left open.
    await eventually(() => rows('SELECT * FROM cdr').length === 4, 10_000);
    expect(rows('SELECT COUNT(DISTINCT call_id) AS n FROM cdr')).toEqual([{ n: 4 }]);
    expect(rows('SELECT * FROM open_calls')).toEqual([]);

    // The pushes: every one delivered (the outbox empty, none dead), none written twice —
    // each call's hangup and CDR once (B's from the reconcile after the restart), its ring once
    // (A's from before the kill, not again when it was followed after it).
    await eventually(outboxEmpty, 10_000);
    pushedOncePerCall(['cdr']);
    expect([...receiver.idsByCall('dialoutHangup').values()].map((ids) => ids.size)).toEqual([1, 1]);
    expect([...receiver.idsByCall('dialoutRing').values()].map((ids) => ids.size)).toEqual([1, 1]);
    expect([...receiver.idsByCall('incomingHangup').values()].map((ids) => ids.size)).toEqual([1, 1]);
    const hangups = [...receiver.of('dialoutHangup'), ...receiver.of('incomingHangup')];
    expect(new Set(hangups.map((r) => String(r.body['callUniqueId'])))).toEqual(new Set(rows('SELECT call_id FROM cdr').map((r) => String(r['call_id']))));
    // A sign-in is one login push: 1001 twice (before the kill and after), the others once.
    const logins = new Map<string, Set<string>>();
    for (const r of receiver.of('login')) logins.set(String(r.body['agentNumber']), (logins.get(String(r.body['agentNumber'])) ?? new Set()).add(String(r.body['eventUniqueId'])));
    expect(Object.fromEntries([...logins].map(([agent, ids]) => [agent, ids.size]))).toEqual({ '1001': 2, '1002': 1, '1009': 1, '1010': 1 });
  }, 90_000);
});

describe('polylink killed in the middle of writing CDRs', () => {
  it('after the restart every call that ended has exactly one CDR, those that ended before, during and after the kill alike', async () => {
    dir = mkdtempSync(join(tmpdir(), 'polylink-crash-'));
    // The receiver holds its answer to the first CDR push for 5 s: polylink is killed with
    // that POST under way (the receiver has it, polylink does not know) and the pushes
    // behind it waiting in the outbox.
    let held: string | undefined;
    receiver.answer = (req) => {
      if (held !== undefined || req.body['pushType'] !== 'cdr') return { status: 200 };
      held = String(req.body['eventUniqueId']);
      return { status: 200, delayMs: 5000 };
    };
    const first = await start();
    // 20 customers queue on the service line and hang up one after another, 100 ms apart,
    // from 0.5 s on: polylink is killed while their CDRs and pushes are being written.
    const numbers = Array.from({ length: 20 }, (_, i) => `137100000${String(i).padStart(2, '0')}`);
    for (const [i, from] of numbers.entries()) sim.placeCall({ from, to: '4008002000', hangupAfterMs: 500 + 100 * i });
    await eventually(() => rows('SELECT * FROM cdr').length >= 5 && held !== undefined, 10_000);
    await crash(first);
    const atKill = rows('SELECT customer_number FROM cdr').length;
    expect(atKill).toBeLessThan(20);
    const pushesWaitingAtKill = rows('SELECT COUNT(*) AS n FROM outbox')[0]!['n'] as number;
    expect(pushesWaitingAtKill).toBeGreaterThan(0);
    receiver.answer = () => ({ status: 200 });

    const second = await start();
    await second.process.waitForLog((l) => l['msg'] === 'calls up when polylink last stopped: following them again');
    await eventually(() => sim.channels().length === 0 && rows('SELECT * FROM cdr').length === 20, 15_000);
    expect(rows('SELECT customer_number, COUNT(*) AS n FROM cdr GROUP BY customer_number ORDER BY customer_number')).toEqual(numbers.map((n) => ({ customer_number: n, n: 1 })));
    expect(rows('SELECT * FROM open_calls')).toEqual([]);
    expect(rows('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // Every call's hangup and CDR pushes delivered at least once, each with one eventUniqueId
    // (a copy sent again after the kill carries the same id: the receiver dedupes by it).
    await eventually(outboxEmpty, 15_000);
    pushedOncePerCall(['incomingHangup', 'cdr']);
    // The push under way at the kill came again after the restart: the same id, the same body.
    const heldCopies = receiver.received.filter((r) => r.body['eventUniqueId'] === held);
    expect(heldCopies.length).toBeGreaterThanOrEqual(2);
    expect(new Set(heldCopies.map((r) => r.raw)).size).toBe(1);
    const copies = receiver.of('incomingHangup').length + receiver.of('cdr').length;
    console.log(`killed with ${atKill} of 20 CDRs written and ${pushesWaitingAtKill} pushes in the outbox; after the restart 20 CDRs, one per call; 40 hangup and CDR pushes, ${copies - 40} delivered twice with the same eventUniqueId`);
  }, 90_000);
});
