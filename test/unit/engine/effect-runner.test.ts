// The effect runner carries out one step: its rows for the end of the turn, committed with
// the other steps' in one SQLite transaction (each step's all or none), then what goes out,
// in the core's order, only once they are; after close() nothing runs.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { agentEvent } from '../../../src/core/agent-event.js';
import type { CoreEffect, OperationEntry } from '../../../src/core/effects.js';
import { ConnectionRegistry, type EngineConnection } from '../../../src/engine/connections.js';
import { EffectRunner } from '../../../src/engine/effect-runner.js';
import { EndOfTurn } from '../../../src/engine/end-of-turn.js';
import { KeyedTimers } from '../../../src/engine/keyed-timers.js';
import { RowWriter } from '../../../src/engine/row-writer.js';
import { SqliteStore } from '../../../src/engine/store.js';
import type { SwitchCommands } from '../../../src/engine/switch-commands.js';
import type { SwitchCommand } from '../../../src/core/ports/switch-command.js';
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
  const log = silentLogger();
  const turnEnds: (() => void)[] = [];
  // The end of the turn is reached when the test says so (the engine's is a microtask).
  const turn = new EndOfTurn(new RowWriter(store, clock, log), log, (flush) => turnEnds.push(flush));
  const endTurn = (): void => {
    for (const flush of turnEnds.splice(0)) flush();
  };
  const conn: EngineConnection = {
    id: 'c1',
    // As an agent connection does: its messages wait for the end of the turn. What the
    // event's recipient could read in the database at the moment it was sent is recorded.
    sendEvent: (e) => turn.afterRows(() => sent.push(`${e.eventType}:${rows()}`)),
    close: () => undefined,
    goAway: () => Promise.resolve(),
    finishRequests: () => Promise.resolve(),
    unbind: () => undefined,
  };
  connections.attach(conn);
  const commands: string[] = [];
  const runner = new EffectRunner({
    turn,
    connections,
    timers: new KeyedTimers(clock, (t) => fired.push(t.kind)),
    switchCommands: { send: (command: SwitchCommand) => commands.push(`${command.op}:${rows()}`) } as unknown as SwitchCommands,
    sessionOf: () => undefined,
    log,
  });
  return { db, store, runner, clock, fired, sent, rows, commands, endTurn };
}

describe('one step, one transaction', () => {
  it('the rows of a step are written together, before its events go out', () => {
    const t = setup();
    t.runner.run([
      { type: 'send', agentId: '1001', connectionId: 'c1', event: agentEvent('AgentStatusChangeEvent', 0) },
      operation('1001', 1),
      operation('1001', 2),
    ]);
    // Nothing is committed, nothing sent, until the turn ends.
    expect([t.rows(), t.sent.length]).toEqual([0, 0]);
    t.endTurn();
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
    t.endTurn();
    expect(t.rows()).toBe(0);
    expect(t.sent).toEqual(['AgentStatusChangeEvent:0']);
    t.store.close();
  });

  it('the steps of one turn are committed together; a step whose rows fail loses its own, and switch commands and events leave after the commit, in order', () => {
    const t = setup();
    const command = (op: 'answer' | 'park'): CoreEffect => ({ type: 'switch', command: { op, uuid: 'u1' }, ref: { callId: 'call-1', step: op } });
    t.runner.run([operation('1001', 1), command('answer'), { type: 'send', agentId: '1001', connectionId: 'c1', event: agentEvent('AgentStatusChangeEvent', 0) }]);
    t.runner.run([operation('1002', 2), { type: 'save-membership', queueNum: 'nope', agentId: 'nobody', member: true, position: 1 }, command('park')]);
    t.runner.run([operation('1003', 3), { type: 'send', agentId: '1003', connectionId: 'c1', event: agentEvent('CallInEvent', 0) }]);
    expect([t.rows(), t.commands.length, t.sent.length]).toEqual([0, 0, 0]);
    t.endTurn();
    const agents = (t.db.prepare('SELECT agent_id FROM agent_operation_log ORDER BY id').all() as { agent_id: string }[]).map((r) => r.agent_id);
    expect(agents).toEqual(['1001', '1003']);
    // Each saw both surviving rows: they left after the one commit.
    expect(t.commands).toEqual(['answer:2', 'park:2']);
    expect(t.sent).toEqual(['AgentStatusChangeEvent:2', 'CallInEvent:2']);
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
