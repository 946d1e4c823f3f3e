// Queries that need no calls (seed 002), each answered with the seed's event and fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpAgentClient, WsAgentClient, type AgentClient } from '../../helpers/agent-client.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

let s: TestServer;
let agent: AgentClient; // 1001, group 1, plain agent (JSON for easy reading)
let sup: AgentClient; // 1101, monitors groups 1 and 2
let xmlAgent: AgentClient; // 1017, group 3, TCP/XML

beforeAll(async () => {
  s = await startTestServer();
  agent = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
  await agent.signIn('1001');
  sup = await WsAgentClient.connect(s.server.httpPort, 'cti.json');
  await sup.signIn('1101', { initStatus: '6' });
  xmlAgent = await TcpAgentClient.connect(s.server.tcpPort);
  await xmlAgent.signIn('1017');
});
afterAll(async () => {
  for (const c of [agent, sup, xmlAgent]) c.close();
  await s.close();
});

async function ask(c: AgentClient, id: string, cmd: string, eventType: string, fields: Record<string, string> = {}) {
  const from = c.received.length;
  const r = await c.request(cmd, id, fields);
  expect(r.body['retCode']).toBe(c instanceof WsAgentClient ? 0 : '0');
  const e = await c.event(eventType, from);
  // The result event follows its response directly (spec §2).
  expect(c.received.indexOf(e)).toBe(c.received.indexOf(r) + 1);
  return e.body;
}

async function refused(c: AgentClient, id: string, cmd: string, fields: Record<string, string> = {}) {
  const from = c.received.length;
  const r = await c.request(cmd, id, fields);
  await c.request('heartbeat', id);
  // No result event after a failed response.
  expect(c.received.slice(from).filter((m) => m.root === 'event')).toEqual([]);
  return String(r.body['retCode']);
}

describe('getonlineagent', () => {
  it('numType 3: every online agent of the tenant as Agent_Online_Struct', async () => {
    const body = await ask(agent, '1001', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '3' });
    const list = body['agent_online'] as Record<string, string>[];
    expect(list.map((a) => a['agentNum'])).toEqual(['1001', '1017', '1101']);
    expect(list[0]).toMatchObject({
      agentgroup_name: 'Sales 销售组',
      agentgroup_num: '1',
      agentName: 'Zhang Wei',
      agentNum: '1001',
      agentStatus: '0',
      bindExten: 'true',
      flag: '0',
      roleNum: '1',
      customer_enter_channel: '',
      agentExten: '8001',
    });
    expect(list[0]!['status_change_time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(list[2]).toMatchObject({ agentNum: '1101', agentStatus: '6' });
  });

  it('numType 1: one agent, with flag -1 when offline and -99 when unknown', async () => {
    expect(((await ask(agent, '1001', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '1', specificNum: '1017' }))['agent_online'] as unknown[])[0]).toMatchObject({ agentNum: '1017', flag: '0' });
    expect(((await ask(agent, '1001', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '1', specificNum: '1002' }))['agent_online'] as unknown[])[0]).toMatchObject({ agentNum: '1002', flag: '-1', agentStatus: '-1' });
    expect(((await ask(agent, '1001', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '1', specificNum: '5555' }))['agent_online'] as unknown[])[0]).toMatchObject({ agentNum: '5555', flag: '-99' });
  });

  it('numType 2: the online agents of a group named', async () => {
    const body = await ask(agent, '1001', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '2', specificNum: 'Sales 销售组' });
    expect((body['agent_online'] as Record<string, string>[]).map((a) => a['agentNum'])).toEqual(['1001', '1101']);
  });

  it('lists travel as <item> elements in XML', async () => {
    const body = await ask(xmlAgent, '1017', 'getonlineagent', 'GetAgentOnlineEvent', { numType: '2', specificNum: 'Support 技术支持组' });
    expect(body['agent_online']).toEqual({ item: [expect.objectContaining({ agentNum: '1017', flag: '0' })] });
  });

  it.each([
    ['-59', {}],
    ['-59', { numType: '4' }],
    ['-59', { numType: '1' }],
    ['-59', { numType: '2', specificNum: '' }],
    ['-61', { numType: '2', specificNum: 'No such group' }],
  ])('answers %s for %j', async (code, fields) => {
    expect(await refused(xmlAgent, '1017', 'getonlineagent', fields)).toBe(code);
  });
});

describe('the organisation', () => {
  it('getaccessnumbers: the numbers, the default, and the agent’s call history', async () => {
    const body = await ask(agent, '1001', 'getaccessnumbers', 'GetAccessNumberEvent');
    expect(body).toMatchObject({ accessNumbers: ['02161234567', '4008001000', '4008002000'], default_access_number: '4008001000', callHistory: [] });
  });

  it('getivrlist, getqueuelist, getivrprofilelist: dictionaries number → name', async () => {
    expect((await ask(agent, '1001', 'getivrlist', 'GetIvrListEvent'))['ivr_list']).toEqual({ '610': 'Main menu 主菜单', '611': 'After hours 非工作时间' });
    expect((await ask(agent, '1001', 'getqueuelist', 'GetQueueListEvent'))['queue_list']).toEqual({
      '630': 'Sales hotline 销售热线',
      '631': 'Customer service 客服热线',
      '632': 'Technical support 技术支持',
    });
    expect((await ask(agent, '1001', 'getivrprofilelist', 'GetIvrProfileListEvent'))['ivr_profile_list']).toEqual({
      '700': 'Satisfaction survey 满意度调查',
      '701': 'Balance enquiry 余额查询',
    });
  });

  it('dictionaries travel as <item key="…"> in XML', async () => {
    const body = await ask(xmlAgent, '1017', 'getivrlist', 'GetIvrListEvent');
    expect(body['ivr_list']).toEqual({ item: [{ '@key': '610', '#text': 'Main menu 主菜单' }, { '@key': '611', '#text': 'After hours 非工作时间' }] });
  });

  it('getdefinedrolerights: the agent’s role and rights, every role of the tenant, and the rights catalogue', async () => {
    const body = await ask(sup, '1101', 'getdefinedrolerights', 'GetDefinedRoleRightsEvent');
    expect(body).toMatchObject({ roleNum: '2', roleName: 'Monitor 班长' });
    expect(String(body['rights']).split(',')).toContain('listen');
    expect((body['role_list'] as unknown[]).length).toBe(3);
    expect(body['right_list']).toContainEqual({ code: 'bargein', name_en: 'Barge in', name_zh: '强插' });
  });

  it('getagentgrouplist: mine (own and monitored groups) and all', async () => {
    expect((await ask(agent, '1001', 'getagentgrouplist', 'GetAgentGroupListEvent'))['agent_group_list']).toEqual({ '1': 'Sales 销售组' });
    expect((await ask(sup, '1101', 'getagentgrouplist', 'GetAgentGroupListEvent', { scope: 'mine' }))['agent_group_list']).toEqual({ '1': 'Sales 销售组', '2': 'Service 客服组' });
    expect((await ask(agent, '1001', 'getagentgrouplist', 'GetAllAgentGroupListEvent', { scope: 'all' }))['agent_group_list']).toEqual({
      '1': 'Sales 销售组',
      '2': 'Service 客服组',
      '3': 'Support 技术支持组',
    });
    expect(await refused(xmlAgent, '1017', 'getagentgrouplist', { scope: 'everything' })).toBe('-59');
  });

  it('getagentsofqueue and getagentsofagentgroup: comma lists', async () => {
    expect(await ask(agent, '1001', 'getagentsofqueue', 'GetAgentsOfQueueEvent', { QueueNum: '630' })).toMatchObject({
      agent_list: '1001,1002,1003,1004,1005,1006,1007,1008,1101',
      queue_num: '630',
    });
    expect(await ask(agent, '1001', 'getagentsofagentgroup', 'GetAgentsOfAgentGroupEvent', { AgentGroupNum: '3' })).toMatchObject({
      agent_list: '1017,1018,1019,1020,1021,1022,1023,1024,1901',
      agentgroup_num: '3',
    });
    expect(await refused(xmlAgent, '1017', 'getagentsofqueue')).toBe('-41');
    expect(await refused(xmlAgent, '1017', 'getagentsofqueue', { QueueNum: '999' })).toBe('-42');
    expect(await refused(xmlAgent, '1017', 'getagentsofagentgroup')).toBe('-44');
    expect(await refused(xmlAgent, '1017', 'getagentsofagentgroup', { AgentGroupNum: '9' })).toBe('-61');
  });

  it('getagentsmonitorinfo: needs the monitor right; agents outside the supervisor’s groups read -99', async () => {
    expect(await refused(xmlAgent, '1017', 'getagentsmonitorinfo', { AgentsStr: '1001' })).toBe('-21');
    expect(await refused(sup, '1101', 'getagentsmonitorinfo', { AgentsStr: ' , ' })).toBe('-59');
    expect(await refused(sup, '1101', 'getagentsmonitorinfo')).toBe('-59');
    const body = await ask(sup, '1101', 'getagentsmonitorinfo', 'GetAgentsMonitorInfoEvent', { AgentsStr: '1001,1002,1017' });
    expect((body['agent_monitor_info'] as Record<string, string>[]).map((a) => [a['agentNum'], a['flag']])).toEqual([
      ['1001', '0'],
      ['1002', '-1'],
      ['1017', '-99'],
    ]);
    expect(body['group_list']).toEqual({ '1': 'Sales 销售组', '2': 'Service 客服组' });
    expect(body['role_list']).toEqual({ '1': 'Agent 坐席', '2': 'Monitor 班长', '3': 'Admin 管理员' });
    expect(body['current_time']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('getagentwebsiteinfo: the common and the agent’s own sites', async () => {
    expect((await ask(agent, '1001', 'getagentwebsiteinfo', 'GetWebSiteInfoEvent'))['web_site_info']).toEqual({
      'Knowledge base 知识库': 'https://kb.example.com/',
      'Order lookup 订单查询': 'https://orders.example.com/search',
    });
    expect(Object.keys((await ask(sup, '1101', 'getagentwebsiteinfo', 'GetWebSiteInfoEvent'))['web_site_info'] as object)).toContain('Wallboard 监控大屏');
  });
});
