/**
 * Seed 000, queryCallStatisticsInfo: GET /agentgateway/resource/calldata/{agentid}/statistics
 * answers an agent's 18 daily figures, today in the configured time zone, the status
 * the agent is in now counted up to now. The `Guid` header is the session token of the
 * sign-in response: the agent's own, or that of a signed-in supervisor whose role has
 * the monitor right over the agent's group. Documented in docs/api.md.
 *
 * The seed names the result codes 100-006 and 100-007 without saying what they mean;
 * polylink uses 100-006 for who is asking (the Guid) and 100-007 for what is asked. The
 * checks run in that order: the method, the Guid (before the request is validated), the
 * agent id, the agent, the right to read it.
 */
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AGENT_ID, isAgentId } from '../core/identifiers.js';
import { STAT_FIELDS } from '../core/records/daily-stats.js';
import type { Engine } from '../engine/engine.js';
import { unreachable } from './http-error.js';
import type { Logger } from '../log.js';

export const STATISTICS_PREFIX = '/agentgateway/resource/calldata/';
export const STATISTICS_URL = `${STATISTICS_PREFIX}:agentid/statistics`;

export const StatisticsRetCode = {
  OK: '0',
  /** The Guid is missing, is no signed-in agent's token, or may not read this agent. */
  GUID: '100-006',
  /** The request itself: a method other than GET, an agent id out of range or unknown. */
  REQUEST: '100-007',
} as const;

class StatisticsRefusal extends Error {
  constructor(
    readonly status: number,
    readonly retcode: string,
    message: string,
  ) {
    super(message);
  }
}

const TAGS = ['seed 000: agent statistics'];
const BAD_AGENT_ID = 'agentid must be a whole number from 101 to 999999';

const REFUSAL_SCHEMA = {
  type: 'object',
  properties: { message: { type: 'string' }, retcode: { type: 'string', enum: ['100-006', '100-007'] }, result: { type: 'null' } },
} as const;

const ANSWER_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    retcode: { type: 'string', enum: ['0'] },
    result: { type: 'object', properties: Object.fromEntries(STAT_FIELDS.map((f) => [f, { type: 'integer' }])), required: [...STAT_FIELDS] },
  },
} as const;

export const statisticsPlugin: FastifyPluginAsync<{ readonly engine: Engine; readonly log: Logger }> = async (app, { engine, log }) => {
  app.setErrorHandler((err: FastifyError | StatisticsRefusal, request, reply) => {
    const refusal = err instanceof StatisticsRefusal ? err : refusalOf(err);
    if (refusal.status >= 500) log.error({ err, url: request.url }, 'statistics request failed');
    if (refusal.status === 405) reply.header('allow', 'GET');
    return reply.code(refusal.status).send({ message: refusal.message, retcode: refusal.retcode, result: null });
  });

  app.route({
    method: 'GET',
    url: STATISTICS_URL,
    // Only GET is served; HEAD too is refused, as the seed says of every other method.
    exposeHeadRoute: false,
    schema: {
      tags: TAGS,
      summary: "An agent's figures of today (queryCallStatisticsInfo)",
      headers: { type: 'object', properties: { guid: { type: 'string', description: 'the guid of a sign-in response' } }, required: ['guid'] },
      params: { type: 'object', properties: { agentid: { type: 'string', pattern: AGENT_ID.source, description: 'the agent id, 101 … 999999' } } },
      response: { 200: ANSWER_SCHEMA, '4xx': REFUSAL_SCHEMA },
    },
    // Who asks is checked before what is asked: a stranger learns nothing of the agent ids.
    onRequest: async (request) => void callerOf(engine, request),
    handler: async (request, reply) => {
      const caller = callerOf(engine, request);
      const agentId = (request.params as { agentid: string }).agentid;
      const result = statisticsOf(engine, caller, agentId);
      reply.header('cache-control', 'no-store');
      return { message: '', retcode: StatisticsRetCode.OK, result };
    },
  });

  app.route({
    method: ['HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: STATISTICS_URL,
    schema: { hide: true },
    // Before the body is read: whatever it holds, the method is the answer.
    onRequest: async (request) => {
      throw new StatisticsRefusal(405, StatisticsRetCode.REQUEST, `only GET is supported, not ${request.method}`);
    },
    handler: unreachable,
  });
};

/** The agent whose sign-in the Guid header is. */
function callerOf(engine: Engine, request: FastifyRequest): string {
  const guid = request.headers['guid'];
  if (typeof guid !== 'string' || guid.trim() === '') throw new StatisticsRefusal(401, StatisticsRetCode.GUID, 'Guid header missing: send the guid of the sign-in response');
  const caller = engine.agents.agentOfGuid(guid.trim());
  if (caller === undefined) throw new StatisticsRefusal(401, StatisticsRetCode.GUID, 'Guid is not the token of a signed-in agent (signed out, or replaced by a newer sign-in)');
  return caller;
}

function statisticsOf(engine: Engine, caller: string, agentId: string): Record<string, number> {
  const { GUID, REQUEST } = StatisticsRetCode;
  if (!isAgentId(agentId)) throw new StatisticsRefusal(400, REQUEST, BAD_AGENT_ID);
  const org = engine.services.org;
  const profile = org.agent(agentId);
  const callerProfile = org.agent(caller);
  // Another tenant's agent is as unknown to the caller as one that does not exist.
  if (profile === undefined || profile.accountId !== callerProfile?.accountId) throw new StatisticsRefusal(404, REQUEST, `no agent ${agentId}`);
  const supervises = org.hasRight(caller, 'monitor') && org.monitorsGroup(caller, profile.groupId);
  if (caller !== agentId && !supervises) {
    throw new StatisticsRefusal(403, GUID, `agent ${caller} may read its own statistics and those of the groups its role monitors, not agent ${agentId}'s`);
  }
  const session = engine.agents.session(agentId);
  const current = session === undefined ? undefined : { status: session.machine.status, since: session.machine.since };
  const values = engine.stats.today(agentId, profile.accountId, engine.clock.now(), current);
  // In the seed's order, which is STAT_FIELDS' order.
  return Object.fromEntries(STAT_FIELDS.map((f) => [f, values[f]]));
}

/** What fastify refused before the handler, in the seed's answer: only the agent id can be wrong by then. */
function refusalOf(err: FastifyError): StatisticsRefusal {
  if (err.validationContext === 'params') return new StatisticsRefusal(400, StatisticsRetCode.REQUEST, BAD_AGENT_ID);
  const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
  return new StatisticsRefusal(status, StatisticsRetCode.REQUEST, status === 500 ? 'internal error' : err.message);
}
