/**
 * The admin API of the webhooks (fastify plugin `webhooksAdmin`): the push targets —
 * list, add, change, remove — and, per target, its backlog and dead pushes, and sending
 * dead ones again. Every route takes the admin preHandler (`authenticate`); errors answer
 * `{ error, message }`.
 */
import type { AdminAuthenticate } from './admin-auth.js';
import type { FastifyPluginAsync } from 'fastify';
// The routes' tags and summary are @fastify/swagger's schema fields (the OpenAPI document).
import type {} from '@fastify/swagger';
import { checkTarget, TargetError, type WebhookTarget } from '../webhooks/target.js';
import type { TargetView, Webhooks } from '../webhooks/webhooks.js';
import type { OutboxRow } from '../webhooks/outbox.js';

export interface WebhooksAdminOptions {
  readonly webhooks: Pick<Webhooks, 'list' | 'get' | 'add' | 'change' | 'remove' | 'pushes' | 'resend'> & { secretOf(id: string): string | undefined };
  readonly authenticate: AdminAuthenticate;
}

const TAGS = ['admin'];
const ERROR = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } }, required: ['error', 'message'] } as const;
const TARGET_IN = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string', description: 'seed001 or seed003' },
    events: { anyOf: [{ type: 'string', description: 'all' }, { type: 'array', items: { type: 'string' } }] },
    secret: { type: 'string' },
    timeoutMs: { type: 'integer' },
  },
} as const;
const TARGET_OUT = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    format: { type: 'string' },
    events: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    timeoutMs: { type: 'integer' },
    backlog: {
      type: 'object',
      properties: { pending: { type: 'integer' }, dead: { type: 'integer' }, oldestAgeSeconds: { type: ['integer', 'null'] } },
    },
  },
} as const;
const ID_PARAM = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } as const;

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function notFound(id: string): AdminError {
  return new AdminError(404, 'not-found', `no push target ${JSON.stringify(id)}`);
}

function checked(raw: unknown): WebhookTarget {
  try {
    return checkTarget(raw);
  } catch (err) {
    if (err instanceof TargetError) throw new AdminError(400, 'bad-target', err.message);
    throw err;
  }
}

function pushView(row: OutboxRow) {
  let body: unknown = row.body;
  try {
    body = JSON.parse(row.body);
  } catch {
    // kept as text
  }
  return {
    id: row.id,
    event: row.event,
    eventId: row.eventId,
    state: row.state,
    factAt: row.factAt,
    createdAt: row.createdAt,
    attempts: row.attempts,
    nextAt: row.nextAt,
    lastError: row.lastError,
    deadAt: row.deadAt,
    body,
  };
}

export const webhooksAdmin: FastifyPluginAsync<WebhooksAdminOptions> = async (app, { webhooks, authenticate }) => {
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AdminError) return reply.code(err.status).send({ error: err.code, message: err.message });
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: 'bad-request', message: (err as Error).message });
    app.log.error({ err }, 'webhooks admin request failed');
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });
  // onRequest, before the body is parsed or validated: a caller without the key learns nothing of what requests should look like.
  app.addHook('onRequest', authenticate);

  app.get('/admin/webhooks/targets', {
    schema: { tags: TAGS, summary: 'The push targets, each with its backlog and dead pushes', response: { 200: { type: 'object', properties: { targets: { type: 'array', items: TARGET_OUT } } } } },
  }, async () => ({ targets: webhooks.list() }));

  app.post('/admin/webhooks/targets', {
    schema: { tags: TAGS, summary: 'Add a push target', body: { ...TARGET_IN, required: ['id', 'url', 'format', 'secret'] }, response: { 201: TARGET_OUT, 400: ERROR, 409: ERROR } },
  }, async (req, reply) => {
    const target = checked(req.body);
    if (!webhooks.add(target)) throw new AdminError(409, 'exists', `a push target ${JSON.stringify(target.id)} exists already`);
    return reply.code(201).send(webhooks.get(target.id));
  });

  app.get<{ Params: { id: string } }>('/admin/webhooks/targets/:id', {
    schema: { tags: TAGS, summary: 'One push target with its backlog', params: ID_PARAM, response: { 200: TARGET_OUT, 404: ERROR } },
  }, async (req) => webhooks.get(req.params.id) ?? Promise.reject(notFound(req.params.id)));

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>('/admin/webhooks/targets/:id', {
    schema: { tags: TAGS, summary: 'Change a push target (url, format, events, secret, timeoutMs); pushes already waiting keep their body', params: ID_PARAM, body: TARGET_IN, response: { 200: TARGET_OUT, 400: ERROR, 404: ERROR } },
  }, async (req) => {
    const id = req.params.id;
    const current: TargetView | undefined = webhooks.get(id);
    const secret = webhooks.secretOf(id);
    if (current === undefined || secret === undefined) throw notFound(id);
    if (req.body['id'] !== undefined && req.body['id'] !== id) throw new AdminError(400, 'bad-target', 'id: a target keeps its id (remove it and add another)');
    const { backlog: _backlog, ...fields } = current;
    const next = checked({ ...fields, secret, ...req.body, id });
    return webhooks.change(id, { url: next.url, format: next.format, events: next.events, secret: next.secret, timeoutMs: next.timeoutMs });
  });

  app.delete<{ Params: { id: string } }>('/admin/webhooks/targets/:id', {
    schema: { tags: TAGS, summary: 'Remove a push target and the pushes waiting for it', params: ID_PARAM, response: { 204: { type: 'null' }, 404: ERROR } },
  }, async (req, reply) => {
    if (!webhooks.remove(req.params.id)) throw notFound(req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { state?: 'pending' | 'dead'; after?: number; limit?: number } }>('/admin/webhooks/targets/:id/pushes', {
    schema: {
      tags: TAGS,
      summary: 'A target’s waiting (state=pending) or dead (state=dead) pushes, oldest first, a page at a time',
      params: ID_PARAM,
      querystring: {
        type: 'object',
        properties: { state: { type: 'string', enum: ['pending', 'dead'], default: 'dead' }, after: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
      },
      response: { 404: ERROR },
    },
  }, async (req) => {
    if (webhooks.get(req.params.id) === undefined) throw notFound(req.params.id);
    const limit = req.query.limit ?? 100;
    const rows = webhooks.pushes(req.params.id, req.query.state ?? 'dead', req.query.after ?? 0, limit);
    return { pushes: rows.map(pushView), next: rows.length === limit ? rows.at(-1)!.id : null };
  });

  app.post<{ Params: { id: string }; Body: { id?: number } | undefined }>('/admin/webhooks/targets/:id/resend', {
    schema: {
      tags: TAGS,
      summary: 'Send a target’s dead pushes again: one (body {"id": n}) or all (no body); they go before newer ones',
      params: ID_PARAM,
      body: { type: ['object', 'null'], properties: { id: { type: 'integer', minimum: 1 } } },
      response: { 200: { type: 'object', properties: { resent: { type: 'integer' } } }, 404: ERROR },
    },
  }, async (req) => {
    if (webhooks.get(req.params.id) === undefined) throw notFound(req.params.id);
    const one = req.body?.id;
    const resent = webhooks.resend(req.params.id, one);
    if (one !== undefined && resent === 0) throw new AdminError(404, 'not-found', `no dead push ${one} for ${JSON.stringify(req.params.id)}`);
    return { resent };
  });
};
