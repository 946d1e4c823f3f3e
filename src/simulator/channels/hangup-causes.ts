/**
 * Hangup causes: their Q.850 numbers (hangup_cause_q850; FreeSWITCH's own causes above
 * 127 report 127, INTERWORKING) and the SIP status a sofia leg exchanges for them.
 */
const Q850: Record<string, number> = {
  UNALLOCATED_NUMBER: 1,
  NO_ROUTE_TRANSIT_NET: 2,
  NO_ROUTE_DESTINATION: 3,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  NUMBER_CHANGED: 22,
  DESTINATION_OUT_OF_ORDER: 27,
  INVALID_NUMBER_FORMAT: 28,
  FACILITY_REJECTED: 29,
  NORMAL_UNSPECIFIED: 31,
  NORMAL_CIRCUIT_CONGESTION: 34,
  NETWORK_OUT_OF_ORDER: 38,
  NORMAL_TEMPORARY_FAILURE: 41,
  SWITCH_CONGESTION: 42,
  CHAN_NOT_IMPLEMENTED: 66,
  RECOVERY_ON_TIMER_EXPIRE: 102,
  INTERWORKING: 127,
};

/** Every cause name the simulator knows; uuid_kill with any other answers as FreeSWITCH would (NORMAL_CLEARING). */
export const KNOWN_CAUSES = new Set([
  ...Object.keys(Q850),
  'ORIGINATOR_CANCEL',
  'SYSTEM_SHUTDOWN',
  'MANAGER_REQUEST',
  'LOSE_RACE',
  'USER_NOT_REGISTERED',
  'ALLOTTED_TIMEOUT',
  'MEDIA_TIMEOUT',
  'PICKED_OFF',
  'BLIND_TRANSFER',
  'ATTENDED_TRANSFER',
  'PROGRESS_TIMEOUT',
  'GATEWAY_DOWN',
]);

export function q850(cause: string): number {
  return Q850[cause] ?? 127;
}

/** The SIP final response a leg gets (or sends) for a cause (sofia_glue_sip_cause_to_freeswitch in reverse). */
export function sipStatusFor(cause: string): { status: number; phrase: string } {
  switch (cause) {
    case 'USER_BUSY':
      return { status: 486, phrase: 'Busy Here' };
    case 'CALL_REJECTED':
      return { status: 603, phrase: 'Decline' };
    case 'NO_ANSWER':
    case 'ORIGINATOR_CANCEL':
      return { status: 487, phrase: 'Request Terminated' };
    case 'NORMAL_CIRCUIT_CONGESTION':
      return { status: 503, phrase: 'Service Unavailable' };
    case 'NORMAL_TEMPORARY_FAILURE':
      return { status: 503, phrase: 'Service Unavailable' };
    case 'UNALLOCATED_NUMBER':
    case 'NO_ROUTE_DESTINATION':
      return { status: 404, phrase: 'Not Found' };
    case 'SUBSCRIBER_ABSENT':
      return { status: 480, phrase: 'Temporarily Unavailable' };
    default:
      return { status: 200, phrase: 'OK' };
  }
}
