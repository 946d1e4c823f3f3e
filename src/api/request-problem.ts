/**
 * What was wrong with a request fastify refused before a handler ran: a field that failed
 * its route's JSON Schema (named, with the property's `description` saying what it must
 * be), a body that is not JSON or too large, a content type no route takes. Each API
 * family words these in its own answer shape (seed 001's message, the admin API's error).
 */
import type { FastifyError } from 'fastify';

export type RequestProblem =
  /** A required field is not there. `what` is the property's description. */
  | { readonly kind: 'missing'; readonly field: string; readonly what: string | undefined }
  /** A field whose value breaks its schema; `rule` is the validator's own words. */
  | { readonly kind: 'invalid'; readonly field: string; readonly what: string | undefined; readonly value: unknown; readonly rule: string; readonly keyword: string }
  /** A field the schema does not know. */
  | { readonly kind: 'unknown-field'; readonly field: string }
  /** The body (or query) as a whole is not an object. */
  | { readonly kind: 'not-an-object' }
  | { readonly kind: 'not-json' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'media-type' }
  /** Anything else fastify refused: its status and message. */
  | { readonly kind: 'other'; readonly status: number; readonly message: string };

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
  readonly parentSchema?: { readonly description?: string; readonly properties?: Record<string, { readonly description?: string }> };
  readonly data?: unknown;
}

export function problemOf(err: FastifyError): RequestProblem {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { kind: 'not-json' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { kind: 'too-large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { kind: 'media-type' };
    default:
      break;
  }
  const errors = (err.validation as readonly SchemaError[] | undefined) ?? [];
  // A value that is wrong explains more than a field that is missing: a form whose fields
  // ran together (`queue=630member=808`) has one bad value and the others missing.
  const first = errors.find((e) => e.keyword !== 'required') ?? errors[0];
  if (first === undefined) return { kind: 'other', status: err.statusCode ?? 500, message: err.message };
  const at = fieldOf(first.instancePath);
  if (first.keyword === 'required') {
    const name = String(first.params['missingProperty']);
    return { kind: 'missing', field: join(at, name), what: first.parentSchema?.properties?.[name]?.description };
  }
  if (first.keyword === 'additionalProperties') return { kind: 'unknown-field', field: join(at, String(first.params['additionalProperty'])) };
  if (at === '') return { kind: 'not-an-object' };
  return { kind: 'invalid', field: at, what: first.parentSchema?.description, value: first.data, rule: first.message ?? first.keyword, keyword: first.keyword };
}

/** `/members/0/level` → `members[0].level`. */
function fieldOf(instancePath: string): string {
  let out = '';
  for (const part of instancePath.split('/').slice(1)) {
    const name = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^[0-9]+$/.test(name) ? `${out}[${name}]` : join(out, name);
  }
  return out;
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
