// Run to completion on the core's entry point (issue 10): a step's own rows and events
// come before those of what it caused. An agent going BUSY → IDLE while a customer waits
// is offered that customer only after its own change is complete.
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

describe('one step, then what it caused', () => {
  it('BUSY → IDLE with a customer waiting: the log and the events say BUSY→IDLE, then IDLE→RING', () => {
    const s = new CoreScenario();
    expect(s.signIn('1001', AgentStatus.BUSY)).toBe(0);
    s.switch.placeCall('051287654321', '4008001000');
    s.settle();
    expect(s.core.queries.queues.waitingCount('630')).toBe(1);
    const from = s.operations.length;
    const step = s.handle({ type: 'set-status', agentId: '1001', target: '0', needsApproval: false });
    expect(step.code).toBe(0);
    const changes = s.operations.slice(from).filter((o) => o.oldStatus !== null).map((o) => `${o.operation} ${o.oldStatus}>${o.newStatus}`);
    expect(changes).toEqual(['status 6>0', 'offer 0>1']);
    expect(s.statusTrail('1001')).toEqual(['-1>6', '6>0', '0>1']);
    // The step's own effects come first: its status row before anything the offer did.
    const types = step.effects.map((e) => (e.type === 'send' ? e.event.eventType : e.type));
    expect(types.indexOf('log-operation')).toBeLessThan(types.indexOf('CallInEvent'));
  });

  it('the core cannot be entered again in the middle of a step', () => {
    // A port that calls back into the core while the core asks it something (sign-in asks
    // whether the extension is registered): the step refuses to be interleaved.
    let s: CoreScenario | undefined;
    s = new CoreScenario({
      isRegistered: () => {
        s?.core.handle({ type: 'signout', agentId: '1002' }, 0);
        return true;
      },
    });
    expect(() => s.signIn('1001', AgentStatus.IDLE)).toThrow(/core re-entered with signout during a step/);
    // The core is usable again after the refusal.
    expect(s.core.queries.agents.session('1001')).toBeUndefined();
  });

  it('a timer goes to its owner: a wrap-up ends the agent’s ACW, and nothing else moves', () => {
    const s = new CoreScenario({ queues: { '630': { wrapUpSeconds: 5 } } });
    s.signIn('1001', AgentStatus.IDLE);
    const customer = s.switch.placeCall('051287654321', '4008001000');
    s.advance(200);
    expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.TALKING);
    s.switch.hangup(customer);
    s.settle();
    expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.ACW);
    s.advance(4990);
    expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.ACW);
    s.advance(20);
    expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.IDLE);
    expect(s.cdrs).toHaveLength(1);
  });
});
