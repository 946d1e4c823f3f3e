/**
 * A worker thread of the bars' process: a share of the agents' and supervisors' bars,
 * each with its own connection to polylink. It carries out the harness's commands
 * (messages.ts) for its share and answers with what it measured.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import { AgentBar } from './agent-bar.js';
import type { Bar, BarContext, SignInOutcome } from './bar.js';
import type { FinalCheck, FromBars, SignInMode, SignInResult, StateChangeResult, ToBars, WorkerSetup } from './messages.js';
import { Recorder } from './recorder.js';
import { SupervisorBar } from './supervisor-bar.js';

const setup = workerData as WorkerSetup;
const parent = parentPort!;
const recorder = new Recorder();
const ctx: BarContext = { ports: setup.ports, password: setup.password, recorder, supervisorQueryCmd: setup.supervisorQueryCmd };
const agents = setup.agents.map((a) => new AgentBar(a, ctx));
const supervisors = setup.supervisors.map((s) => new SupervisorBar(s, ctx));

const post = (m: FromBars): void => parent.postMessage(m);
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let loopSince = performance.eventLoopUtilization();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Each second a 1/heartbeatSeconds share of the bars beats: one heartbeat per bar per interval, spread evenly.
let tick = 0;
const everyone = (): Bar[] => [...supervisors, ...agents];
const heartbeats = setInterval(() => {
  const slot = tick++ % setup.heartbeatSeconds;
  const bars = everyone();
  for (let i = slot; i < bars.length; i += setup.heartbeatSeconds) bars[i]!.heartbeat();
}, 1000);

async function signIn(bars: readonly Bar[], mode: SignInMode, timeoutMs: number, startAtUs: number): Promise<SignInResult> {
  const began = wallMicroseconds();
  const outcomes: SignInOutcome[] = [];
  let unanswered = 0;
  const one = async (bar: Bar): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)));
    const outcome = await Promise.race([bar.signIn(), timeout]);
    clearTimeout(timer);
    if (outcome === undefined) {
      unanswered++;
      bar.close();
    } else {
      outcomes.push(outcome);
    }
  };
  if (mode.kind === 'window') {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < bars.length) await one(bars[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(mode.window, bars.length) }, lane));
  } else {
    // Open loop: agent i starts at its own moment whatever happened to the others.
    const started: Promise<void>[] = [];
    for (const bar of bars) {
      const index = bar instanceof AgentBar ? bar.agent.index : 0;
      const dueUs = startAtUs + (index * mode.spreadMs * 1000) / Math.max(1, setup.totalAgents);
      const wait = (dueUs - wallMicroseconds()) / 1000;
      if (wait > 1) await sleep(wait);
      started.push(one(bar));
    }
    await Promise.all(started);
  }
  const ok = outcomes.filter((o) => o.code === 0);
  const failed = outcomes.filter((o) => o.code !== 0);
  return {
    attempted: bars.length,
    ok: ok.length,
    failed: failed.slice(0, 5).map((o) => (o.error ?? `retCode ${o.code ?? '?'}`) as string),
    failedCount: failed.length,
    unanswered,
    resumed: ok.filter((o) => o.resumed).length,
    latencyMs: ok.map((o) => o.latencyMs),
    requestMs: ok.map((o) => o.requestMs),
    tokenRequestMs: ok.filter((o) => o.withToken).map((o) => o.requestMs),
    passwordRequestMs: ok.filter((o) => !o.withToken).map((o) => o.requestMs),
    durationMs: (wallMicroseconds() - began) / 1000,
  };
}

async function stateChange(target: number, timeoutMs: number): Promise<StateChangeResult> {
  // All at once: every request is written in this one turn.
  const results = await Promise.all(agents.filter((a) => a.connected).map((a) => a.changeStatus(target, timeoutMs)));
  const accepted = results.filter((r) => r.code === 0);
  return {
    target,
    sent: results.length,
    accepted: accepted.length,
    refused: results.length - accepted.length,
    rttMs: results.filter((r) => !Number.isNaN(r.rttMs)).map((r) => r.rttMs),
    eventMs: accepted.flatMap((r) => (r.eventMs === undefined ? [] : [r.eventMs])),
    noEvent: accepted.filter((r) => r.eventMs === undefined).length,
  };
}

async function finalCheck(deadlineMs: number): Promise<FinalCheck> {
  const barStatus: Record<string, number> = {};
  const polylinkStatus: Record<string, number> = {};
  const until = Date.now() + deadlineMs;
  // A few at a time: this is a look at the end state, not load. A polylink that does not
  // answer within the deadline leaves the rest unasked (NaN: it disagrees with every bar).
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < agents.length) {
      const a = agents[next++]!;
      const left = until - Date.now();
      polylinkStatus[a.id] = left > 0 ? await a.askStatus(Math.min(left, 30_000)) : Number.NaN;
      barStatus[a.id] = a.status;
    }
  };
  await Promise.all(Array.from({ length: 50 }, lane));
  const supervisorViews: Record<string, Record<string, number>> = {};
  for (const s of supervisors) supervisorViews[s.id] = Object.fromEntries(s.view);
  return { barStatus, polylinkStatus, supervisorViews };
}

async function handle(m: ToBars): Promise<void> {
  switch (m.type) {
    case 'sign-in': {
      const bars = m.who === 'agents' ? agents : supervisors;
      post({ type: 'signed-in', result: await signIn(bars, m.mode, m.timeoutMs, m.startAtUs ?? wallMicroseconds()) });
      return;
    }
    case 'load':
      if (m.on) {
        recorder.recording = true;
        loopDelay.enable();
        loopSince = performance.eventLoopUtilization();
        for (const a of agents) a.startBreaks(setup.breaks);
        for (const s of supervisors) s.startQueries(setup.supervisorQueryEveryMs);
      } else {
        for (const s of supervisors) s.stopQueries();
      }
      post({ type: 'done' });
      return;
    case 'expect-close':
      for (const b of everyone()) b.expectClose = true;
      post({ type: 'done' });
      return;
    case 'quiesce':
      await Promise.all(agents.map((a) => a.stopBreaks()));
      post({ type: 'done' });
      return;
    case 'state-change':
      post({ type: 'state-changed', result: await stateChange(m.target, m.timeoutMs) });
      return;
    case 'final-check':
      post({ type: 'checked', check: await finalCheck(m.deadlineMs) });
      return;
    case 'collect': {
      recorder.recording = false;
      loopDelay.disable();
      const records = recorder.take();
      // The histogram holds whole sampling intervals: the delay is what exceeds the 5 ms.
      records.loops.push({
        p99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - 5),
        maxMs: Math.max(0, loopDelay.max / 1e6 - 5),
        utilisation: performance.eventLoopUtilization(loopSince).utilization,
      });
      post({ type: 'records', records });
      return;
    }
    case 'tokens': {
      const tokens: Record<string, string> = {};
      for (const a of agents) if (a.sessionToken !== undefined) tokens[a.id] = a.sessionToken;
      post({ type: 'tokens', tokens });
      return;
    }
    case 'close':
      clearInterval(heartbeats);
      for (const b of everyone()) b.close();
      post({ type: 'done' });
      parent.close();
      return;
    case 'setup':
      return;
  }
}

parent.on('message', (m: ToBars) => {
  handle(m).catch((err: unknown) => post({ type: 'failed', error: (err as Error).stack ?? String(err) }));
});
