/** CDRs in SQLite: one row per call id, ever (a resync cannot write a second). */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import type { CdrRecord } from '../core/records/cdr.js';

/** The cdr table's columns and the CdrRecord field each holds (the PostgreSQL store writes the same). */
export const CDR_COLUMNS: ReadonlyArray<readonly [column: string, field: keyof CdrRecord]> = [
  ['call_id', 'callId'], ['account_id', 'accountId'], ['call_type', 'callType'], ['status', 'status'], ['cdr_state', 'cdrState'],
  ['customer_number', 'customerNumber'], ['customer_number_type', 'customerNumberType'], ['customer_area_code', 'customerAreaCode'],
  ['customer_area_name', 'customerAreaName'], ['display_number', 'displayNumber'], ['trunk_number', 'trunkNumber'],
  ['access_number_name', 'accessNumberName'], ['agent_id', 'agentId'], ['agent_name', 'agentName'], ['agent_exten', 'agentExten'],
  ['agents', 'agents'], ['queue_num', 'queueNum'], ['queue_name', 'queueName'], ['ivr_num', 'ivrNum'], ['ivr_name', 'ivrName'],
  ['ivr_dtmf', 'ivrDtmf'], ['start_time', 'startTime'], ['agent_start_time', 'agentStartTime'], ['agent_ring_time', 'agentRingTime'],
  ['agent_answer_time', 'agentAnswerTime'], ['customer_start_time', 'customerStartTime'], ['customer_ring_time', 'customerRingTime'],
  ['customer_answer_time', 'customerAnswerTime'], ['join_queue_time', 'joinQueueTime'], ['leave_queue_time', 'leaveQueueTime'],
  ['bridge_time', 'bridgeTime'], ['ivr_time', 'ivrTime'], ['satisfy_start_time', 'satisfyStartTime'], ['satisfy_end_time', 'satisfyEndTime'],
  ['hangup_time', 'hangupTime'], ['end_time', 'endTime'], ['ring_seconds', 'ringSeconds'], ['customer_ring_seconds', 'customerRingSeconds'],
  ['queue_seconds', 'queueSeconds'], ['bridge_seconds', 'bridgeSeconds'], ['hold_seconds', 'holdSeconds'], ['satisfy_seconds', 'satisfySeconds'],
  ['total_seconds', 'totalSeconds'], ['hangup_side', 'hangupSide'], ['hangup_cause', 'hangupCause'], ['failure_reason', 'failureReason'],
  ['record_file', 'recordFile'], ['score', 'score'], ['relative_call_id', 'relativeCallId'], ['queue_entry', 'queueEntry'], ['customer_foreign_id', 'customerForeignId'],
  ['gateway', 'gateway'], ['node', 'node'], ['created_at', 'createdAt'],
];

export class CdrStore {
  private readonly insert: Statement;
  private readonly closeOpen: Statement;
  private readonly write: (cdr: CdrRecord) => boolean;

  constructor(db: Db) {
    this.insert = db.prepare(
      `INSERT INTO cdr (${CDR_COLUMNS.map(([c]) => c).join(', ')}) VALUES (${CDR_COLUMNS.map(([, f]) => `@${f}`).join(', ')})
       ON CONFLICT (call_id) DO NOTHING`,
    );
    this.closeOpen = db.prepare('DELETE FROM open_calls WHERE call_id = ?');
    // A call saved open at a shutdown stops being open in the transaction that records it.
    this.write = db.transaction((cdr: CdrRecord) => {
      const written = this.insert.run(cdr).changes === 1;
      this.closeOpen.run(cdr.callId);
      return written;
    });
  }

  /** False when the call already has its row. */
  save(cdr: CdrRecord): boolean {
    return this.write(cdr);
  }
}
