/**
 * click-number at a fixed rate: polylink on its built-in simulator with an organisation
 * whose agents are not signed in (their extensions are the simulator's registered phones),
 * a business system (load-client.ts, a process of its own) posting seed 001's
 * click-number for pairs of those phones in turn, and the time from the request being
 * written to the src phone ringing: the simulator firing CHANNEL_PROGRESS (180 Ringing,
 * src/simulator/channels/media.ts markRingReady) on the leg polylink originated to src.
 *
 * The two times come from two processes: each is `performance.timeOrigin + now()`, the
 * wall clock at the process's start plus its monotonic clock, so they share a time line
 * to within the clock's sub-millisecond reading of the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { COOCENTER_PREFIX } from '../../src/api/coocenter-plugin.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server.js';
import { eventHeader } from '../../src/simulator/events/switch-event.js';
import { LogSink } from '../acd/log-sink.js';
import { buildOrganisation } from '../acd/organisation.js';
import { benchConfig } from '../acd/run.js';
import { summarize, type Summary } from '../acd/stats.js';
import type { LoadResult } from './load-client.js';
import { loadInProcess } from './load-process.js';

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
  readonly logs: ReadonlyMap<string, number>;
}

const progress = (text: string): void => void process.stderr.write(`[click-number] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function clickNumberRun(options: ClickOptions): Promise<ClickResult> {
  const dir = mkdtempSync(join(tmpdir(), 'polylink-bench-http-'));
  try {
    const org = await buildOrganisation(dir, options.pairs * 2, 1, 0, false);
    const logs = new LogSink();
    const server = await startServer({ config: benchConfig(org.dbPath), log: createLogger('warn', logs) });
    try {
      const sim = server.switch.simulator;
      if (sim === undefined) throw new Error('polylink did not start its simulator');
      const src = org.agents.slice(0, options.pairs).map((a) => a.exten);
      const dst = org.agents.slice(options.pairs).map((a) => a.exten);
      // src answers, talks a second and hangs up: each pair is free again long before its next turn.
      for (const e of src) sim.setPhoneBehaviour(e, { kind: 'answer', afterMs: 300, hangupAfterMs: 1000 });
      for (const e of dst) sim.setPhoneBehaviour(e, { kind: 'answer', afterMs: 200 });
      const srcSet = new Set(src);
      const rungAt = new Map<string, number[]>();
      const unobserve = sim.onEvent((event) => {
        if (event.name !== 'CHANNEL_PROGRESS') return;
        const at = performance.timeOrigin + performance.now();
        const exten = eventHeader(event, 'Caller-Destination-Number');
        if (exten === undefined || !srcSet.has(exten)) return;
        const list = rungAt.get(exten) ?? [];
        list.push(at);
        rungAt.set(exten, list);
      });
      const requests = src.map((s, i) => {
        const body = `src=${s}&dst=${dst[i]!}`;
        return {
          path: `${COOCENTER_PREFIX}/extensions/click-number`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
          body,
          tag: s,
        };
      });
      progress(`${options.rate} requests/s for ${options.seconds} s over ${options.pairs} phone pairs`);
      const http = await loadInProcess({ port: server.httpPort, method: 'POST', requests, rate: options.rate, seconds: options.seconds, sockets: 4 });
      // The last calls ring, answer and end within ~2 s.
      const deadline = Date.now() + 15_000;
      while (sim.channels().length > 0 && Date.now() < deadline) await sleep(100);
      unobserve();
      const sentAt = new Map<string, number[]>();
      for (const s of http.sentAt) sentAt.set(s.tag, [...(sentAt.get(s.tag) ?? []), s.at]);
      const toRinging: number[] = [];
      let unmatched = 0;
      for (const [exten, sent] of sentAt) {
        const rung = rungAt.get(exten) ?? [];
        if (rung.length !== sent.length) {
          unmatched += sent.length;
          continue;
        }
        sent.forEach((at, k) => toRinging.push(rung[k]! - at));
      }
      return { http, toRinging: summarize(toRinging), unmatched, channelsLeft: sim.channels().length, logs: logs.counts };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
