/**
 * The rows of an agent operation details file (seed 004: the index file of agent
 * operations, `…_agentOprInfo_<n>.csv`), one operation a line, 21 columns in the CC-FS
 * layout: id, developer_id, account_id, agent_id, service_no, skill_id, call_id,
 * begin_time, end_time, op_type, op_object, op_cause, media_type, vdn_id, cc_id,
 * agent_type, phone_no, callIn_out, location_id, logon_sn, skillInfo_sn.
 *
 * From the operation log: a sign-in (op_type 1) and the state it signs in to, every state
 * change (begin_time when it began, end_time when the agent's next change came), a
 * sign-out (0, op_cause 258 by the agent, 257 by a supervisor, 256 by the system). From
 * the CDRs: every call an agent talked on (4, talking: from the bridge to the hang-up).
 * op_object says who caused an operation (an agent ID or `system`). docs/api.md has the
 * op_type table.
 */
import { AgentStatus } from '../core/agent-status.js';
import type { CallRow, OperationRow } from '../store/export-store.js';
import type { TimeFormat } from '../time-format.js';

export const COLUMNS = [
  'id', 'developer_id', 'account_id', 'agent_id', 'service_no', 'skill_id', 'call_id', 'begin_time', 'end_time', 'op_type', 'op_object', 'op_cause',
  'media_type', 'vdn_id', 'cc_id', 'agent_type', 'phone_no', 'callIn_out', 'location_id', 'logon_sn', 'skillInfo_sn',
] as const;

/** op_type: the CC-FS codes 0 to 4, and polylink's from 100 for the states that list does not have. */
export const OpType = {
  SIGN_OUT: 0,
  SIGN_IN: 1,
  IDLE: 2,
  BUSY: 3,
  TALKING: 4,
  RINGING: 100,
  AFTER_CALL_WORK: 101,
  HOLD: 102,
  MUTE: 103,
  CALLING_OUT: 104,
  OUTBOUND_MODE: 105,
  RESERVED: 106,
} as const;

/** op_cause of BUSY (the CC-FS causes): 1 the agent chose it, 2 it let a call ring out, 3 a supervisor forced it, 4 a rest. */
function busyCause(row: OperationRow): number {
  if (row.newStatus === AgentStatus.LEAVE) return 4;
  if (row.newStatus !== null && row.newStatus >= 100) return row.newStatus;
  if (row.operation === 'no-answer') return 2;
  if (row.causedBy !== row.agentId && row.causedBy !== 'system') return 3;
  return 1;
}

function opTypeOf(status: number): number | undefined {
  switch (status) {
    case AgentStatus.IDLE:
      return OpType.IDLE;
    case AgentStatus.BUSY:
    case AgentStatus.LEAVE:
      return OpType.BUSY;
    case AgentStatus.RING:
      return OpType.RINGING;
    case AgentStatus.ACW:
      return OpType.AFTER_CALL_WORK;
    case AgentStatus.HOLD:
      return OpType.HOLD;
    case AgentStatus.MUTE:
      return OpType.MUTE;
    case AgentStatus.CALLING_OUT:
      return OpType.CALLING_OUT;
    case AgentStatus.CALL_OUT:
      return OpType.OUTBOUND_MODE;
    case AgentStatus.CAMP_ON:
      return OpType.RESERVED;
    default:
      return status >= 100 ? OpType.BUSY : undefined;
  }
}

/** A changed status (TALKING is reported from the CDRs, with its call). */
function isStateChange(row: OperationRow): boolean {
  return row.newStatus !== null && row.newStatus !== row.oldStatus && row.newStatus !== AgentStatus.OFFLINE;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields.map((f) => {
    const s = String(f);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',') + '\r\n';
}

interface Line {
  id: string;
  accountId: string;
  agentId: string;
  skillId?: string;
  callId?: string;
  begin: number;
  end: number | undefined;
  opType: number;
  opObject: string;
  opCause: string | number;
  phoneNo: string;
  callInOut?: string;
  logonSn?: string;
}

export class OperationLines {
  constructor(
    private readonly developerId: string,
    private readonly formatTime: TimeFormat,
  ) {}

  line(l: Line): string {
    return csvLine([
      l.id, this.developerId, l.accountId, l.agentId, '', l.skillId ?? '', l.callId ?? '', this.formatTime(l.begin), l.end === undefined ? '' : this.formatTime(l.end),
      l.opType, l.opObject, l.opCause, 'voice', '', '', '', l.phoneNo, l.callInOut ?? '', '', l.logonSn ?? '', '',
    ]);
  }

  /**
   * The lines of one operation-log row, given when the agent's next change came
   * (`nextAt`: its end) and the agent's last sign-in row id (logon_sn).
   */
  ofOperation(row: OperationRow, nextAt: number | undefined, logonSn: string): string {
    const base = { accountId: row.accountId, agentId: row.agentId, opObject: row.causedBy, phoneNo: row.exten ?? '', logonSn };
    if (row.operation === 'signout') {
      const cause = row.causedBy === row.agentId ? 258 : row.causedBy === 'system' ? 256 : 257;
      return this.line({ ...base, id: String(row.id), begin: row.at, end: row.at, opType: OpType.SIGN_OUT, opCause: cause });
    }
    let out = '';
    if (row.operation === 'signin') out += this.line({ ...base, id: String(row.id), begin: row.at, end: row.at, opType: OpType.SIGN_IN, opCause: '' });
    if (isStateChange(row) && row.newStatus !== AgentStatus.TALKING) {
      const opType = opTypeOf(row.newStatus!);
      if (opType !== undefined) {
        out += this.line({
          ...base,
          id: row.operation === 'signin' ? `${row.id}-1` : String(row.id),
          begin: row.at,
          end: nextAt,
          opType,
          opCause: opType === OpType.BUSY ? busyCause(row) : '',
        });
      }
    }
    return out;
  }

  ofCall(row: CallRow): string {
    return this.line({
      id: row.callId.replace(/-/g, ''),
      accountId: row.accountId,
      agentId: row.agentId,
      skillId: row.queueNum ?? '',
      callId: row.callId,
      begin: row.bridgeTime ?? row.startTime,
      end: row.hangupTime,
      opType: OpType.TALKING,
      opObject: row.hangupSide ?? '',
      opCause: 0,
      phoneNo: row.customerNumber ?? '',
      callInOut: row.callType === 'incoming' ? '呼入' : row.callType === 'dialout' ? '呼出' : '',
    });
  }

  /** Does this operation-log row end the state before it (so it is the `nextAt` of the row before)? */
  static changesState(row: OperationRow): boolean {
    return isStateChange(row) || row.operation === 'signout' || row.operation === 'signin';
  }
}
