/**
 * The call commands of seed 002 (spec §4 "Calls"): fields and codes here, the work in
 * the call core (src/core/calls/). A command is answered as soon as it is accepted;
 * what the switch then does arrives as events (a refusal as ServerResponse).
 */
import { ErrorCode } from '../error-codes.js';
import { type CommandContext, type CommandSpec, result } from '../command-types.js';
import { parseBool } from '../values.js';
import type { CallCommand } from '../../core/inputs.js';
import { DTMF_DIGITS } from '../../core/calls/keypad.js';

const bool = (invalid: number) => (v: string) => (parseBool(v) === undefined ? invalid : 0);
/** The agent's call command, as an input to the core; its step's effects follow the response. */
const run = (ctx: CommandContext, command: CallCommand) => {
  const outcome = ctx.services.core.handle({ type: 'call', agentId: ctx.agentId, command }, ctx.now);
  return result(outcome.code, { effects: outcome.effects });
};

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
      run(ctx, { kind: 'callout', calledID: req.fields['calledID']!, displayNum: req.fields['displayNum'] ?? '', customerForeignId: req.fields['customerForeignId'] ?? '' }),
  },
  {
    cmdType: 'callagent',
    seed: 'DoCallAgent',
    right: 'callagent',
    fields: [{ name: 'agentNum', required: true }],
    handler: (ctx, req) => run(ctx, { kind: 'callagent', callee: req.fields['agentNum']! }),
  },
  { cmdType: 'answer', seed: 'Answer', fields: [], handler: (ctx) => run(ctx, { kind: 'answer' }) },
  { cmdType: 'hangup', seed: 'DoHangUp', fields: [], handler: (ctx) => run(ctx, { kind: 'hangup' }) },
  { cmdType: 'hold', seed: 'DoHold', right: 'hold', fields: [], handler: (ctx) => run(ctx, { kind: 'hold', on: true }) },
  { cmdType: 'stophold', seed: 'DoStopHold', right: 'hold', fields: [], handler: (ctx) => run(ctx, { kind: 'hold', on: false }) },
  { cmdType: 'mute', seed: 'DoMute', right: 'hold', fields: [], handler: (ctx) => run(ctx, { kind: 'mute', on: true }) },
  { cmdType: 'stopmute', seed: 'DoStopMute', right: 'hold', fields: [], handler: (ctx) => run(ctx, { kind: 'mute', on: false }) },
  {
    cmdType: 'consult',
    seed: 'DoConsult',
    right: 'consult',
    fields: [
      { name: 'destAgentID', required: true },
      { name: 'trdIsOutbound', required: true, emptyCode: ErrorCode.OUTBOUND_FLAG_EMPTY, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(ctx, { kind: 'consult', target: req.fields['destAgentID']!, outbound: parseBool(req.fields['trdIsOutbound']!)! }),
  },
  { cmdType: 'stopconsult', seed: 'DoStopConsult', right: 'consult', fields: [], handler: (ctx) => run(ctx, { kind: 'stopconsult' }) },
  { cmdType: 'consulttransfer', seed: 'DoConsultTransfer', right: 'consult', fields: [], handler: (ctx) => run(ctx, { kind: 'consulttransfer' }) },
  {
    cmdType: 'threeway',
    seed: 'DoThreeWay',
    right: 'threeway',
    fields: [
      { name: 'trdAgentNum', required: true },
      { name: 'trdIsOutbound', required: true, emptyCode: ErrorCode.OUTBOUND_FLAG_EMPTY, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(ctx, { kind: 'threeway', target: req.fields['trdAgentNum']!, outbound: parseBool(req.fields['trdIsOutbound']!)! }),
  },
  { cmdType: 'threewaycancel', seed: 'DoThreeWayCancel', right: 'threeway', fields: [], handler: (ctx) => run(ctx, { kind: 'threewaycancel' }) },
  {
    cmdType: 'transferagent',
    seed: 'DoTransferAgent',
    right: 'transfer',
    fields: [
      { name: 'destAgentID', required: true },
      { name: 'strOutBoundFlag', required: false, check: bool(ErrorCode.BAD_PARAMETER) },
    ],
    handler: (ctx, req) => run(ctx, { kind: 'transferagent', target: req.fields['destAgentID']!, outbound: parseBool(req.fields['strOutBoundFlag'] ?? 'false')! }),
  },
  {
    cmdType: 'transferivr',
    seed: 'DoTransferIvr',
    right: 'transfer',
    fields: [{ name: 'ivrNum', required: true, emptyCode: ErrorCode.IVR_NUM_EMPTY }],
    handler: (ctx, req) => run(ctx, { kind: 'transferivr', target: req.fields['ivrNum']! }),
  },
  {
    cmdType: 'transferqueue',
    seed: 'DoTransferQueue',
    right: 'transfer',
    fields: [{ name: 'queueNum', required: true, emptyCode: ErrorCode.QUEUE_NUM_EMPTY }],
    handler: (ctx, req) => run(ctx, { kind: 'transferqueue', target: req.fields['queueNum']! }),
  },
  {
    cmdType: 'transferivrprofile',
    seed: 'DoTransferIvrProfile',
    right: 'transfer',
    fields: [{ name: 'ivrProfileNum', required: true, emptyCode: ErrorCode.IVR_PROFILE_NUM_EMPTY }],
    handler: (ctx, req) => run(ctx, { kind: 'transferivrprofile', target: req.fields['ivrProfileNum']! }),
  },
  {
    cmdType: 'grade',
    seed: 'DoGrade',
    right: 'grade',
    fields: [{ name: 'language', required: true, emptyCode: ErrorCode.LANGUAGE_INVALID, check: (v) => (v === 'zh' || v === 'en' ? 0 : ErrorCode.LANGUAGE_INVALID) }],
    handler: (ctx, req) => run(ctx, { kind: 'grade', language: req.fields['language'] as 'zh' | 'en' }),
  },
  { cmdType: 'check', seed: 'DoCheck', fields: [], handler: (ctx) => run(ctx, { kind: 'check' }) },
  {
    // polylink's own: the seed's keypad (tsbKeyPad, DoShowKeyPad) in a call, which the ActiveX bar sent through the phone.
    cmdType: 'senddtmf',
    seed: 'tsbKeyPad',
    fields: [{ name: 'digits', required: true, check: (v) => (DTMF_DIGITS.test(v) ? 0 : ErrorCode.BAD_PARAMETER) }],
    handler: (ctx, req) => run(ctx, { kind: 'senddtmf', digits: req.fields['digits']! }),
  },
];
