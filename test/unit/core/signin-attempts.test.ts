// The sign-in guard in the core (issue 15, attacks 4), through the core's one entry point:
// the `signin` input counts failures per address and agent ID, a distributed attack
// locks the agent ID with its row and the supervisors' event, `unlock-agent` lifts it for
// a supervisor or an admin, and the read-only query answers before a password is checked.
// Over the wire: test/integration/agent/signin-guard.test.ts.
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import { Outcome } from '../../../src/core/outcomes.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

/** A sign-in of `agentId` from `address` whose password was checked (`passwordOk`). */
function attempt(s: CoreScenario, agentId: string, address: string, passwordOk: boolean) {
  const request = { agentId, connectionId: `c-${address}`, bindExten: false, exten: null, extenIsOutbound: false, initStatus: AgentStatus.IDLE, remote: null };
  return s.handle({ type: 'signin', request, address, passwordOk });
}

const rows = (s: CoreScenario, agentId: string): string[] => s.operations.filter((o) => o.agentId === agentId).map((o) => `${o.operation} ${o.causedBy}: ${o.reason}`);

describe('the signin input', () => {
  it('wrong passwords from five addresses lock the agent ID: one row, AgentLockedEvent to its supervisors, -90 for the right password', () => {
    const s = new CoreScenario();
    expect(s.signIn('1101', AgentStatus.IDLE)).toBe(0);
    for (let i = 1; i <= 4; i++) expect(attempt(s, '1003', `10.0.0.${i}`, false).code).toBe(Outcome.WRONG_PASSWORD);
    expect(s.core.queries.signin.lockOf('1003', s.clock.now())).toBeUndefined();
    const fifth = attempt(s, '1003', '10.0.0.5', false);
    expect(fifth.code).toBe(Outcome.WRONG_PASSWORD);
    expect(rows(s, '1003')).toEqual(['signin-locked system: wrong passwords from 5 addresses']);
    const locked = s.events.get('1101')!.filter((e) => e.eventType === 'AgentLockedEvent');
    expect(locked.map((e) => e.fields)).toEqual([{ AgentID: '1003', addresses: '5', lockedUntil: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) }]);
    // The query answers before a password is checked; the input asks again.
    expect(s.core.queries.signin.refusal('1003', '10.0.9.9', s.clock.now())).toBe(Outcome.AGENT_LOCKED);
    expect(attempt(s, '1003', '10.0.9.9', true).code).toBe(Outcome.AGENT_LOCKED);
    expect(s.core.queries.agents.session('1003')).toBeUndefined();
    // The lock ends by itself (agent.signinLockSeconds, 900 s by default).
    s.tick(900_000);
    expect(attempt(s, '1003', '10.0.9.9', true).code).toBe(0);
  });

  it('one address alone throttles itself (-89, logged once) and never locks an agent; unknown agent IDs count too', () => {
    const s = new CoreScenario({ config: (c) => ({ ...c, agent: { ...c.agent, signinFailuresPerAddress: 3 } }) });
    expect(attempt(s, '1003', '10.0.0.1', false).code).toBe(Outcome.WRONG_PASSWORD);
    expect(attempt(s, '999999', '10.0.0.1', false).code).toBe(Outcome.AGENT_NOT_REGISTERED);
    const third = attempt(s, '1003', '10.0.0.1', false);
    expect(third.effects).toEqual([
      {
        type: 'log-event',
        event: 'agent.signin-throttled',
        message: 'too many failed sign-ins from one address: its sign-ins are refused for a while',
        fields: { address: '10.0.0.1', failures: 3, windowSeconds: 600, agentId: '1003' },
      },
    ]);
    expect(attempt(s, '1003', '10.0.0.1', true)).toMatchObject({ code: Outcome.SIGNIN_THROTTLED, effects: [] });
    expect(rows(s, '1003')).toEqual([]);
    // Another address signs the agent in.
    expect(attempt(s, '1003', '10.0.0.2', true).code).toBe(0);
  });
});

describe('the unlock-agent input', () => {
  function lockedScenario(): CoreScenario {
    const s = new CoreScenario();
    expect(s.signIn('1101', AgentStatus.IDLE)).toBe(0);
    for (let i = 1; i <= 5; i++) attempt(s, '1003', `10.0.0.${i}`, false);
    expect(s.core.queries.signin.lockOf('1003', s.clock.now())).toBeDefined();
    return s;
  }

  it('a supervisor lifts a lock of a group it monitors: a row and AgentUnlockedEvent; then there is nothing to lift', () => {
    const s = lockedScenario();
    expect(s.handle({ type: 'unlock-agent', target: '1003', by: { supervisor: '1101' } })).toMatchObject({ code: 0, wasLocked: true });
    expect(rows(s, '1003').slice(-1)).toEqual(['signin-unlocked 1101: unlocked by supervisor 1101']);
    expect(s.events.get('1101')!.filter((e) => e.eventType === 'AgentUnlockedEvent').map((e) => e.fields)).toEqual([{ AgentID: '1003', unlockedBy: '1101' }]);
    expect(s.handle({ type: 'unlock-agent', target: '1003', by: { supervisor: '1101' } })).toMatchObject({ code: 0, wasLocked: false, effects: [] });
    expect(attempt(s, '1003', '10.0.9.9', true).code).toBe(0);
  });

  it('a supervisor is refused an unknown agent ID and a group it does not monitor; an admin may unlock any agent', () => {
    const s = lockedScenario();
    expect(s.handle({ type: 'unlock-agent', target: '999999', by: { supervisor: '1101' } }).code).toBe(Outcome.TARGET_AGENT_NOT_FOUND);
    expect(s.handle({ type: 'unlock-agent', target: '1017', by: { supervisor: '1101' } }).code).toBe(Outcome.NO_RIGHT);
    expect(s.handle({ type: 'unlock-agent', target: '999999', by: { admin: 'alice' } }).code).toBe(Outcome.TARGET_AGENT_NOT_FOUND);
    expect(s.handle({ type: 'unlock-agent', target: '1003', by: { admin: 'alice' } })).toMatchObject({ code: 0, wasLocked: true });
    expect(rows(s, '1003').slice(-1)).toEqual(['signin-unlocked alice: unlocked by admin alice']);
    expect(s.events.get('1101')!.filter((e) => e.eventType === 'AgentUnlockedEvent').map((e) => e.fields)).toEqual([{ AgentID: '1003', unlockedBy: 'alice' }]);
  });
});
