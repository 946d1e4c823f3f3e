/**
 * Where the benchmark measures inside polylink, by wrapping — nothing in src/ changes:
 *
 * - the engine's inputs: `engine.calls.onSwitchEvent` (the engine calls it through the
 *   property for every switch event, so a wrapper on the instance sees each event the
 *   moment the engine takes it from the switch port), `calls.onSwitchResult`, and the
 *   core's timer handlers. Each wrapper notes which input the engine is working on and
 *   since when; a `channel-parked` of an access number is a customer's park.
 * - `engine.attach`: every agent connection's `sendEvent` is wrapped, so a CallInEvent
 *   is timed when its bytes have been handed to the agent's socket (`socket.write`
 *   returned) — what "leaving polylink" means.
 * - `engine.agents.onStatusChange`: when an agent becomes IDLE, the start of the input
 *   that freed it (a hangup event, a wrap-up timer) is its "free since". (RING never
 *   follows a call status directly: an agent seen going from one to RING went through
 *   IDLE and was offered a customer within the same change.)
 * - the simulator's in-process event observer: when the switch fired CHANNEL_PARK.
 * - a listener on polylink's ESL client (public `onEvent`): when polylink had read and
 *   decoded that CHANNEL_PARK off the event socket, before its delivery queue.
 *
 * Every time is the process's monotonic clock (clock.ts).
 */
import type { AgentEvent } from '../../src/core/agent-event.js';
import { AgentStatus } from '../../src/core/agent-status.js';
import type { Engine, EngineConnection } from '../../src/engine.js';
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
    engine.agents.onStatusChange((session, old) => {
      // The ACD's own listener runs first and may have offered the agent a waiting customer
      // already, inside this same change: then the agent is RING here, not IDLE.
      const status = session.machine.status;
      if (old !== AgentStatus.IDLE && (status === AgentStatus.IDLE || status === AgentStatus.RING)) {
        this.freeAt.set(session.profile.agentId, this.input?.at ?? monotonicMs());
      }
      return [];
    });
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
    const calls = engine.calls;
    const onSwitchEvent = calls.onSwitchEvent.bind(calls);
    calls.onSwitchEvent = (event, now) => {
      const at = this.begin(event.type);
      if (event.type === 'channel-parked' && event.vars.accessNumber !== undefined && !this.parkedAt.has(event.callerNumber)) {
        this.parkedAt.set(event.callerNumber, at);
      }
      return onSwitchEvent(event, now);
    };
    const onSwitchResult = calls.onSwitchResult.bind(calls);
    calls.onSwitchResult = (ref, result, now) => {
      this.begin(`switch-result:${ref.step}`);
      return onSwitchResult(ref, result, now);
    };
    for (const service of [engine.agents, engine.calls, engine.queues]) {
      const onTimer = service.onTimer.bind(service);
      service.onTimer = (timer, now) => {
        this.begin(`timer:${timer.kind}`);
        return onTimer(timer, now);
      };
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
