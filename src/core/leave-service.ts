/**
 * The leave workflow (seed 002: DoApplyChangeStatus, DoApplyApproval …): an agent
 * applies for status 7 (LEAVE); approvers (online agents with the approveleave right
 * monitoring its group) approve or reject; the group's threshold caps how many agents
 * may be on leave or have applied at once.
 *
 * Life of an application: pending → approved → active (the agent is in LEAVE) → ended;
 * or rejected, cancelled, expired (not decided within leave.applyTimeoutSeconds:
 * timeoutType 1), lapsed (approved but the agent stayed busy on calls beyond
 * leave.approvalTimeoutSeconds: timeoutType 2).
 */
import { agentEvent, outcomeText, type AgentEvent, type FieldRecord } from './agent-event.js';
import { AgentStatus, parseStatus } from './agent-status.js';
import type { AgentService, Decision } from './agent-service.js';
import type { DomainEvent } from './domain-events.js';
import { cancelTimer, setTimer, type CoreEffect, type CoreTimer, type LeaveRecord, type LeaveState } from './effects.js';
import type { AgentGroup, Organisation } from './organisation.js';
import { Outcome } from './outcomes.js';

export interface LeaveServiceOptions {
  readonly applyTimeoutSeconds: number;
  readonly approvalTimeoutSeconds: number;
  readonly formatTime: (ms: number) => string;
  /** The id the next application gets (one more than the highest stored). */
  readonly firstApplicationId: number;
}

const OPEN: ReadonlySet<LeaveState> = new Set(['pending', 'approved', 'active']);
/** Only status 7 (LEAVE) goes through applications (seed: "7:表示离开"). */
const LEAVE_TEXT = String(AgentStatus.LEAVE);
/** Shown for a group with no threshold: no limit. */
const NO_LIMIT = -1;

export interface ThresholdQuery {
  readonly agentId: string;
  readonly namesText: string;
  readonly idsText: string;
  readonly targetText: string;
}

export class LeaveService {
  private readonly applications = new Map<number, LeaveRecord>();
  private readonly latestOpen = new Map<string, number>();
  private readonly latestClosed = new Map<string, LeaveRecord>();
  private nextId: number;

  constructor(
    private readonly org: Organisation,
    private readonly agents: AgentService,
    private readonly options: LeaveServiceOptions,
  ) {
    this.nextId = options.firstApplicationId;
  }

  // ── applicant ──────────────────────────────────────────────────────────────

  apply(agentId: string, targetText: string, now: number): Decision {
    const target = this.checkTarget(targetText);
    if (target !== 0) return { code: target, effects: [] };
    const session = this.agents.session(agentId);
    if (session === undefined) return { code: Outcome.NOT_SIGNED_IN, effects: [] };
    const groupId = session.profile.groupId;
    if (groupId === null) return { code: Outcome.AGENT_HAS_NO_GROUP, effects: [] };
    const group = this.org.group(groupId);
    if (group === undefined) return { code: Outcome.OWN_GROUP_NOT_FOUND, effects: [] };
    if (this.openApplicationOf(agentId) !== undefined) return { code: Outcome.ALREADY_APPLIED, effects: [] };
    if (session.machine.status === AgentStatus.LEAVE) return { code: Outcome.AGENT_STATE_ERROR, effects: [] };
    const max = this.org.threshold(groupId, AgentStatus.LEAVE);
    const limited = max !== undefined && max !== NO_LIMIT;
    if (limited && this.countTowardThreshold(groupId) >= max) return { code: Outcome.APPLY_THRESHOLD_REACHED, effects: [] };
    const approvers = this.approversOf(agentId, groupId);
    if (approvers.length === 0) return { code: Outcome.APPROVER_OFFLINE, effects: [] };

    const record: LeaveRecord = {
      id: this.nextId++,
      accountId: session.profile.accountId,
      agentId,
      groupId,
      targetStatus: AgentStatus.LEAVE,
      state: 'pending',
      applyType: 1,
      appliedAt: now,
      decidedAt: null,
      decidedBy: null,
      endedAt: null,
    };
    this.store(record);
    const effects: CoreEffect[] = [
      { type: 'save-leave', application: record },
      send(agentId, 'ApplyChangeStatusEvent', now, { agentID: agentId, retCode: 0, reason: outcomeText(Outcome.OK) }),
      ...this.toApplicantAndApprovers(record, (to) =>
        agentEvent('ApplyChangeStatusDistributeEvent', now, {
          AgentID: to,
          ...this.applicationFields(record, group),
          retCode: 0,
          reason: outcomeText(Outcome.OK),
        }),
      ),
      setTimer({ kind: 'leave-apply-timeout', applicationId: record.id }, this.options.applyTimeoutSeconds * 1000),
      this.log(record, 'leave-apply', agentId, now),
    ];
    return { code: 0, effects };
  }

  cancel(agentId: string, targetText: string, now: number): Decision {
    const target = this.checkTarget(targetText);
    if (target !== 0) return { code: target, effects: [] };
    const record = this.openApplicationOf(agentId);
    // An application already turned into leave is over by leaving LEAVE, not by cancelling.
    if (record === undefined || record.state === 'active') return { code: Outcome.APPLICATION_STATE_WRONG, effects: [] };
    return { code: 0, effects: this.close(record, 'cancelled', agentId, now) };
  }

  // ── approver ───────────────────────────────────────────────────────────────

  approve(approverId: string, applicantId: string, targetText: string, passFlag: string, now: number): Decision {
    const target = this.checkTarget(targetText);
    if (target !== 0) return { code: target, effects: [] };
    if (passFlag !== '0' && passFlag !== '1') return { code: Outcome.BAD_PARAMETER, effects: [] };
    const applicant = this.org.agent(applicantId);
    if (applicant === undefined) return { code: Outcome.APPLICATION_STATE_WRONG, effects: [] };
    if (!this.org.monitorsGroup(approverId, applicant.groupId)) return { code: Outcome.NO_RIGHT, effects: [] };
    const record = this.latestOf(applicantId);
    if (record === undefined) return { code: Outcome.APPLICATION_STATE_WRONG, effects: [] };
    if (record.state === 'expired' || record.state === 'lapsed') return { code: Outcome.APPLICATION_TIMED_OUT, effects: [] };
    if (record.state === 'cancelled') return { code: Outcome.APPLICATION_STATE_WRONG, effects: [] };
    if (record.state !== 'pending') return { code: Outcome.APPROVAL_ALREADY_HANDLED, effects: [] };

    const passed = passFlag === '1';
    const decided: LeaveRecord = { ...record, state: passed ? 'approved' : 'rejected', decidedAt: now, decidedBy: approverId };
    this.store(decided);
    const effects: CoreEffect[] = [
      { type: 'save-leave', application: decided },
      cancelTimer({ kind: 'leave-apply-timeout', applicationId: record.id }),
      ...this.toApplicantAndApprovers(decided, (to) =>
        agentEvent('ApproveChangeStatusDistributeEvent', now, {
          AgentID: to,
          apply_agentid: applicantId,
          apply_agent_groupID: decided.groupId,
          targetStatus: LEAVE_TEXT,
          approveResult: passFlag,
          approve_time: this.options.formatTime(now),
          retCode: 0,
          reason: outcomeText(Outcome.OK),
        }),
      ),
      this.log(decided, passed ? 'leave-approved' : 'leave-rejected', approverId, now),
    ];
    if (passed) effects.push(...this.startLeave(decided, approverId, now));
    return { code: 0, effects };
  }

  /** Puts the applicant in LEAVE now, or (on a call) when the call ends, within the approval timeout. */
  private startLeave(record: LeaveRecord, approverId: string, now: number): CoreEffect[] {
    const session = this.agents.session(record.agentId);
    if (session === undefined) return this.close(record, 'cancelled', 'system', now);
    session.leaveApplicationId = record.id;
    const outcome = this.agents.apply(record.agentId, { type: 'SET_STATUS', target: AgentStatus.LEAVE }, approverId, 'leave-start', now);
    const effects = [...outcome.effects];
    // In LEAVE now, the application turns active when this step is over (statusChanged);
    // kept for the end of the agent's call, it waits at most the approval timeout.
    if (this.agents.statusOf(record.agentId) !== AgentStatus.LEAVE) {
      effects.push(setTimer({ kind: 'leave-approval-timeout', applicationId: record.id }, this.options.approvalTimeoutSeconds * 1000));
    }
    return effects;
  }

  // ── lists and thresholds ───────────────────────────────────────────────────

  /** GetChangeStatusApplyListEvent's apply_agent_list: open applications the agent may see or decide. */
  applyList(agentId: string, targetText: string): { code: number; list: FieldRecord[] } {
    const target = this.checkTarget(targetText);
    if (target !== 0) return { code: target, list: [] };
    const canApprove = this.org.hasRight(agentId, 'approveleave');
    const list: FieldRecord[] = [];
    for (const record of this.applications.values()) {
      if (!OPEN.has(record.state)) continue;
      const visible = record.agentId === agentId || (canApprove && this.org.monitorsGroup(agentId, record.groupId));
      if (!visible) continue;
      const group = this.org.group(record.groupId);
      list.push({
        ...this.applicationFields(record, group),
        apply_state: record.state,
        approve_agentid: record.decidedBy ?? '',
        approve_time: record.decidedAt === null ? '' : this.options.formatTime(record.decidedAt),
      });
    }
    list.sort((a, b) => (a['apply_time'] ?? '').localeCompare(b['apply_time'] ?? ''));
    return { code: 0, list };
  }

  /** DoGetAgentGroupStatusMaxNum: thresholds of the named groups. */
  thresholds(q: ThresholdQuery): { code: number; fields?: Record<string, string | Map<string, string>> } {
    const resolved = this.resolveGroups(q);
    if ('code' in resolved) return { code: resolved.code };
    return { code: 0, fields: this.thresholdFields(q.agentId, resolved.groups) };
  }

  /** DoSetAgentGroupStatusMaxNum; -1 lifts the limit. */
  setThresholds(q: ThresholdQuery, maxNumText: string): Decision & { fields?: Record<string, string | Map<string, string>> } {
    const resolved = this.resolveGroups(q);
    if ('code' in resolved) return { code: resolved.code, effects: [] };
    if (!/^-?\d{1,6}$/.test(maxNumText) || Number(maxNumText) < NO_LIMIT) return { code: Outcome.THRESHOLD_INVALID, effects: [] };
    const maxNum = Number(maxNumText);
    for (const g of resolved.groups) if (!this.org.monitorsGroup(q.agentId, g.groupId)) return { code: Outcome.NO_RIGHT, effects: [] };
    const effects: CoreEffect[] = [];
    for (const g of resolved.groups) {
      this.org.setThreshold(g.groupId, AgentStatus.LEAVE, maxNum);
      effects.push({ type: 'save-threshold', groupId: g.groupId, status: AgentStatus.LEAVE, maxNum });
    }
    return { code: 0, effects, fields: this.thresholdFields(q.agentId, resolved.groups) };
  }

  private resolveGroups(q: ThresholdQuery): { groups: AgentGroup[] } | { code: number } {
    const target = this.checkTarget(q.targetText);
    if (target !== 0) return { code: target };
    const agent = this.org.agent(q.agentId);
    if (agent === undefined) return { code: Outcome.NOT_SIGNED_IN };
    if (q.namesText === '' && q.idsText === '') return { code: Outcome.AGENT_GROUP_LIST_FIELD_EMPTY };
    const names = q.namesText.split(',').map((s) => s.trim());
    const ids = q.idsText.split(',').map((s) => s.trim());
    const groups = new Map<string, AgentGroup>();
    if (q.namesText !== '') {
      for (const name of names) {
        if (name === '') return { code: Outcome.AGENT_GROUP_NAME_EMPTY };
        const g = this.org.groupByName(agent.accountId, name);
        if (g === undefined) return { code: Outcome.AGENT_GROUP_NOT_FOUND };
        groups.set(g.groupId, g);
      }
    }
    if (q.idsText !== '') {
      for (const id of ids) {
        if (id === '') continue;
        const g = this.org.group(id);
        if (g === undefined || g.accountId !== agent.accountId) return { code: Outcome.AGENT_GROUP_NOT_FOUND };
        groups.set(g.groupId, g);
      }
    }
    if (groups.size === 0) return { code: Outcome.AGENT_GROUP_LIST_EMPTY };
    return { groups: [...groups.values()] };
  }

  private thresholdFields(agentId: string, groups: AgentGroup[]): Record<string, string | Map<string, string>> {
    const byName = new Map<string, string>();
    const byId = new Map<string, string>();
    for (const g of groups) {
      const max = String(this.org.threshold(g.groupId, AgentStatus.LEAVE) ?? NO_LIMIT);
      byName.set(g.name, max);
      byId.set(g.groupId, max);
    }
    return {
      AgentID: agentId,
      agentGroupNameLstStr: groups.map((g) => g.name).join(','),
      dicAgentGroupStatusMaxNum: byName,
      dicAgentGroupIdStatusMaxNum: byId,
    };
  }

  // ── time and status ────────────────────────────────────────────────────────

  onTimer(timer: CoreTimer, now: number): CoreEffect[] {
    if (timer.kind !== 'leave-apply-timeout' && timer.kind !== 'leave-approval-timeout') return [];
    const record = this.applications.get(timer.applicationId);
    if (record === undefined) return [];
    if (timer.kind === 'leave-apply-timeout' && record.state === 'pending') return this.timeOut(record, 'expired', '1', now);
    if (timer.kind === 'leave-approval-timeout' && record.state === 'approved') {
      const session = this.agents.session(record.agentId);
      // The LEAVE kept for the end of the call goes with the approval.
      if (session !== undefined && session.machine.pending === AgentStatus.LEAVE) {
        session.machine = { ...session.machine, pending: undefined };
      }
      if (session !== undefined) session.leaveApplicationId = undefined;
      return this.timeOut(record, 'lapsed', '2', now);
    }
    return [];
  }

  private timeOut(record: LeaveRecord, state: 'expired' | 'lapsed', timeoutType: string, now: number): CoreEffect[] {
    const closed: LeaveRecord = { ...record, state, endedAt: now };
    this.store(closed);
    return [
      { type: 'save-leave', application: closed },
      ...this.toApplicantAndApprovers(closed, (to) =>
        agentEvent('ApproveChangeStatusTimeoutDistributeEvent', now, {
          AgentID: to,
          apply_agentid: closed.agentId,
          apply_agent_groupID: closed.groupId,
          targetStatus: LEAVE_TEXT,
          timeoutType,
        }),
      ),
      this.log(closed, `leave-${state}`, 'system', now),
    ];
  }

  /**
   * Follows the applicant's status (after the step that changed it): LEAVE starts an
   * approved application, leaving LEAVE ends it, signing out cancels an open one.
   */
  statusChanged(event: Extract<DomainEvent, { type: 'agent-status-changed' }>, now: number): CoreEffect[] {
    const record = this.openApplicationOf(event.agentId);
    if (record === undefined) return [];
    const session = this.agents.session(event.agentId);
    const old = event.from;
    const status = event.to;
    if (record.state === 'approved' && status === AgentStatus.LEAVE) {
      const active: LeaveRecord = { ...record, state: 'active' };
      this.store(active);
      return [
        { type: 'save-leave', application: active },
        cancelTimer({ kind: 'leave-approval-timeout', applicationId: record.id }),
      ];
    }
    if (record.state === 'active' && old === AgentStatus.LEAVE && status !== AgentStatus.LEAVE) {
      if (session !== undefined && session.leaveApplicationId === record.id) session.leaveApplicationId = undefined;
      const ended: LeaveRecord = { ...record, state: 'ended', endedAt: now };
      this.store(ended);
      return [{ type: 'save-leave', application: ended }, this.log(ended, 'leave-end', event.agentId, now)];
    }
    if (status === AgentStatus.OFFLINE && (record.state === 'pending' || record.state === 'approved')) {
      return this.close(record, 'cancelled', 'system', now);
    }
    return [];
  }

  private close(record: LeaveRecord, state: 'cancelled', causedBy: string, now: number): CoreEffect[] {
    const closed: LeaveRecord = { ...record, state, endedAt: now };
    this.store(closed);
    const session = this.agents.session(record.agentId);
    if (session !== undefined && session.leaveApplicationId === record.id) {
      session.leaveApplicationId = undefined;
      if (session.machine.pending === AgentStatus.LEAVE) session.machine = { ...session.machine, pending: undefined };
    }
    return [
      { type: 'save-leave', application: closed },
      cancelTimer({ kind: 'leave-apply-timeout', applicationId: record.id }),
      cancelTimer({ kind: 'leave-approval-timeout', applicationId: record.id }),
      ...this.toApplicantAndApprovers(closed, (to) =>
        agentEvent('ApplyChangeStatusCancelEvent', now, {
          agentID: to,
          apply_agentid: closed.agentId,
          targetStatus: LEAVE_TEXT,
          retCode: 0,
          reason: outcomeText(Outcome.OK),
        }),
      ),
      this.log(closed, 'leave-cancel', causedBy, now),
    ];
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private checkTarget(text: string): number {
    const status = parseStatus(text);
    if (status === undefined) return Outcome.TARGET_STATUS_INVALID;
    return status === AgentStatus.LEAVE ? 0 : Outcome.TARGET_STATUS_INVALID;
  }

  /** Open applications stay in memory; closed ones live in SQLite, except each agent's latest. */
  private store(record: LeaveRecord): void {
    if (OPEN.has(record.state)) {
      this.applications.set(record.id, record);
      this.latestClosed.delete(record.agentId);
      this.latestOpen.set(record.agentId, record.id);
    } else {
      this.applications.delete(record.id);
      this.latestOpen.delete(record.agentId);
      this.latestClosed.set(record.agentId, record);
    }
  }

  private openApplicationOf(agentId: string): LeaveRecord | undefined {
    const id = this.latestOpen.get(agentId);
    return id === undefined ? undefined : this.applications.get(id);
  }

  /** The agent's latest application, open or closed (approve() answers -75 / -80 from it). */
  private latestOf(agentId: string): LeaveRecord | undefined {
    return this.openApplicationOf(agentId) ?? this.latestClosed.get(agentId);
  }

  /** Agents of the group on leave or with an open application. */
  private countTowardThreshold(groupId: string): number {
    const agents = new Set<string>();
    for (const r of this.applications.values()) if (r.groupId === groupId && OPEN.has(r.state)) agents.add(r.agentId);
    for (const a of this.org.agentsOfGroup(groupId)) if (this.agents.statusOf(a.agentId) === AgentStatus.LEAVE) agents.add(a.agentId);
    return agents.size;
  }

  /** Online agents, other than the applicant, who may approve for this group. */
  private approversOf(applicantId: string, groupId: string): string[] {
    const out: string[] = [];
    for (const s of this.agents.allSessions()) {
      const id = s.profile.agentId;
      if (id !== applicantId && this.org.hasRight(id, 'approveleave') && this.org.monitorsGroup(id, groupId)) out.push(id);
    }
    return out;
  }

  private toApplicantAndApprovers(record: LeaveRecord, build: (to: string) => ReturnType<typeof agentEvent>): CoreEffect[] {
    const recipients = [record.agentId, ...this.approversOf(record.agentId, record.groupId)];
    return recipients.map((to) => ({ type: 'send', agentId: to, event: build(to) }));
  }

  private applicationFields(record: LeaveRecord, group: AgentGroup | undefined): Record<string, string> {
    return {
      apply_agentid: record.agentId,
      targetStatus: LEAVE_TEXT,
      apply_agentName: this.org.agent(record.agentId)?.name ?? '',
      apply_agent_groupID: record.groupId,
      apply_agent_groupName: group?.name ?? '',
      apply_time: this.options.formatTime(record.appliedAt),
      applyType: String(record.applyType),
    };
  }

  private log(record: LeaveRecord, operation: string, causedBy: string, now: number): CoreEffect {
    return {
      type: 'log-operation',
      entry: {
        accountId: record.accountId,
        agentId: record.agentId,
        operation,
        oldStatus: null,
        newStatus: null,
        causedBy,
        reason: `application ${record.id}`,
        exten: null,
        remote: null,
        at: now,
      },
    };
  }
}

function send(agentId: string, eventType: string, now: number, fields: AgentEvent['fields']): CoreEffect {
  return { type: 'send', agentId, event: agentEvent(eventType, now, fields) };
}
