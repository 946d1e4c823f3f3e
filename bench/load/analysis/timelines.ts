/**
 * The bars' own events, regrouped: per agent its status changes in the order it read
 * them, and per agent and customer the events of that call (CallInEvent, BridgeEvent,
 * HangupEvent and the status changes that came with them), with their read times (µs).
 */
import type { Records } from '../bars/recorder.js';

export interface StatusChange {
  readonly at: number;
  readonly old: number;
  readonly now: number;
}

/** What one agent read about one customer's call. */
export interface CallSeen {
  readonly callIn: number[];
  readonly bridge: number[];
  readonly hangup: number[];
  /** First read of each status change during this call, by `old>new`. */
  readonly statuses: Map<string, number>;
}

export interface Timelines {
  readonly statuses: Map<string, StatusChange[]>;
  /** `agent customer` → what the agent read of that call. */
  readonly calls: Map<string, CallSeen>;
  /** Customer (caller number) → the agents that got its CallInEvent, first first. */
  readonly offeredTo: Map<string, string[]>;
}

export function callKey(agent: string, caller: string): string {
  return `${agent} ${caller}`;
}

export function timelines(records: Records): Timelines {
  const statuses = new Map<string, StatusChange[]>();
  const calls = new Map<string, CallSeen>();
  const offeredTo = new Map<string, string[]>();
  // An offer's AgentStatusChangeEvent 0→1 comes just before its CallInEvent (docs/protocol.md, "A queue
  // call, in order"): the bar still tags it with the previous customer, so it waits for the CallInEvent.
  const ringing = new Map<string, number>();
  const { agent, kind, caller, at } = records.own;
  for (let i = 0; i < agent.length; i++) {
    const a = agent[i]!;
    const k = kind[i]!;
    const c = caller[i]!;
    const t = at[i]!;
    let seen: CallSeen | undefined;
    if (c !== '') {
      const key = callKey(a, c);
      seen = calls.get(key);
      if (seen === undefined) calls.set(key, (seen = { callIn: [], bridge: [], hangup: [], statuses: new Map() }));
    }
    if (k.startsWith('S')) {
      const [old, now] = k.slice(1).split('>').map(Number) as [number, number];
      let list = statuses.get(a);
      if (list === undefined) statuses.set(a, (list = []));
      list.push({ at: t, old, now });
      const pair = `${old}>${now}`;
      if (pair === '0>1') ringing.set(a, t);
      else if (seen !== undefined && !seen.statuses.has(pair)) seen.statuses.set(pair, t);
    } else if (k === 'CallInEvent') {
      seen?.callIn.push(t);
      const ring = ringing.get(a);
      if (ring !== undefined && seen !== undefined && !seen.statuses.has('0>1')) seen.statuses.set('0>1', ring);
      ringing.delete(a);
      let list = offeredTo.get(c);
      if (list === undefined) offeredTo.set(c, (list = []));
      list.push(a);
    } else if (k === 'BridgeEvent') {
      seen?.bridge.push(t);
    } else if (k === 'HangupEvent') {
      seen?.hangup.push(t);
    }
  }
  return { statuses, calls, offeredTo };
}

/** An agent's IDLE periods as its bar saw them: [from, to) in µs; `to` Infinity while still idle. */
export function idlePeriods(changes: readonly StatusChange[], idleAtStart: boolean, startUs: number): Array<[number, number]> {
  const periods: Array<[number, number]> = [];
  let since: number | undefined = idleAtStart ? startUs : undefined;
  for (const c of changes) {
    if (c.now === 0 && since === undefined) since = c.at;
    else if (c.now !== 0 && since !== undefined) {
      periods.push([since, c.at]);
      since = undefined;
    }
  }
  if (since !== undefined) periods.push([since, Infinity]);
  return periods;
}
