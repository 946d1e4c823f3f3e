/**
 * Seed 001 queue endpoints: the members of each queue with their pauses (queue-info),
 * an agent joining or leaving a queue at run time (agent-login, agent-logout), and a
 * pause in one queue only (agent-pause). Changes go through the core's entry point, so
 * a new or unpaused member is offered waiting calls at once, and are kept in SQLite
 * (queue_members, queue_pauses) through the effects the engine runs.
 */
import type { AgentProfile, Organisation, Queue, QueueMember } from '../core/organisation.js';
import type { Engine } from '../engine/engine.js';
import { success, successSchema, type Endpoint } from './coocenter-endpoint.js';
import type { RequestFields } from './coocenter-fields.js';
import { HttpError } from './http-error.js';
import { memberOf } from './member-of.js';
import { tenantOf } from './tenant-of.js';

/** The answer of a membership change: the queue, the agent, whether anything changed. */
const CHANGE = { queue: { type: 'string' }, agent: { type: 'string' }, changed: { type: 'boolean' } };

export const QUEUE_ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'GET',
    path: 'queues/queue-info',
    summary: 'Every queue of the tenant and its members, with their pauses',
    fields: { accountId: 'optional' },
    answer: successSchema({
      data: {
        type: 'object',
        description: 'queue number → its members in the organisation\'s order',
        additionalProperties: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, paused: { type: 'string', enum: ['0', '1'] }, penalty: { type: 'string' }, agent: { type: 'string' } },
          },
        },
      },
    }),
    handle({ engine, fields }) {
      const org = engine.services.org;
      const accountId = tenantOf(org, fields);
      const data = Object.fromEntries(
        org.queuesOf(accountId).map((q) => [q.queueNum, org.membersOfQueue(q.queueNum).map((m) => memberInfo(engine, m))]),
      );
      return success('Queue status will follow', { data });
    },
  },
  {
    method: 'POST',
    path: 'queues/agent-login',
    summary: 'An agent joins a queue',
    fields: { accountId: 'optional', queue: 'required', extension: 'optional', agent: 'optional' },
    answer: successSchema(CHANGE),
    handle({ engine, fields }) {
      const { queue, agent } = queueAndAgent(engine, fields, 'extension');
      if (!agent.enabled) throw new HttpError(409, `agent ${agent.agentId} is disabled`);
      const changed = engine.handle({ type: 'queue-join', agentId: agent.agentId, queueNum: queue.queueNum })?.changed === true;
      return success(changed ? 'login extension success' : 'the extension was in the queue already', { queue: queue.queueNum, agent: agent.agentId, changed });
    },
  },
  {
    method: 'POST',
    path: 'queues/agent-logout',
    summary: 'An agent leaves a queue',
    fields: { accountId: 'optional', queue: 'required', extension: 'optional', agent: 'optional' },
    answer: successSchema(CHANGE),
    handle({ engine, fields }) {
      const { queue, agent } = queueAndAgent(engine, fields, 'extension');
      const changed = engine.handle({ type: 'queue-leave', agentId: agent.agentId, queueNum: queue.queueNum })?.changed === true;
      return success(changed ? 'logout extension success' : 'the extension was not in the queue', { queue: queue.queueNum, agent: agent.agentId, changed });
    },
  },
  {
    method: 'POST',
    path: 'queues/agent-pause',
    summary: 'Pause or unpause a member in one queue',
    fields: { accountId: 'optional', queue: 'required', member: 'optional', agent: 'optional', state: 'required', reason: 'optional' },
    answer: successSchema({ ...CHANGE, paused: { type: 'boolean' } }),
    handle({ engine, fields }) {
      const org = engine.services.org;
      const { queue, agent } = queueAndAgent(engine, fields, 'member');
      const paused = fields.required('state') === 'on';
      const reason = fields.optional('reason') ?? null;
      if (!org.membersOfQueue(queue.queueNum).some((m) => m.agentId === agent.agentId)) {
        throw new HttpError(409, `agent ${agent.agentId} is not a member of queue ${queue.queueNum}`);
      }
      const changed = engine.handle({ type: 'queue-pause', agentId: agent.agentId, queueNum: queue.queueNum, paused, reason })?.changed === true;
      return success(paused ? 'pause member success' : 'unpause member success', { queue: queue.queueNum, agent: agent.agentId, paused, changed });
    },
  },
];

/** The queue (`queue`) and the agent (by `extensionField` or `agent`) a membership request names. */
function queueAndAgent(engine: Engine, fields: RequestFields, extensionField: 'extension' | 'member'): { queue: Queue; agent: AgentProfile } {
  const accountId = tenantOf(engine.services.org, fields);
  return { queue: queueOf(engine.services.org, accountId, fields), agent: memberOf(engine, accountId, fields, extensionField) };
}

function queueOf(org: Organisation, accountId: string, fields: RequestFields): Queue {
  const queueNum = fields.required('queue');
  const queue = org.queue(queueNum);
  // Another tenant's queue is as unknown here as one that does not exist.
  if (queue === undefined || queue.accountId !== accountId) throw new HttpError(404, `no queue ${queueNum}`);
  return queue;
}

/**
 * One member as the seed shows it: `name` is the channel its calls ring (sip/<the
 * extension the agent is on now, or its default one>), `agent` polylink's agent id.
 */
function memberInfo(engine: Engine, m: QueueMember): Record<string, string> {
  const session = engine.agents.session(m.agentId);
  const exten = session?.bindExten === true && session.exten !== null ? session.exten : engine.services.org.agent(m.agentId)?.defaultExten ?? null;
  return {
    name: exten === null ? `agent/${m.agentId}` : `sip/${exten}`,
    paused: engine.queues.isPaused(m.queueNum, m.agentId) ? '1' : '0',
    penalty: String(m.penalty),
    agent: m.agentId,
  };
}
