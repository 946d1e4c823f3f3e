/**
 * Carries out the effects of one step of the core. The rows go first: added to the turn's
 * (end-of-turn.ts), committed at the end of the event-loop turn with the other steps' rows,
 * each step's all or none (so that what a step decided is stored whole or not at all, and a
 * webhook's outbox row will be written with the fact it reports; SQLite commits them then,
 * PostgreSQL just behind, in order: engine/pg-store.ts) — or, while the database refuses
 * writes, kept in order until it takes them (row-writer.ts). Then, in the order the core
 * gave them, what goes out: events to agents (queued on their connection), switch commands
 * (held for the end of the turn: after the rows), timers, the operator's log lines. Behind
 * a closed flag: after stop() nothing runs (a switch answer arriving late finds the store
 * closed).
 */
import type { Logger } from '../log.js';
import type { AgentSession } from '../core/agent-service.js';
import type { CoreEffect, OperationEntry } from '../core/effects.js';
import type { ConnectionRegistry } from './connections.js';
import type { KeyedTimers } from './keyed-timers.js';
import type { EndOfTurn } from './end-of-turn.js';
import { isRow, type RowEffect } from './store.js';
import type { SwitchCommands } from './switch-commands.js';

export interface EffectRunnerParts {
  /** Takes each step's rows for the end of the turn, and what must leave after them. */
  readonly turn: EndOfTurn;
  readonly connections: ConnectionRegistry;
  readonly timers: KeyedTimers;
  readonly switchCommands: SwitchCommands;
  /** The session of an agent when an effect is carried out (a `send` without a connection named). */
  readonly sessionOf: (agentId: string) => AgentSession | undefined;
  readonly log: Logger;
}

export class EffectRunner {
  private closed = false;
  private readonly log: Logger;
  /** The operator's lines about agent sessions and calls (stable `event` names and fields; the switch link's are the switch port's). */
  private readonly journal: Logger;

  constructor(private readonly parts: EffectRunnerParts) {
    this.log = parts.log.child({ module: 'engine' });
    this.journal = parts.log.child({ module: 'journal' });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Carries out one step's effects. A failing effect is logged and does not stop the rest. */
  run(effects: readonly CoreEffect[]): void {
    if (this.closed) {
      if (effects.length > 0) this.log.debug({ effects: effects.map((e) => e.type) }, 'effects after stop dropped');
      return;
    }
    this.parts.turn.addRows(effects.filter(isRow));
    for (const effect of effects) {
      try {
        if (isRow(effect)) this.afterRow(effect);
        else this.carryOut(effect);
      } catch (err) {
        this.log.error({ err, effect: effect.type }, 'effect failed');
      }
    }
  }

  /** Nothing runs from now on. */
  close(): void {
    this.closed = true;
  }

  private carryOut(effect: Exclude<CoreEffect, RowEffect>): void {
    const { connections, timers } = this.parts;
    switch (effect.type) {
      case 'send': {
        const connectionId = 'connectionId' in effect ? effect.connectionId : this.parts.sessionOf(effect.agentId)?.connectionId;
        connections.get(connectionId)?.sendEvent(effect.event);
        return;
      }
      case 'close-connection':
        connections.get(effect.connectionId)?.close(effect.reason);
        return;
      case 'unbind-connection':
        connections.get(effect.connectionId)?.unbind();
        return;
      case 'log-event':
        this.journal.info({ event: effect.event, ...effect.fields }, effect.message);
        return;
      case 'set-timer':
        timers.set(effect.key, effect.delayMs, effect.timer);
        return;
      case 'cancel-timer':
        timers.cancel(effect.key);
        return;
      case 'switch': {
        const { command, ref } = effect;
        this.parts.turn.afterRows(() => this.parts.switchCommands.send(command, ref));
        return;
      }
    }
  }

  /** The log line a row has, in the order of the step's effects. */
  private afterRow(row: RowEffect): void {
    if (row.type === 'log-operation') this.journalSession(row.entry);
    if (row.type === 'save-open-calls') this.log.info({ calls: row.calls.length, callIds: row.calls.map((c) => c.id) }, 'calls still up saved for the next start');
  }

  /** One line per session event of an agent; other operations (status changes …) stay in the operation log. */
  private journalSession(entry: OperationEntry): void {
    const message = SESSION_LINES[entry.operation];
    if (message === undefined) return;
    this.journal.info(
      {
        event: `agent.${entry.operation}`,
        agentId: entry.agentId,
        exten: entry.exten,
        ...(entry.code !== undefined ? { code: entry.code } : {}),
        ...(entry.newStatus !== null ? { status: entry.newStatus } : {}),
        ...(entry.causedBy !== entry.agentId ? { causedBy: entry.causedBy } : {}),
        ...(entry.reason !== null ? { reason: entry.reason } : {}),
        remote: entry.remote,
      },
      message,
    );
  }
}

/** The operation-log rows that are session events, and their line in the log. */
const SESSION_LINES: Readonly<Record<string, string>> = {
  signin: 'agent signed in',
  signout: 'agent signed out',
  kick: 'agent signed in from another connection; the old one was closed',
  resume: 'agent resumed its session',
  'connection-lost': 'agent connection lost; its session waits for a resume',
  'signin-refused': 'sign-in refused',
  'signin-locked': 'agent ID locked after wrong passwords from many addresses',
  'signin-unlocked': 'agent ID unlocked',
};
