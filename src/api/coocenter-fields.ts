/**
 * The fields of seed 001's requests: each one's pattern and what it is, once. A route's
 * JSON Schema is made from them (so the OpenAPI document shows them and a bad value is
 * refused before the handler), and the family's error handler words a refusal from the
 * field's `description`. Docs: docs/api.md ("Requests").
 */
import { AGENT_ID } from '../core/identifiers.js';
import { PHONE_NUMBER } from '../numbers/phone-number.js';

export interface FieldSpec {
  readonly pattern: RegExp;
  /** What the value must be, as the refusal says it: "number must be <what>". */
  readonly what: string;
}

const REASON: FieldSpec = { pattern: /^[^\x00-\x1f\x7f]{1,200}$/, what: 'at most 200 characters, no control characters' };
const EXTENSION: FieldSpec = { pattern: PHONE_NUMBER, what: 'an extension (digits)' };

export const FIELDS = {
  accountId: { pattern: /^[A-Za-z0-9_.-]{1,64}$/, what: 'a tenant id (letters, digits, _ . -)' },
  queue: { pattern: /^[A-Za-z0-9_.-]{1,64}$/, what: 'a queue number' },
  extension: EXTENSION,
  member: EXTENSION,
  agent: { pattern: AGENT_ID, what: 'an agent id (101 … 999999)' },
  state: { pattern: /^(on|off)$/, what: 'on (pause) or off (unpause)' },
  reason: REASON,
  number: { pattern: PHONE_NUMBER, what: 'a phone number: digits with an optional leading +, at most 32' },
  // src and dst mean something else to each endpoint (click-number, transfer, extenSpy: each
  // route's summary says what); the refusal says only what a value must look like.
  src: { pattern: PHONE_NUMBER, what: 'an extension or phone number: digits with an optional leading +, at most 32' },
  dst: { pattern: PHONE_NUMBER, what: 'an extension or phone number: digits with an optional leading +, at most 32' },
} as const satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;

/** The fields an endpoint takes: each required or not. */
export type EndpointFields = Partial<Record<FieldName, 'required' | 'optional'>>;

/** A JSON Schema of an object holding these fields as text (JSON numbers are taken as text). */
export function fieldsSchema(fields: EndpointFields): Record<string, unknown> {
  const names = Object.keys(fields) as FieldName[];
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string', pattern: FIELDS[n].pattern.source, description: FIELDS[n].what }])),
    required: names.filter((n) => fields[n] === 'required'),
  };
}

/** The validated fields of one request. */
export class RequestFields {
  constructor(private readonly values: Readonly<Record<string, unknown>>) {}

  /** The value when given, else undefined. */
  optional(name: FieldName): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** A field the route's schema requires: there by the time a handler runs. */
  required(name: FieldName): string {
    const value = this.optional(name);
    if (value === undefined) throw new Error(`${name} is required by the route's schema but missing`);
    return value;
  }
}
