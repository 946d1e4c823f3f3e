/**
 * The call commands of seed 002 (spec §4 "Calls"): fields and codes here, the work in
 * the call core (src/core/calls/). A command is answered as soon as it is accepted;
 * what the switch then does arrives as events (a refusal as ServerResponse).
 */
import { ErrorCode } from '../error-codes.js';
import { type CommandContext, type CommandSpec, result } from '../command-types.js';
import { parseBool } from '../values.js';

const bool = (invalid: number) => (v: string) => (parseBool(v) === undefined ? invalid : 0);
const run = (outcome: { code: number; effects: import('../../core/effects.js').CoreEffect[] }) => result(outcome.code, { effects: outcome.effects });
const calls = (ctx: CommandContext) => ctx.services.calls;

export const callCommands: CommandSpec[] = [
  {
    cmdType: 'callout',
    seed: 'DoCallOut / DoCallOutForeignId',
    right: 'callout',
    fields: [
      { name: 'calledID', required: true, emptyCode: ErrorCode.CUSTOMER_NUM_EMPTY },
      { name: 'displayNum', required: false },
      { name: 'customerForeignId', required: false, check: (v) => (v.length <= 64 ? 0 : ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) =>
      run(
        calls(ctx).callout(
          { agentId: ctx.agentId, calledID: req.fields['calledID']!, displayNum: req.fields['displayNum'] ?? '', customerForeignId: req.fields['customerForeignId'] ?? '' },
          ctx.now,
        ),
      ),
  },
  {
    cmdType: 'callagent',
    seed: 'DoCallAgent',
    right: 'callagent',
    fields: [{ name: 'agentNum', required: true }],
    handler: (ctx, req) => run(calls(ctx).callAgent(ctx.agentId, req.fields['agentNum']!, ctx.now)),
  },
  { cmdType: 'answer', seed: 'Answer', fields: [], handler: (ctx) => run(calls(ctx).answer(ctx.agentId)) },
  { cmdType: 'hangup', seed: 'DoHangUp', fields: [], handler: (ctx) => run(calls(ctx).hangup(ctx.agentId)) },
  { cmdType: 'hold', seed: 'DoHold', right: 'hold', fields: [], handler: (ctx) => run(calls(ctx).hold(ctx.agentId, true)) },
  { cmdType: 'stophold', seed: 'DoStopHold', right: 'hold', fields: [], handler: (ctx) => run(calls(ctx).hold(ctx.agentId, false)) },
  { cmdType: 'mute', seed: 'DoMute', right: 'hold', fields: [], handler: (ctx) => run(calls(ctx).mute(ctx.agentId, true)) },
  { cmdType: 'stopmute', seed: 'DoStopMute', right: 'hold', fields: [], handler: (ctx) => run(calls(ctx).mute(ctx.agentId, false)) },
  {
    cmdType: 'consult',
    seed: 'DoConsult',
    right: 'consult',
    fields: [
      { name: 'destAgentID', required: true },
      { name: 'trdIsOutbound', required: true, emptyCode: ErrorCode.OUTBOUND_FLAG_EMPTY, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(calls(ctx).consult(ctx.agentId, req.fields['destAgentID']!, parseBool(req.fields['trdIsOutbound']!)!, ctx.now)),
  },
  { cmdType: 'stopconsult', seed: 'DoStopConsult', right: 'consult', fields: [], handler: (ctx) => run(calls(ctx).stopConsult(ctx.agentId)) },
  { cmdType: 'consulttransfer', seed: 'DoConsultTransfer', right: 'consult', fields: [], handler: (ctx) => run(calls(ctx).consultTransfer(ctx.agentId, ctx.now)) },
  {
    cmdType: 'threeway',
    seed: 'DoThreeWay',
    right: 'threeway',
    fields: [
      { name: 'trdAgentNum', required: true },
      { name: 'trdIsOutbound', required: true, emptyCode: ErrorCode.OUTBOUND_FLAG_EMPTY, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(calls(ctx).threeWay(ctx.agentId, req.fields['trdAgentNum']!, parseBool(req.fields['trdIsOutbound']!)!, ctx.now)),
  },
  { cmdType: 'threewaycancel', seed: 'DoThreeWayCancel', right: 'threeway', fields: [], handler: (ctx) => run(calls(ctx).threeWayCancel(ctx.agentId)) },
  {
    cmdType: 'transferagent',
    seed: 'DoTransferAgent',
    right: 'transfer',
    fields: [
      { name: 'destAgentID', required: true },
      { name: 'strOutBoundFlag', required: false, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(calls(ctx).transferAgent(ctx.agentId, req.fields['destAgentID']!, parseBool(req.fields['strOutBoundFlag'] ?? 'false')!, ctx.now)),
  },
  {
    cmdType: 'transferivr',
    seed: 'DoTransferIvr',
    right: 'transfer',
    fields: [{ name: 'ivrNum', required: true, emptyCode: ErrorCode.IVR_NUM_EMPTY }],
    handler: (ctx, req) => run(calls(ctx).transferIvr(ctx.agentId, req.fields['ivrNum']!, ctx.now)),
  },
  {
    cmdType: 'transferqueue',
    seed: 'DoTransferQueue',
    right: 'transfer',
    fields: [{ name: 'queueNum', required: true, emptyCode: ErrorCode.QUEUE_NUM_EMPTY }],
    handler: (ctx, req) => run(calls(ctx).transferQueue(ctx.agentId, req.fields['queueNum']!, ctx.now)),
  },
  {
    cmdType: 'transferivrprofile',
    seed: 'DoTransferIvrProfile',
    right: 'transfer',
    fields: [{ name: 'ivrProfileNum', required: true, emptyCode: ErrorCode.IVR_PROFILE_NUM_EMPTY }],
    handler: (ctx, req) => run(calls(ctx).transferIvrProfile(ctx.agentId, req.fields['ivrProfileNum']!, ctx.now)),
  },
  {
    cmdType: 'grade',
    seed: 'DoGrade',
    right: 'grade',
    fields: [{ name: 'language', required: true, emptyCode: ErrorCode.LANGUAGE_INVALID, check: (v) => (v === 'zh' || v === 'en' ? 0 : ErrorCode.LANGUAGE_INVALID) }],
    handler: (ctx, req) => run(calls(ctx).grade(ctx.agentId, req.fields['language'] as 'zh' | 'en', ctx.now)),
  },
  { cmdType: 'check', seed: 'DoCheck', fields: [], handler: (ctx) => run(calls(ctx).check(ctx.agentId, ctx.now)) },
];
