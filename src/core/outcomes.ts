/**
 * The results the core decides: a name and a number each, no text. The numbers are the
 * ones seed 002 gives these results (§3.2.8), because the seed is where they are defined;
 * the protocol maps each to its wire code and holds the English and Chinese texts
 * (src/protocol/error-codes.ts; a unit test checks every outcome is registered there).
 */
export const Outcome = {
  OK: 0,
  DUPLICATE_SIGNIN: -6,
  EXTEN_NOT_REGISTERED: -11,
  EXTEN_BOUND_BY_OTHER: -12,
  INITSTATUS_INVALID: -14,
  TARGET_STATUS_INVALID: -16,
  CANNOT_SWITCH_TO_TARGET_STATUS: -17,
  DISPLAY_NUM_EMPTY: -19,
  NO_RIGHT: -21,
  DISPLAY_NUM_INVALID: -22,
  NOT_SIGNED_IN: -23,
  AGENT_STATE_ERROR: -24,
  EXTEN_NOT_BOUND: -25,
  BOUND_EXTEN_STATE_ERROR: -26,
  CALLER_IS_CALLEE: -28,
  CALLER_NOT_FOUND: -29,
  CALLEE_NOT_FOUND: -30,
  CALLER_STATE_ERROR: -31,
  CALLEE_STATE_ERROR: -32,
  CALLER_EXTEN_NOT_BOUND: -33,
  CALLEE_EXTEN_NOT_BOUND: -34,
  CALLER_EXTEN_STATE_ERROR: -35,
  CALLEE_EXTEN_STATE_ERROR: -36,
  IVR_NUM_INVALID: -40,
  QUEUE_NUM_INVALID: -42,
  AGENT_GROUP_LIST_FIELD_EMPTY: -45,
  AGENT_GROUP_LIST_EMPTY: -46,
  TARGET_AGENT_NOT_FOUND: -49,
  TARGET_AGENT_STATUS_ERROR: -50,
  AGENT_NOT_REGISTERED: -51,
  AGENT_NOT_ENABLED: -52,
  WRONG_PASSWORD: -53,
  CALLOUT_FAILED: -57,
  BAD_PARAMETER: -59,
  CALL_MODULE_FAILED: -60,
  AGENT_GROUP_NOT_FOUND: -61,
  IVR_PROFILE_NUM_INVALID: -64,
  TARGET_STATUS_CANNOT_BE_FORCED: -67,
  AGENT_HAS_NO_GROUP: -68,
  APPLY_THRESHOLD_REACHED: -69,
  ALREADY_APPLIED: -70,
  APPROVER_OFFLINE: -71,
  OWN_GROUP_NOT_FOUND: -72,
  APPROVAL_ALREADY_HANDLED: -75,
  APPLICATION_STATE_WRONG: -76,
  AGENT_GROUP_NAME_EMPTY: -77,
  THRESHOLD_INVALID: -78,
  APPLICATION_TIMED_OUT: -80,
  // polylink's own, numbered from -85 down as the protocol's registry numbers its additions.
  /** Too many failed sign-ins from the address (signin-guard.ts). */
  SIGNIN_THROTTLED: -89,
  /** The agent ID is locked after wrong passwords from many addresses (signin-guard.ts). */
  AGENT_LOCKED: -90,
} as const;

export type OutcomeName = keyof typeof Outcome;
export type OutcomeCode = (typeof Outcome)[OutcomeName];
