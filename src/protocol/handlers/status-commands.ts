/** setagentdefinestatus, getagentdefinestatus, forcechangestatus, setagentstateafterhangup (seed 002). */
import { agentEvent } from '../../core/agent-event.js';
import { ErrorCode } from '../error-codes.js';
import { type CommandSpec, result } from '../command-types.js';

export const statusCommands: CommandSpec[] = [
  {
    cmdType: 'setagentdefinestatus',
    seed: 'DoSetAgentDefineStatus',
    fields: [
      { name: 'targetStatus', required: true, emptyCode: ErrorCode.TARGET_STATUS_EMPTY },
      // Seed: 0 needs approval, 1 does not (the default).
      { name: 'isNeedApproval', required: false, check: (v) => (v === '0' || v === '1' ? 0 : ErrorCode.BAD_PARAMETER) },
    ],
    handler(ctx, req) {
      // LEAVE asked for "with approval" (isNeedApproval 0) is an application, as applychangestatus.
      const outcome = ctx.services.core.handle(
        { type: 'set-status', agentId: ctx.agentId, target: req.fields['targetStatus']!, needsApproval: req.fields['isNeedApproval'] === '0' },
        ctx.now,
      );
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'getagentdefinestatus',
    seed: 'DoGetAgentDefineStatus',
    fields: [],
    handler(ctx) {
      const { org } = ctx.services;
      const profile = org.agent(ctx.agentId)!;
      const statuses = org.customStatusesOf(profile.accountId);
      return result(0, {
        events: [
          agentEvent('GetAgentDefineStatusEvent', ctx.now, {
            define_status: new Map(statuses.map((s) => [String(s.status), s.name])),
            define_status_list: statuses.map((s) => ({ status: String(s.status), name: s.name, kind: s.kind })),
          }),
        ],
      });
    },
  },
  {
    // The seed's AgentStateAfterHangup, chosen on the bar with its tsddbAfterHangup button:
    // kept for the session (across a resume), back to the organisation's setting at sign-in.
    cmdType: 'setagentstateafterhangup',
    seed: 'tsddbAfterHangup',
    fields: [{ name: 'AgentStateAfterHangup', required: true, emptyCode: ErrorCode.TARGET_STATUS_EMPTY }],
    handler(ctx, req) {
      const outcome = ctx.services.core.handle({ type: 'set-after-hangup', agentId: ctx.agentId, status: req.fields['AgentStateAfterHangup']! }, ctx.now);
      return result(outcome.code, { effects: outcome.effects });
    },
  },
  {
    cmdType: 'forcechangestatus',
    seed: 'DoForceChangeStatusEvent',
    right: 'forcechangestatus',
    fields: [
      { name: 'strAgentID', required: true },
      { name: 'status', required: true, emptyCode: ErrorCode.TARGET_STATUS_EMPTY },
    ],
    handler(ctx, req) {
      const outcome = ctx.services.core.handle({ type: 'force-status', agentId: ctx.agentId, target: req.fields['strAgentID']!, status: req.fields['status']! }, ctx.now);
      return result(outcome.code, { effects: outcome.effects });
    },
  },
];
