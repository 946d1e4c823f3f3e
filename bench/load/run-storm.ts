/**
 * The storm: the whole floor signs in at 9:00. The supervisors are signed in first;
 * then every agent starts its sign-in at its own moment, evenly over the spread (open
 * loop: an agent does not wait for the one before). polylink is then stopped (SIGTERM,
 * its orderly shutdown) and started again on the same database, and every bar signs in
 * again the same way, as bars do when their server comes back (their sessions' resumption
 * is counted: `resumed` in the signin response). Then every agent changes its state at
 * the same moment (to BUSY, then back to IDLE).
 */
import { summarize } from '../acd/stats.js';
import { memoryFigures } from './analysis/memory.js';
import { logLines } from './child.js';
import { countLog } from './run-calls.js';
import { type RunOutcome, signInFigures, stateChangeFigures } from './results.js';
import { progress, type Stage } from './stage.js';

const BUSY = 6;
const IDLE = 0;

export async function runStorm(stage: Stage): Promise<RunOutcome> {
  const { org, bars, monitor, options } = stage;
  const spreadMs = options.scenario.signInSpreadSeconds * 1000;
  const timeoutMs = 120_000;
  await bars.command({ type: 'sign-in', who: 'supervisors', mode: { kind: 'window', window: 8 }, timeoutMs });
  monitor.start();
  const loadStartMs = Date.now();

  progress(`storm: ${org.agents.length} agents sign in over ${spreadMs / 1000} s…`);
  const first = (await bars.command<'signed-in'>({ type: 'sign-in', who: 'agents', mode: { kind: 'spread', spreadMs }, timeoutMs })).result;
  progress(`first wave: ${first.ok} of ${first.attempted} signed in, the last after ${(first.durationMs / 1000).toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 2000));

  progress('restarting polylink…');
  await bars.command({ type: 'expect-close' });
  const firstLog = logLines(stage.polylink.logFile);
  const restart = await stage.restartPolylink();
  progress(`polylink stopped in ${(restart.stopMs / 1000).toFixed(1)} s and was up again in ${(restart.startMs / 1000).toFixed(1)} s; the floor signs in again…`);
  await bars.command({ type: 'sign-in', who: 'supervisors', mode: { kind: 'window', window: 8 }, timeoutMs });
  const again = (await bars.command<'signed-in'>({ type: 'sign-in', who: 'agents', mode: { kind: 'spread', spreadMs }, timeoutMs })).result;
  progress(`after the restart: ${again.ok} of ${again.attempted} signed in (${again.resumed} resumed their session), the last after ${(again.durationMs / 1000).toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, 2000));

  progress('every agent changes state at once: BUSY, then IDLE…');
  const toBusy = (await bars.command<'state-changed'>({ type: 'state-change', target: BUSY, timeoutMs: 60_000 })).result;
  await new Promise((r) => setTimeout(r, 2000));
  const toIdle = (await bars.command<'state-changed'>({ type: 'state-change', target: IDLE, timeoutMs: 60_000 })).result;
  await new Promise((r) => setTimeout(r, 1000));
  monitor.stop();
  const final = (await bars.command<'checked'>({ type: 'final-check', deadlineMs: 120_000 })).check;
  const { records } = await bars.command<'records'>({ type: 'collect' });
  await bars.close();
  await stage.polylink.stop();
  const disagree = org.agents.filter((a) => final.barStatus[a.id] !== IDLE || final.polylinkStatus[a.id] !== IDLE);

  const anomalies: RunOutcome['anomalies'] = {};
  if (records.closedByServer > 0) anomalies['connection closed'] = { count: records.closedByServer, examples: records.oddities.filter((o) => o.kind === 'closed').slice(0, 5).map((o) => o.detail) };
  if (disagree.length > 0) {
    anomalies['not IDLE at the end (bar or polylink)'] = {
      count: disagree.length,
      examples: disagree.slice(0, 5).map((a) => `agent ${a.id}: bar ${final.barStatus[a.id] ?? '?'}, polylink ${final.polylinkStatus[a.id] ?? '?'}`),
    };
  }
  const changes = [toBusy, toIdle];
  for (const c of changes) {
    if (c.noEvent > 0) anomalies[`no AgentStatusChangeEvent to ${c.target}`] = { count: c.noEvent, examples: [] };
    if (c.refused > 0) anomalies[`state change to ${c.target} refused`] = { count: c.refused, examples: [] };
  }
  const samples = monitor.probe();
  return {
    signIn: { first: signInFigures(first), afterRestart: signInFigures(again) },
    latency: {
      stateChange: summarize(changes.flatMap((c) => c.eventMs)),
      stateChangeRtt: summarize(changes.flatMap((c) => c.rttMs)),
    },
    memory: memoryFigures(samples, loadStartMs, Date.now(), 0),
    children: monitor.childUse(),
    loads: monitor.loads,
    wallSeconds: monitor.wallSeconds,
    anomalies,
    anomalyTotal: Object.values(anomalies).reduce((n, k) => n + k.count, 0),
    polylinkLog: countLog([...firstLog, ...logLines(stage.polylink.logFile)]),
    storm: { restart, stateChanges: changes.map(stateChangeFigures), dropped: records.closedByServer },
  };
}
