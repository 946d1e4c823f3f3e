/**
 * The routes of one admin resource, the same for every kind:
 *   GET    /admin/<path>?accountId&offset&limit   a page of the tenant's entries
 *   POST   /admin/<path>                          a new entry (201)
 *   GET    /admin/<path>/{key}                    one entry
 *   PATCH  /admin/<path>/{key}                    change the fields given (null clears one that may be empty)
 *   DELETE /admin/<path>/{key}                    take it off (204)
 * Their JSON Schemas come from the resource's fields: the shape of a request is checked
 * (types, unknown fields) before the handler, what it means by the organisation's check.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { tenantNamed } from '../tenant-of.js';
import { ADMIN_ERROR_SCHEMA, AdminError } from './admin-error.js';
import type { Entry, Resource } from './resource.js';

export const ADMIN_TAGS = ['admin'];
export const ERRORS = { '4xx': ADMIN_ERROR_SCHEMA, '5xx': ADMIN_ERROR_SCHEMA };
export const MAX_PAGE = 500;

const ACCOUNT_ID = { type: 'string', pattern: '^[0-9A-Za-z]{1,20}$', description: 'the tenant; may be left out when polylink serves one' };

/** The query string of a listing: the tenant and the page. */
export const PAGE_QUERY = {
  type: 'object',
  properties: {
    accountId: ACCOUNT_ID,
    offset: { type: 'integer', minimum: 0, default: 0, description: 'entries to skip' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100, description: `entries in the page, at most ${MAX_PAGE}` },
  },
  additionalProperties: false,
} as const;

/** A page of `items` with the total and where the page starts. */
export function pageSchema(item: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
  };
}

export function page<T>(items: readonly T[], query: { offset: number; limit: number }): { items: T[]; total: number; offset: number; limit: number } {
  return { items: items.slice(query.offset, query.offset + query.limit), total: items.length, offset: query.offset, limit: query.limit };
}

export function registerResource(app: FastifyInstance, engine: Engine, r: Resource): void {
  const readable = Object.fromEntries(Object.entries(r.properties).filter(([k]) => !r.writeOnly.includes(k)));
  const view = { type: 'object', properties: { accountId: { type: 'string' }, [r.key]: r.keySchema, ...readable } };
  const itemQuery = { type: 'object', properties: { accountId: ACCOUNT_ID }, additionalProperties: false };
  const params = { type: 'object', properties: { key: r.keySchema }, required: ['key'] };
  const fields = { accountId: ACCOUNT_ID, [r.key]: r.keySchema, ...r.properties };
  const one = (accountId: string, key: string): Entry => {
    const found = r.list(engine, accountId).find((e) => String(e[r.key]) === key);
    if (found === undefined) throw new AdminError(404, 'not-found', `no ${r.label} ${key}`);
    return found;
  };
  /** The tenant of the entry a path names (404 when no tenant has it). */
  const ownerOf = (key: string, named: string | undefined): string => {
    const accountId = r.tenantOf(engine, key, named);
    if (accountId === undefined) throw new AdminError(404, 'not-found', `no ${r.label} ${key}${named === undefined ? '' : ` in tenant ${named}`}`);
    return accountId;
  };

  app.get(`/${r.path}`, {
    schema: { tags: ADMIN_TAGS, summary: `A page of the ${r.label} list`, querystring: PAGE_QUERY, response: { 200: pageSchema(view), ...ERRORS } },
    handler: async (request) => {
      const query = request.query as { accountId?: string; offset: number; limit: number };
      return page(r.list(engine, tenantNamed(engine.services.org, query.accountId)), query);
    },
  });

  app.post(`/${r.path}`, {
    schema: {
      tags: ADMIN_TAGS,
      summary: `Add a ${r.label}`,
      body: { type: 'object', properties: fields, required: [r.key, ...r.required], additionalProperties: false },
      response: { 201: view, ...ERRORS },
    },
    handler: async (request, reply) => {
      const { accountId: named, ...entry } = request.body as Entry & { accountId?: string };
      const accountId = tenantNamed(engine.services.org, named);
      await r.create(engine, accountId, entry);
      return reply.code(201).send(one(accountId, String(entry[r.key])));
    },
  });

  app.get(`/${r.path}/:key`, {
    schema: { tags: ADMIN_TAGS, summary: `One ${r.label}`, params, querystring: itemQuery, response: { 200: view, ...ERRORS } },
    handler: async (request) => {
      const key = String((request.params as { key: unknown }).key);
      return one(ownerOf(key, (request.query as { accountId?: string }).accountId), key);
    },
  });

  if (r.immutable !== true) {
    app.patch(`/${r.path}/:key`, {
      schema: {
        tags: ADMIN_TAGS,
        summary: `Change a ${r.label}: the fields given${Object.values(r.properties).some((p) => Array.isArray(p['type']) && (p['type'] as unknown[]).includes('null')) ? ' (null clears one that may be empty)' : ''}`,
        params,
        querystring: itemQuery,
        body: { type: 'object', properties: fields, additionalProperties: false },
        response: { 200: view, ...ERRORS },
      },
      handler: async (request) => {
        const key = String((request.params as { key: unknown }).key);
        const { accountId: named, ...patch } = request.body as Entry & { accountId?: string };
        const accountId = ownerOf(key, (request.query as { accountId?: string }).accountId ?? named);
        if (named !== undefined && named !== accountId) throw new AdminError(400, 'bad-request', `accountId: cannot be changed (${r.label} ${key} is tenant ${accountId}'s)`, 'accountId');
        await r.update(engine, accountId, key, patch);
        return one(accountId, key);
      },
    });
  }

  app.delete(`/${r.path}/:key`, {
    schema: { tags: ADMIN_TAGS, summary: `Delete a ${r.label}`, params, querystring: itemQuery, response: { 204: { type: 'null', description: 'deleted' }, ...ERRORS } },
    handler: async (request, reply) => {
      const key = String((request.params as { key: unknown }).key);
      r.remove(engine, ownerOf(key, (request.query as { accountId?: string }).accountId), key);
      return reply.code(204).send();
    },
  });
}
