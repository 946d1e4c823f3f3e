/**
 * Monitoring queries of seed 002: customers waiting in queues, queue statistics, the
 * wallboard's day report, and an agent's call in detail. An agent may look at the queues
 * it is a member of; looking at other queues or other agents' calls needs `monitor`.
 */
import { agentEvent } from '../../core/agent-event.js';
import { legInfo, relationInfo } from '../../core/calls/call-detail.js';
import { centreStatis, queueStatis } from '../../core/queues/queue-statis.js';
import type { Queue } from '../../core/organisation.js';
import { ErrorCode } from '../error-codes.js';
import { type CommandContext, type CommandSpec, result } from '../command-types.js';
import { commaList } from '../values.js';

/** The queues named in a comma list, if the agent may see them all; else the code. */
function visibleQueues(ctx: CommandContext, text: string): { queues?: Queue[]; code: number } {
  const { org } = ctx.services;
  const me = org.agent(ctx.agentId)!;
  const nums = commaList(text);
  if (nums.length === 0) return { code: ErrorCode.QUEUE_NUM_EMPTY };
  const queues: Queue[] = [];
  for (const num of nums) {
    const q = org.queue(num);
    if (q === undefined || q.accountId !== me.accountId) return { code: ErrorCode.QUEUE_NUM_INVALID };
    const member = org.membersOfQueue(num).some((m) => m.agentId === ctx.agentId);
    if (!member && !org.hasRight(ctx.agentId, 'monitor')) return { code: ErrorCode.NO_RIGHT };
    queues.push(q);
  }
  return { queues, code: 0 };
}

/** GetCustomerOfQueueEvent / GetCustomerOfMyQueueEvent: the customers waiting in these queues. */
function customersEvent(ctx: CommandContext, eventType: string, queues: Queue[]) {
  return agentEvent(eventType, ctx.now, {
    queueNumLstStr: queues.map((q) => q.queueNum).join(','),
    current_time: ctx.services.formatTime(ctx.now),
    customer_list: queues.flatMap((q) => ctx.services.queues.customersOf(q.queueNum, ctx.now)),
  });
}

export const monitoringQueries: CommandSpec[] = [
  {
    cmdType: 'getcustomerofqueue',
    seed: 'DoGetCustomerOfQueue',
    fields: [{ name: 'QueueNum', required: true, emptyCode: ErrorCode.QUEUE_NUM_EMPTY }],
    handler(ctx, req) {
      const { queues, code } = visibleQueues(ctx, req.fields['QueueNum']!);
      if (queues === undefined) return result(code);
      return result(0, { events: [customersEvent(ctx, 'GetCustomerOfQueueEvent', queues)] });
    },
  },
  {
    cmdType: 'getcustomerofmyqueue',
    seed: 'DoGetCustomerOfMyQueue',
    fields: [],
    handler(ctx) {
      const { org } = ctx.services;
      const mine = org.queuesOfAgent(ctx.agentId).map((m) => org.queue(m.queueNum)).filter((q): q is Queue => q !== undefined);
      if (mine.length === 0) return result(ErrorCode.QUEUES_OF_AGENT_LOOKUP_FAILED);
      return result(0, { events: [customersEvent(ctx, 'GetCustomerOfMyQueueEvent', mine)] });
    },
  },
  {
    cmdType: 'getqueuestatis',
    seed: 'DoGetQueueStatis',
    fields: [{ name: 'queue_num', required: true, emptyCode: ErrorCode.QUEUE_NUM_EMPTY }],
    handler(ctx, req) {
      const { queues, code } = visibleQueues(ctx, req.fields['queue_num']!);
      if (queues === undefined) return result(code);
      const { org, agents } = ctx.services;
      return result(0, {
        events: [
          agentEvent('GetQueueStatisLstEvent', ctx.now, {
            queueNumLstStr: queues.map((q) => q.queueNum).join(','),
            current_time: ctx.services.formatTime(ctx.now),
            queue_statis_list: queues.map((q) => queueStatis(q, org, agents, ctx.services.queues, ctx.now)),
          }),
        ],
      });
    },
  },
  {
    cmdType: 'getallqueuestatis',
    seed: 'DoGetAllQueueStatis',
    right: 'monitor',
    fields: [],
    handler(ctx) {
      const { org, agents } = ctx.services;
      const accountId = org.agent(ctx.agentId)!.accountId;
      const queues = org.queuesOf(accountId);
      return result(0, {
        events: [
          agentEvent('GetAllQueueStatisEvent', ctx.now, {
            current_time: ctx.services.formatTime(ctx.now),
            queue_statis_list: queues.map((q) => queueStatis(q, org, agents, ctx.services.queues, ctx.now)),
            // Added by polylink: the whole centre's figures (the wallboard's headline).
            centre_statis: new Map(Object.entries(centreStatis(accountId, org, agents, ctx.services.queues, ctx.now))),
          }),
        ],
      });
    },
  },
  {
    cmdType: 'getreportstatisinfo',
    seed: 'DoGetReportStatisInfo',
    right: 'monitor',
    fields: [],
    handler(ctx) {
      const { org, agents, queues } = ctx.services;
      const accountId = org.agent(ctx.agentId)!.accountId;
      const report = ctx.services.dayReport(accountId, ctx.now);
      return result(0, {
        events: [
          agentEvent('GetReportStatisInfoEvent', ctx.now, {
            AgentID: ctx.agentId,
            retCode: 0,
            reason: 'OK',
            // The seed's figures (from the day's CDRs), then the wallboard's, live.
            reportStatisInfo: new Map([...Object.entries(report).map(([k, v]) => [k, String(v)] as const), ...Object.entries(centreStatis(accountId, org, agents, queues, ctx.now))]),
          }),
        ],
      });
    },
  },
  {
    cmdType: 'getdetailcallinfo',
    seed: 'DoGetDetailCallInfo',
    fields: [{ name: 'AgentNum', required: true }],
    handler(ctx, req) {
      const { org, calls, formatTime } = ctx.services;
      const target = req.fields['AgentNum']!;
      const profile = org.agent(target);
      if (profile === undefined || profile.accountId !== org.agent(ctx.agentId)!.accountId) return result(ErrorCode.TARGET_AGENT_NOT_FOUND);
      if (target !== ctx.agentId && !org.monitorsGroup(ctx.agentId, profile.groupId)) return result(ErrorCode.NO_RIGHT);
      const call = calls.callOf(target);
      // Supervisors listening, whispering or barging in are legs and relations of the call too.
      const monitors = call === undefined ? undefined : calls.monitorsOf(call, formatTime);
      return result(0, {
        events: [
          agentEvent('GetDetailCallInfoEvent', ctx.now, {
            targetAgentNum: target,
            call_type: call === undefined ? '' : calls.desk.callTypeOf(call),
            relation_uuid: call?.id ?? '',
            leg_info: call === undefined ? [] : [...[...call.legs.values()].filter((l) => !l.ended).map((l) => legInfo(l, formatTime)), ...monitors!.legs],
            relation_info: call === undefined ? [] : [...relationInfo(call), ...monitors!.relations],
          }),
        ],
      });
    },
  },
];
