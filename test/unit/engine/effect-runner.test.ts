// The effect runner carries out one step: its rows in one SQLite transaction (all or none),
// then what goes out, in the core's order; after close() nothing runs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { agentEvent } from '../../../src/core/agent-event.js';
import type { CoreEffect, OperationEntry } from '../../../src/core/effects.js';
import { ConnectionRegistry, type EngineConnection } from '../../../src/engine/connections.js';
import { EffectRunner } from '../../../src/engine/effect-runner.js';
import { KeyedTimers } from '../../../src/engine/keyed-timers.js';
import { RowWriter } from '../../../src/engine/row-writer.js';
import { SqliteStore } from '../../../src/engine/store.js';
import type { SwitchCommands } from '../../../src/engine/switch-commands.js';
import { silentLogger } from '../../../src/log.js';
import { openDatabase } from '../../../src/store/database.js';
import { migrate } from '../../../src/store/migrate.js';
import { createDayClock } from '../../../src/time-format.js';
import { tempDirs } from '../../helpers/temp-dirs.js';

const dir = tempDirs('polylink-runner-');

function operation(agentId: string, at: number): CoreEffect {
  const entry: OperationEntry = { accountId: '', agentId, operation: 'status', oldStatus: 0, newStatus: 6, causedBy: agentId, reason: null, exten: null, remote: null, at };
  return { type: 'log-operation', entry };
}

function setup() {
  const db = openDatabase(join(dir(), 'runner.db'));
  migrate(db);
  const store = new SqliteStore(db, createDayClock('Asia/Shanghai'));
  const clock = new ManualClock();
  const fired: string[] = [];
  const sent: string[] = [];
  const rows = (): number => (db.prepare('SELECT COUNT(*) AS n FROM agent_operation_log').get() as { n: number }).n;
  const connections = new ConnectionRegistry();
  const conn: EngineConnection = {
    id: 'c1',
    // What an event's recipient could read in the database at the moment it was sent.
    sendEvent: (e) => sent.push(`${e.eventType}:${rows()}`),
    close: () => undefined,
    goAway: () => Promise.resolve(),
    finishRequests: () => Promise.resolve(),
    unbind: () => undefined,
  };
  connections.attach(conn);
  const runner = new EffectRunner({
    rows: new RowWriter(store, clock, silentLogger()),
    connections,
    timers: new KeyedTimers(clock, (t) => fired.push(t.kind)),
    switchCommands: { send: () => undefined } as unknown as SwitchCommands,
    sessionOf: () => undefined,
    log: silentLogger(),
  });
  return { db, store, runner, clock, fired, sent, rows };
}

describe('one step, one transaction', () => {
  it('the rows of a step are written together, before its events go out', () => {
    const t = setup();
    t.runner.run([
      { type: 'send', agentId: '1001', connectionId: 'c1', event: agentEvent('AgentStatusChangeEvent', 0) },
      operation('1001', 1),
      operation('1001', 2),
    ]);
    expect(t.rows()).toBe(2);
    // The event went out after both rows were committed, though the core listed it first.
    expect(t.sent).toEqual(['AgentStatusChangeEvent:2']);
    t.store.close();
  });

  it('a row that cannot be written takes the whole step’s rows with it; what goes out still goes', () => {
    const t = setup();
    t.runner.run([
      operation('1001', 1),
      // No such queue or agent: the foreign keys refuse it.
      { type: 'save-membership', queueNum: 'nope', agentId: 'nobody', member: true, position: 1 },
      { type: 'send', agentId: '1001', connectionId: 'c1', event: agentEvent('AgentStatusChangeEvent', 0) },
    ]);
    expect(t.rows()).toBe(0);
    expect(t.sent).toEqual(['AgentStatusChangeEvent:0']);
    t.store.close();
  });

  it('after close() nothing runs: no row, no event, no timer', () => {
    const t = setup();
    t.runner.close();
    t.runner.run([
      operation('1001', 1),
      { type: 'send', agentId: '1001', connectionId: 'c1', event: agentEvent('AgentStatusChangeEvent', 0) },
      { type: 'set-timer', key: 'acd-sweep', delayMs: 10, timer: { kind: 'acd-sweep' } },
    ]);
    t.clock.advance(20);
    expect([t.rows(), t.sent.length, t.fired.length]).toEqual([0, 0, 0]);
    t.store.close();
  });
});
