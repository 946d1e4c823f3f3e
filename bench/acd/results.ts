/** Turns what the probes, the customers and the agents recorded into the benchmark's figures. */
import type { AcdOptions } from './options.js';
import type { Offer } from './probes.js';
import { perSecond, summarize, type Summary } from './stats.js';

export interface Latencies {
  /** CallInEvent written − max(park taken by the engine, the chosen agent freed): polylink's own reaction. */
  readonly assignment: Summary | undefined;
  /** Customers offered in the turn of their arrival (an agent was free): park taken → CallInEvent written. */
  readonly arrivalPark: Summary | undefined;
  /** The same customers, from the simulator firing CHANNEL_PARK (adds ESL: serialise, TCP, parse, hand-over). */
  readonly arrivalFired: Summary | undefined;
  /** Every customer: the simulator fired CHANNEL_PARK → polylink's ESL client decoded it (socket and parse). */
  readonly eslRead: Summary | undefined;
  /** Every customer: decoded → the engine took the park (waiting in the switch port's delivery queue). */
  readonly eslQueued: Summary | undefined;
  /** Customers that waited for an agent to become free: park taken → CallInEvent written (their queue wait). */
  readonly waitedPark: Summary | undefined;
  /** Every customer: park taken → CallInEvent read by the agent's bar in the worker thread. */
  readonly read: Summary | undefined;
  readonly offeredOnArrival: number;
  readonly waitedForAgent: number;
  /** Offers whose park the probes did not see (should be 0). */
  readonly unmatched: number;
}

export function latencies(offers: readonly Offer[], readAt: ReadonlyMap<string, number>): Latencies {
  const assignment: number[] = [];
  const arrivalPark: number[] = [];
  const arrivalFired: number[] = [];
  const waitedPark: number[] = [];
  const read: number[] = [];
  const eslRead: number[] = [];
  const eslQueued: number[] = [];
  let unmatched = 0;
  for (const o of offers) {
    if (o.parkedAt === undefined) {
      unmatched++;
      continue;
    }
    const waited = o.agentFreeAt !== undefined && o.agentFreeAt > o.parkedAt;
    assignment.push(o.writtenAt - Math.max(o.parkedAt, o.agentFreeAt ?? -Infinity));
    if (waited) {
      waitedPark.push(o.writtenAt - o.parkedAt);
    } else {
      arrivalPark.push(o.writtenAt - o.parkedAt);
      if (o.firedAt !== undefined) arrivalFired.push(o.writtenAt - o.firedAt);
    }
    if (o.firedAt !== undefined && o.decodedAt !== undefined) eslRead.push(o.decodedAt - o.firedAt);
    if (o.decodedAt !== undefined) eslQueued.push(o.parkedAt - o.decodedAt);
    const readTime = readAt.get(o.caller);
    if (readTime !== undefined) read.push(readTime - o.parkedAt);
  }
  return {
    assignment: summarize(assignment),
    arrivalPark: summarize(arrivalPark),
    arrivalFired: summarize(arrivalFired),
    eslRead: summarize(eslRead),
    eslQueued: summarize(eslQueued),
    waitedPark: summarize(waitedPark),
    read: summarize(read),
    offeredOnArrival: arrivalPark.length,
    waitedForAgent: waitedPark.length,
    unmatched,
  };
}

export interface Rate {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface Rates {
  /** The steady window: from when every call placed before could have ended, to the end of arrivals. */
  readonly fromSecond: number;
  readonly toSecond: number;
  readonly placed: Rate;
  readonly offered: Rate;
  readonly answered: Rate;
}

/** Per-second rates over the steady part of the run. */
export function rates(options: AcdOptions, loadStart: number, placed: readonly number[], offered: readonly number[], answered: readonly number[]): Rates {
  const seconds = Math.floor(options.seconds);
  // A call placed at t has ended by t + answer + talk (+ ACW): from then on agents are recycled at the rate they are taken.
  const settle = Math.ceil((options.answerMs[1] + options.talkMs[1]) / 1000 + options.wrapUpSeconds);
  const fromSecond = settle < seconds - 1 ? settle : 0;
  const window = (times: readonly number[]): Rate => {
    const counts = perSecond(times, loadStart, seconds).slice(fromSecond, seconds);
    if (counts.length === 0) return { mean: 0, min: 0, max: 0 };
    return { mean: counts.reduce((a, b) => a + b, 0) / counts.length, min: Math.min(...counts), max: Math.max(...counts) };
  };
  return { fromSecond, toSecond: seconds, placed: window(placed), offered: window(offered), answered: window(answered) };
}

/** Little's law: agents busy on average = arrivals/s × (ring + talk + wrap-up) per call. */
export function agentsNeeded(options: AcdOptions): number {
  const mean = ([a, b]: readonly [number, number]) => (a + b) / 2;
  return options.rate * ((mean(options.answerMs) + mean(options.talkMs)) / 1000 + options.wrapUpSeconds);
}
