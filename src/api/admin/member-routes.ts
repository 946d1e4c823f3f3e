/**
 * A queue's members, one by one, with their skill level and penalty:
 *   GET    /admin/queues/{num}/members            a page of them, in the order they are offered calls
 *   PUT    /admin/queues/{num}/members/{agent}    add the agent, or change its level and penalty
 *   DELETE /admin/queues/{num}/members/{agent}    take it out (a pause it had in the queue ends)
 * A new member is offered a waiting customer in the same step.
 */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/engine.js';
import { AdminError } from './admin-error.js';
import { apply, checked, documentOf } from './organisation-edit.js';
import { ADMIN_TAGS, ERRORS, page, PAGE_QUERY, pageSchema } from './resource-routes.js';

const MEMBER = {
  type: 'object',
  properties: {
    agent: { type: 'string', description: 'the agent id' },
    level: { type: 'integer', description: 'skill level: level 1 is offered calls before level 2' },
    penalty: { type: 'integer', description: 'order within a level, lower first' },
    paused: { type: 'boolean', description: 'paused in this queue (seed 001 agent-pause)' },
  },
} as const;

const QUEUE = { type: 'object', properties: { num: { type: 'string', description: 'the queue number' } }, required: ['num'] } as const;
const QUEUE_AND_AGENT = { type: 'object', properties: { num: QUEUE.properties.num, agent: { type: 'string', description: 'the agent id' } }, required: ['num', 'agent'] } as const;

export function registerMemberRoutes(app: FastifyInstance, engine: Engine): void {
  const org = engine.services.org;
  const queueOf = (num: string): string => {
    const accountId = org.queue(num)?.accountId;
    if (accountId === undefined) throw new AdminError(404, 'not-found', `no queue ${num}`);
    return accountId;
  };
  /** The queue's tenant document to edit, the queue's index in it, its member list, and the agent's place in that list (-1: not a member). */
  const memberEdit = (num: string, agent: string) => {
    const accountId = queueOf(num);
    const doc = documentOf(engine, accountId);
    const q = doc.queues.findIndex((x) => x['num'] === num);
    const list = (doc.queues[q]!['members'] ?? []) as Record<string, unknown>[];
    return { accountId, doc, q, list, at: list.findIndex((m) => m['agent'] === agent) };
  };
  const members = (num: string) =>
    org.membersOfQueue(num).map((m) => ({ agent: m.agentId, level: m.level, penalty: m.penalty, paused: engine.queues.isPaused(num, m.agentId) }));

  app.get('/queues/:num/members', {
    schema: { tags: ADMIN_TAGS, summary: "A page of a queue's members", params: QUEUE, querystring: PAGE_QUERY, response: { 200: pageSchema(MEMBER), ...ERRORS } },
    handler: async (request) => {
      const { num } = request.params as { num: string };
      queueOf(num);
      return page(members(num), request.query as { offset: number; limit: number });
    },
  });

  app.put('/queues/:num/members/:agent', {
    schema: {
      tags: ADMIN_TAGS,
      summary: "Add an agent to a queue, or change its level and penalty",
      params: QUEUE_AND_AGENT,
      body: { type: 'object', properties: { level: MEMBER.properties.level, penalty: MEMBER.properties.penalty }, additionalProperties: false },
      response: { 200: MEMBER, ...ERRORS },
    },
    handler: async (request) => {
      const { num, agent } = request.params as { num: string; agent: string };
      const { accountId, doc, q, list, at } = memberEdit(num, agent);
      const member = { ...(at < 0 ? { agent } : list[at]), ...(request.body as Record<string, unknown> | undefined) };
      if (at < 0) list.push(member);
      else list[at] = member;
      doc.queues[q]!['members'] = list;
      apply(engine, accountId, checked(doc, `queues[${q}].members[${at < 0 ? list.length - 1 : at}]`));
      return members(num).find((m) => m.agent === agent);
    },
  });

  app.delete('/queues/:num/members/:agent', {
    schema: { tags: ADMIN_TAGS, summary: 'Take an agent out of a queue', params: QUEUE_AND_AGENT, response: { 204: { type: 'null', description: 'deleted' }, ...ERRORS } },
    handler: async (request, reply) => {
      const { num, agent } = request.params as { num: string; agent: string };
      const { accountId, doc, list, at } = memberEdit(num, agent);
      if (at < 0) throw new AdminError(404, 'not-found', `agent ${agent} is not a member of queue ${num}`);
      list.splice(at, 1);
      apply(engine, accountId, checked(doc, undefined));
      return reply.code(204).send();
    },
  });
}
