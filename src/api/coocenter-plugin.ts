/**
 * Seed 001's HTTP API under /coocenter-api/, a fastify plugin: authentication by WEBKEY
 * before anything else (even a path that does not exist), the seed's form bodies (and
 * JSON) read into one set of fields with the query string, each endpoint a route whose
 * JSON Schema is made from its fields, and every answer the seed's JSON: success bodies
 * from the endpoints, errors `{"status": "error", "message": <reason>}` with a 4xx, worded
 * by this family's one error handler. Documented in docs/api.md.
 */
import formBody from '@fastify/formbody';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Engine } from '../engine/engine.js';
import type { Logger } from '../log.js';
import type { DayClock } from '../time-format.js';
import { MAX_BODY_BYTES } from '../transport/http-server.js';
import { BLACKLIST_ENDPOINTS } from './blacklist-endpoints.js';
import { CALL_ENDPOINTS } from './call-endpoints.js';
import { ERROR_SCHEMA, type Endpoint, type RegisteredPhone } from './coocenter-endpoint.js';
import { fieldsSchema, RequestFields } from './coocenter-fields.js';
import { EXTENSION_ENDPOINTS } from './extension-endpoints.js';
import { HttpError, registerCatchAll } from './http-error.js';
import { MONITOR_PATH, sendRecording } from './monitor-route.js';
import { QUEUE_ENDPOINTS } from './queue-endpoints.js';
import { problemOf } from './request-problem.js';
import { checkWebKey } from './web-key.js';

export const COOCENTER_PREFIX = '/coocenter-api';

export interface CoocenterOptions {
  readonly engine: Engine;
  readonly days: DayClock;
  /** api.webKey: null lets only requests from this host in. */
  readonly webKey: string | null;
  /** calls.recordingsDir: where monitor/ serves recordings from. */
  readonly recordingsDir: string;
  /** The phones registered on the switch now. */
  readonly registrations: () => readonly RegisteredPhone[];
  readonly log: Logger;
}

export const ENDPOINTS: readonly Endpoint[] = [...QUEUE_ENDPOINTS, ...BLACKLIST_ENDPOINTS, ...CALL_ENDPOINTS, ...EXTENSION_ENDPOINTS];

const TAGS = ['seed 001: switchboard (/coocenter-api/)'];
const ERRORS = { '4xx': ERROR_SCHEMA, '5xx': ERROR_SCHEMA };

export const coocenterPlugin: FastifyPluginAsync<CoocenterOptions> = async (app, options) => {
  const log = options.log.child({ module: 'coocenter-api' });
  const { engine } = options;
  // The seed's curl examples send forms; only this family takes them.
  await app.register(formBody, { bodyLimit: MAX_BODY_BYTES });
  // Before anything else: a client without the key learns nothing, not even which paths exist.
  app.addHook('onRequest', async (request) => authenticate(request, options));
  app.addHook('preValidation', async (request) => mergeFields(request));
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    const refusal = refusalOf(err);
    if (refusal.status >= 500) log.error({ err, url: request.url }, 'seed 001 request failed');
    else log.debug({ method: request.method, url: request.url, status: refusal.status, reason: refusal.message }, 'request refused');
    return reply.code(refusal.status).headers(refusal.headers).send({ status: 'error', message: refusal.message });
  });

  for (const endpoint of ENDPOINTS) {
    const fields = fieldsSchema(endpoint.fields);
    app.route({
      method: endpoint.method,
      url: `/${endpoint.path}`,
      bodyLimit: MAX_BODY_BYTES,
      schema: {
        tags: TAGS,
        summary: endpoint.summary,
        ...(endpoint.method === 'GET' ? { querystring: fields } : { body: fields, consumes: ['application/x-www-form-urlencoded', 'application/json'] }),
        response: { 200: endpoint.answer, ...ERRORS },
      },
      handler: async (request) => {
        const source = (endpoint.method === 'GET' ? request.query : request.body) as Record<string, unknown>;
        const answer = endpoint.handle({ engine, fields: new RequestFields(source), now: engine.clock.now(), registrations: options.registrations });
        // Business systems change who takes calls and what calls do: the log says who asked for what.
        if (endpoint.method !== 'GET') log.info({ method: endpoint.method, path: request.url, remote: request.ip, ...(answer as Record<string, unknown>) }, 'changed through the API');
        return answer;
      },
    });
  }

  app.get(`/${MONITOR_PATH}*`, {
    schema: {
      tags: TAGS,
      summary: 'A recording from calls.recordingsDir (Range requests answered)',
      params: { type: 'object', properties: { '*': { type: 'string', description: 'the recording under calls.recordingsDir, e.g. 20261121/<call id>.wav' } } },
      produces: ['audio/wav', 'audio/mpeg', 'application/octet-stream'],
      response: { 200: { type: 'string', format: 'binary', description: 'the recording (206 with Content-Range for a Range request)' }, ...ERRORS },
    },
    handler: (request, reply) => sendRecording(request, reply, options.recordingsDir, `${COOCENTER_PREFIX}/${MONITOR_PATH}`),
  });

  // Any other path or method of the family: the seed's error answer, 404 or 405 naming what is allowed.
  registerCatchAll(
    app,
    (path) => ENDPOINTS.filter((e) => `${COOCENTER_PREFIX}/${e.path}` === path).map((e) => e.method),
    (status, message, allow) => new HttpError(status, message, allow === undefined ? {} : { allow }),
  );
};

function authenticate(request: FastifyRequest, options: CoocenterOptions): void {
  if (options.webKey !== null) {
    // The business system computes the key from its own calendar: the wall clock's date, stepped or not.
    const check = checkWebKey(request.headers.authorization, options.webKey, options.engine.clock.wallNow(), options.days);
    if (!check.ok) throw new HttpError(401, check.reason);
  } else if (!isLoopback(request.socket.remoteAddress)) {
    // No key set (a fresh install): these endpoints change who takes calls, so only this host may use them.
    throw new HttpError(401, 'api.webKey is not set: the API answers requests from this host only');
  }
}

/**
 * The fields of a request come in the query string and (except for GET) the body; a
 * field given in both is refused, as is one given twice in either (its value is then a
 * list, which the schema refuses): which of two values was meant cannot be guessed. An
 * empty value counts as not given.
 */
function mergeFields(request: FastifyRequest): void {
  const query = withoutEmpty(request.query as Record<string, unknown>);
  if (request.method === 'GET' || request.method === 'HEAD') {
    request.query = query;
    return;
  }
  const body = request.body ?? {};
  // A body that is not an object (a JSON array, a string) is left for the schema to refuse.
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const fields = withoutEmpty(body as Record<string, unknown>);
  for (const name of Object.keys(query)) if (name in fields) throw new HttpError(400, `${name} is given twice`);
  request.body = { ...query, ...fields };
}

function withoutEmpty(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
}

/** A refusal in the seed's words: the field and what it must be. */
function refusalOf(err: FastifyError | HttpError): { status: number; message: string; headers: Record<string, string> } {
  if (err instanceof HttpError) return { status: err.status, message: err.message, headers: { ...err.headers } };
  const problem = problemOf(err);
  switch (problem.kind) {
    case 'missing':
      return refused(400, `${problem.field} is required: ${problem.what ?? 'a value'}`);
    case 'invalid': {
      const { field, value } = problem;
      if (Array.isArray(value)) return refused(400, `${field} is given twice`);
      if (problem.keyword === 'type') return refused(400, `${field} must be a string or a number`);
      const text = String(value);
      // The seed's examples run fields together ("queue=630member=808"): say so rather than only "bad queue".
      const hint = text.includes('=') ? '; separate fields with & (queue=630&member=808&state=on)' : '';
      return refused(400, `${field} must be ${problem.what ?? problem.rule} (got ${JSON.stringify(text.slice(0, 64))})${hint}`);
    }
    case 'unknown-field':
      return refused(400, `${problem.field} is not a field of this endpoint`);
    case 'not-an-object':
      return refused(400, 'body must be a JSON object');
    case 'not-json':
      return refused(400, 'body is not valid JSON');
    case 'too-large':
      return refused(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    case 'media-type':
      return refused(415, 'send the body as application/x-www-form-urlencoded or application/json');
    case 'other':
      return problem.status >= 500 ? refused(500, 'internal error') : refused(problem.status, problem.message);
  }
}

function refused(status: number, message: string): { status: number; message: string; headers: Record<string, string> } {
  return { status, message, headers: {} };
}

/** 127.0.0.0/8, ::1, and IPv4 loopback as an IPv6-mapped address. */
function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
