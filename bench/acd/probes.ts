/**
 * Where the benchmark measures inside polylink, by wrapping — nothing in src/ changes:
 *
 * - the core's one entry point, as the engine calls it (`engine.handle`: switch events,
 *   switch results, timers) and as agent connections' handlers call it
 *   (`engine.services.core.handle`): the wrapper notes which input the core is working
 *   on and since when; a `channel-parked` of an access number is a customer's park.
 * - `engine.attach`: every agent connection's `sendEvent` is wrapped, so a CallInEvent
 *   is timed when its bytes have been handed to the agent's socket (`socket.write`
 *   returned) — what "leaving polylink" means.
 * - the AgentStatusChangeEvents a step sends: when an agent becomes IDLE, the start of the
 *   input that freed it (a hangup event, a wrap-up timer) is its "free since".
 * - the simulator's in-process event observer: when the switch fired CHANNEL_PARK.
 * - a listener on polylink's ESL client (public `onEvent`): when polylink had read and
 *   decoded that CHANNEL_PARK off the event socket, before its delivery queue.
 *
 * Every time is the process's monotonic clock (clock.ts).
 */
import type { AgentEvent } from '../../src/core/agent-event.js';
import type { CoreEffect } from '../../src/core/effects.js';
import type { CoreInput } from '../../src/core/inputs.js';
import { AgentStatus } from '../../src/core/agent-status.js';
import type { Engine, EngineConnection } from '../../src/engine/engine.js';
import type { EslClient } from '../../src/esl/client.js';
import type { SwitchSimulator } from '../../src/simulator/switch-simulator.js';
import { AgentConnection } from '../../src/transport/agent-connection.js';
import { monotonicMs } from './clock.js';

/** The first CallInEvent a customer caused. */
export interface Offer {
  readonly caller: string;
  readonly agentId: string;
  /** CallInEvent handed to the agent's socket. */
  readonly writtenAt: number;
  /** The engine took the customer's channel-parked. */
  readonly parkedAt: number | undefined;
  /** The simulator fired the customer's CHANNEL_PARK. */
  readonly firedAt: number | undefined;
  /** polylink's ESL client decoded that CHANNEL_PARK. */
  readonly decodedAt: number | undefined;
  /** The chosen agent last became IDLE (before its first call: when it signed in, before the load). */
  readonly agentFreeAt: number | undefined;
  /** The engine input in whose turn the CallInEvent was written. */
  readonly trigger: string;
}

export class AcdProbes {
  readonly offers: Offer[] = [];
  /** CallInEvents beyond the first for a customer (a re-offer after an offer failed). */
  reOffers = 0;
  /** Turns in which a CallInEvent was written, by the input that started the turn. */
  readonly triggers = new Map<string, number>();
  private readonly parkedAt = new Map<string, number>();
  private readonly firedAt = new Map<string, number>();
  private readonly decodedAt = new Map<string, number>();
  private readonly freeAt = new Map<string, number>();
  private readonly offered = new Set<string>();
  private input: { label: string; at: number } | undefined;
  private clearScheduled = false;
  private recording = false;

  constructor(engine: Engine, sim: SwitchSimulator, esl: EslClient, callerOf: (uuid: string) => string | undefined) {
    this.wrapInputs(engine);
    const attach = engine.attach.bind(engine);
    engine.attach = (conn: EngineConnection) => {
      const send = conn.sendEvent.bind(conn);
      conn.sendEvent = (event: AgentEvent) => {
        send(event);
        if (event.eventType === 'CallInEvent') this.callIn(conn, event);
      };
      attach(conn);
    };
    sim.onEvent((event) => {
      if (event.name !== 'CHANNEL_PARK' || event.uniqueId === undefined) return;
      const caller = callerOf(event.uniqueId);
      if (caller !== undefined && !this.firedAt.has(caller)) this.firedAt.set(caller, monotonicMs());
    });
    esl.onEvent.add((event) => {
      if (event.name !== 'CHANNEL_PARK') return;
      const caller = callerOf(event.headers['Unique-ID'] ?? '');
      if (caller !== undefined && !this.decodedAt.has(caller)) this.decodedAt.set(caller, monotonicMs());
    });
  }

  /** Offers are recorded from now on (sign-in and warm-up are not the load). */
  record(on: boolean): void {
    this.recording = on;
  }

  private wrapInputs(engine: Engine): void {
    const core = engine.services.core;
    const handle = core.handle.bind(core);
    (core as { handle: typeof core.handle }).handle = (input, now) => {
      const label = labelOf(input);
      const at = label === undefined ? undefined : this.begin(label);
      if (at !== undefined && input.type === 'switch-event' && input.event.type === 'channel-parked' && input.event.vars.accessNumber !== undefined && !this.parkedAt.has(input.event.callerNumber)) {
        this.parkedAt.set(input.event.callerNumber, at);
      }
      const step = handle(input, now);
      this.notice(step.effects);
      return step;
    };
    const engineHandle = engine.handle.bind(engine);
    engine.handle = ((input: CoreInput) => {
      const label = labelOf(input);
      const at = label === undefined ? undefined : this.begin(label);
      if (at !== undefined && input.type === 'switch-event' && input.event.type === 'channel-parked' && input.event.vars.accessNumber !== undefined && !this.parkedAt.has(input.event.callerNumber)) {
        this.parkedAt.set(input.event.callerNumber, at);
      }
      const step = engineHandle(input);
      this.notice(step?.effects ?? []);
      return step;
    }) as Engine['handle'];
  }

  /** An agent that left a status for IDLE in this step is free from the start of the input that freed it. */
  private notice(effects: readonly CoreEffect[]): void {
    for (const effect of effects) {
      if (effect.type !== 'send' || effect.event.eventType !== 'AgentStatusChangeEvent') continue;
      const { agent_num: agentId, old_status: old, new_status: status } = effect.event.fields;
      if (Number(status) === AgentStatus.IDLE && Number(old) !== AgentStatus.IDLE && typeof agentId === 'string') {
        this.freeAt.set(agentId, this.input?.at ?? monotonicMs());
      }
    }
  }

  /**
   * Notes the input the engine starts on. It stays current until the next input or
   * the end of the macrotask (a microtask clears it): the effects of an input are
   * carried out synchronously right after the core returns them.
   */
  private begin(label: string): number {
    const at = monotonicMs();
    this.input = { label, at };
    if (!this.clearScheduled) {
      this.clearScheduled = true;
      queueMicrotask(() => {
        this.clearScheduled = false;
        this.input = undefined;
      });
    }
    return at;
  }

  private callIn(conn: EngineConnection, event: AgentEvent): void {
    const writtenAt = monotonicMs();
    if (!this.recording) return;
    const caller = String(event.fields['callerID'] ?? '');
    const trigger = this.input?.label ?? 'other';
    this.triggers.set(trigger, (this.triggers.get(trigger) ?? 0) + 1);
    if (this.offered.has(caller)) {
      this.reOffers++;
      return;
    }
    this.offered.add(caller);
    const agentId = conn instanceof AgentConnection ? (conn.signedInAs ?? '') : '';
    this.offers.push({
      caller,
      agentId,
      writtenAt,
      parkedAt: this.parkedAt.get(caller),
      firedAt: this.firedAt.get(caller),
      decodedAt: this.decodedAt.get(caller),
      agentFreeAt: this.freeAt.get(agentId),
      trigger,
    });
  }
}

/** The engine's inputs the benchmark tells apart (agent commands are not among them). */
function labelOf(input: CoreInput): string | undefined {
  if (input.type === 'switch-event') return input.event.type;
  if (input.type === 'switch-result') return `switch-result:${input.ref.step}`;
  if (input.type === 'timer') return `timer:${input.timer.kind}`;
  return undefined;
}
