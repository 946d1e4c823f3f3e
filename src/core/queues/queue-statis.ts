/**
 * Queue_Statis_Struct (seed 002, GetQueueStatisLstEvent / GetAllQueueStatisEvent,
 * QueueStatisChangeEvent): how the members of a queue are doing and how many customers
 * wait — the seed's fields, as they were — and the wallboard's figures of the day
 * (queue-tally.ts, wallboard.ts), added after them. The same agent counts, over every
 * agent of a tenant, are the centre's agents by state.
 */
import type { FieldRecord } from '../agent-event.js';
import type { AgentSession } from '../agent-service.js';
import type { AgentQueries, QueueQueries } from '../queries.js';
import { AgentStatus, isCustomStatusNumber } from '../agent-status.js';
import type { Organisation, Queue } from '../organisation.js';
import { unixSeconds } from './queue-events.js';

/** Agents by state (the seed's agent_*_amount fields): `sessions` holds undefined for an agent signed out. */
export function agentCounts(sessions: Iterable<AgentSession | undefined>, accountId: string, org: Organisation): Record<string, string> {
  const counts = { busy: 0, callout: 0, calling: 0, hold: 0, mute: 0, idle: 0, leave: 0, noExten: 0, offline: 0, online: 0, acw: 0, ring: 0, talking: 0 };
  for (const session of sessions) {
    if (session === undefined) {
      counts.offline++;
      continue;
    }
    counts.online++;
    if (!session.bindExten) counts.noExten++;
    const status = session.machine.status;
    switch (status) {
      case AgentStatus.IDLE: counts.idle++; break;
      case AgentStatus.RING: case AgentStatus.CAMP_ON: counts.ring++; break;
      case AgentStatus.TALKING: counts.talking++; break;
      case AgentStatus.HOLD: counts.hold++; break;
      case AgentStatus.MUTE: counts.mute++; break;
      case AgentStatus.ACW: counts.acw++; break;
      case AgentStatus.BUSY: counts.busy++; break;
      case AgentStatus.LEAVE: counts.leave++; break;
      case AgentStatus.CALL_OUT: counts.callout++; break;
      case AgentStatus.CALLING_OUT: counts.calling++; break;
      default:
        // Custom statuses count as busy or as leave, by their kind.
        if (isCustomStatusNumber(status)) {
          if (org.customStatus(accountId, status)?.kind === 'rest') counts.leave++;
          else counts.busy++;
        }
    }
  }
  return {
    agent_busy_amount: String(counts.busy),
    agent_callout_amount: String(counts.callout),
    agent_calling_amount: String(counts.calling),
    agent_hold_amount: String(counts.hold),
    agent_mute_amount: String(counts.mute),
    agent_idle_amount: String(counts.idle),
    agent_leave_amount: String(counts.leave),
    agent_no_exten_amount: String(counts.noExten),
    agent_offline_amount: String(counts.offline),
    agent_online_amount: String(counts.online),
    agent_post_treatment: String(counts.acw),
    agent_ring_amount: String(counts.ring),
    agent_talking_amount: String(counts.talking),
  };
}

export function queueStatis(queue: Queue, org: Organisation, agents: AgentQueries, queues: QueueQueries, now: number): FieldRecord {
  const members = org.membersOfQueue(queue.queueNum);
  return {
    ...agentCounts(members.map((m) => agents.session(m.agentId)), queue.accountId, org),
    agentNumLstStr: members.map((m) => m.agentId).join(','),
    early_queue_enter_time: unixSeconds(queues.earliestEnter(queue.accountId, queue.queueNum)),
    early_queue_enter_time_all: unixSeconds(queues.earliestEnter(queue.accountId)),
    min_enter_queue_time: '',
    queue_name: queue.name,
    queue_num: queue.queueNum,
    queue_wait_people_amount: String(queues.waitingCount(queue.queueNum)),
    ...queues.figuresOf(queue, now),
  };
}

/** The whole centre (a tenant): its agents by state and its queues' figures together. */
export function centreStatis(accountId: string, org: Organisation, agents: AgentQueries, queues: QueueQueries, now: number): Record<string, string> {
  const sessions: Array<AgentSession | undefined> = [];
  for (const a of org.allAgents()) if (a.accountId === accountId) sessions.push(agents.session(a.agentId));
  return { ...agentCounts(sessions, accountId, org), queue_wait_people_amount: String(org.queuesOf(accountId).reduce((n, q) => n + queues.waitingCount(q.queueNum), 0)), ...queues.centreFiguresOf(accountId, now) };
}
