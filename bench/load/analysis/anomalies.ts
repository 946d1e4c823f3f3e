/**
 * The anomalies of issue 16, found from what the switch did, what the bars read and what
 * polylink wrote:
 *
 * - a lost or duplicated event: an agent's (or a supervisor's) status changes that do not
 *   chain (old ≠ the previous new); a served call whose agent did not read exactly one
 *   CallInEvent, one BridgeEvent and one HangupEvent; a customer whose queue's recipients
 *   did not each read one AddCustomerToQueueEvent and one DelCustomerFromQueueEvent;
 *   a request never answered;
 * - a stuck agent: at the end (every customer gone, every break and wrap-up over) an
 *   agent not IDLE, polylink's own answer for it (getonlineagent) or its supervisor's view
 *   disagreeing with its bar, or a channel of an agent still up in the switch;
 * - a customer waiting beside a free eligible agent: a customer parked (and not yet
 *   offered) for longer than the grace while a member of its queue had been IDLE for
 *   longer than the grace, both as the bars read it — over the whole run, not sampled;
 * - a CDR missing or twice (polylink's SQLite, after it stopped: cdr.ts);
 * - besides: customers that never reached an agent, connections polylink closed, kicks.
 */
import type { CustomerRecord } from '../../../src/simulator/load/call-timeline.js';
import type { FinalCheck } from '../bars/messages.js';
import type { Fan, Oddity } from '../bars/recorder.js';
import type { LoadOrganisation } from '../organisation.js';
import { callKey, idlePeriods, type Timelines } from './timelines.js';

/** How long a customer and an idle agent may be seen side by side before it counts: the bars see polylink's state this much late at worst. */
export const SIDE_BY_SIDE_GRACE_MS = 1000;
const EXAMPLES = 5;

export interface AnomalyKind {
  readonly count: number;
  readonly examples: string[];
}

export type Anomalies = Record<string, AnomalyKind>;

class Tally {
  readonly kinds: Anomalies = {};

  add(kind: string, example: string, n = 1): void {
    const k = (this.kinds[kind] ??= { count: 0, examples: [] });
    (k as { count: number }).count += n;
    if (k.examples.length < EXAMPLES) k.examples.push(example);
  }
}

export interface AnomalyInput {
  readonly org: LoadOrganisation;
  readonly customers: readonly CustomerRecord[];
  readonly timelines: Timelines;
  readonly fans: ReadonlyMap<string, Fan>;
  readonly oddities: readonly Oddity[];
  readonly unanswered: number;
  readonly final: FinalCheck;
  /** Channels of agents (polylink_agent set) still up in the switch at the end. */
  readonly agentChannelsLeft: number;
  /** Customers still on the line when the harness gave up waiting. */
  readonly customersLeft: number;
  readonly cdr: { readonly missing: string[]; readonly twice: string[] };
  readonly loadStartUs: number;
  readonly endUs: number;
  /** polylink's acd.queueEvents: with `asked` only the supervisors receive the queue events (the bars never ask). */
  readonly queueEvents: 'members' | 'asked';
}

export function findAnomalies(input: AnomalyInput): { anomalies: Anomalies; total: number; sideBySide: { customers: number; worstMs: number } } {
  const tally = new Tally();
  for (const o of input.oddities) tally.add(o.kind === 'closed' || o.kind === 'kicked' ? `connection ${o.kind}` : `lost or duplicated event (${o.kind})`, o.detail);
  if (input.unanswered > 0) tally.add('request never answered', `${input.unanswered} requests`, input.unanswered);
  calls(input, tally);
  queueFans(input, tally);
  endState(input, tally);
  for (const caller of input.cdr.missing) tally.add('CDR missing', caller);
  for (const caller of input.cdr.twice) tally.add('CDR twice', caller);
  const beside = waitingBesideIdle(input);
  for (const b of beside) tally.add('customer waiting beside a free agent', b.text);
  const total = Object.values(tally.kinds).reduce((n, k) => n + k.count, 0);
  return { anomalies: tally.kinds, total, sideBySide: { customers: beside.length, worstMs: Math.max(0, ...beside.map((b) => b.ms)) } };
}

function calls(input: AnomalyInput, tally: Tally): void {
  const { timelines: t } = input;
  for (const c of input.customers) {
    if (c.bridgeUs === undefined) {
      // Its patience ran out (or the harness hung it up): the scenarios have agents enough for every customer.
      tally.add('customer never reached an agent', `${c.caller} (${c.cause ?? 'still up'})`);
      continue;
    }
    if (c.agentId === undefined) continue;
    const seen = t.calls.get(callKey(c.agentId, c.caller));
    const counts = seen === undefined ? [0, 0, 0] : [seen.callIn.length, seen.bridge.length, seen.hangup.length];
    const names = ['CallInEvent', 'BridgeEvent', 'HangupEvent'];
    counts.forEach((n, i) => {
      if (n !== 1) tally.add(`lost or duplicated event (${names[i]!})`, `agent ${c.agentId} read ${n} ${names[i]!} for customer ${c.caller}`);
    });
  }
}

function queueFans(input: AnomalyInput, tally: Tally): void {
  const members = (q: LoadOrganisation['queues'][number]): number => (input.queueEvents === 'asked' ? 0 : q.members.length);
  const recipients = new Map(input.org.queues.map((q) => [q.accessNumber, members(q) + q.watchers.length]));
  for (const c of input.customers) {
    if (c.parkUs === undefined) continue;
    const expected = recipients.get(c.to) ?? 0;
    const fan = input.fans.get(c.uuid);
    const add = fan?.add ?? 0;
    const del = fan?.del ?? 0;
    // Turned away at the door (full, or polylink behind the switch): told removed (reason 5), never added.
    const turnedAway = add === 0 && del > 0 && fan?.turnedAway === del;
    if (add !== (turnedAway ? 0 : expected)) tally.add('lost or duplicated event (AddCustomerToQueueEvent)', `customer ${c.caller}: ${add} of ${expected} recipients read it`);
    if (del !== expected) tally.add('lost or duplicated event (DelCustomerFromQueueEvent)', `customer ${c.caller}: ${del} of ${expected} recipients read it`);
  }
}

function endState(input: AnomalyInput, tally: Tally): void {
  const { barStatus, polylinkStatus, supervisorViews } = input.final;
  for (const a of input.org.agents) {
    const bar = barStatus[a.id];
    const polylink = polylinkStatus[a.id];
    if (bar !== 0) tally.add(bar === 1 ? 'stuck agent (RING without a call)' : 'stuck agent (not IDLE at the end)', `agent ${a.id}: its bar holds ${bar ?? 'nothing'}`);
    if (polylink !== bar) tally.add('stuck agent (polylink and the bar disagree)', `agent ${a.id}: bar ${bar ?? '?'}, polylink ${polylink ?? '?'}`);
  }
  for (const [supervisor, view] of Object.entries(supervisorViews)) {
    const queue = input.org.queues.find((q) => q.watchers.includes(supervisor));
    for (const agent of queue?.members ?? []) {
      if (view[agent] !== barStatus[agent]) tally.add('lost or duplicated event (supervisor view)', `supervisor ${supervisor} holds ${view[agent] ?? 'nothing'} for agent ${agent}, its bar ${barStatus[agent] ?? '?'}`);
    }
  }
  if (input.agentChannelsLeft > 0) tally.add('stuck agent (a channel left in the switch)', `${input.agentChannelsLeft} agent channels still up`, input.agentChannelsLeft);
  if (input.customersLeft > 0) tally.add('customer still waiting at the end', `${input.customersLeft} customers on the line`, input.customersLeft);
}

/**
 * Customers not yet offered beside an idle member of their queue, both for longer than the
 * grace: for each customer that waited longer than the grace, any member idle period that
 * overlaps its wait by more than the grace. Exact over the whole run (not sampled).
 */
function waitingBesideIdle(input: AnomalyInput): Array<{ caller: string; text: string; ms: number }> {
  const grace = SIDE_BY_SIDE_GRACE_MS * 1000;
  const offeredAt = (c: CustomerRecord): number => {
    const first = input.timelines.offeredTo.get(c.caller)?.[0];
    const seen = first === undefined ? undefined : input.timelines.calls.get(callKey(first, c.caller));
    return seen?.callIn[0] ?? c.hangupUs ?? input.endUs;
  };
  const found: Array<{ caller: string; text: string; ms: number }> = [];
  for (const q of input.org.queues) {
    const long = input.customers
      .filter((c) => c.to === q.accessNumber && c.parkUs !== undefined)
      .map((c) => ({ caller: c.caller, from: c.parkUs!, to: offeredAt(c) }))
      .filter((w) => w.to - w.from > grace);
    if (long.length === 0) continue;
    const idle = q.members.flatMap((agent) => idlePeriods(input.timelines.statuses.get(agent) ?? [], true, input.loadStartUs).map(([from, to]) => ({ agent, from, to })));
    for (const w of long) {
      let worst: { agent: string; us: number } | undefined;
      for (const p of idle) {
        // Both had lasted longer than the grace from max(from) + grace until the first of them ended.
        const us = Math.min(w.to, p.to) - (Math.max(w.from, p.from) + grace);
        if (us > 0 && (worst === undefined || us > worst.us)) worst = { agent: p.agent, us };
      }
      if (worst === undefined) continue;
      const ms = worst.us / 1000 + SIDE_BY_SIDE_GRACE_MS;
      found.push({ caller: w.caller, ms, text: `customer ${w.caller} in queue ${q.num} beside idle agent ${worst.agent} for ${ms.toFixed(0)} ms` });
    }
  }
  return found;
}
