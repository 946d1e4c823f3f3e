/**
 * Issue 11's second figure: from an agent's status change to the last copy of its
 * AgentStatusChangeEvent a supervisor watching that agent read. polylink is a process of
 * its own here, so the change is timed from its cause as the harness sees it from outside
 * (the switch's own event time, Event-Date-Timestamp), never from inside polylink:
 *
 * | change        | its cause                                                                    |
 * |---------------|------------------------------------------------------------------------------|
 * | 0→1 (offered) | the later of the customer's CHANNEL_PARK and the moment the agent was free    |
 * |               | (the cause of its last change to IDLE; nothing before the load: free then)    |
 * | 1→2           | CHANNEL_BRIDGE of the call                                                   |
 * | 2→x           | the agent leg's CHANNEL_HANGUP_COMPLETE                                       |
 * | 4→0           | that hang-up plus the agent's wrap-up seconds (polylink's own timer)          |
 * | anything else | none seen outside: the agent's own copy's read time                          |
 *
 * A cause later than the agent's own copy was read cannot be the cause: the earlier of the
 * two is used, so a change is never timed from later than its agent saw it. The first
 * entries count a switch event's way through the switch's socket, polylink's whole step
 * and the copies' writes; the old in-process benchmark started its clock when polylink's
 * core began the step, later than any of them.
 */
import type { CustomerRecord } from '../../../src/simulator/load/call-timeline.js';
import type { Records } from '../bars/recorder.js';
import type { LoadOrganisation } from '../organisation.js';

export interface SupervisorCopies {
  /** ms from each change's cause to the last copy read, of the changes every watcher read. */
  readonly lastCopyMs: number[];
  /** ms from the cause to each copy. */
  readonly eachCopyMs: number[];
  readonly changes: number;
  /** Changes some supervisor watching the agent never read. */
  readonly incomplete: number;
  /** Changes timed from the agent's own copy (no cause seen outside). */
  readonly fromOwnCopy: number;
}

interface Change {
  readonly ref: number;
  readonly agent: string;
  /** Caused within the window: counted in the figures (the others only bound their neighbours' reads). */
  readonly counted: boolean;
}

/**
 * Each agent status change its own bar read, with its cause; counted when caused in
 * [fromUs, toUs) (µs). Those outside are kept too: a change after the window still ends
 * the previous one's reads, so its copies are not taken for a late copy of that one.
 */
export function changeCauses(records: Records, customers: readonly CustomerRecord[], wrapUpSeconds: number, fromUs: number, toUs: number): { byKey: Map<string, Change[]>; fromOwnCopy: number } {
  const byCaller = new Map(customers.map((c) => [c.caller, c]));
  const own = records.own;
  const perAgent = new Map<string, number[]>();
  for (let i = 0; i < own.agent.length; i++) {
    let list = perAgent.get(own.agent[i]!);
    if (list === undefined) perAgent.set(own.agent[i]!, (list = []));
    list.push(i);
  }
  const byKey = new Map<string, Change[]>();
  let fromOwnCopy = 0;
  for (const [agent, entries] of perAgent) {
    let freeSince = -Infinity;
    entries.forEach((i, j) => {
      const kind = own.kind[i]!;
      if (!kind.startsWith('S')) return;
      const [old, now] = kind.slice(1).split('>').map(Number) as [number, number];
      const read = own.at[i]!;
      let cause: number | undefined;
      if (old === 0 && now === 1) {
        // Its CallInEvent follows it (docs/protocol.md, "A queue call, in order"): that names the customer.
        const next = entries.slice(j + 1).find((k) => own.kind[k] === 'CallInEvent');
        const park = next === undefined ? undefined : byCaller.get(own.caller[next]!)?.parkUs;
        cause = park === undefined ? undefined : Math.max(park, freeSince);
      } else {
        const c = byCaller.get(own.caller[i]!);
        if (old === 1 && now === 2) cause = c?.bridgeUs;
        else if (old === 2) cause = c?.agentHangupUs;
        else if (old === 4 && now === 0 && c?.agentHangupUs !== undefined) cause = c.agentHangupUs + wrapUpSeconds * 1e6;
      }
      const ref = cause === undefined ? read : Math.min(cause, read);
      if (now === 0) freeSince = ref;
      // By when it was caused, not when it was read: a change read late still counts.
      const counted = ref >= fromUs && ref < toUs;
      if (counted && cause === undefined) fromOwnCopy++;
      const key = `${agent}|${kind}`;
      let list = byKey.get(key);
      if (list === undefined) byKey.set(key, (list = []));
      list.push({ ref, agent, counted });
    });
  }
  return { byKey, fromOwnCopy };
}

/**
 * Matches each change with the supervisors' reads of the same change (`agent|S old>new`)
 * from its cause until the agent's next such change (seconds later at the least: a call
 * in between).
 */
export function supervisorCopies(records: Records, customers: readonly CustomerRecord[], org: LoadOrganisation, wrapUpSeconds: number, fromUs: number, toUs: number): SupervisorCopies {
  const { byKey, fromOwnCopy } = changeCauses(records, customers, wrapUpSeconds, fromUs, toUs);
  const watchersOf = new Map<string, number>();
  for (const q of org.queues) for (const a of q.members) watchersOf.set(a, q.watchers.length);
  const reads = new Map<string, Array<{ at: number; who: string }>>();
  const r = records.supervisorReads;
  for (let i = 0; i < r.agent.length; i++) {
    const key = `${r.agent[i]!}|${r.kind[i]!}`;
    let list = reads.get(key);
    if (list === undefined) reads.set(key, (list = []));
    list.push({ at: r.at[i]!, who: r.supervisor[i]! });
  }
  const lastCopyMs: number[] = [];
  const eachCopyMs: number[] = [];
  let changes = 0;
  let incomplete = 0;
  for (const [key, list] of byKey) {
    const expected = watchersOf.get(list[0]!.agent) ?? 0;
    if (expected === 0) continue;
    list.sort((a, b) => a.ref - b.ref);
    const seen = (reads.get(key) ?? []).sort((a, b) => a.at - b.at);
    let k = 0;
    list.forEach((change, i) => {
      const until = list[i + 1]?.ref ?? Infinity;
      while (k < seen.length && seen[k]!.at < change.ref) k++;
      const who = new Set<string>();
      let last = change.ref;
      for (; k < seen.length && seen[k]!.at < until; k++) {
        who.add(seen[k]!.who);
        if (change.counted) eachCopyMs.push((seen[k]!.at - change.ref) / 1000);
        last = Math.max(last, seen[k]!.at);
      }
      if (!change.counted) return;
      changes++;
      if (who.size >= expected) lastCopyMs.push((last - change.ref) / 1000);
      else incomplete++;
    });
  }
  return { lastCopyMs, eachCopyMs, changes, incomplete, fromOwnCopy };
}
