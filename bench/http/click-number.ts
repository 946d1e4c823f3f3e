/**
 * click-number at a fixed rate, on bench/load's stage: polylink as a process of its own
 * (the build's CLI), the simulator in another, an organisation whose agents do not sign
 * in (their extensions are the switch's registered phones), a business system
 * (load-client.ts, a process of its own) posting seed 001's click-number for pairs of
 * those phones in turn, and the time from the request being written to the src phone
 * ringing: the switch's CHANNEL_PROGRESS (180 Ringing) on the leg polylink originated to
 * src, as its own Event-Date-Timestamp (ring-watch.ts).
 *
 * The two times come from two processes: each is `performance.timeOrigin + now()`, the
 * wall clock at the process's start plus its monotonic clock, so they share a time line
 * to within the clock's sub-millisecond reading of the start.
 */
import { COOCENTER_PREFIX } from '../../src/api/coocenter-plugin.js';
import { summarize, type Summary } from '../acd/stats.js';
import { logLines } from '../load/child.js';
import type { HarnessOptions } from '../load/options.js';
import { countLog } from '../load/run-calls.js';
import { progress, withStage } from '../load/stage.js';
import type { LoadResult } from './load-client.js';
import { loadInProcess } from './load-process.js';
import { RingWatch } from './ring-watch.js';

export interface ClickOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly pairs: number;
}

export interface ClickResult {
  readonly http: LoadResult;
  /** Request written → src's CHANNEL_PROGRESS, ms. */
  readonly toRinging: Summary | undefined;
  /** Requests whose src never rang (or rang a different number of times than it was asked). */
  readonly unmatched: number;
  /** Channels still up once the run gave up waiting for the calls to end. */
  readonly channelsLeft: number;
  /** polylink's warnings and errors, counted by message. */
  readonly logs: Record<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `harness`: the stage's options (its results folder, --keep …); its scenario gives way to the phone pairs. */
export function clickNumberRun(harness: HarnessOptions, build: string, options: ClickOptions): Promise<ClickResult> {
  const scenario = { ...harness.scenario, agents: options.pairs * 2, queues: 1, supervisors: 0 };
  return withStage({ ...harness, scenario, nodes: 1, profile: false, profileSwitch: false }, build, async (stage) => {
    const node = stage.nodes[0]!;
    const src = stage.org.agents.slice(0, options.pairs).map((a) => a.exten);
    const dst = stage.org.agents.slice(options.pairs).map((a) => a.exten);
    // src answers, talks a second and hangs up: each pair is free again long before its next turn.
    await node.control('PUT', '/simulator/phones', { extensions: src, behaviour: { kind: 'answer', afterMs: 300, hangupAfterMs: 1000 } });
    await node.control('PUT', '/simulator/phones', { extensions: dst, behaviour: { kind: 'answer', afterMs: 200 } });
    const watch = await RingWatch.start(node, new Set(src));
    try {
      const requests = src.map((s, i) => {
        const body = `src=${s}&dst=${dst[i]!}`;
        return {
          path: `${COOCENTER_PREFIX}/extensions/click-number`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
          body,
          tag: s,
        };
      });
      progress(`click-number: ${options.rate} requests/s for ${options.seconds} s over ${options.pairs} phone pairs`);
      const startedAt = Date.now();
      const http = await loadInProcess({ port: stage.ports.http, method: 'POST', requests, rate: options.rate, seconds: options.seconds, sockets: 4 });
      // The last calls ring, answer and end within ~2 s.
      const channels = async (): Promise<number> => (await node.control<{ channels: unknown[] }>('GET', '/simulator/channels')).channels.length;
      const deadline = Date.now() + 15_000;
      let left = await channels();
      while (left > 0 && Date.now() < deadline) {
        await sleep(200);
        left = await channels();
      }
      const sentAt = new Map<string, number[]>();
      for (const s of http.sentAt) sentAt.set(s.tag, [...(sentAt.get(s.tag) ?? []), s.at]);
      const toRinging: number[] = [];
      let unmatched = 0;
      for (const [exten, sent] of sentAt) {
        const rung = watch.rungAt.get(exten) ?? [];
        if (rung.length !== sent.length) {
          unmatched += sent.length;
          continue;
        }
        sent.forEach((at, k) => toRinging.push(rung[k]! - at));
      }
      const logs = countLog(logLines(stage.polylink.logFile).filter((l) => Number(l['time']) >= startedAt));
      return { http, toRinging: summarize(toRinging), unmatched, channelsLeft: left, logs };
    } finally {
      await watch.stop();
    }
  });
}
