/**
 * Result codes of the seed 004 interfaces: the CC-FS error code reference for what the
 * seed's checks refuse (a missing, empty, too long or malformed field, a wrong version,
 * no body), and polylink's own, numbered after them, for what that reference does not
 * name (a period too long or reversed, another tenant's data, an unknown file, a bad
 * signature).
 */
export const ResultCode = {
  OK: '0',
  /** The value of {param} cannot be null. */
  NULL: '0300001',
  /** The value of {param} cannot be an empty string. */
  EMPTY: '0300002',
  /** The length of {param} is too long. */
  TOO_LONG: '0300003',
  /** The format of {param} is incorrect. */
  FORMAT: '0300004',
  /** The value of version is error, current version is 2.0. */
  VERSION: '0300006',
  /** The params of requestBody is null. */
  NO_BODY: '0300007',
  /** Reached the query flow control threshold (too many exports being built). */
  BUSY: '0300009',
  /** polylink: endTime is not after beginTime. */
  PERIOD_REVERSED: '0300101',
  /** polylink: the period is longer than exports.maxPeriodDays (the seed: three days). */
  PERIOD_TOO_LONG: '0300102',
  /** polylink: the accountId is not the app's own (HTTP 403). */
  FOREIGN_ACCOUNT: '0300103',
  /** polylink: no such file for this app, or it was removed after the retention (HTTP 404). */
  NO_FILE: '0300104',
  /** polylink: the Authorization is missing, wrong, outside the time window or replayed (HTTP 401). */
  UNAUTHORIZED: '0300105',
} as const;

export interface ResultError {
  readonly resultCode: string;
  readonly resultDesc: string;
}
