/**
 * The agent a seed 001 queue request is about. The seed names queue members by
 * extension (`extension=800`, `member=808`); polylink's queues hold agents, so an
 * extension stands for the agent signed in on it now, or else for the agent whose
 * default extension it is. `agent` names an agent id directly; agent-pause's `member`
 * may be either, and is refused when it names two different agents.
 */
import { AGENT_ID } from '../core/identifiers.js';
import type { AgentProfile } from '../core/organisation.js';
import type { Engine } from '../engine/engine.js';
import { HttpError } from './http-error.js';
import type { RequestFields } from './coocenter-fields.js';

export function memberOf(engine: Engine, accountId: string, fields: RequestFields, extensionField: 'extension' | 'member'): AgentProfile {
  const extension = fields.optional(extensionField);
  const agentId = fields.optional('agent');
  if (extension === undefined && agentId === undefined) throw new HttpError(400, `${extensionField} or agent is required`);
  const byAgent = agentId === undefined ? undefined : agentById(engine, accountId, agentId);
  if (agentId !== undefined && byAgent === undefined) throw new HttpError(404, `no agent ${agentId}`);
  if (extension === undefined) return byAgent!;
  let byExtension = agentByExtension(engine, accountId, extension);
  if (extensionField === 'member' && agentId === undefined) {
    const asId = AGENT_ID.test(extension) ? agentById(engine, accountId, extension) : undefined;
    if (byExtension !== undefined && asId !== undefined && byExtension.agentId !== asId.agentId) {
      throw new HttpError(400, `member ${extension} is the extension of agent ${byExtension.agentId} and the id of another agent: send extension= or agent=`);
    }
    byExtension ??= asId;
  }
  if (byExtension === undefined) throw new HttpError(404, `no agent with ${extensionField === 'member' ? 'extension or id' : 'extension'} ${extension}`);
  if (byAgent !== undefined && byAgent.agentId !== byExtension.agentId) {
    throw new HttpError(400, `extension ${extension} is agent ${byExtension.agentId}'s, not agent ${byAgent.agentId}'s`);
  }
  return byExtension;
}

function agentById(engine: Engine, accountId: string, agentId: string): AgentProfile | undefined {
  const profile = engine.services.org.agent(agentId);
  // Another tenant's agent is as unknown here as one that does not exist.
  return profile?.accountId === accountId ? profile : undefined;
}

function agentByExtension(engine: Engine, accountId: string, extension: string): AgentProfile | undefined {
  const signedIn = engine.agents.agentOfExten(extension);
  if (signedIn !== undefined) {
    const profile = agentById(engine, accountId, signedIn);
    if (profile !== undefined) return profile;
  }
  const owners = [...engine.services.org.allAgents()].filter((a) => a.accountId === accountId && a.defaultExten === extension);
  if (owners.length > 1) throw new HttpError(400, `extension ${extension} is the default extension of several agents: send agent=`);
  return owners[0];
}
