/**
 * Seed 000, queryCallStatisticsInfo: GET /agentgateway/resource/calldata/{agentid}/statistics
 * answers an agent's 18 daily figures, today in the configured time zone, the status
 * the agent is in now counted up to now. The `Guid` header is the session token of the
 * sign-in response: the agent's own, or that of a signed-in supervisor whose role has
 * the monitor right over the agent's group. Documented in docs/api.md.
 *
 * The seed names the result codes 100-006 and 100-007 without saying what they mean;
 * polylink uses 100-006 for who is asking (the Guid) and 100-007 for what is asked.
 */
import { isAgentId } from '../core/identifiers.js';
import type http from 'node:http';
import { STAT_FIELDS } from '../core/records/daily-stats.js';
import type { Engine } from '../engine/engine.js';
import type { RouteHandler } from '../transport/http-server.js';
import { sendJson } from './http-json.js';

export const STATISTICS_PATH = /^\/agentgateway\/resource\/calldata\/([^/]*)\/statistics$/;

export const StatisticsRetCode = {
  OK: '0',
  /** The Guid is missing, is no signed-in agent's token, or may not read this agent. */
  GUID: '100-006',
  /** The request itself: a method other than GET, an agent id out of range or unknown. */
  REQUEST: '100-007',
} as const;


class StatisticsRefusal {
  constructor(
    readonly status: number,
    readonly retcode: string,
    readonly message: string,
  ) {}
}

export function statisticsRoutes(engine: Engine): RouteHandler {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = STATISTICS_PATH.exec(path);
    if (match === null) return false;
    try {
      const result = statisticsOf(engine, req, match[1]!);
      sendJson(res, 200, { message: '', retcode: StatisticsRetCode.OK, result }, { 'cache-control': 'no-store' });
    } catch (err) {
      if (!(err instanceof StatisticsRefusal)) throw err;
      const headers = err.status === 405 ? { allow: 'GET' } : {};
      sendJson(res, err.status, { message: err.message, retcode: err.retcode, result: null }, headers);
    }
    return true;
  };
}

function statisticsOf(engine: Engine, req: http.IncomingMessage, rawAgentId: string): Record<string, number> {
  const { GUID, REQUEST } = StatisticsRetCode;
  if (req.method !== 'GET') throw new StatisticsRefusal(405, REQUEST, `only GET is supported, not ${req.method ?? '?'}`);
  const guid = req.headers['guid'];
  if (typeof guid !== 'string' || guid.trim() === '') throw new StatisticsRefusal(401, GUID, 'Guid header missing: send the guid of the sign-in response');
  const caller = engine.agents.agentOfGuid(guid.trim());
  if (caller === undefined) throw new StatisticsRefusal(401, GUID, 'Guid is not the token of a signed-in agent (signed out, or replaced by a newer sign-in)');
  const agentId = decodeSegment(rawAgentId);
  if (agentId === undefined || !isAgentId(agentId)) {
    throw new StatisticsRefusal(400, REQUEST, 'agentid must be a whole number from 101 to 999999');
  }
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

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
