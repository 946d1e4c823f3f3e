// CDRs and statistics as records: one CDR per call whatever the switch repeats, statistics
// kept across a restart, calls given up when their switch node is lost mid-call.
import { afterEach, describe, expect, it } from 'vitest';
import { CdrStore } from '../../../src/store/cdr-store.js';
import { eventually } from '../../helpers/eventually.js';
import { startCallFixture, type CallFixture } from '../../helpers/call-fixture.js';
import { startTestServer } from '../../helpers/test-server.js';
import { TcpAgentClient } from '../../helpers/agent-client.js';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

let f: CallFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('CDRs', () => {
  it('a call has exactly one CDR, even when the switch reports its hangup again (a resync)', async () => {
    f = await startCallFixture();
    const a = await f.agent('1001');
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent');
    const legs = f.sim.channels().map((c) => c.uuid);
    await a.request('hangup', '1001');
    await eventually(() => f!.cdrs().length === 1);
    const { engine } = f.s.server;
    // The same hangups again, as a reconcile after a reconnect would report them.
    for (const uuid of legs) {
      engine.handle({ type: 'switch-event', event: { type: 'channel-hangup', node: 'simulator', at: Date.now(), uuid, vars: {}, cause: 'NORMAL_CLEARING', synthetic: true } });
    }
    expect(f.cdrs()).toHaveLength(1);
    // And the store itself refuses a second row for a call id.
    const store = new CdrStore(f.s.server.db);
    const row = f.cdr()!;
    expect(store.save(camel(row) as unknown as Parameters<CdrStore['save']>[0])).toBe(false);
  });
});

describe('statistics', () => {
  it('are saved as they change and are still there after a restart', async () => {
    f = await startCallFixture();
    const a = await f.agent('1001');
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent');
    await a.request('hold', '1001');
    await eventually(() => f!.statusOf('1001') === 3);
    await a.request('hangup', '1001');
    await eventually(() => f!.statusOf('1001') === 4);
    const before = f.stats('1001');
    expect(before).toMatchObject({ calloutnums: 1, keepnums: 1, agentrelease: 1 });
    // Restart on the same database file.
    const dbFile = join(f.s.dir, 'polylink.db');
    const copy = join(f.s.dir, 'restart.db');
    f.s.server.engine.flush();
    f.s.server.db.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(dbFile, copy);
    const again = await startTestServer({ prepare: (db) => db.exec(`ATTACH '${copy}' AS old; INSERT INTO agent_daily_stats SELECT * FROM old.agent_daily_stats; DETACH old;`) });
    try {
      const profile = again.server.engine.services.org.agent('1001')!;
      const after = again.server.engine.stats.today('1001', profile.accountId, Date.now());
      expect(after).toMatchObject({ calloutnums: 1, keepnums: 1, agentrelease: 1 });
      expect(after.talktime).toBe(before.talktime);
    } finally {
      await again.close();
    }
  });
});

describe('the switch node disconnects mid-call', () => {
  it('a switch shutting down hangs every call up (SYSTEM_SHUTDOWN, capture h)', async () => {
    f = await startCallFixture();
    const a = await f.agent('1001');
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent');
    const at = a.received.length;
    await f.sim.stop();
    expect((await a.event('HangupEvent', at, 10_000)).body['hangupReason']).toBe('SYSTEM_SHUTDOWN');
    await eventually(() => f!.cdrs().length === 1);
    expect(f.statusOf('1001')).toBe(4);
    // No party hung up: the switch did; and the agent did not release the call.
    expect(f.cdr()).toMatchObject({ hangup_side: 'system', hangup_cause: 'SYSTEM_SHUTDOWN' });
    expect(f.stats('1001').agentrelease).toBe(0);
  });

  it('a link that comes back in time: the call goes on, nothing is lost', async () => {
    f = await startCallFixture({ config: { calls: { nodeLostSeconds: 30 } } });
    const a = await f.agent('1001');
    const idle = await f.agent('1002');
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent');
    const before = a.received.length;
    await f.sim.cutNetwork();
    await eventually(() => f!.s.server.switch.port.nodes()[0]!.state !== 'ready');
    // The agent whose call depends on the lost link hears it at once (seed SysThrowExceptionEvent);
    // an agent with no call on that node does not.
    const exception = await a.event('SysThrowExceptionEvent', before);
    expect(exception.body['retCode']).toBe('-60');
    expect(exception.body['reason']).toContain('simulator');
    expect(idle.received.some((m) => m.body['eventType'] === 'SysThrowExceptionEvent')).toBe(false);
    await f.sim.restoreNetwork();
    await eventually(() => f!.s.server.switch.port.nodes()[0]!.state === 'ready', 10_000);
    expect(f.statusOf('1001')).toBe(2);
    // Still in control of the call: hang it up.
    const at = a.received.length;
    await a.request('hangup', '1001');
    expect((await a.event('HangupEvent', at)).body['hangupReason']).toBe('NORMAL_CLEARING');
    await eventually(() => f!.cdrs().length === 1);
  });

  it('a link lost for calls.nodeLostSeconds: the call is given up, the agent freed, the CDR written', async () => {
    f = await startCallFixture({ config: { calls: { nodeLostSeconds: 1 } } });
    const a = await f.agent('1001');
    await a.request('callout', '1001', { calledID: '13900139000' });
    await a.event('BridgeEvent');
    const at = a.received.length;
    await f.sim.cutNetwork();
    const hangup = await a.event('HangupEvent', at, 10_000);
    expect(hangup.body['hangupReason']).toBe('SWITCH_CONNECTION_LOST');
    await eventually(() => f!.cdrs().length === 1);
    expect(f.cdr()).toMatchObject({ failure_reason: 'SWITCH_CONNECTION_LOST', hangup_side: 'system' });
    expect(f.statusOf('1001')).toBe(4);
    // Commands that need the switch now fail at once and say so.
    const b = await TcpAgentClient.connect(f.s.server.tcpPort);
    await b.signIn('1002');
    expect((await b.request('callout', '1002', { calledID: '13900139000' })).body['retCode']).toBe('-57');
    b.close();
  });
});

function camel(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));
}
