/**
 * AgentBar: seed 002's agent bar (§3.2.3) as a client of polylink. Every Do… method sends
 * its request (cmdType, docs/protocol.md §4) and returns a promise of the response: it
 * resolves when the server answers 0 (a query with its result event as `result`) and
 * rejects with AgentBarError (retCode, reason, reasonZh) otherwise; the events the command
 * causes arrive as events. The connection, the session and the events are AgentBarSession's.
 */
import type * as E from './events.js';
import { AgentBarSession, type AgentResponse, type QueryResult } from './session.js';

type Text = string | number;

/** Seed booleans as the protocol carries them (spec §2). */
const yesNo = (value: boolean): string => (value ? 'yes' : 'no');

export class AgentBar extends AgentBarSession {
  // ── status ──────────────────────────────────────────────────────────────────────────

  /** Sets the agent's own status; `isNeedApproval` 0 asks for leave (7) through an application, 1 (default) does not. */
  DoSetAgentDefineStatus(targetStatus: Text, isNeedApproval?: Text): Promise<AgentResponse> {
    return this.send('setagentdefinestatus', {
      targetStatus: String(targetStatus),
      ...(isNeedApproval === undefined ? {} : { isNeedApproval: String(isNeedApproval) }),
    });
  }

  /** The deployment's custom not-ready statuses. */
  DoGetAgentDefineStatus(): Promise<QueryResult<E.GetAgentDefineStatusEvent>> {
    return this.query('getagentdefinestatus', {}, ['GetAgentDefineStatusEvent']);
  }

  /** Seed AgentStateAfterHangup (button tsddbAfterHangup): where the agent goes after a call, for this session; 4 restores ACW. */
  async DoSetAgentStateAfterHangup(status: Text): Promise<AgentResponse> {
    const response = await this.send('setagentstateafterhangup', { AgentStateAfterHangup: String(status) });
    this.setInfo({ AgentStateAfterHangup: String(status) });
    return response;
  }

  /** A supervisor forces another agent's status (-1 signs it out). */
  DoForceChangeStatusEvent(strAgentID: string, status: Text): Promise<AgentResponse> {
    return this.send('forcechangestatus', { strAgentID, status: String(status) });
  }

  /**
   * polylink's own: a supervisor lifts the sign-in lock of an agent of a group it monitors
   * (locked after wrong passwords from many addresses, -90); the response's `wasLocked` says
   * whether there was one.
   */
  DoUnlockAgent(strAgentID: string): Promise<AgentResponse> {
    return this.send('unlockagent', { strAgentID });
  }

  /** Changes the agent's password (error -84 of the seed); later sign-ins, also a resume, use the new one. */
  async DoChangePassword(oldPwd: string, newPwd: string): Promise<AgentResponse> {
    const response = await this.send('changepassword', { oldPwd, newPwd });
    this.AgentPwd = newPwd;
    return response;
  }

  // ── leave (status 7) ────────────────────────────────────────────────────────────────

  DoApplyChangeStatus(targetStatus: Text = 7): Promise<AgentResponse> {
    return this.send('applychangestatus', { targetStatus: String(targetStatus) });
  }

  /** Seed button tsbCancelApplication: withdraws the agent's leave application. */
  DoCancelApplication(targetStatus: Text = 7): Promise<AgentResponse> {
    return this.send('cancelapply', { targetStatus: String(targetStatus) });
  }

  /** `passFlag` 1 approves, 0 rejects. */
  DoApplyApproval(apply_agent_id: string, targetStatus: Text, passFlag: Text): Promise<AgentResponse> {
    return this.send('applyapproval', { apply_agent_id, targetStatus: String(targetStatus), passFlag: String(passFlag) });
  }

  /** Groups by comma lists of names and/or ids. */
  DoGetAgentGroupStatusMaxNum(
    targetAgentGroupNameLstStr: string,
    targetAgentGroupIdLstStr: string,
    targetStatus: Text = 7,
  ): Promise<QueryResult<E.GetAgentGroupStatusMaxNumEvent>> {
    return this.query('getagentgroupstatusmaxnum', { targetAgentGroupNameLstStr, targetAgentGroupIdLstStr, targetStatus: String(targetStatus) }, [
      'GetAgentGroupStatusMaxNumEvent',
    ]);
  }

  /** `maxNum` -1 means no limit. */
  DoSetAgentGroupStatusMaxNum(
    targetAgentGroupNameLstStr: string,
    targetAgentGroupIdLstStr: string,
    targetStatus: Text,
    maxNum: Text,
  ): Promise<QueryResult<E.GetAgentGroupStatusMaxNumEvent>> {
    return this.query(
      'setagentgroupstatusmaxnum',
      { targetAgentGroupNameLstStr, targetAgentGroupIdLstStr, targetStatus: String(targetStatus), maxNum: String(maxNum) },
      ['GetAgentGroupStatusMaxNumEvent'],
    );
  }

  DoGetChangeStatusApplyList(targetStatus: Text = 7): Promise<QueryResult<E.GetChangeStatusApplyListEvent>> {
    return this.query('getchangestatusapplylist', { targetStatus: String(targetStatus) }, ['GetChangeStatusApplyListEvent']);
  }

  // ── calls ───────────────────────────────────────────────────────────────────────────

  /** Calls an outside number; `displayNum` empty: the default access number. */
  DoCallOut(CalledID: string, displayNum = ''): Promise<AgentResponse> {
    return this.send('callout', { calledID: CalledID, ...(displayNum === '' ? {} : { displayNum }) });
  }

  /** As DoCallOut, with the business system's id of the customer (it travels in makeStr and the CDR). */
  DoCallOutForeignId(CalledID: string, displayNum: string, customerForeignId: string): Promise<AgentResponse> {
    return this.send('callout', { calledID: CalledID, ...(displayNum === '' ? {} : { displayNum }), customerForeignId });
  }

  DoCallAgent(AgentNum: string): Promise<AgentResponse> {
    return this.send('callagent', { agentNum: AgentNum });
  }

  /** Seed button tsbAnswer: picks up the ringing phone (phones that polylink can answer: ctiAnswer). */
  DoAnswer(): Promise<AgentResponse> {
    return this.send('answer');
  }

  DoHangUp(): Promise<AgentResponse> {
    return this.send('hangup');
  }

  DoHold(): Promise<AgentResponse> {
    return this.send('hold');
  }

  DoStopHold(): Promise<AgentResponse> {
    return this.send('stophold');
  }

  DoMute(): Promise<AgentResponse> {
    return this.send('mute');
  }

  DoStopMute(): Promise<AgentResponse> {
    return this.send('stopmute');
  }

  /** Consults another agent, or with `trdIsOutbound` an outside number. */
  DoConsult(destAgentID: string, trdIsOutbound: boolean): Promise<AgentResponse> {
    return this.send('consult', { destAgentID, trdIsOutbound: yesNo(trdIsOutbound) });
  }

  DoStopConsult(): Promise<AgentResponse> {
    return this.send('stopconsult');
  }

  /** Hands the customer to the consulted party. */
  DoConsultTransfer(): Promise<AgentResponse> {
    return this.send('consulttransfer');
  }

  /** Invites a third party: an agent, or with `trdIsOutbound` an outside number. */
  DoThreeWay(trdAgentNum: string, trdIsOutbound: boolean): Promise<AgentResponse> {
    return this.send('threeway', { trdAgentNum, trdIsOutbound: yesNo(trdIsOutbound) });
  }

  DoThreeWayCancel(): Promise<AgentResponse> {
    return this.send('threewaycancel');
  }

  /** Blind transfer to an agent, or with `strOutBoundFlag` to an outside number. */
  DoTransferAgent(destAgentID: string, strOutBoundFlag = false): Promise<AgentResponse> {
    return this.send('transferagent', { destAgentID, strOutBoundFlag: yesNo(strOutBoundFlag) });
  }

  DoTransferIvr(ivrNum: string): Promise<AgentResponse> {
    return this.send('transferivr', { ivrNum });
  }

  DoTransferQueue(queueNum: string): Promise<AgentResponse> {
    return this.send('transferqueue', { queueNum });
  }

  DoTransferIvrProfile(ivrProfileNum: string): Promise<AgentResponse> {
    return this.send('transferivrprofile', { ivrProfileNum });
  }

  /** Hands the customer to the satisfaction survey, in `language` zh or en. */
  DoGrade(language: 'zh' | 'en'): Promise<AgentResponse> {
    return this.send('grade', { language });
  }

  /** Loop-back test: the agent's phone rings with an echo (CheckExtenEvent). */
  DoCheck(): Promise<AgentResponse> {
    return this.send('check');
  }

  // ── supervisor call features: the response says accepted; the ring and result events follow ──

  DoListen(destAgentID: string): Promise<AgentResponse> {
    return this.send('listen', { destAgentID });
  }

  DoWhisper(destAgentID: string): Promise<AgentResponse> {
    return this.send('whisper', { destAgentID });
  }

  DoBargein(strAgentID: string): Promise<AgentResponse> {
    return this.send('bargein', { strAgentID });
  }

  DoForceHangup(strAgentID: string): Promise<AgentResponse> {
    return this.send('forcehangup', { strAgentID });
  }

  /** Rop (抢接): takes the customer ringing `destAgentID`; CallInEvent and BridgeEvent follow as for a queue call. */
  DoRop(destAgentID: string): Promise<AgentResponse> {
    return this.send('rop', { destAgentID });
  }

  // ── queries: the result is the named event, also in the response's `result` ────────

  /** `numType` 1 one agent (`specificNum` its ID), 2 a group (`specificNum` its name), 3 all. */
  DoGetOnlineAgent(specificNum: string, numType: 1 | 2 | 3): Promise<QueryResult<E.GetAgentOnlineEvent>> {
    return this.query('getonlineagent', { specificNum, numType: String(numType) }, ['GetAgentOnlineEvent']);
  }

  DoGetAccessNumbers(): Promise<QueryResult<E.GetAccessNumberEvent>> {
    return this.query('getaccessnumbers', {}, ['GetAccessNumberEvent']);
  }

  DoGetIvrList(): Promise<QueryResult<E.GetIvrListEvent>> {
    return this.query('getivrlist', {}, ['GetIvrListEvent']);
  }

  DoGetQueueList(): Promise<QueryResult<E.GetQueueListEvent>> {
    return this.query('getqueuelist', {}, ['GetQueueListEvent']);
  }

  DoGetIvrProfileList(): Promise<QueryResult<E.GetIvrProfileListEvent>> {
    return this.query('getivrprofilelist', {}, ['GetIvrProfileListEvent']);
  }

  DoGetDefinedRoleRights(): Promise<QueryResult<E.GetDefinedRoleRightsEvent>> {
    return this.query('getdefinedrolerights', {}, ['GetDefinedRoleRightsEvent']);
  }

  /** `mine`: the agent's group and those its role monitors (GetAgentGroupListEvent); `all`: GetAllAgentGroupListEvent. */
  DoGetAgentGroupList(scope: 'mine' | 'all' = 'mine'): Promise<QueryResult<E.GetAgentGroupListEvent | E.GetAllAgentGroupListEvent>> {
    return this.query('getagentgrouplist', { scope }, ['GetAgentGroupListEvent', 'GetAllAgentGroupListEvent']);
  }

  DoGetAgentsOfQueue(QueueNum: string): Promise<QueryResult<E.GetAgentsOfQueueEvent>> {
    return this.query('getagentsofqueue', { QueueNum }, ['GetAgentsOfQueueEvent']);
  }

  DoGetAgentsOfAgentGroup(AgentGroupNum: string): Promise<QueryResult<E.GetAgentsOfAgentGroupEvent>> {
    return this.query('getagentsofagentgroup', { AgentGroupNum }, ['GetAgentsOfAgentGroupEvent']);
  }

  /** `AgentsStr`: agent IDs, comma-separated. */
  DoGetAgentsMonitorInfo(AgentsStr: string): Promise<QueryResult<E.GetAgentsMonitorInfoEvent>> {
    return this.query('getagentsmonitorinfo', { AgentsStr }, ['GetAgentsMonitorInfoEvent']);
  }

  DoGetDetailCallInfo(AgentNum: string): Promise<QueryResult<E.GetDetailCallInfoEvent>> {
    return this.query('getdetailcallinfo', { AgentNum }, ['GetDetailCallInfoEvent']);
  }

  /** `QueueNum`: one queue or a comma list. */
  DoGetCustomerOfQueue(QueueNum: string): Promise<QueryResult<E.GetCustomerOfQueueEvent>> {
    return this.query('getcustomerofqueue', { QueueNum }, ['GetCustomerOfQueueEvent']);
  }

  DoGetCustomerOfMyQueue(): Promise<QueryResult<E.GetCustomerOfMyQueueEvent>> {
    return this.query('getcustomerofmyqueue', {}, ['GetCustomerOfMyQueueEvent']);
  }

  /** `queue_num`: one queue or a comma list. */
  DoGetQueueStatis(queue_num: string): Promise<QueryResult<E.GetQueueStatisLstEvent>> {
    return this.query('getqueuestatis', { queue_num }, ['GetQueueStatisLstEvent']);
  }

  DoGetAllQueueStatis(): Promise<QueryResult<E.GetAllQueueStatisEvent>> {
    return this.query('getallqueuestatis', {}, ['GetAllQueueStatisEvent']);
  }

  DoGetReportStatisInfo(): Promise<QueryResult<E.GetReportStatisInfoEvent>> {
    return this.query('getreportstatisinfo', {}, ['GetReportStatisInfoEvent']);
  }

  DoGetAgentWebSiteInfo(): Promise<QueryResult<E.GetWebSiteInfoEvent>> {
    return this.query('getagentwebsiteinfo', {}, ['GetWebSiteInfoEvent']);
  }
}
