/**
 * Queries that need no calls (seed 002): online agents, groups, queues, IVRs, access
 * numbers, roles and rights, web sites. Each answers with the seed's result event.
 */
import { agentEvent, type FieldRecord } from '../../core/agent-event.js';
import { agentOnlineRecord } from '../../core/agent-online.js';
import { RIGHTS } from '../../core/rights.js';
import { ErrorCode } from '../error-codes.js';
import { type CommandContext, type CommandSpec, result } from '../command-types.js';
import { commaList } from '../values.js';

function accountOf(ctx: CommandContext): string {
  return ctx.services.org.agent(ctx.agentId)!.accountId;
}

const one = (ctx: CommandContext, eventType: string, fields: Parameters<typeof agentEvent>[2]) =>
  result(0, { events: [agentEvent(eventType, ctx.now, fields)] });

export const directoryQueries: CommandSpec[] = [
  {
    cmdType: 'getonlineagent',
    seed: 'DoGetOnlineAgent',
    fields: [
      { name: 'numType', required: true, check: (v) => (v === '1' || v === '2' || v === '3' ? 0 : ErrorCode.BAD_PARAMETER) },
      { name: 'specificNum', required: false },
    ],
    handler(ctx, req) {
      const { org, agents, formatTime } = ctx.services;
      const account = accountOf(ctx);
      const numType = req.fields['numType']!;
      const specific = req.fields['specificNum'] ?? '';
      if (numType !== '3' && specific === '') return result(ErrorCode.BAD_PARAMETER);
      if (numType === '1') {
        // Another tenant's agent is reported as not existing.
        const visible = (org.agent(specific)?.accountId ?? account) === account;
        return one(ctx, 'GetAgentOnlineEvent', { agent_online: [agentOnlineRecord(org, agents, specific, formatTime, visible)] });
      }
      let ids: string[];
      if (numType === '2') {
        const group = org.groupByName(account, specific);
        if (group === undefined) return result(ErrorCode.AGENT_GROUP_NOT_FOUND);
        ids = org.agentsOfGroup(group.groupId).filter((a) => agents.session(a.agentId) !== undefined).map((a) => a.agentId);
      } else {
        ids = [...agents.allSessions()].filter((s) => s.profile.accountId === account).map((s) => s.profile.agentId);
      }
      ids.sort();
      return one(ctx, 'GetAgentOnlineEvent', { agent_online: ids.map((id) => agentOnlineRecord(org, agents, id, formatTime)) });
    },
  },
  {
    cmdType: 'getaccessnumbers',
    seed: 'DoGetAccessNumbers',
    fields: [],
    handler(ctx) {
      const numbers = ctx.services.org.accessNumbersOf(accountOf(ctx));
      return one(ctx, 'GetAccessNumberEvent', {
        accessNumbers: numbers.map((n) => n.number),
        default_access_number: numbers.find((n) => n.isDefault)?.number ?? '',
        callHistory: ctx.services.calledNumbers(ctx.agentId),
      });
    },
  },
  {
    cmdType: 'getivrlist',
    seed: 'DoGetIvrList',
    fields: [],
    handler: (ctx) => one(ctx, 'GetIvrListEvent', { ivr_list: new Map(ctx.services.org.ivrsOf(accountOf(ctx)).map((i) => [i.num, i.name])) }),
  },
  {
    cmdType: 'getqueuelist',
    seed: 'DoGetQueueList',
    fields: [],
    handler: (ctx) =>
      one(ctx, 'GetQueueListEvent', { queue_list: new Map(ctx.services.org.queuesOf(accountOf(ctx)).map((q) => [q.queueNum, q.name])) }),
  },
  {
    cmdType: 'getivrprofilelist',
    seed: 'DoGetIvrProfileList',
    fields: [],
    handler: (ctx) =>
      one(ctx, 'GetIvrProfileListEvent', {
        ivr_profile_list: new Map(ctx.services.org.ivrProfilesOf(accountOf(ctx)).map((i) => [i.num, i.name])),
      }),
  },
  {
    cmdType: 'getdefinedrolerights',
    seed: 'DoGetDefinedRoleRights',
    fields: [],
    handler(ctx) {
      const { org } = ctx.services;
      const own = org.roleOfAgent(ctx.agentId);
      if (own === undefined) return result(ErrorCode.ROLE_NOT_FOUND);
      const rightsText = (rights: ReadonlySet<string>) => [...rights].sort().join(',');
      return one(ctx, 'GetDefinedRoleRightsEvent', {
        roleNum: own.roleId,
        roleName: own.name,
        rights: rightsText(own.rights),
        role_list: org.rolesOf(own.accountId).map((r) => ({ roleNum: r.roleId, roleName: r.name, rights: rightsText(r.rights) })),
        right_list: Object.entries(RIGHTS).map(([code, [en, zh]]) => ({ code, name_en: en, name_zh: zh })),
      });
    },
  },
  {
    cmdType: 'getagentgrouplist',
    seed: 'DoGetAgentGroupList',
    fields: [{ name: 'scope', required: false, check: (v) => (v === 'mine' || v === 'all' ? 0 : ErrorCode.BAD_PARAMETER) }],
    handler(ctx, req) {
      const { org } = ctx.services;
      if (req.fields['scope'] === 'all') {
        return one(ctx, 'GetAllAgentGroupListEvent', { agent_group_list: new Map(org.groupsOf(accountOf(ctx)).map((g) => [g.groupId, g.name])) });
      }
      const profile = org.agent(ctx.agentId)!;
      const mine = new Map<string, string>();
      const own = profile.groupId === null ? undefined : org.group(profile.groupId);
      if (own !== undefined) mine.set(own.groupId, own.name);
      for (const g of org.monitoredGroups(ctx.agentId)) mine.set(g.groupId, g.name);
      if (mine.size === 0) return result(ErrorCode.AGENT_GROUP_LOOKUP_FAILED);
      return one(ctx, 'GetAgentGroupListEvent', { agent_group_list: mine });
    },
  },
  {
    cmdType: 'getagentsofqueue',
    seed: 'DoGetAgentsOfQueue',
    fields: [{ name: 'QueueNum', required: true, emptyCode: ErrorCode.QUEUE_NUM_EMPTY }],
    handler(ctx, req) {
      const { org } = ctx.services;
      const queue = org.queue(req.fields['QueueNum']!);
      if (queue === undefined || queue.accountId !== accountOf(ctx)) return result(ErrorCode.QUEUE_NUM_INVALID);
      return one(ctx, 'GetAgentsOfQueueEvent', {
        agent_list: org.membersOfQueue(queue.queueNum).map((m) => m.agentId).join(','),
        queue_num: queue.queueNum,
      });
    },
  },
  {
    cmdType: 'getagentsofagentgroup',
    seed: 'DoGetAgentsOfAgentGroup',
    fields: [{ name: 'AgentGroupNum', required: true, emptyCode: ErrorCode.AGENT_GROUP_NUM_EMPTY }],
    handler(ctx, req) {
      const { org } = ctx.services;
      const group = org.group(req.fields['AgentGroupNum']!);
      if (group === undefined || group.accountId !== accountOf(ctx)) return result(ErrorCode.AGENT_GROUP_NOT_FOUND);
      return one(ctx, 'GetAgentsOfAgentGroupEvent', {
        agent_list: org.agentsOfGroup(group.groupId).map((a) => a.agentId).sort().join(','),
        agentgroup_num: group.groupId,
      });
    },
  },
  {
    cmdType: 'getagentsmonitorinfo',
    seed: 'DoGetAgentsMonitorInfo',
    right: 'monitor',
    fields: [{ name: 'AgentsStr', required: true }],
    handler(ctx, req) {
      const { org, agents, formatTime } = ctx.services;
      const ids = commaList(req.fields['AgentsStr']!);
      if (ids.length === 0) return result(ErrorCode.BAD_PARAMETER);
      // An agent outside the supervisor's groups is reported as not available to it.
      const info: FieldRecord[] = ids.map((id) =>
        agentOnlineRecord(org, agents, id, formatTime, org.monitorsGroup(ctx.agentId, org.agent(id)?.groupId ?? null)),
      );
      const account = accountOf(ctx);
      return one(ctx, 'GetAgentsMonitorInfoEvent', {
        agent_monitor_info: info,
        current_time: formatTime(ctx.now),
        group_list: new Map(org.monitoredGroups(ctx.agentId).map((g) => [g.groupId, g.name])),
        role_list: new Map(org.rolesOf(account).map((r) => [r.roleId, r.name])),
      });
    },
  },
  {
    cmdType: 'getagentwebsiteinfo',
    seed: 'DoGetAgentWebSiteInfo',
    fields: [],
    handler: (ctx) =>
      one(ctx, 'GetWebSiteInfoEvent', {
        agentID: ctx.agentId,
        retCode: 0,
        reason: 'OK',
        web_site_info: new Map(ctx.services.org.websitesOf(ctx.agentId).map((w) => [w.name, w.url])),
      }),
  },
];
