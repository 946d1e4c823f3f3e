/**
 * What a seed 001 endpoint is: a method and a path under /coocenter-api/, the request
 * fields it takes (its JSON Schema is made from them), the JSON Schema of its answer, and
 * a handler that answers or throws HttpError. The plugin (coocenter-plugin.ts) turns each
 * into a fastify route.
 */
import type { Engine } from '../engine/engine.js';
import type { EndpointFields, RequestFields } from './coocenter-fields.js';

/** A phone registered on the switch, as the switch tracks it. */
export interface RegisteredPhone {
  readonly user: string;
  readonly realm: string;
  /** The contact's SIP URI (its host is the phone's address). */
  readonly contact: string;
}

export interface EndpointContext {
  readonly engine: Engine;
  readonly fields: RequestFields;
  readonly now: number;
  /** The phones registered on the switch now. */
  readonly registrations: () => readonly RegisteredPhone[];
}

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Under /coocenter-api/, e.g. `queues/queue-info`. */
  readonly path: string;
  readonly summary: string;
  readonly fields: EndpointFields;
  /** JSON Schema of a 200 answer. */
  readonly answer: Record<string, unknown>;
  handle(ctx: EndpointContext): unknown;
}

/** The seed's answer to a request that worked: `{"status": "success", "message": …}` and what else the endpoint tells. */
export function success(message: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'success', message, ...more };
}

/** JSON Schema of a success answer with these further properties. */
export function successSchema(properties: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'object',
    properties: { status: { type: 'string', enum: ['success'] }, message: { type: 'string' }, ...properties },
    required: ['status'],
  };
}

/** JSON Schema of the seed's error answer. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: { status: { type: 'string', enum: ['error'] }, message: { type: 'string' } },
  required: ['status', 'message'],
} as const;
