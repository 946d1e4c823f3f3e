/**
 * Seed 002 §3.2.7: a page scripted in JavaScript could not receive the bar's lists and
 * dictionaries, so the bar raised these events as `JS<event>(jsonArgsStr)` instead: one
 * JSON string holding the event's parameters by name, lists as arrays of objects,
 * dictionaries as objects. cti.json already carries that shape; these forms are kept for
 * pages written against the old bridge. The parameters are the seed's, in its order.
 */
import type { EventBody } from './wire.js';

export const JS_EVENT_PARAMETERS = {
  GetAgentOnlineEvent: ['agent_online'],
  GetAccessNumberEvent: ['accessNumbers', 'default_access_number', 'callHistory'],
  GetIvrListEvent: ['ivr_list'],
  GetQueueListEvent: ['queue_list'],
  GetAgentGroupListEvent: ['agent_group_list'],
  GetAllAgentGroupListEvent: ['agent_group_list'],
  GetAgentsMonitorInfoEvent: ['agent_monitor_info', 'current_time', 'group_list', 'role_list'],
  GetDetailCallInfoEvent: ['targetAgentNum', 'call_type', 'leg_info', 'relation_info'],
  GetCustomerOfQueueEvent: ['queueNumLstStr', 'current_time', 'customer_list'],
  GetCustomerOfMyQueueEvent: ['queueNumLstStr', 'current_time', 'customer_list'],
  GetQueueStatisLstEvent: ['queueNumLstStr', 'current_time', 'queue_statis_list'],
  GetAllQueueStatisEvent: ['current_time', 'queue_statis_list'],
  GetWebSiteInfoEvent: ['agentID', 'retCode', 'reason', 'web_site_info'],
  GetReportStatisInfoEvent: ['AgentID', 'retCode', 'reason', 'reportStatisInfo'],
  GetAgentGroupStatusMaxNumEvent: ['AgentID', 'agentGroupNameLstStr', 'dicAgentGroupStatusMaxNum'],
  GetChangeStatusApplyListEvent: ['agentID', 'apply_agent_list', 'retCode', 'reason'],
} as const satisfies Record<string, readonly string[]>;

type WithJsForm = keyof typeof JS_EVENT_PARAMETERS;
export type JsEventName = `JS${WithJsForm}`;

/** The JS… form of an event, if the seed gives it one: its name and its jsonArgsStr. */
export function jsForm(event: EventBody): { readonly name: JsEventName; readonly jsonArgsStr: string } | undefined {
  if (!Object.hasOwn(JS_EVENT_PARAMETERS, event.eventType)) return undefined;
  const eventType = event.eventType as WithJsForm;
  const args: Record<string, unknown> = {};
  // `agentID` is the envelope's: an event's own agentID is always the agent signed in (docs/protocol.md §2).
  for (const name of JS_EVENT_PARAMETERS[eventType]) args[name] = event[name];
  return { name: `JS${eventType}`, jsonArgsStr: JSON.stringify(args) };
}
