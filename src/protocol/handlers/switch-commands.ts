/**
 * Commands that need the switch (calls, supervisor call features) or the ACD's live
 * queues. They are in the table so that no request is silently dropped; until call
 * control and queues are wired to FreeSWITCH they answer -60 (the call module cannot
 * do it) and change nothing.
 */
import { ErrorCode } from '../error-codes.js';
import { type CommandSpec, result } from '../command-types.js';

const NEEDS_SWITCH: ReadonlyArray<readonly [cmdType: string, seed: string]> = [
  ['callout', 'DoCallOut / DoCallOutForeignId'],
  ['callagent', 'DoCallAgent'],
  ['answer', 'Answer'],
  ['hangup', 'DoHangUp'],
  ['hold', 'DoHold'],
  ['stophold', 'DoStopHold'],
  ['mute', 'DoMute'],
  ['stopmute', 'DoStopMute'],
  ['consult', 'DoConsult'],
  ['stopconsult', 'DoStopConsult'],
  ['consulttransfer', 'DoConsultTransfer'],
  ['threeway', 'DoThreeWay'],
  ['threewaycancel', 'DoThreeWayCancel'],
  ['transferagent', 'DoTransferAgent'],
  ['transferivr', 'DoTransferIvr'],
  ['transferqueue', 'DoTransferQueue'],
  ['transferivrprofile', 'DoTransferIvrProfile'],
  ['grade', 'DoGrade'],
  ['check', 'DoCheck'],
  ['listen', 'DoListen'],
  ['whisper', 'DoWhisper'],
  ['bargein', 'DoBargein'],
  ['forcehangup', 'DoForceHangup'],
  ['rop', 'Rop'],
  ['getdetailcallinfo', 'DoGetDetailCallInfo'],
  ['getcustomerofqueue', 'DoGetCustomerOfQueue'],
  ['getcustomerofmyqueue', 'DoGetCustomerOfMyQueue'],
  ['getqueuestatis', 'DoGetQueueStatis'],
  ['getallqueuestatis', 'DoGetAllQueueStatis'],
  ['getreportstatisinfo', 'DoGetReportStatisInfo'],
];

export const switchCommands: CommandSpec[] = NEEDS_SWITCH.map(([cmdType, seed]) => ({
  cmdType,
  seed,
  fields: [],
  handler: () => result(ErrorCode.CALL_MODULE_FAILED),
}));
