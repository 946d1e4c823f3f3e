/** A refusal of the admin API: `{ "error": <code>, "message": <reason>, "field"?: <the field> }` with its status. */
export type AdminErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unavailable'
  | 'internal';

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: AdminErrorCode,
    message: string,
    readonly field?: string,
    /** The methods a path takes (a 405's Allow). */
    readonly allow?: string,
  ) {
    super(message);
  }
}

/** JSON Schema of the admin API's error answer. */
export const ADMIN_ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
  required: ['error', 'message'],
} as const;
