/** The leave workflow's commands (seed 002: DoApplyChangeStatus … DoGetChangeStatusApplyList). */
import { agentEvent } from '../../core/agent-event.js';
import { ErrorCode } from '../error-codes.js';
import { type CommandContext, type CommandSpec, result } from '../command-types.js';
import type { AgentRequest } from '../message.js';

const targetStatus = { name: 'targetStatus', required: true, emptyCode: ErrorCode.TARGET_STATUS_EMPTY } as const;
const groupLists = [
  { name: 'targetAgentGroupNameLstStr', required: false },
  { name: 'targetAgentGroupIdLstStr', required: false },
] as const;

function thresholdQuery(ctx: CommandContext, req: AgentRequest) {
  return {
    agentId: ctx.agentId,
    namesText: req.fields['targetAgentGroupNameLstStr'] ?? '',
    idsText: req.fields['targetAgentGroupIdLstStr'] ?? '',
    targetText: req.fields['targetStatus']!,
  };
}

export const leaveCommands: CommandSpec[] = [
  {
    cmdType: 'applychangestatus',
    seed: 'DoApplyChangeStatus',
    fields: [targetStatus],
    handler(ctx, req) {
      const outcome = ctx.services.core.handle({ type: 'leave-apply', agentId: ctx.agentId, target: req.fields['targetStatus']! }, ctx.now);
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'cancelapply',
    seed: 'tsbCancelApplication',
    fields: [targetStatus],
    handler(ctx, req) {
      const outcome = ctx.services.core.handle({ type: 'leave-cancel', agentId: ctx.agentId, target: req.fields['targetStatus']! }, ctx.now);
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'applyapproval',
    seed: 'DoApplyApproval',
    right: 'approveleave',
    fields: [
      { name: 'apply_agent_id', required: true, emptyCode: ErrorCode.APPLICANT_ID_EMPTY },
      targetStatus,
      { name: 'passFlag', required: true, emptyCode: ErrorCode.APPROVAL_RESULT_EMPTY },
    ],
    handler(ctx, req) {
      const f = req.fields;
      const outcome = ctx.services.core.handle(
        { type: 'leave-approve', agentId: ctx.agentId, applicant: f['apply_agent_id']!, target: f['targetStatus']!, passFlag: f['passFlag']! },
        ctx.now,
      );
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'getagentgroupstatusmaxnum',
    seed: 'DoGetAgentGroupStatusMaxNum',
    fields: [...groupLists, targetStatus],
    handler(ctx, req) {
      const got = ctx.services.leave.thresholds(thresholdQuery(ctx, req));
      if (got.code !== 0) return result(got.code);
      return result(0, { events: [agentEvent('GetAgentGroupStatusMaxNumEvent', ctx.now, got.fields!)] });
    },
  },
  {
    cmdType: 'setagentgroupstatusmaxnum',
    seed: 'DoSetAgentGroupStatusMaxNum',
    right: 'setleavethreshold',
    fields: [...groupLists, targetStatus, { name: 'maxNum', required: true, emptyCode: ErrorCode.THRESHOLD_INVALID }],
    handler(ctx, req) {
      const set = ctx.services.core.handle({ type: 'leave-thresholds', query: thresholdQuery(ctx, req), maxNum: req.fields['maxNum']! }, ctx.now);
      if (set.code !== 0) return result(set.code, { effects: set.effects });
      return result(0, { effects: set.effects, events: [agentEvent('GetAgentGroupStatusMaxNumEvent', ctx.now, set.fields!)] });
    },
  },
  {
    cmdType: 'getchangestatusapplylist',
    seed: 'DoGetChangeStatusApplyList',
    fields: [targetStatus],
    handler(ctx, req) {
      const got = ctx.services.leave.applyList(ctx.agentId, req.fields['targetStatus']!);
      if (got.code !== 0) return result(got.code);
      return result(0, {
        events: [
          agentEvent('GetChangeStatusApplyListEvent', ctx.now, {
            agentID: ctx.agentId,
            apply_agent_list: got.list,
            retCode: 0,
            reason: 'OK',
          }),
        ],
      });
    },
  },
];
