/** The messages whose exact bytes are pinned in test/fixtures/protocol/. */
import { agentEvent, type AgentEvent } from '../../../src/core/agent-event.js';
import type { AgentResponse } from '../../../src/protocol/message.js';

const AT = Date.UTC(2026, 10, 21, 2, 0, 0);
export const TIME = '2026-11-21 10:00:00';

export const RESPONSES: Record<string, AgentResponse> = {
  'response-callout': { cmdType: 'callout', agentID: '1001', seq: '42', retCode: 0, reason: 'OK' },
  'response-signin': {
    cmdType: 'signin',
    agentID: '1001',
    seq: 'a&b',
    retCode: 0,
    reason: 'OK',
    extra: { heartbeatInterval: '30', guid: '6c1f2b0e-8a3d-4c55-9b0a-2f1e3d4c5b6a', resumed: 'no' },
  },
  'response-unreadable': { cmdType: '', agentID: '', seq: undefined, retCode: -1, reason: 'Message is not well-formed or is too large' },
};

export const EVENTS: Record<string, AgentEvent> = {
  'event-status-change': agentEvent('AgentStatusChangeEvent', AT, {
    agent_num: '1001',
    old_status: '0',
    new_status: '6',
    is_bind_exten: '1',
    customer_enter_channel: '',
  }),
  'event-online-list': agentEvent('GetAgentOnlineEvent', AT, {
    agent_online: [
      { agentNum: '1001', agentName: 'Zhang <Wei> & Co', flag: '0' },
      { agentNum: '1002', agentName: '王芳', flag: '-1' },
    ],
  }),
  'event-dictionary': agentEvent('GetQueueListEvent', AT, { queue_list: new Map([['630', 'Sales "hot" line'], ['0631', '客服']]) }),
  'event-string-list': agentEvent('GetAccessNumberEvent', AT, {
    accessNumbers: ['4008001000', '02161234567'],
    default_access_number: '4008001000',
    callHistory: [],
  }),
  'event-retcode': agentEvent('GetWebSiteInfoEvent', AT, { agentID: '1001', retCode: 0, reason: 'OK', web_site_info: new Map([['KB', 'https://kb.example.com/?a=1&b=2']]) }),
};
