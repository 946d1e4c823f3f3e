/**
 * The events an AgentBar emits, by the seed's names (002 §3.2.4, §3.2.6) with the fields
 * polylink sends (docs/protocol.md §4). As on the wire (spec §1, cti.json): `retCode` is a
 * number, every other scalar is text, lists are arrays and dictionaries are objects. Each
 * payload carries the envelope: `eventType`, `agentID` (this agent) and `time` (the
 * server's `yyyy-MM-dd HH:mm:ss`).
 */
import type { AgentStateValue, CallStatusValue } from './call-state.js';
import type { JsEventName } from './js-events.js';

type Ev<T extends string, F = unknown> = Readonly<{ eventType: T; agentID: string; time: string } & F>;
/** A dictionary field (`<item key="…">` in XML). */
export type Dict = Readonly<Record<string, string>>;

// ── structs (seed §3.2.5 and docs/protocol.md "Structs and makeStr") ────────────────

export type AgentOnlineStruct = Readonly<{
  agentgroup_name: string;
  agentgroup_num: string;
  agentName: string;
  agentNum: string;
  agentStatus: string;
  bindExten: string;
  /** -99 unknown or not available, -1 offline, 0 online. */
  flag: string;
  roleNum: string;
  status_change_time: string;
  customer_enter_channel: string;
  /** polylink's addition: the extension the agent is signed in with. */
  agentExten: string;
}>;

export type CustomerInfoStruct = Readonly<{
  call_type: string;
  callcenter_num: string;
  customer_num: string;
  /** waiting, or ringing while offered to an agent. */
  customer_status: string;
  customer_type: string;
  customer_uuid: string;
  enter_queue_time: string;
  queue_num: string;
  queue_name: string;
  orderID: string;
  queue_customer_amount: string;
  wait_time: string;
  customer_enter_channel: string;
  exclusive_agent_num: string;
  exclusive_queue_num: string;
}>;

/** The agents of a queue (or of the centre) in each state, as Queue_Statis_Struct counts them. */
type AgentStateCount =
  | 'agent_busy_amount'
  | 'agent_callout_amount'
  | 'agent_calling_amount'
  | 'agent_hold_amount'
  | 'agent_mute_amount'
  | 'agent_idle_amount'
  | 'agent_leave_amount'
  | 'agent_no_exten_amount'
  | 'agent_offline_amount'
  | 'agent_online_amount'
  | 'agent_post_treatment'
  | 'agent_ring_amount'
  | 'agent_talking_amount';

export type QueueStatisStruct = Readonly<
  Record<
    | AgentStateCount
    | 'agentNumLstStr'
    | 'early_queue_enter_time'
    | 'early_queue_enter_time_all'
    | 'min_enter_queue_time'
    | 'queue_name'
    | 'queue_num'
    | 'queue_wait_people_amount',
    string
  >
> &
  WallboardFigures;

/**
 * The wallboard's figures of the day, added by polylink after the seed's fields (docs/protocol.md
 * "The wallboard's figures"): counts as decimal text; rates and averages with one decimal, empty
 * while nothing was counted.
 */
export type WallboardFigures = Readonly<
  Record<
    | 'offered_amount'
    | 'answered_amount'
    | 'answered_in_threshold_amount'
    | 'abandoned_amount'
    | 'short_abandoned_amount'
    | 'overflowed_amount'
    | 'handled_amount'
    | 'service_level_seconds'
    | 'short_abandon_seconds'
    | 'service_level'
    | 'abandon_rate'
    | 'average_speed_of_answer'
    | 'average_handle_time'
    | 'longest_wait_seconds',
    string
  >
>;

/** The whole centre (the tenant's agents and queues together): GetAllQueueStatisEvent's centre_statis, GetReportStatisInfoEvent's added keys. */
export type CentreStatis = Readonly<
  Record<
    | AgentStateCount
    | 'queue_wait_people_amount',
    string
  >
> &
  WallboardFigures;

export type LegInfoStruct = Readonly<
  Record<'leg_uuid' | 'leg_role' | 'number' | 'agent_num' | 'state' | 'held' | 'muted' | 'create_time' | 'answer_time' | 'bridged_uuid' | 'node', string>
>;

export type RelationInfoStruct = Readonly<Record<'relation_uuid' | 'relation_type' | 'from_uuid' | 'to_uuid', string>>;

/** Apply_Change_Status: one leave application. */
export type ApplyChangeStatusStruct = Readonly<
  Record<
    | 'apply_agentid'
    | 'targetStatus'
    | 'apply_agentName'
    | 'apply_agent_groupID'
    | 'apply_agent_groupName'
    | 'apply_time'
    | 'applyType'
    | 'apply_state'
    | 'approve_agentid'
    | 'approve_time',
    string
  >
>;

// ── calls ───────────────────────────────────────────────────────────────────────────

type CustomerCall = {
  customerNum: string;
  callcenterNum: string;
  accessNumName: string;
  callType: string;
  areaID: string;
  areaName: string;
  custGrade: string;
  outExtraParamsFromIvr: string;
  makeStr: string;
};

export type CallInEvent = Ev<'CallInEvent', { callerID: string; makeStr: string; callType: string; bNeedArea: string; outExtraParamsFromIvr: string }>;
export type CallOutRingEvent = Ev<
  'CallOutRingEvent',
  { customerNum: string; callcenterNum: string; accessNumName: string; callType: string; areaID: string; areaName: string; makeStr: string }
>;
export type InternalCall_CallInEvent = Ev<'InternalCall_CallInEvent', { agentid: string; callerid: string; callType: string }>;
export type InternalCallerRingEvent = Ev<'InternalCallerRingEvent', { agentid: string; callerid: string; callType: string }>;
export type ConsultCallInEvent = Ev<'ConsultCallInEvent', CustomerCall & { consulterAgentNum: string }>;
export type TransferBlindCallInEvent = Ev<'TransferBlindCallInEvent', CustomerCall & { consulterAgentNum: string }>;
export type ThreeWayCallRingEvent = Ev<'ThreeWayCallRingEvent', CustomerCall & { callerID: string; callerAgentNum: string }>;
export type BridgeEvent = Ev<'BridgeEvent'>;
export type HangupEvent = Ev<'HangupEvent', { hangupReason: string; retCode: number }>;
export type AllGetwaysFullEvent = Ev<'AllGetwaysFullEvent'>;
export type NoAnswerCallAlarmlEvent = Ev<'NoAnswerCallAlarmlEvent'>;
export type ConsulteeHangupEvent = Ev<'ConsulteeHangupEvent', { agentid: string; hangupReason: string }>;
export type ThreeWayeeHangupEvent = Ev<'ThreeWayeeHangupEvent', { agentid: string; hangupReason: string }>;
export type CheckExtenEvent = Ev<'CheckExtenEvent', { agentid: string }>;
export type RecordStart = Ev<'RecordStart', { AgentExten: string; AgentID: string; Agent_call_uuid: string; CalleeNum: string; CallerNum: string; FilePath: string }>;
export type RecordStop = Ev<'RecordStop', { AgentID: string; Agent_call_uuid: string; FilePath: string }>;

// Supervisor call features (seed §3.2.6). The result events name the agent (desAgentID, added by
// polylink) and, when the supervisor's leg could not be set up, the switch's hangupReason.
type SupervisorResult = { agentid: string; reason: string; retCode: number; desAgentID?: string; hangupReason?: string };
type SupervisorRing = CustomerCall & { desAgentID: string };
export type EavesdropEvent = Ev<'EavesdropEvent', SupervisorResult>;
export type WhisperEvent = Ev<'WhisperEvent', SupervisorResult>;
export type BargeinEvent = Ev<'BargeinEvent', SupervisorResult>;
export type ForceHangupEvent = Ev<'ForceHangupEvent', SupervisorResult>;
export type EavesdropCallRingEvent = Ev<'EavesdropCallRingEvent', SupervisorRing>;
export type WhisperCallRingEvent = Ev<'WhisperCallRingEvent', SupervisorRing>;
export type BargeinCallRingEvent = Ev<'BargeinCallRingEvent', SupervisorRing>;
export type ForceHangupCallRingEvent = Ev<'ForceHangupCallRingEvent', SupervisorRing>;

// ── session and status ───────────────────────────────────────────────────────────────

export type SignInEvent = Ev<'SignInEvent', { AgentID: string; blnSuccess: string; Reason: string }>;
export type SignOutEvent = Ev<'SignOutEvent', { AgentID: string; retCode: number; Reason: string }>;
export type KickOutEvent = Ev<'KickOutEvent', { AgentID: string; retCode: number; Reason: string }>;
export type GetRoleNameEvent = Ev<'GetRoleNameEvent', { roleName: string }>;
export type AgentStatusChangeEvent = Ev<
  'AgentStatusChangeEvent',
  { agent_num: string; old_status: string; new_status: string; is_bind_exten: string; customer_enter_channel: string }
>;
export type WarnAgentResigninEvent = Ev<'WarnAgentResigninEvent'>;
export type WarnAgentForceChangeStatusEvent = Ev<'WarnAgentForceChangeStatusEvent', { executorAgentID: string }>;
export type SysThrowExceptionEvent = Ev<'SysThrowExceptionEvent', { reason: string; retCode: number }>;
/** polylink's own, to the supervisors of the agent's group: an agent ID locked after wrong passwords from `addresses` addresses. */
export type AgentLockedEvent = Ev<'AgentLockedEvent', { AgentID: string; addresses: string; lockedUntil: string }>;
/** polylink's own: the lock lifted by a supervisor (its agent ID) or an admin (its name). */
export type AgentUnlockedEvent = Ev<'AgentUnlockedEvent', { AgentID: string; unlockedBy: string }>;
/** A failure after the response (from the server), or a failed response (from this client, as the seed's bar did). */
export type ServerResponse = Ev<'ServerResponse', { cmdType: string; retCode: number; reason: string }>;

// ── queues ───────────────────────────────────────────────────────────────────────────

/** The first ten fields of the seed's queue events are Customer_Info_Struct's. */
type QueueCustomer = Pick<
  CustomerInfoStruct,
  | 'call_type'
  | 'callcenter_num'
  | 'customer_num'
  | 'customer_status'
  | 'customer_type'
  | 'customer_uuid'
  | 'enter_queue_time'
  | 'exclusive_agent_num'
  | 'exclusive_queue_num'
  | 'queue_num'
> & { current_time: string };
export type AddCustomerToQueueEvent = Ev<
  'AddCustomerToQueueEvent',
  QueueCustomer &
    Pick<CustomerInfoStruct, 'queue_name' | 'queue_customer_amount' | 'customer_enter_channel'> & {
      early_queue_enter_time: string;
      early_queue_enter_time_all: string;
    }
>;
export type UpdateCustomerOfQueueEvent = Ev<'UpdateCustomerOfQueueEvent', QueueCustomer>;
export type DelCustomerFromQueueEvent = Ev<
  'DelCustomerFromQueueEvent',
  { customer_uuid: string; queue_num: string; current_time: string; early_queue_enter_time: string; early_queue_enter_time_all: string; reason: string }
>;
export type QueueTransferBoundEvent = Ev<
  'QueueTransferBoundEvent',
  { customer_num: string; queue_num: string; transfee_num: string; access_num: string; transfer_time: string }
>;

// ── leave (status 7) ─────────────────────────────────────────────────────────────────

type ApplyFields = { apply_agentid: string; targetStatus: string };
export type ApplyChangeStatusEvent = Ev<'ApplyChangeStatusEvent', { retCode: number; reason: string }>;
export type ApplyChangeStatusCancelEvent = Ev<'ApplyChangeStatusCancelEvent', ApplyFields & { retCode: number; reason: string }>;
export type ApplyChangeStatusDistributeEvent = Ev<
  'ApplyChangeStatusDistributeEvent',
  ApplyFields & {
    AgentID: string;
    apply_agentName: string;
    apply_agent_groupID: string;
    apply_agent_groupName: string;
    apply_time: string;
    applyType: string;
    retCode: number;
    reason: string;
  }
>;
export type ApproveChangeStatusDistributeEvent = Ev<
  'ApproveChangeStatusDistributeEvent',
  ApplyFields & { AgentID: string; apply_agent_groupID: string; approveResult: string; approve_time: string; retCode: number; reason: string }
>;
export type ApproveChangeStatusTimeoutDistributeEvent = Ev<
  'ApproveChangeStatusTimeoutDistributeEvent',
  ApplyFields & { AgentID: string; apply_agent_groupID: string; timeoutType: string }
>;
export type GetAgentGroupStatusMaxNumEvent = Ev<
  'GetAgentGroupStatusMaxNumEvent',
  { AgentID: string; agentGroupNameLstStr: string; dicAgentGroupStatusMaxNum: Dict; dicAgentGroupIdStatusMaxNum: Dict }
>;
export type GetChangeStatusApplyListEvent = Ev<
  'GetChangeStatusApplyListEvent',
  { apply_agent_list: readonly ApplyChangeStatusStruct[]; retCode: number; reason: string }
>;

// ── query results ────────────────────────────────────────────────────────────────────

export type GetAgentDefineStatusEvent = Ev<
  'GetAgentDefineStatusEvent',
  { define_status: Dict; define_status_list: readonly Readonly<{ status: string; name: string; kind: string }>[] }
>;
export type GetAgentOnlineEvent = Ev<'GetAgentOnlineEvent', { agent_online: readonly AgentOnlineStruct[] }>;
export type GetAccessNumberEvent = Ev<'GetAccessNumberEvent', { accessNumbers: readonly string[]; default_access_number: string; callHistory: readonly string[] }>;
export type GetIvrListEvent = Ev<'GetIvrListEvent', { ivr_list: Dict }>;
export type GetQueueListEvent = Ev<'GetQueueListEvent', { queue_list: Dict }>;
export type GetIvrProfileListEvent = Ev<'GetIvrProfileListEvent', { ivr_profile_list: Dict }>;
export type GetDefinedRoleRightsEvent = Ev<
  'GetDefinedRoleRightsEvent',
  {
    roleNum: string;
    roleName: string;
    rights: string;
    role_list: readonly Readonly<{ roleNum: string; roleName: string; rights: string }>[];
    right_list: readonly Readonly<{ code: string; name_en: string; name_zh: string }>[];
  }
>;
export type GetAgentGroupListEvent = Ev<'GetAgentGroupListEvent', { agent_group_list: Dict }>;
export type GetAllAgentGroupListEvent = Ev<'GetAllAgentGroupListEvent', { agent_group_list: Dict }>;
export type GetAgentsOfQueueEvent = Ev<'GetAgentsOfQueueEvent', { agent_list: string; queue_num: string }>;
export type GetAgentsOfAgentGroupEvent = Ev<'GetAgentsOfAgentGroupEvent', { agent_list: string; agentgroup_num: string }>;
export type GetAgentsMonitorInfoEvent = Ev<
  'GetAgentsMonitorInfoEvent',
  { agent_monitor_info: readonly AgentOnlineStruct[]; current_time: string; group_list: Dict; role_list: Dict }
>;
export type GetDetailCallInfoEvent = Ev<
  'GetDetailCallInfoEvent',
  { targetAgentNum: string; call_type: string; relation_uuid: string; leg_info: readonly LegInfoStruct[]; relation_info: readonly RelationInfoStruct[] }
>;
type CustomerList = { queueNumLstStr: string; current_time: string; customer_list: readonly CustomerInfoStruct[] };
export type GetCustomerOfQueueEvent = Ev<'GetCustomerOfQueueEvent', CustomerList>;
export type GetCustomerOfMyQueueEvent = Ev<'GetCustomerOfMyQueueEvent', CustomerList>;
export type GetQueueStatisLstEvent = Ev<'GetQueueStatisLstEvent', { queueNumLstStr: string; current_time: string; queue_statis_list: readonly QueueStatisStruct[] }>;
export type GetAllQueueStatisEvent = Ev<'GetAllQueueStatisEvent', { current_time: string; queue_statis_list: readonly QueueStatisStruct[]; centre_statis: CentreStatis }>;
/** Pushed to a queue's supervisors when its figures change, at most once a second per queue (added by polylink). */
export type QueueStatisChangeEvent = Ev<'QueueStatisChangeEvent', QueueStatisStruct & { current_time: string }>;
export type GetReportStatisInfoEvent = Ev<'GetReportStatisInfoEvent', { AgentID: string; retCode: number; reason: string; reportStatisInfo: Dict }>;
export type GetWebSiteInfoEvent = Ev<'GetWebSiteInfoEvent', { retCode: number; reason: string; web_site_info: Dict }>;

// ── raised by this client, not sent by the server ────────────────────────────────────

/** Seed §3.2.6: the answer to DoSignIn / DoSignOut, whatever its code. */
export type SignInResponse = Ev<'SignInResponse', { AgentID: string; retCode: number; Reason: string }>;
export type SignOutResponse = Ev<'SignOutResponse', { AgentID: string; retCode: number; Reason: string }>;
/** Seed §3.2.6: the connection was lost (retCode -1001). */
export type SockDisconnectEvent = Ev<'SockDisconnectEvent', { Reason: string; retCode: number }>;
/** polylink: signed in again after a lost connection; `resumed` says whether the session (state and calls) survived. */
export type SockReconnectEvent = Ev<'SockReconnectEvent', { resumed: boolean; retCode: number; Reason: string }>;
/** polylink: the client-side Agent_State (§3.2.5) or the call status changed. */
export type AgentStateChangeEvent = Ev<
  'AgentStateChangeEvent',
  { oldState: AgentStateValue; newState: AgentStateValue; callStatus: CallStatusValue }
>;

/** Every event the server sends, by name. */
export interface ServerEvents {
  CallInEvent: CallInEvent;
  CallOutRingEvent: CallOutRingEvent;
  InternalCall_CallInEvent: InternalCall_CallInEvent;
  InternalCallerRingEvent: InternalCallerRingEvent;
  ConsultCallInEvent: ConsultCallInEvent;
  TransferBlindCallInEvent: TransferBlindCallInEvent;
  ThreeWayCallRingEvent: ThreeWayCallRingEvent;
  BridgeEvent: BridgeEvent;
  HangupEvent: HangupEvent;
  AllGetwaysFullEvent: AllGetwaysFullEvent;
  NoAnswerCallAlarmlEvent: NoAnswerCallAlarmlEvent;
  ConsulteeHangupEvent: ConsulteeHangupEvent;
  ThreeWayeeHangupEvent: ThreeWayeeHangupEvent;
  CheckExtenEvent: CheckExtenEvent;
  RecordStart: RecordStart;
  RecordStop: RecordStop;
  EavesdropEvent: EavesdropEvent;
  WhisperEvent: WhisperEvent;
  BargeinEvent: BargeinEvent;
  ForceHangupEvent: ForceHangupEvent;
  EavesdropCallRingEvent: EavesdropCallRingEvent;
  WhisperCallRingEvent: WhisperCallRingEvent;
  BargeinCallRingEvent: BargeinCallRingEvent;
  ForceHangupCallRingEvent: ForceHangupCallRingEvent;
  SignInEvent: SignInEvent;
  SignOutEvent: SignOutEvent;
  KickOutEvent: KickOutEvent;
  GetRoleNameEvent: GetRoleNameEvent;
  AgentStatusChangeEvent: AgentStatusChangeEvent;
  WarnAgentResigninEvent: WarnAgentResigninEvent;
  WarnAgentForceChangeStatusEvent: WarnAgentForceChangeStatusEvent;
  SysThrowExceptionEvent: SysThrowExceptionEvent;
  AgentLockedEvent: AgentLockedEvent;
  AgentUnlockedEvent: AgentUnlockedEvent;
  ServerResponse: ServerResponse;
  AddCustomerToQueueEvent: AddCustomerToQueueEvent;
  UpdateCustomerOfQueueEvent: UpdateCustomerOfQueueEvent;
  DelCustomerFromQueueEvent: DelCustomerFromQueueEvent;
  QueueTransferBoundEvent: QueueTransferBoundEvent;
  ApplyChangeStatusEvent: ApplyChangeStatusEvent;
  ApplyChangeStatusCancelEvent: ApplyChangeStatusCancelEvent;
  ApplyChangeStatusDistributeEvent: ApplyChangeStatusDistributeEvent;
  ApproveChangeStatusDistributeEvent: ApproveChangeStatusDistributeEvent;
  ApproveChangeStatusTimeoutDistributeEvent: ApproveChangeStatusTimeoutDistributeEvent;
  GetAgentGroupStatusMaxNumEvent: GetAgentGroupStatusMaxNumEvent;
  GetChangeStatusApplyListEvent: GetChangeStatusApplyListEvent;
  GetAgentDefineStatusEvent: GetAgentDefineStatusEvent;
  GetAgentOnlineEvent: GetAgentOnlineEvent;
  GetAccessNumberEvent: GetAccessNumberEvent;
  GetIvrListEvent: GetIvrListEvent;
  GetQueueListEvent: GetQueueListEvent;
  GetIvrProfileListEvent: GetIvrProfileListEvent;
  GetDefinedRoleRightsEvent: GetDefinedRoleRightsEvent;
  GetAgentGroupListEvent: GetAgentGroupListEvent;
  GetAllAgentGroupListEvent: GetAllAgentGroupListEvent;
  GetAgentsOfQueueEvent: GetAgentsOfQueueEvent;
  GetAgentsOfAgentGroupEvent: GetAgentsOfAgentGroupEvent;
  GetAgentsMonitorInfoEvent: GetAgentsMonitorInfoEvent;
  GetDetailCallInfoEvent: GetDetailCallInfoEvent;
  GetCustomerOfQueueEvent: GetCustomerOfQueueEvent;
  GetCustomerOfMyQueueEvent: GetCustomerOfMyQueueEvent;
  GetQueueStatisLstEvent: GetQueueStatisLstEvent;
  GetAllQueueStatisEvent: GetAllQueueStatisEvent;
  QueueStatisChangeEvent: QueueStatisChangeEvent;
  GetReportStatisInfoEvent: GetReportStatisInfoEvent;
  GetWebSiteInfoEvent: GetWebSiteInfoEvent;
}

/** The events this client raises itself. */
export interface ClientEvents {
  SignInResponse: SignInResponse;
  SignOutResponse: SignOutResponse;
  SockDisconnectEvent: SockDisconnectEvent;
  SockReconnectEvent: SockReconnectEvent;
  AgentStateChangeEvent: AgentStateChangeEvent;
}

/** Seed §3.2.7: the JSON-string forms for pages written against the old JavaScript bridge. */
export type JsEvents = { [K in JsEventName]: string };

/** Everything `AgentBar.on` listens to. */
export interface AgentBarEvents extends ServerEvents, ClientEvents, JsEvents {}

export type AgentBarEventName = keyof AgentBarEvents;

/** Any event the server sends: the fields it has, by name. */
export type AnyServerEvent = ServerEvents[keyof ServerEvents];
