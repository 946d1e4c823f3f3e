/**
 * The engine: where the core's decisions meet the world. Every input — a switch event, a
 * switch command's result, a fired timer, a lost connection, an HTTP command, a change of
 * the stored organisation — goes to the core's one entry point, and the effects of that
 * step are carried out together (effect-runner.ts); the rows of a turn's steps are committed
 * together at its end, before anything they caused leaves the process (end-of-turn.ts). Requests
 * of agent connections take the same entry point from their handlers; their connection
 * runs the step's effects after the response (protocol order: a response precedes the
 * events its command causes).
 *
 * It owns the pieces that touch the world: the store (the only database handle), the
 * keyed timers, the connection registry and the switch commands in flight.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Core, Step } from '../core/core.js';
import type { CoreEffect } from '../core/effects.js';
import type { CoreInput } from '../core/inputs.js';
import type { SwitchPort } from '../core/ports/switch-port.js';
import type { AgentQueries, CallQueries, ListQueries, QueueQueries, StatsQueries } from '../core/queries.js';
import type { Services } from '../protocol/command-types.js';
import { hashPassword, verifyPassword } from '../store/password.js';
import type { TimeFormat } from '../time-format.js';
import { ConnectionRegistry, type EngineConnection } from './connections.js';
import { EffectRunner } from './effect-runner.js';
import { EndOfTurn } from './end-of-turn.js';
import { KeyedTimers } from './keyed-timers.js';
import { RowWriter, type StoreHealth } from './row-writer.js';
import type { Store } from './store.js';
import { SwitchCommands } from './switch-commands.js';
import { TurnTally } from './turn-tally.js';

export type { EngineConnection } from './connections.js';

export interface EngineDeps {
  readonly core: Core;
  readonly store: Store;
  readonly switch: SwitchPort;
  readonly clock: Clock;
  readonly log: Logger;
  /** What the agent protocol's handlers need beside the core. */
  readonly protocol: Pick<Services, 'heartbeatIntervalSeconds' | 'minPasswordLength' | 'signinTurns'> & { readonly formatTime: TimeFormat };
  /** How often to look for an organisation another process (`polylink import`) committed. */
  readonly organisationCheckMs: number;
}

export class Engine {
  /** The agent protocol's handler context: the core's entry point and queries, the store's read models. */
  readonly services: Services;
  /** What the event loop carried since the long-turn watch last looked (app/turn-watch.ts). */
  readonly tally = new TurnTally();
  private readonly connections = new ConnectionRegistry();
  private readonly timers: KeyedTimers;
  private readonly switchCommands: SwitchCommands;
  private readonly runner: EffectRunner;
  private readonly rows: RowWriter;
  private readonly turn: EndOfTurn;
  private readonly log: Logger;
  private unsubscribe: (() => void) | undefined;
  private stopWatching: (() => void) | undefined;

  constructor(private readonly deps: EngineDeps) {
    const { core, store, clock } = deps;
    this.log = deps.log.child({ module: 'engine' });
    this.timers = new KeyedTimers(clock, (timer) => this.handle({ type: 'timer', timer }));
    this.switchCommands = new SwitchCommands(deps.switch, this.log, (ref, result) => this.handle({ type: 'switch-result', ref, result }));
    this.rows = new RowWriter(store, clock, deps.log.child({ module: 'store' }));
    this.turn = new EndOfTurn(this.rows, this.log, queueMicrotask, this.tally);
    this.runner = new EffectRunner({
      turn: this.turn,
      connections: this.connections,
      timers: this.timers,
      switchCommands: this.switchCommands,
      sessionOf: (agentId) => core.queries.agents.session(agentId),
      log: deps.log,
    });
    this.services = {
      core: {
        handle: (input, now) => {
          this.tally.steps++;
          return core.handle(input, now);
        },
      },
      ...core.queries,
      ...deps.protocol,
      passwords: { verify: verifyPassword, hash: hashPassword },
      // A read of the store sees what the steps before it in this turn wrote.
      calledNumbers: (agentId) => {
        this.turn.flush();
        return store.calledNumbers(agentId);
      },
      dayReport: (accountId, now) => {
        this.turn.flush();
        return store.dayReport(accountId, now);
      },
    };
  }

  // ── what may be read (the core's queries) ──────────────────────────────────

  get clock(): Clock {
    return this.deps.clock;
  }

  get agents(): AgentQueries {
    return this.deps.core.queries.agents;
  }

  get calls(): CallQueries {
    return this.deps.core.queries.calls;
  }

  get queues(): QueueQueries {
    return this.deps.core.queries.queues;
  }

  get stats(): StatsQueries {
    return this.deps.core.queries.stats;
  }

  get lists(): ListQueries {
    return this.deps.core.queries.lists;
  }

  /** Whether the database takes the steps' rows, and what waits or was lost (for /health). */
  get storeHealth(): StoreHealth {
    return this.rows.health;
  }

  // ── steps ──────────────────────────────────────────────────────────────────

  /** One input to the core, now, and the effects of its step carried out. After stop() inputs are dropped. */
  handle<I extends CoreInput>(input: I): Step<I['type']> | undefined {
    if (this.runner.isClosed) {
      this.log.debug({ input: input.type }, 'input after stop dropped');
      return undefined;
    }
    const step = this.deps.core.handle(input, this.deps.clock.now());
    this.tally.steps++;
    this.runner.run(step.effects);
    return step;
  }

  /**
   * Sends something out at the end of the turn, after the turn's rows are committed (an
   * agent connection's messages: end-of-turn.ts).
   */
  afterRows(send: () => void): void {
    this.turn.afterRows(send);
  }

  /** Commits the turn's rows and sends what waits for them, now. */
  flush(): void {
    this.turn.flush();
  }

  /** Carries out the effects of one step the core took for an agent connection's request. */
  run(effects: readonly CoreEffect[]): void {
    this.runner.run(effects);
  }

  /**
   * Starts listening to the switch and to the store, starts the ACD's periodic check, and
   * takes in the calls that were up when polylink last stopped (core/calls/held-over.ts).
   */
  start(): void {
    this.unsubscribe = this.deps.switch.subscribe(
      (event) => {
        this.tally.switchEvents++;
        this.handle({ type: 'switch-event', event });
      },
      // Out of band, ahead of the events waiting: the core sheds new customers while behind.
      (change) => {
        this.handle({ type: 'overload', on: change.behind });
      },
    );
    const openCalls = this.deps.store.openCalls();
    if (openCalls.length > 0) {
      this.log.info({ calls: openCalls.length, callIds: openCalls.map((c) => c.snapshot.id) }, 'calls up when polylink last stopped: following them again');
    }
    this.handle({ type: 'start', openCalls });
    // `polylink import` while the server runs writes the same file from another process:
    // the running server takes the new organisation within this time.
    this.stopWatching = this.deps.store.watchForeignCommits(this.deps.organisationCheckMs, () => this.reloadOrganisation());
  }

  /**
   * The organisation in the store changed under the running server: the core works on the
   * new one from its next decision, and signed-in agents whose own settings changed are
   * told to sign in again.
   */
  reloadOrganisation(): void {
    try {
      this.handle({ type: 'organisation-replaced', data: this.deps.store.organisation() });
      this.log.info({ agents: this.deps.core.queries.org.agentCount() }, 'the organisation changed in the database: reloaded');
    } catch (err) {
      this.log.error({ err }, 'reloading the organisation failed; the server goes on with the one it had');
    }
  }

  // ── connections ────────────────────────────────────────────────────────────

  attach(conn: EngineConnection): void {
    this.connections.attach(conn);
  }

  /** The connection is gone; a signed-in agent keeps its session for the resume grace. */
  detach(conn: EngineConnection, signedInAs: string | undefined): void {
    this.connections.detach(conn);
    if (signedInAs !== undefined) this.handle({ type: 'connection-lost', agentId: signedInAs, connectionId: conn.id });
  }

  // ── stopping ───────────────────────────────────────────────────────────────

  /** Shutdown: connections take no new request; resolves when each has answered what it received, or after `timeoutMs`. */
  finishRequests(timeoutMs: number): Promise<void> {
    return this.connections.finishRequests(timeoutMs);
  }

  /** Shutdown: every connection closed, going away (WebSocket 1001), waited for up to `timeoutMs`. */
  closeConnections(reason: string, timeoutMs: number): Promise<void> {
    return this.connections.closeAll(reason, timeoutMs);
  }

  /** Resolves when every switch command sent so far has its answer handled, or after `timeoutMs`. */
  settled(timeoutMs: number): Promise<void> {
    this.turn.flush();
    return this.switchCommands.settled(timeoutMs);
  }

  /**
   * Shutdown, once the calls the switch could end have ended: free agents' sessions are set
   * aside for their bars to resume after the restart, every other agent is signed out
   * (operation log, statistics, SignOutEvent to its bar), the calls still up are saved for
   * the next start, and then nothing more runs.
   */
  shutdown(reason: string): void {
    this.stopListening();
    this.handle({ type: 'shutdown', reason });
    this.stop();
  }

  /** Stops listening, cancels every timer, writes what waits (or says it is lost) and sends what waited for it; from now on nothing runs. */
  stop(): void {
    this.stopListening();
    this.timers.clear();
    this.runner.close();
    this.turn.flush();
    this.rows.close();
  }

  private stopListening(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.stopWatching?.();
    this.stopWatching = undefined;
  }
}
