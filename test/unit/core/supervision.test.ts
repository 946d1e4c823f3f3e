// The supervisor's leg in the core alone (ManualClock, the switch model): what the
// socket tests cannot time — a phone that does not answer, a mode asked for while the
// phone rings, a supervisor signing out while it rings, a consultee forced off a call that
// goes on, rop of a ring-all offer.
import { describe, expect, it } from 'vitest';
import { AgentStatus } from '../../../src/core/agent-status.js';
import type { SupervisorAction } from '../../../src/core/inputs.js';
import { CoreScenario } from '../../helpers/core-scenario.js';

const SALES = '4008001000';

/** 1001 talks to a customer of queue 630; the supervisor 1101 is signed in BUSY. */
function talking(s: CoreScenario): string {
  s.signIn('1001', AgentStatus.IDLE);
  s.signIn('1101', AgentStatus.BUSY);
  const customer = s.switch.placeCall('13800138000', SALES);
  s.advance(200);
  expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.TALKING);
  return customer;
}

/** What a supervisor receives about its scope whatever it does (status changes, queue pushes): not its call's story. */
const SCOPE_PUSHES = new Set(['AgentStatusChangeEvent', 'AddCustomerToQueueEvent', 'UpdateCustomerOfQueueEvent', 'DelCustomerFromQueueEvent', 'QueueStatisChangeEvent']);

/** The events each agent had received when the scenario last acted (sign-in events and earlier calls are not counted). */
const marks = new WeakMap<CoreScenario, Map<string, number>>();

/** A supervisor command; marks where each agent's event list stood just before it. */
function supervise(s: CoreScenario, action: SupervisorAction, target = '1001', agentId = '1101'): number {
  if (!marks.has(s)) marks.set(s, new Map([...s.events].map(([id, list]) => [id, list.length])));
  return s.handle({ type: 'supervise', agentId, target, action }).code;
}

/** The agent's events since the scenario's first supervisor command, without its scope's pushes. */
const eventsOf = (s: CoreScenario, agentId: string) =>
  (s.events.get(agentId) ?? [])
    .slice(marks.get(s)?.get(agentId) ?? 0)
    .map((e) => e.eventType)
    .filter((t) => !SCOPE_PUSHES.has(t));

describe("a supervisor's leg in the core", () => {
  it('a supervisor that does not answer: EavesdropEvent -60 with the cause, its phone free again, the agent untouched', () => {
    const s = new CoreScenario();
    talking(s);
    s.switch.setPhone('8101', { kind: 'no-answer' });
    expect(supervise(s, 'listen')).toBe(0);
    s.advance(31_000, 100);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'EavesdropEvent', 'HangupEvent']);
    expect((s.events.get('1101') ?? []).find((e) => e.eventType === 'EavesdropEvent')!.fields).toMatchObject({ retCode: -60, hangupReason: 'NO_ANSWER', desAgentID: '1001' });
    expect(s.statusTrail('1101')).toEqual(['-1>6', '6>5', '5>1', '1>6']);
    expect(s.statusTrail('1001')).toEqual(['-1>0', '0>1', '1>2']);
  });

  it('whisper asked while the phone rings: the leg starts listening and moves on its answer; one result event, the whisper', () => {
    const s = new CoreScenario();
    talking(s);
    s.switch.setPhone('8101', { kind: 'answer', afterMs: 1000 });
    expect(supervise(s, 'listen')).toBe(0);
    s.advance(100);
    expect(supervise(s, 'whisper')).toBe(0);
    s.advance(1000);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'WhisperEvent']);
    // Asking again for the mode it is in answers at once, with no digit sent.
    const events = s.switch.events.length;
    expect(supervise(s, 'whisper')).toBe(0);
    expect(s.switch.events.length).toBe(events);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'WhisperEvent', 'WhisperEvent']);
    // Busy with 1001's call, it may not listen to another agent.
    s.signIn('1002', AgentStatus.IDLE);
    expect(supervise(s, 'listen', '1002')).toBe(-24);
  });

  it("keys pressed on the supervisor's phone move the mode polylink keeps: a key of the mode it is in says nothing, 1 has no seed event", () => {
    const s = new CoreScenario();
    talking(s);
    expect(supervise(s, 'listen')).toBe(0);
    s.advance(200);
    const legs = s.switch.liveChannels().flatMap((uuid) => s.switch.eavesdropLegsOn(uuid));
    expect(legs).toHaveLength(1);
    const leg = legs[0]!;
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'EavesdropEvent']);
    s.switch.pressKey(leg, '0');
    s.switch.pressKey(leg, '3');
    s.advance(50);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'EavesdropEvent', 'BargeinEvent']);
    // Barge-in is what the supervisor chose: asking for listen, the mode the leg was dialled
    // in, sends the digit again, and its DTMF brings the event.
    let sent = s.switch.events.length;
    expect(supervise(s, 'listen')).toBe(0);
    expect(s.switch.events.length).toBe(sent + 1);
    s.advance(50);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'EavesdropEvent', 'BargeinEvent', 'EavesdropEvent']);
    // 1 (whisper to the customer) has no seed event, but the leg has left listen: asking for
    // listen again is one digit and one event.
    s.switch.pressKey(leg, '1');
    s.advance(50);
    expect(eventsOf(s, '1101')).toHaveLength(4);
    sent = s.switch.events.length;
    expect(supervise(s, 'listen')).toBe(0);
    expect(s.switch.events.length).toBe(sent + 1);
    s.advance(50);
    expect(eventsOf(s, '1101')).toEqual(['EavesdropCallRingEvent', 'EavesdropEvent', 'BargeinEvent', 'EavesdropEvent', 'EavesdropEvent']);
  });

  it('the supervisor signs out while its phone rings: the leg is cancelled and the sign-out goes through', () => {
    const s = new CoreScenario();
    talking(s);
    s.switch.setPhone('8101', { kind: 'no-answer' });
    supervise(s, 'bargein');
    s.advance(100);
    expect(s.core.queries.agents.statusOf('1101')).toBe(AgentStatus.RING);
    expect(s.handle({ type: 'signout', agentId: '1101' }).code).toBe(0);
    s.settle();
    expect(s.core.queries.agents.session('1101')).toBeUndefined();
    expect(s.switch.liveChannels()).toHaveLength(2);
  });

  it('the watched call ends: the switch ends the supervisor leg and polylink frees the supervisor', () => {
    const s = new CoreScenario();
    const customer = talking(s);
    supervise(s, 'listen');
    s.advance(200);
    expect(s.core.queries.agents.statusOf('1101')).toBe(AgentStatus.TALKING);
    s.switch.hangup(customer);
    s.advance(100);
    expect(s.core.queries.agents.statusOf('1101')).toBe(AgentStatus.BUSY);
    expect(s.switch.liveChannels()).toEqual([]);
    // The CDR is the call's alone.
    expect(s.cdrs).toHaveLength(1);
    expect(s.cdrs[0]).toMatchObject({ agentId: '1001', agents: '1001', hangupSide: 'customer' });
  });

  it('forcehangup of a consultee: only its leg ends, the agent is back with the customer, the call is not the supervisor’s', () => {
    const s = new CoreScenario();
    const customer = talking(s);
    s.signIn('1002', AgentStatus.IDLE);
    expect(s.handle({ type: 'call', agentId: '1001', command: { kind: 'consult', target: '1002', outbound: false } }).code).toBe(0);
    s.advance(300);
    expect(s.core.queries.agents.statusOf('1002')).toBe(AgentStatus.TALKING);
    expect(supervise(s, 'forcehangup', '1002')).toBe(0);
    s.advance(200);
    expect(eventsOf(s, '1101')).toEqual(['ForceHangupEvent']);
    expect(eventsOf(s, '1001')).toContain('ConsulteeHangupEvent');
    expect(s.switch.isUp(customer)).toBe(true);
    expect(s.core.queries.agents.statusOf('1001')).toBe(AgentStatus.TALKING);
    s.switch.hangup(customer);
    s.advance(100);
    expect(s.cdrs.at(-1)).toMatchObject({ hangupSide: 'customer', agentId: '1001' });
  });

  it('rop of a ring-all offer: every ringing phone stops, none counts a no-answer, the supervisor takes the customer', () => {
    const s = new CoreScenario();
    // Queue 630 rings all its free members at once for this test.
    const q = s.org.queue('630')!;
    (q as { strategy: string }).strategy = 'ring-all';
    for (const exten of ['8001', '8002']) s.switch.setPhone(exten, { kind: 'no-answer' });
    s.signIn('1001', AgentStatus.IDLE);
    s.signIn('1002', AgentStatus.IDLE);
    s.signIn('1101', AgentStatus.BUSY);
    s.switch.placeCall('13800138000', SALES);
    s.advance(100);
    expect([s.core.queries.agents.statusOf('1001'), s.core.queries.agents.statusOf('1002')]).toEqual([AgentStatus.RING, AgentStatus.RING]);
    expect(supervise(s, 'rop', '1002')).toBe(0);
    s.advance(200);
    for (const a of ['1001', '1002']) {
      expect(s.core.queries.agents.statusOf(a)).toBe(AgentStatus.IDLE);
      expect(eventsOf(s, a)).not.toContain('NoAnswerCallAlarmlEvent');
      expect((s.events.get(a) ?? []).find((e) => e.eventType === 'HangupEvent')!.fields).toMatchObject({ hangupReason: 'PICKED_OFF', retCode: 0 });
    }
    expect(s.core.queries.agents.statusOf('1101')).toBe(AgentStatus.TALKING);
    expect(eventsOf(s, '1101').filter((t) => t === 'CallInEvent' || t === 'BridgeEvent')).toEqual(['CallInEvent', 'BridgeEvent']);
    const stats = [...s.stats.values()];
    expect(stats.filter((r) => r.agentId !== '1101').every((r) => r.values.noanswernums === 0)).toBe(true);
  });
});
