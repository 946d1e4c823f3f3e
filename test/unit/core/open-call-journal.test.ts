// The open-call journal on the core's entry point: a call is written to open_calls from the
// step that began it, rewritten only by steps that change it, and taken out when it ends;
// a step about something else writes nothing.
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import type { CoreEffect } from '../../../src/core/effects.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

type Journal = Extract<CoreEffect, { type: 'journal-open-calls' }>;

/** The scenario, with every journal effect its steps gave and the open_calls rows they leave. */
function journalled(): { s: CoreScenario; effects: Journal[]; open: Map<string, string> } {
  const s = new CoreScenario();
  const effects: Journal[] = [];
  const open = new Map<string, string>();
  const handle = s.core.handle.bind(s.core);
  s.core.handle = (input, now) => {
    const step = handle(input, now);
    for (const e of step.effects) {
      if (e.type !== 'journal-open-calls') continue;
      effects.push(e);
      for (const c of e.changed) open.set(c.id, c.phase ?? '');
      for (const id of e.closed) open.delete(id);
    }
    return step;
  };
  return { s, effects, open };
}

describe('calls written down as they go', () => {
  it('from its first step to its end, and not by steps about something else', () => {
    const { s, effects, open } = journalled();
    expect(s.signIn('1001', AgentStatus.IDLE)).toBe(0);
    const customer = s.switch.placeCall('051287654321', '4008001000');
    s.settle();
    // Offered to 1001, whose phone rings.
    expect([...open.values()]).toEqual(['ringing']);
    const [callId] = [...open.keys()];

    // Another agent signing in and changing status is no step about the call.
    const before = effects.length;
    expect(s.signIn('1002', AgentStatus.IDLE)).toBe(0);
    s.handle({ type: 'set-status', agentId: '1002', target: String(AgentStatus.BUSY), needsApproval: false });
    expect(effects.length).toBe(before);

    s.switch.hangup(customer);
    s.settle();
    expect(open.size).toBe(0);
    expect(effects.at(-1)?.closed).toContain(callId);
    // Each write changed the snapshot: no step wrote the same call twice in a row unchanged.
    const written = effects.flatMap((e) => e.changed.map((c) => JSON.stringify(c)));
    expect(new Set(written).size).toBe(written.length);
    expect(s.cdrs.map((c) => c.callId)).toEqual([callId]);
  });

  it('a customer its queue timeout sends to the overflow queue is written waiting there', () => {
    // 631 overflows to 632 after maxWaitSeconds; nobody is free in either.
    const s = new CoreScenario({ queues: { '631': { maxWaitSeconds: 2 } } });
    const queueOf = new Map<string, string | undefined>();
    const handle = s.core.handle.bind(s.core);
    s.core.handle = (input, now) => {
      const step = handle(input, now);
      for (const e of step.effects) if (e.type === 'journal-open-calls') for (const c of e.changed) queueOf.set(c.id, c.queueNum);
      return step;
    };
    expect(s.signIn('1009', AgentStatus.BUSY)).toBe(0);
    s.switch.placeCall('051287654321', '4008002000');
    s.settle();
    expect([...queueOf.values()]).toEqual(['631']);
    s.advance(3000);
    expect(s.core.queries.queues.waitingCount('632')).toBe(1);
    expect([...queueOf.values()]).toEqual(['632']);
  });
});
