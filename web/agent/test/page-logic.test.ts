// The agent page's small pure parts: the waiting customers, what the sign-in form remembers,
// the shortcuts, the states offered, the figures, the language, the times.
import { describe, expect, it } from 'vitest';
import type { AgentBarEvents, CustomerInfoStruct } from '../../sdk/src/index.js';
import { formatDuration, serverSecondsBetween } from '../../shared/durations.js';
import { chooseLanguage, translator } from '../../shared/i18n.js';
import { FIGURES, readStatistics, statisticsPath } from '../src/figures.js';
import { NOTHING_REMEMBERED, readRemembered, writeRemembered } from '../../shared/remembered.js';
import { shortcutOf } from '../src/shortcuts.js';
import { afterHangupStates, selectableStates, signInStates, statusName } from '../src/statuses.js';
import { TEXTS } from '../src/texts.js';
import { byLongestWait, fromCustomerList, onQueueEvent, waitedSeconds } from '../src/waiting-customers.js';

const customer = (uuid: string, wait: string, extra: Partial<CustomerInfoStruct> = {}): CustomerInfoStruct => ({
  call_type: 'CTI_CALL_TYPE_COMMON_CALL_IN',
  callcenter_num: '4008001000',
  customer_num: `139000000${uuid}`,
  customer_status: 'waiting',
  customer_type: '0',
  customer_uuid: uuid,
  enter_queue_time: '2026-12-03 09:59:00',
  queue_num: '630',
  queue_name: 'Sales hotline',
  orderID: '1',
  queue_customer_amount: '2',
  wait_time: wait,
  customer_enter_channel: '4008001000',
  exclusive_agent_num: '',
  exclusive_queue_num: '',
  ...extra,
});

const queueEvent = <K extends 'AddCustomerToQueueEvent' | 'UpdateCustomerOfQueueEvent' | 'DelCustomerFromQueueEvent'>(name: K, fields: Record<string, string>) =>
  ({ name, event: { eventType: name, agentID: '1001', time: '', ...fields } as unknown as AgentBarEvents[K] }) as Parameters<typeof onQueueEvent>[1];

describe('customers waiting in my queues', () => {
  it('starts from getcustomerofmyqueue, follows the queue events, counts the wait on, longest first', () => {
    let w = fromCustomerList([customer('a', '5'), customer('b', '30', { customer_type: '1' })], 1000);
    expect(byLongestWait(w, 1000).map((c) => [c.uuid, c.vip])).toEqual([['b', true], ['a', false]]);
    expect(waitedSeconds(w.get('a')!, 11_000)).toBe(15);
    const add = { customer_uuid: 'c', customer_num: '051287654321', customer_status: 'waiting', customer_type: '0', queue_num: '631', queue_name: 'Service', enter_queue_time: '2026-12-03 10:00:00', current_time: '2026-12-03 10:01:40' };
    w = onQueueEvent(w, queueEvent('AddCustomerToQueueEvent', add), 2000);
    expect(w.get('c')).toMatchObject({ queueName: 'Service', waitedThen: 100, status: 'waiting' });
    // An update carries no queue name: the one heard before stays.
    w = onQueueEvent(w, queueEvent('UpdateCustomerOfQueueEvent', { ...add, queue_name: '', customer_status: 'ringing', current_time: '2026-12-03 10:01:50' }), 3000);
    expect(w.get('c')).toMatchObject({ queueName: 'Service', waitedThen: 110, status: 'ringing', heardAt: 3000 });
    expect(byLongestWait(w, 3000)[0]!.uuid).toBe('c');
    w = onQueueEvent(w, queueEvent('DelCustomerFromQueueEvent', { customer_uuid: 'c', queue_num: '631', reason: '1' }), 4000);
    expect([...w.keys()]).toEqual(['a', 'b']);
  });
});

describe('what the sign-in form remembers', () => {
  it('agent, extension, state and the custom states, never the password', () => {
    const text = writeRemembered({ agentId: '1001', exten: '8001', initStatus: '6', customStates: [{ status: '100', name: 'Training' }], password: 'x' } as never);
    expect(text).not.toContain('password');
    expect(readRemembered(text)).toEqual({ agentId: '1001', exten: '8001', initStatus: '6', customStates: [{ status: '100', name: 'Training' }] });
  });

  it.each([null, '', 'not json', '[1]', '42', '{"agentId": 7, "initStatus": "-1; drop", "customStates": [1, {"status": "100"}]}'])('forgets what it cannot read: %s', (stored) => {
    expect(readRemembered(stored)).toEqual(NOTHING_REMEMBERED);
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; repeat: boolean }> = {}) =>
    shortcutOf({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, repeat: false, ...mods });
  it('F2 answers, F4 hangs up, F8 holds; with a modifier or held down they are not ours', () => {
    expect([key('F2'), key('F4'), key('F8'), key('F5'), key('a')]).toEqual(['answer', 'hangup', 'hold', undefined, undefined]);
    expect([key('F4', { altKey: true }), key('F2', { ctrlKey: true }), key('F8', { repeat: true })]).toEqual([undefined, undefined, undefined]);
  });
});

describe('states', () => {
  const t = translator(TEXTS, 'en');
  const custom = [{ status: '100', name: 'Training 培训' }];
  it('names the protocol’s states and the deployment’s', () => {
    expect([statusName('0', custom, t), statusName('4', custom, t), statusName('100', custom, t), statusName('555', custom, t)]).toEqual(['Idle', 'After-call work', 'Training 培训', '555']);
  });
  it('offers what sign-in, the selector and the after-call choice accept', () => {
    expect(signInStates(custom)).toEqual(['0', '6', '8', '100']);
    expect(selectableStates(custom, false)).toEqual(['0', '6', '7', '8', '100']);
    expect(selectableStates(custom, true)).toEqual(['0', '6', '8', '100']);
    expect(afterHangupStates([], false)).toEqual(['4', '0', '6', '7', '8']);
  });
});

describe("today's figures", () => {
  it('names every one of seed 000’s statistics in both languages', () => {
    for (const f of FIGURES) expect([f, TEXTS.zh[f]]).not.toEqual([f, TEXTS.en[f]]);
  });
  it('reads the endpoint’s answer, or says why not', () => {
    expect(statisticsPath('1001')).toBe('/agentgateway/resource/calldata/1001/statistics');
    expect(readStatistics(200, { message: '', retcode: '0', result: { answernums: 3 } })).toEqual({ ok: true, values: { answernums: 3 } });
    expect(readStatistics(401, { message: 'Guid header missing', retcode: '100-006', result: null })).toEqual({ ok: false, reason: 'Guid header missing' });
    expect(readStatistics(502, null)).toEqual({ ok: false, reason: 'HTTP 502' });
  });
});

describe('language and times', () => {
  it('the switch’s choice, else the browser’s first of Chinese or English, else English', () => {
    expect(chooseLanguage(null, ['zh-CN', 'en'])).toBe('zh');
    expect(chooseLanguage(null, ['fr-FR', 'zh-TW'])).toBe('zh');
    expect(chooseLanguage(null, ['de', 'en-US', 'zh'])).toBe('en');
    expect(chooseLanguage(null, ['fr'])).toBe('en');
    expect(chooseLanguage('en', ['zh-CN'])).toBe('en');
    expect(chooseLanguage('klingon', ['zh-CN'])).toBe('zh');
  });
  it('fills texts in either language', () => {
    expect(translator(TEXTS, 'en')('kindConsult', { agent: '1001' })).toBe('Consulted by 1001');
    expect(translator(TEXTS, 'zh')('kindConsult', { agent: '1001' })).toBe('1001 咨询');
  });
  it('durations and the server’s clock times', () => {
    expect([formatDuration(7.9), formatDuration(754), formatDuration(3723), formatDuration(-5)]).toEqual(['0:07', '12:34', '1:02:03', '0:00']);
    expect(serverSecondsBetween('2026-12-31 23:59:50', '2027-01-01 00:00:05')).toBe(15);
    expect(serverSecondsBetween('', '2027-01-01 00:00:05')).toBeUndefined();
  });
});
