/**
 * The core on its own, driven through its one entry point: the example organisation, a
 * ManualClock, a switch model instead of FreeSWITCH (test/fakes/switch-model.ts), and a
 * small stand-in for the engine that carries out each step's effects — rows kept in
 * memory, events noted per agent, timers on the clock, switch commands to the model. No
 * sockets, no SQLite writes: a scenario of thousands of steps runs in milliseconds and is
 * the same every time for the same seed.
 */
import { inject } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { coreOptionsOf } from '../../src/app/start-server.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config-schema.js';
import type { AgentEvent } from '../../src/core/agent-event.js';
import { Core, type Step } from '../../src/core/core.js';
import type { CoreEffect, OperationEntry } from '../../src/core/effects.js';
import type { CoreInput } from '../../src/core/inputs.js';
import { Organisation } from '../../src/core/organisation.js';
import type { CdrRecord } from '../../src/core/records/cdr.js';
import type { StatsRow } from '../../src/core/records/daily-stats.js';
import { KeyedTimers } from '../../src/engine/keyed-timers.js';
import { loadNumberDirectory } from '../../src/numbers/load-number-directory.js';
import { AcdStore } from '../../src/store/acd-store.js';
import { openDatabase } from '../../src/store/database.js';
import { loadOrganisation } from '../../src/store/organisation-repo.js';
import { createDayClock, createTimeFormat } from '../../src/time-format.js';
import { SwitchModel } from '../fakes/switch-model.js';

export interface ScenarioOptions {
  /** Changes to the example organisation's queues (ring timeouts, wrap-up …). */
  readonly queues?: Partial<Record<string, { ringTimeoutSeconds?: number; wrapUpSeconds?: number; maxWaitSeconds?: number }>>;
  readonly config?: (config: Config) => Config;
  readonly random?: () => number;
  /** What the switch says of an extension's registration (default: every phone is registered). */
  readonly isRegistered?: (exten: string) => boolean;
}

/** The customer-number tables of the default configuration, read once per test file. */
let numbers: ReturnType<typeof loadNumberDirectory> | undefined;

/** The example organisation and lists, read once per test file from the database global-setup built. */
let example: { org: ReturnType<typeof loadOrganisation>; lists: ReturnType<AcdStore['loadLists']> } | undefined;
function exampleData(): NonNullable<typeof example> {
  if (example === undefined) {
    const db = openDatabase(inject('exampleDatabase'));
    try {
      example = { org: loadOrganisation(db), lists: new AcdStore(db).loadLists() };
    } finally {
      db.close();
    }
  }
  return example;
}

export class CoreScenario {
  readonly clock = new ManualClock();
  readonly switch = new SwitchModel(this.clock);
  readonly core: Core;
  readonly org: Organisation;
  /** Every row the core asked to store, in order. */
  readonly operations: OperationEntry[] = [];
  readonly cdrs: CdrRecord[] = [];
  /** The latest statistics row of each agent and day. */
  readonly stats = new Map<string, StatsRow>();
  /** Events sent to each agent, in order. */
  readonly events = new Map<string, AgentEvent[]>();
  /** Every step's input and effects, for a failure's story. */
  readonly steps: { input: CoreInput['type']; effects: number }[] = [];
  private readonly timers: KeyedTimers;
  private readonly connectionOf = new Map<string, string>();
  private nextConnection = 1;
  private ids = 0;

  constructor(options: ScenarioOptions = {}) {
    const data = structuredClone(exampleData());
    for (const q of data.org.queues) {
      const change = options.queues?.[q.queueNum];
      if (change !== undefined) Object.assign(q, change);
    }
    this.org = new Organisation(data.org);
    const config = (options.config ?? ((c) => c))(structuredClone(DEFAULT_CONFIG));
    const days = createDayClock(config.timeZone);
    this.core = new Core({
      org: this.org,
      options: coreOptionsOf(config),
      formatTime: createTimeFormat(config.timeZone),
      days,
      numbers: (numbers ??= loadNumberDirectory(config.numbers)),
      switchStatus: { ready: () => true, isRegistered: options.isRegistered ?? (() => true) },
      newId: () => `id-${++this.ids}`,
      random: options.random ?? (() => 0),
      stored: { lists: data.lists, pauses: [], stats: [], firstLeaveId: 1 },
    });
    this.timers = new KeyedTimers(this.clock, (timer) => this.handle({ type: 'timer', timer }));
    this.handle({ type: 'start', openCalls: [] });
  }

  /** One input through the entry point, its effects carried out. */
  handle<I extends CoreInput>(input: I): Step<I['type']> {
    const step = this.core.handle(input, this.clock.now());
    this.steps.push({ input: input.type, effects: step.effects.length });
    for (const effect of step.effects) this.carryOut(effect);
    return step;
  }

  /** An agent signs in on a new connection (its password checked). */
  signIn(agentId: string, initStatus: number): number {
    const connectionId = `conn-${this.nextConnection++}`;
    const profile = this.org.agent(agentId);
    const exten = profile?.defaultExten ?? null;
    const step = this.handle({
      type: 'signin',
      address: '127.0.0.1',
      passwordOk: true,
      request: { agentId, connectionId, bindExten: exten !== null, exten, extenIsOutbound: false, initStatus, remote: null },
    });
    if (step.code === 0) this.connectionOf.set(agentId, connectionId);
    return step.code;
  }

  /** The agent bar's connection drops: the session waits for the resume grace. */
  connectionLost(agentId: string): void {
    const connectionId = this.connectionOf.get(agentId);
    if (connectionId === undefined) return;
    this.connectionOf.delete(agentId);
    this.handle({ type: 'connection-lost', agentId, connectionId });
  }

  isConnected(agentId: string): boolean {
    return this.connectionOf.has(agentId);
  }

  /** Hands the core the switch's next event; false when there is none. */
  deliverEvent(): boolean {
    const event = this.switch.events.shift();
    if (event === undefined) return false;
    this.handle({ type: 'switch-event', event });
    return true;
  }

  /** Hands the core the answer to one command in flight (`pick` chooses which); false when none waits. */
  deliverResult(pick: (n: number) => number = () => 0): boolean {
    if (this.switch.results.length === 0) return false;
    const [pending] = this.switch.results.splice(pick(this.switch.results.length), 1);
    this.handle({ type: 'switch-result', ref: pending!.ref, result: pending!.result });
    return true;
  }

  /** Everything the switch has to say, said (events in order, then results), until it is quiet. */
  settle(): void {
    while (this.deliverEvent() || this.deliverResult());
  }

  /** Moves time, firing the timers due; what the switch says meanwhile waits to be delivered. */
  tick(ms: number): void {
    this.clock.advance(ms);
  }

  /**
   * Moves time, firing the timers due (the core's and the switch model's); the switch
   * speaks every `stepMs` of it, so its events come before timers due later.
   */
  advance(ms: number, stepMs = 10): void {
    for (let done = 0; done < ms; done += stepMs) {
      this.clock.advance(Math.min(stepMs, ms - done));
      this.settle();
    }
  }

  statusTrail(agentId: string): string[] {
    return (this.events.get(agentId) ?? [])
      .filter((e) => e.eventType === 'AgentStatusChangeEvent' && e.fields['agent_num'] === agentId)
      .map((e) => `${String(e.fields['old_status'])}>${String(e.fields['new_status'])}`);
  }

  private carryOut(effect: CoreEffect): void {
    switch (effect.type) {
      case 'send': {
        const list = this.events.get(effect.agentId) ?? [];
        list.push(effect.event);
        this.events.set(effect.agentId, list);
        return;
      }
      case 'log-operation':
        this.operations.push(effect.entry);
        return;
      case 'save-cdr':
        this.cdrs.push(effect.cdr);
        return;
      case 'save-stats':
        this.stats.set(`${effect.row.day}|${effect.row.agentId}`, effect.row);
        return;
      case 'set-timer':
        this.timers.set(effect.key, effect.delayMs, effect.timer);
        return;
      case 'cancel-timer':
        this.timers.cancel(effect.key);
        return;
      case 'switch':
        this.switch.command(effect.command, effect.ref);
        return;
      default:
        // Connections, the operator's log lines and the other rows do not matter to a scenario.
        return;
    }
  }
}
