/**
 * The admin API under /admin/, a fastify plugin: the organisation (agents, groups, roles
 * and their rights, custom statuses, queues and their members, IVRs, IVR profiles, access
 * numbers) and the customer lists (blacklist, customers), read, created, changed and
 * deleted while polylink runs, each change checked as `polylink import` checks a file and
 * in effect at once through the core. Off (404) without api.adminKey; otherwise every
 * request carries `Authorization: Bearer <api.adminKey>` (admin-auth.ts). Errors
 * `{"error": <code>, "message": <reason>, "field"?}` from this family's one error
 * handler. Documented in docs/api.md ("Admin API").
 */
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { ALL_RIGHTS, RIGHTS } from '../../core/rights.js';
import type { Engine } from '../../engine/engine.js';
import type { Logger } from '../../log.js';
import type { AdminAuthenticate } from '../admin-auth.js';
import { HttpError, registerCatchAll } from '../http-error.js';
import { problemOf } from '../request-problem.js';
import { AdminError, type AdminErrorCode } from './admin-error.js';
import { LIST_RESOURCES } from './list-resources.js';
import { registerMemberRoutes } from './member-routes.js';
import { ORGANISATION_RESOURCES } from './organisation-resources.js';
import { ADMIN_TAGS, ERRORS, registerResource } from './resource-routes.js';

export const ADMIN_PREFIX = '/admin';

export interface AdminOptions {
  readonly engine: Engine;
  readonly authenticate: AdminAuthenticate;
  readonly log: Logger;
}

const CODES: Readonly<Record<number, AdminErrorCode>> = {
  400: 'bad-request',
  401: 'unauthorized',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  503: 'unavailable',
};

export const adminPlugin: FastifyPluginAsync<AdminOptions> = async (app, options) => {
  const { engine } = options;
  const log = options.log.child({ module: 'admin-api' });
  // Before the body is read: a stranger learns nothing, not even what a request should look like.
  app.addHook('onRequest', options.authenticate);
  app.setErrorHandler((err: FastifyError | AdminError | HttpError, request, reply) => {
    const refusal = refusalOf(err);
    if (refusal.status >= 500 && refusal.code === 'internal') log.error({ err, url: request.url }, 'admin request failed');
    else log.debug({ method: request.method, url: request.url, status: refusal.status, reason: refusal.message }, 'admin request refused');
    if (refusal.status === 405 && refusal.allow !== undefined) reply.header('allow', refusal.allow);
    return reply.code(refusal.status).send({ error: refusal.code, message: refusal.message, ...(refusal.field !== undefined ? { field: refusal.field } : {}) });
  });
  // Every change is a line in the log: who changed the organisation, and what.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && reply.statusCode < 300) {
      log.info({ method: request.method, url: request.url, remote: request.ip, status: reply.statusCode }, 'organisation changed through the admin API');
    }
  });

  for (const resource of [...ORGANISATION_RESOURCES, ...LIST_RESOURCES]) registerResource(app, engine, resource);
  registerMemberRoutes(app, engine);

  app.get('/rights', {
    schema: {
      tags: ADMIN_TAGS,
      summary: 'The rights a role can hold',
      response: {
        200: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, en: { type: 'string' }, zh: { type: 'string' } } } },
        ...ERRORS,
      },
    },
    handler: async () => ALL_RIGHTS.map((code) => ({ code, en: RIGHTS[code][0], zh: RIGHTS[code][1] })),
  });

  // Any other path or method of the family: 404, or 405 naming the methods the path takes.
  registerCatchAll(
    app,
    (path) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((method) => app.hasRoute({ method, url: `${ADMIN_PREFIX}${routeOf(path)}` })),
    (status, message, allow) => new AdminError(status, status === 404 ? 'not-found' : 'method-not-allowed', message, undefined, allow),
  );
};

/** The route pattern a concrete admin path would match (`/admin/agents/1001` → `/agents/:key`). */
function routeOf(path: string): string {
  const rest = path.startsWith(`${ADMIN_PREFIX}/`) ? path.slice(ADMIN_PREFIX.length) : path;
  const parts = rest.split('/');
  if (parts[1] === 'queues' && parts[3] === 'members') return parts.length === 4 ? '/queues/:num/members' : '/queues/:num/members/:agent';
  return parts.length === 3 ? `/${parts[1]}/:key` : `/${parts[1]}`;
}

interface Refusal {
  readonly status: number;
  readonly code: AdminErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly allow?: string;
}

function refusalOf(err: FastifyError | AdminError | HttpError): Refusal {
  if (err instanceof AdminError) {
    return { status: err.status, code: err.code, message: err.message, ...(err.field !== undefined ? { field: err.field } : {}), ...(err.allow !== undefined ? { allow: err.allow } : {}) };
  }
  if (err instanceof HttpError) return { status: err.status, code: CODES[err.status] ?? 'bad-request', message: err.message };
  const p = problemOf(err);
  switch (p.kind) {
    case 'missing':
      return { status: 400, code: 'bad-request', message: `${p.field}: is required${p.what === undefined ? '' : ` (${p.what})`}`, field: p.field };
    case 'invalid':
      return { status: 400, code: 'bad-request', message: `${p.field}: ${p.rule}`, field: p.field };
    case 'unknown-field':
      // The organisation file's word for it.
      return { status: 400, code: 'bad-request', message: `${p.field}: unknown key`, field: p.field };
    case 'not-an-object':
      return { status: 400, code: 'bad-request', message: 'the body must be a JSON object' };
    case 'not-json':
      return { status: 400, code: 'bad-request', message: 'the body is not valid JSON' };
    case 'too-large':
      return { status: 413, code: 'payload-too-large', message: 'the body is larger than 16384 bytes' };
    case 'media-type':
      return { status: 415, code: 'unsupported-media-type', message: 'send the body as application/json' };
    case 'other':
      return p.status >= 500 ? { status: 500, code: 'internal', message: 'internal error' } : { status: p.status, code: CODES[p.status] ?? 'bad-request', message: p.message };
  }
}
