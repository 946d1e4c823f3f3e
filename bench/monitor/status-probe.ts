/**
 * When polylink decided each agent's status change, by wrapping the core's entry point
 * as the engine and the agent connections call it (bench/acd/probes.ts does the same for
 * the ACD): a step whose effects send an agent its AgentStatusChangeEvent is stamped
 * with the time the step began. Nothing in src/ changes.
 */
import type { CoreEffect } from '../../src/core/effects.js';
import type { CoreInput } from '../../src/core/inputs.js';
import type { Engine } from '../../src/engine/engine.js';
import { monotonicMs } from '../acd/clock.js';

export class StatusProbe {
  /** `agent|old|new` → when each such change was decided (monotonic ms), in order. */
  readonly changes = new Map<string, number[]>();
  private recording = false;

  constructor(
    engine: Engine,
    /** The agents whose changes count (supervisors' own changes are not the load). */
    private readonly watched: ReadonlySet<string>,
  ) {
    const core = engine.services.core;
    const handle = core.handle.bind(core);
    (core as { handle: typeof core.handle }).handle = (input, now) => {
      const at = monotonicMs();
      const step = handle(input, now);
      this.notice(step.effects, at);
      return step;
    };
    const engineHandle = engine.handle.bind(engine);
    engine.handle = ((input: CoreInput) => {
      const at = monotonicMs();
      const step = engineHandle(input);
      this.notice(step?.effects ?? [], at);
      return step;
    }) as Engine['handle'];
  }

  record(on: boolean): void {
    this.recording = on;
  }

  private notice(effects: readonly CoreEffect[], at: number): void {
    if (!this.recording) return;
    for (const e of effects) {
      if (e.type !== 'send' || e.event.eventType !== 'AgentStatusChangeEvent') continue;
      const { agent_num: agent, old_status: old, new_status: next } = e.event.fields;
      // The agent's own copy marks the change once (the supervisors' copies are the same event).
      if (e.agentId !== agent || typeof agent !== 'string' || !this.watched.has(agent)) continue;
      const key = `${agent}|${String(old)}|${String(next)}`;
      let list = this.changes.get(key);
      if (list === undefined) this.changes.set(key, (list = []));
      list.push(at);
    }
  }
}
