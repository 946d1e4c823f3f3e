/** Agent_Online_Struct (seed 002, GetAgentOnlineEvent / GetAgentsMonitorInfoEvent). */
import type { FieldRecord } from './agent-event.js';
import { AgentStatus } from './agent-status.js';
import type { AgentQueries } from './queries.js';
import type { Organisation } from './organisation.js';

/** Seed's flag: -99 the agent does not exist or is not available, -1 offline, 0 online. */
export function agentOnlineRecord(
  org: Organisation,
  agents: AgentQueries,
  agentId: string,
  formatTime: (ms: number) => string,
  /** False for an agent the asker may not see (another tenant, an unmonitored group): -99. */
  visible = true,
): FieldRecord {
  const profile = org.agent(agentId);
  if (profile === undefined || !profile.enabled || !visible) {
    return {
      agentgroup_name: '',
      agentgroup_num: '',
      agentName: '',
      agentNum: agentId,
      agentStatus: String(AgentStatus.UNKNOWN),
      bindExten: 'false',
      flag: '-99',
      roleNum: '',
      status_change_time: '',
      customer_enter_channel: '',
      agentExten: '',
    };
  }
  const group = profile.groupId === null ? undefined : org.group(profile.groupId);
  const session = agents.session(agentId);
  return {
    agentgroup_name: group?.name ?? '',
    agentgroup_num: group?.groupId ?? '',
    agentName: profile.name,
    agentNum: agentId,
    agentStatus: String(session?.machine.status ?? AgentStatus.OFFLINE),
    bindExten: session?.bindExten === true ? 'true' : 'false',
    flag: session === undefined ? '-1' : '0',
    roleNum: profile.roleId,
    status_change_time: session === undefined ? '' : formatTime(session.machine.since),
    customer_enter_channel: session === undefined ? '' : agents.customerChannelOf(agentId),
    agentExten: session?.exten ?? '',
  };
}
