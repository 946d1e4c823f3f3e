/**
 * Queue_Statis_Struct (seed 002, GetQueueStatisLstEvent / GetAllQueueStatisEvent): how
 * the members of a queue are doing and how many customers wait.
 */
import type { FieldRecord } from '../agent-event.js';
import type { AgentQueries, QueueQueries } from '../queries.js';
import { AgentStatus, isCustomStatusNumber } from '../agent-status.js';
import type { Organisation, Queue } from '../organisation.js';
import { unixSeconds } from './queue-events.js';

export function queueStatis(queue: Queue, org: Organisation, agents: AgentQueries, queues: QueueQueries): FieldRecord {
  const counts = { busy: 0, callout: 0, calling: 0, hold: 0, mute: 0, idle: 0, leave: 0, noExten: 0, offline: 0, online: 0, acw: 0, ring: 0, talking: 0 };
  const members = org.membersOfQueue(queue.queueNum);
  for (const m of members) {
    const session = agents.session(m.agentId);
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
          if (org.customStatus(queue.accountId, status)?.kind === 'rest') counts.leave++;
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
    agentNumLstStr: members.map((m) => m.agentId).join(','),
    early_queue_enter_time: unixSeconds(queues.earliestEnter(queue.accountId, queue.queueNum)),
    early_queue_enter_time_all: unixSeconds(queues.earliestEnter(queue.accountId)),
    min_enter_queue_time: '',
    queue_name: queue.name,
    queue_num: queue.queueNum,
    queue_wait_people_amount: String(queues.waitingCount(queue.queueNum)),
  };
}
