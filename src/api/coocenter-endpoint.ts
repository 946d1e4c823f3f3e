/** What a seed 001 endpoint is: a method and path, and a handler that answers with a success body or throws HttpError. */
import type { Engine } from '../engine/engine.js';
import type { RequestFields } from './request-fields.js';

export interface EndpointContext {
  readonly engine: Engine;
  readonly fields: RequestFields;
  readonly now: number;
}

export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  handle(ctx: EndpointContext): Record<string, unknown>;
}

/** The seed's answer to a request that worked: `{"status": "success", "message": …}` and what else the endpoint tells. */
export function success(message: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'success', message, ...more };
}
