/**
 * FreeSWITCH's hangup causes as numbers: their Q.850 cause values (switch_types.h,
 * switch_call_cause_t: SWITCH_CAUSE_USER_BUSY = 17 …) and the SIP answer FreeSWITCH sends
 * for them (mod_sofia's sofia_glue.c, hangup_cause_to_sip). Only the causes of a call
 * that did not connect are listed: they are what seed 003's mediaFailreason and the CDR's
 * sipCode report.
 */
interface CauseInfo {
  readonly q850: number;
  readonly sip: number;
  /** seed 003 preMediaFailureReason and preMediaKeyWord. */
  readonly reason: string;
  readonly keyword: string;
}

const CAUSES: Readonly<Record<string, CauseInfo>> = {
  UNALLOCATED_NUMBER: { q850: 1, sip: 404, reason: 'emptyNumber', keyword: '空号' },
  USER_BUSY: { q850: 17, sip: 486, reason: 'onThePhone', keyword: '正在通话' },
  NO_USER_RESPONSE: { q850: 18, sip: 408, reason: 'noResponse', keyword: '无应答' },
  NO_ANSWER: { q850: 19, sip: 480, reason: 'noAnswer', keyword: '无人接听' },
  SUBSCRIBER_ABSENT: { q850: 20, sip: 480, reason: 'powerOff', keyword: '关机' },
  CALL_REJECTED: { q850: 21, sip: 603, reason: 'rejected', keyword: '拒接' },
  NUMBER_CHANGED: { q850: 22, sip: 410, reason: 'numberChanged', keyword: '改号' },
  DESTINATION_OUT_OF_ORDER: { q850: 27, sip: 502, reason: 'outOfService', keyword: '无法接通' },
  INVALID_NUMBER_FORMAT: { q850: 28, sip: 484, reason: 'invalidNumber', keyword: '号码错误' },
  NORMAL_TEMPORARY_FAILURE: { q850: 41, sip: 503, reason: 'temporaryFailure', keyword: '暂时无法接通' },
};

/** What the switch reported about a number that did not answer, when it reported a reason. */
export function failureOf(cause: string | null): CauseInfo | undefined {
  return cause === null ? undefined : CAUSES[cause];
}

/** The SIP answer of a call: 200 when it connected, else what FreeSWITCH answers for its cause (0: none known). */
export function sipCodeOf(connected: boolean, cause: string | null): number {
  if (connected) return 200;
  if (cause === 'ORIGINATOR_CANCEL') return 487;
  return failureOf(cause)?.sip ?? 0;
}
