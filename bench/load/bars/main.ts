/**
 * The bars' process: the load generator of the harness, in a process of its own so that
 * the agents' machines do not share polylink's (or the switch's) event loop. The harness
 * forks it and drives it over the IPC channel (messages.ts); it splits the bars over its
 * worker threads, hands each command to every worker and merges their answers.
 */
import { Worker } from 'node:worker_threads';
import { wallMicroseconds } from '../../../src/simulator/core/wall-clock.js';
import type { BarsSetup, FinalCheck, FromBars, SignInResult, StateChangeResult, ToBars, WorkerSetup } from './messages.js';
import { mergeRecords, type Records } from './recorder.js';

const send = (m: FromBars): void => void process.send!(m);
let workers: Worker[] = [];

function start(setup: BarsSetup): void {
  const n = Math.max(1, Math.min(setup.workers, setup.agents.length + setup.supervisors.length));
  workers = Array.from({ length: n }, (_, w) => {
    const share: WorkerSetup = {
      ...setup,
      totalAgents: setup.agents.length,
      // Round robin: every queue's members are spread over the workers.
      agents: setup.agents.filter((_, i) => i % n === w),
      supervisors: setup.supervisors.filter((_, i) => i % n === w),
    };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: share });
    worker.on('error', (err) => send({ type: 'failed', error: err.stack ?? String(err) }));
    return worker;
  });
}

/** Hands `m` to every worker; resolves with their answers. */
function all(m: ToBars): Promise<FromBars[]> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<FromBars>((resolve) => {
          const on = (answer: FromBars): void => {
            w.off('message', on);
            resolve(answer);
          };
          w.on('message', on);
          w.postMessage(m);
        }),
    ),
  );
}

function failure(answers: readonly FromBars[]): FromBars | undefined {
  return answers.find((a) => a.type === 'failed');
}

function mergeSignIns(results: readonly SignInResult[]): SignInResult {
  return {
    attempted: sum(results, (r) => r.attempted),
    ok: sum(results, (r) => r.ok),
    failed: results.flatMap((r) => r.failed).slice(0, 5),
    failedCount: sum(results, (r) => r.failedCount),
    unanswered: sum(results, (r) => r.unanswered),
    resumed: sum(results, (r) => r.resumed),
    latencyMs: results.flatMap((r) => r.latencyMs),
    requestMs: results.flatMap((r) => r.requestMs),
    tokenRequestMs: results.flatMap((r) => r.tokenRequestMs),
    passwordRequestMs: results.flatMap((r) => r.passwordRequestMs),
    durationMs: Math.max(0, ...results.map((r) => r.durationMs)),
  };
}

function mergeStateChanges(results: readonly StateChangeResult[]): StateChangeResult {
  return {
    target: results[0]?.target ?? 0,
    sent: sum(results, (r) => r.sent),
    accepted: sum(results, (r) => r.accepted),
    refused: sum(results, (r) => r.refused),
    rttMs: results.flatMap((r) => r.rttMs),
    eventMs: results.flatMap((r) => r.eventMs),
    noEvent: sum(results, (r) => r.noEvent),
  };
}

function mergeChecks(checks: readonly FinalCheck[]): FinalCheck {
  return {
    barStatus: Object.assign({}, ...checks.map((c) => c.barStatus)) as Record<string, number>,
    polylinkStatus: Object.assign({}, ...checks.map((c) => c.polylinkStatus)) as Record<string, number>,
    supervisorViews: Object.assign({}, ...checks.map((c) => c.supervisorViews)) as Record<string, Record<string, number>>,
  };
}

function sum<T>(list: readonly T[], of: (t: T) => number): number {
  return list.reduce((n, t) => n + of(t), 0);
}

async function handle(m: ToBars): Promise<void> {
  if (m.type === 'setup') {
    start(m.setup);
    send({ type: 'ready' });
    return;
  }
  // A spread sign-in starts at the same moment in every worker.
  const answers = await all(m.type === 'sign-in' ? { ...m, startAtUs: wallMicroseconds() + 200_000 } : m);
  const failed = failure(answers);
  if (failed !== undefined) {
    send(failed);
    return;
  }
  switch (m.type) {
    case 'sign-in':
      send({ type: 'signed-in', result: mergeSignIns(answers.map((a) => (a as Extract<FromBars, { type: 'signed-in' }>).result)) });
      return;
    case 'state-change':
      send({ type: 'state-changed', result: mergeStateChanges(answers.map((a) => (a as Extract<FromBars, { type: 'state-changed' }>).result)) });
      return;
    case 'final-check':
      send({ type: 'checked', check: mergeChecks(answers.map((a) => (a as Extract<FromBars, { type: 'checked' }>).check)) });
      return;
    case 'collect': {
      const records = answers.map((a) => (a as Extract<FromBars, { type: 'records' }>).records);
      send({ type: 'records', records: records.slice(1).reduce<Records>((into, r) => mergeRecords(into, r), records[0]!) });
      return;
    }
    case 'tokens':
      send({ type: 'tokens', tokens: Object.assign({}, ...answers.map((a) => (a as Extract<FromBars, { type: 'tokens' }>).tokens)) as Record<string, string> });
      return;
    case 'close':
      await Promise.all(workers.map((w) => w.terminate()));
      send({ type: 'done' });
      process.disconnect();
      return;
    default:
      send({ type: 'done' });
  }
}

process.on('message', (m: ToBars) => {
  handle(m).catch((err: unknown) => send({ type: 'failed', error: (err as Error).stack ?? String(err) }));
});
