// Seed §3.2.7: the JS… forms carry the event's parameters, by the seed's names, as one JSON string.
import { describe, expect, it } from 'vitest';
import { JS_EVENT_PARAMETERS, jsForm } from '../src/js-events.js';
import type { ServerEvents } from '../src/events.js';
import { errorTexts } from '../src/errors.js';
import { allErrors } from '../../../src/protocol/error-codes.js';

const envelope = { agentID: '1001', time: '2026-11-21 10:00:00' };

describe('JS… event forms', () => {
  it('are the sixteen the seed lists, each for an event the client types', () => {
    const names: (keyof ServerEvents)[] = Object.keys(JS_EVENT_PARAMETERS) as (keyof typeof JS_EVENT_PARAMETERS)[];
    expect(names.map((n) => `JS${n}`).sort()).toEqual(
      [
        'JSGetAgentOnlineEvent',
        'JSGetAccessNumberEvent',
        'JSGetIvrListEvent',
        'JSGetQueueListEvent',
        'JSGetAgentGroupListEvent',
        'JSGetAllAgentGroupListEvent',
        'JSGetAgentsMonitorInfoEvent',
        'JSGetDetailCallInfoEvent',
        'JSGetCustomerOfQueueEvent',
        'JSGetCustomerOfMyQueueEvent',
        'JSGetQueueStatisLstEvent',
        'JSGetAllQueueStatisEvent',
        'JSGetWebSiteInfoEvent',
        'JSGetReportStatisInfoEvent',
        'JSGetAgentGroupStatusMaxNumEvent',
        'JSGetChangeStatusApplyListEvent',
      ].sort(),
    );
  });

  it('hold the seed’s parameters: lists as arrays of objects, dictionaries as objects, text as text', () => {
    const online = jsForm({ eventType: 'GetAgentOnlineEvent', ...envelope, agent_online: [{ agentNum: '1001', agentStatus: '0' }] });
    expect(online?.name).toBe('JSGetAgentOnlineEvent');
    expect(JSON.parse(online!.jsonArgsStr)).toEqual({ agent_online: [{ agentNum: '1001', agentStatus: '0' }] });
    const monitor = jsForm({
      eventType: 'GetAgentsMonitorInfoEvent',
      ...envelope,
      agent_monitor_info: [],
      current_time: '2026-11-21 10:00:00',
      group_list: { '1': 'Sales' },
      role_list: { '2': 'Monitor' },
    });
    expect(monitor?.jsonArgsStr).toBe('{"agent_monitor_info":[],"current_time":"2026-11-21 10:00:00","group_list":{"1":"Sales"},"role_list":{"2":"Monitor"}}');
  });

  it('an agentID parameter is the envelope’s (the server does not repeat it)', () => {
    const sites = jsForm({ eventType: 'GetWebSiteInfoEvent', ...envelope, retCode: 0, reason: 'OK', web_site_info: { CRM: 'https://crm.example.com' } });
    expect(JSON.parse(sites!.jsonArgsStr)).toEqual({ agentID: '1001', retCode: 0, reason: 'OK', web_site_info: { CRM: 'https://crm.example.com' } });
  });

  it('events without lists or dictionaries have none', () => {
    expect(jsForm({ eventType: 'CallInEvent', ...envelope })).toBeUndefined();
    expect(jsForm({ eventType: 'toString', ...envelope })).toBeUndefined();
  });
});

describe('error texts', () => {
  it('are the server’s table, both languages, for every code', () => {
    for (const e of allErrors()) expect(errorTexts(e.code)).toEqual({ en: e.en, zh: e.zh });
    expect(errorTexts(-53)).toEqual({ en: 'Wrong password', zh: '登陆密码错误' });
  });

  it('a code the client does not know keeps the text it came with', () => {
    expect(errorTexts(-199, 'Something new')).toEqual({ en: 'Something new', zh: 'Something new' });
  });
});
