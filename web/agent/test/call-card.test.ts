// The current call as the page shows it, reduced from the SDK's events; and the screen pop
// it leads to.
import { describe, expect, it } from 'vitest';
import type { AgentBarEvents } from '../../sdk/src/index.js';
import { encodeMakeStr } from '../../../src/numbers/make-str.js';
import { nextCard, ringSeconds, talkSeconds, type CallCard, type CardInput } from '../src/call-card.js';
import { fillTemplate, screenPopFor, type ScreenPopSettings } from '../src/screen-pop.js';

const envelope = { agentID: '1001', time: '2026-12-03 10:00:00' };
const makeStr = encodeMakeStr([
  ['customer_num', '051287654321'],
  ['callcenter_num', '4008001000'],
  ['access_num_name', 'Sales line 销售线'],
  ['agent_num', '1001'],
  ['relation_uuid', 'c0ffee00-0000-4000-8000-000000000001'],
  ['area_id', '0512'],
  ['area_name', '江苏-苏州'],
  ['customerForeignId', 'A#1=2%'],
]);
const ev = <K extends keyof AgentBarEvents>(name: K, fields: Omit<AgentBarEvents[K], 'eventType' | 'agentID' | 'time'>): CardInput =>
  ({ name, event: { eventType: name, ...envelope, ...fields } }) as unknown as CardInput;

const callIn = ev('CallInEvent', { callerID: '051287654321', makeStr, callType: 'CTI_CALL_TYPE_COMMON_CALL_IN', bNeedArea: 'true', outExtraParamsFromIvr: '' });
const queued = (status: string, customer = '051287654321') =>
  ev('AddCustomerToQueueEvent', {
    call_type: 'CTI_CALL_TYPE_COMMON_CALL_IN',
    callcenter_num: '4008001000',
    customer_num: customer,
    customer_status: status,
    customer_type: '0',
    customer_uuid: 'cust-1',
    enter_queue_time: '2026-12-03 09:59:48',
    exclusive_agent_num: '',
    exclusive_queue_num: '',
    queue_num: '630',
    current_time: '2026-12-03 10:00:00',
    queue_name: 'Sales hotline 销售热线',
    queue_customer_amount: '1',
    customer_enter_channel: '4008001000',
    early_queue_enter_time: '',
    early_queue_enter_time_all: '',
  });
const bridge = ev('BridgeEvent', {});
const hangup = ev('HangupEvent', { hangupReason: 'NORMAL_CLEARING', retCode: 0 });

function run(inputs: readonly [CardInput, number][]): CallCard | undefined {
  let card: CallCard | undefined;
  for (const [input, at] of inputs) card = nextCard(card, input, at);
  return card;
}

describe('the call card', () => {
  it('a queue call: who, from where, through which line and queue, waited how long, rang and talked how long', () => {
    const card = run([
      [callIn, 1000],
      [queued('ringing'), 1010],
      [bridge, 4000],
    ])!;
    expect(card).toMatchObject({
      kind: 'customer-in',
      callId: 'c0ffee00-0000-4000-8000-000000000001',
      number: '051287654321',
      areaName: '江苏-苏州',
      line: 'Sales line 销售线',
      queueNum: '630',
      queueName: 'Sales hotline 销售热线',
      waitedSeconds: 12,
      answeredAt: 4000,
      endedAt: undefined,
    });
    expect(card.fields.get('customerForeignId')).toBe('A#1=2%');
    expect(ringSeconds(card, 10_000)).toBe(3);
    expect(talkSeconds(card, 10_000)).toBe(6);
    const ended = nextCard(card, hangup, 70_000)!;
    expect([ended.endedAt, talkSeconds(ended, 99_000)]).toEqual([70_000, 66]);
    // It stays for the after-call work; another hang-up or bridge changes nothing.
    expect(nextCard(nextCard(ended, hangup, 80_000), bridge, 81_000)).toBe(ended);
  });

  it('takes the queue only from this customer ringing, and only once', () => {
    expect(run([[callIn, 0], [queued('waiting'), 1]])!.queueNum).toBe('');
    expect(run([[callIn, 0], [queued('ringing', '13900000000'), 1]])!.queueNum).toBe('');
    const { queue_name: _name, eventType: _type, agentID: _agent, time: _time, ...fields } = (queued('ringing') as { event: Record<string, string> }).event;
    const update = ev('UpdateCustomerOfQueueEvent', { ...fields, queue_num: '631' } as never);
    expect(run([[callIn, 0], [queued('ringing'), 1], [update, 2]])!.queueNum).toBe('630');
    expect(run([[callIn, 0], [update, 1]])).toMatchObject({ queueNum: '631', queueName: '' });
  });

  it('never answered: rang until it ended, no talk time', () => {
    const card = run([
      [callIn, 0],
      [hangup, 20_000],
    ])!;
    expect([ringSeconds(card, 99_000), talkSeconds(card, 99_000)]).toEqual([20, undefined]);
  });

  it('consulted, transferred, invited: who brought the call', () => {
    const customer = { customerNum: '13912345678', callcenterNum: '4008001000', accessNumName: 'Sales line', callType: 'x', areaID: '', areaName: '', custGrade: '0', outExtraParamsFromIvr: '', makeStr };
    expect(nextCard(undefined, ev('ConsultCallInEvent', { ...customer, consulterAgentNum: '1001' }), 0)).toMatchObject({ kind: 'consult', fromAgent: '1001', number: '13912345678' });
    expect(nextCard(undefined, ev('TransferBlindCallInEvent', { ...customer, consulterAgentNum: '1002' }), 0)).toMatchObject({ kind: 'transfer', fromAgent: '1002' });
    expect(nextCard(undefined, ev('ThreeWayCallRingEvent', { ...customer, callerID: '8001', callerAgentNum: '1003' }), 0)).toMatchObject({ kind: 'threeway', fromAgent: '1003' });
  });

  it('the agent’s own callout: dialled, then the customer’s phone rings (the call’s fields arrive), then answered', () => {
    const ring = ev('CallOutRingEvent', { customerNum: '13900139000', callcenterNum: '4008001000', accessNumName: 'Sales line 销售线', callType: 'CTI_CALL_TYPE_MANUAL_CALL_OUT', areaID: '', areaName: '', makeStr });
    const card = run([
      [{ name: 'dialled', kind: 'callout', number: '13900139000' }, 100],
      [ring, 2000],
      [bridge, 5000],
    ])!;
    expect(card).toMatchObject({ kind: 'callout', number: '13900139000', line: 'Sales line 销售线', startedAt: 100, answeredAt: 5000, callId: 'c0ffee00-0000-4000-8000-000000000001' });
  });

  it('an internal call: no call id, so no screen pop', () => {
    const card = nextCard(undefined, ev('InternalCallerRingEvent', { agentid: '1002', callerid: '1001', callType: 'CTI_CALL_TYPE_INTERNAL_CALL' }), 0)!;
    expect(card).toMatchObject({ kind: 'internal', number: '1001', callId: '' });
    expect(screenPopFor({ url: 'https://crm/{customer_num}', on: 'ring', target: 'frame' }, card, new Set())).toBeUndefined();
  });
});

describe('screen pop', () => {
  const ring: ScreenPopSettings = { url: 'https://crm.example.com/pop?phone={customer_num}&id={customerForeignId}&x={nope}', on: 'ring', target: 'frame' };

  it('fills the template with makeStr fields, URL-encoded; a field the call lacks is empty', () => {
    const fields = new Map([['customer_num', '+86 512'], ['customerForeignId', 'A#1=2%&b']]);
    expect(fillTemplate(ring.url!, fields)).toBe('https://crm.example.com/pop?phone=%2B86%20512&id=A%231%3D2%25%26b&x=');
  });

  it('on ring: as soon as the call rings, once per call', () => {
    const card = nextCard(undefined, callIn, 0)!;
    const first = screenPopFor(ring, card, new Set())!;
    expect(first.url).toBe('https://crm.example.com/pop?phone=051287654321&id=A%231%3D2%25&x=');
    expect(screenPopFor(ring, nextCard(card, bridge, 1), first.popped)).toBeUndefined();
    // The same call again (a consultee taking the customer over) does not pop again.
    expect(screenPopFor(ring, nextCard(card, callIn, 2), first.popped)).toBeUndefined();
  });

  it('on answer: not while it rings, when it is answered, never for a call that ended unanswered', () => {
    const onAnswer = { ...ring, on: 'answer' } as const;
    const card = nextCard(undefined, callIn, 0)!;
    expect(screenPopFor(onAnswer, card, new Set())).toBeUndefined();
    expect(screenPopFor(onAnswer, nextCard(card, bridge, 1), new Set())?.url).toContain('phone=051287654321');
    expect(screenPopFor(onAnswer, nextCard(card, hangup, 1), new Set())).toBeUndefined();
  });

  it('nothing without a template', () => {
    expect(screenPopFor({ ...ring, url: null }, nextCard(undefined, callIn, 0), new Set())).toBeUndefined();
  });
});
