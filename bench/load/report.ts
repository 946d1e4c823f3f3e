/** A run's results as the table the harness prints. */
import type { Summary } from '../acd/stats.js';
import type { Results, SignInFigures } from './results.js';
import { agentsBusy } from './scenarios.js';

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

const LABELS: Readonly<Record<string, string>> = {
  parkToCallIn: 'CHANNEL_PARK → CallInEvent read (a free agent)',
  parkToRing: 'CHANNEL_PARK → AgentStatusChangeEvent 0→1 read',
  parkToAddLast: 'CHANNEL_PARK → AddCustomerToQueue, last recipient',
  answerToDelLast: 'agent CHANNEL_ANSWER → DelCustomerFromQueue, last',
  bridgeToBridgeEvent: 'CHANNEL_BRIDGE → BridgeEvent read',
  bridgeToTalking: 'CHANNEL_BRIDGE → AgentStatusChangeEvent 1→2',
  hangupToHangupEvent: 'agent HANGUP_COMPLETE → HangupEvent read',
  hangupToAfterCall: 'agent HANGUP_COMPLETE → AgentStatusChange 2→4',
  switchToAgent: 'any switch event → the agent event it causes',
  waitedParkToCallIn: 'waited for an agent: park → CallInEvent (queue wait)',
  statusToLastSupervisor: "status change's cause → last supervisor's copy",
  statusToEachSupervisor: "status change's cause → each supervisor's copy",
  monitorQuery: 'getallqueuestatis → GetAllQueueStatisEvent read',
  commandRtt: 'agent command round trip (all commands)',
  stateChange: 'state change: request → AgentStatusChangeEvent read',
  stateChangeRtt: 'state change: request → response read',
};

/** A latency's label: its own, a round trip's command, or a pair's label on one switch node (`parkToCallIn.fs2`). */
function label(key: string): string {
  if (key.startsWith('rtt.')) return `round trip: ${key.slice(4)}`;
  const [pair, node] = key.split('.');
  return node === undefined ? (LABELS[key] ?? key) : `  on ${node}: ${LABELS[pair!] ?? pair!}`;
}

function row(label: string, s: Summary | undefined): string {
  if (s === undefined) return `  ${label.padEnd(56)}${'(none)'.padStart(9)}`;
  return `  ${label.padEnd(56)}${[s.p50, s.p99, s.max].map((v) => ms(v).padStart(9)).join('')}${int(s.n).padStart(10)}`;
}

function signInRow(label: string, s: SignInFigures): string {
  const tail = `${int(s.ok)}/${int(s.attempted)} in ${(s.durationMs / 1000).toFixed(1)} s${s.resumed > 0 ? `, ${int(s.resumed)} resumed` : ''}${s.failedCount + s.unanswered > 0 ? `, ${s.failedCount} failed, ${s.unanswered} unanswered (${s.failed.join('; ')})` : ''}`;
  return `${row(label, s.latency)}  ${tail}`;
}

export function report(r: Results): string {
  const o = r.outcome;
  const s = r.definition;
  const out: string[] = [];
  const load = r.machine.loadWhileMeasuring;
  out.push(`polylink load harness — scenario ${r.scenario}${r.changed.length > 0 ? ` (CHANGED: ${r.changed.join(', ')})` : ''}`);
  out.push(
    s.kind === 'calls'
      ? `  ${int(s.agents)} agents (half TCP, half WebSocket) in ${s.queues} queues, ${s.supervisors} supervisors; ${s.rampRates === undefined ? `${s.rate} calls/s for ${s.seconds} s` : `a ramp of ${s.rampRates.join(', ')} calls/s, ${s.seconds} s each`}; phones answer in ${s.answerMs[0] / 1000}–${s.answerMs[1] / 1000} s, ` +
          `customers talk ${s.talkMs[0] / 1000}–${s.talkMs[1] / 1000} s, wrap-up ${s.wrapUpSeconds} s, breaks ${s.breaksPerAgentPerHour}/agent/h; agents busy by Little's law ${int(agentsBusy(s))} (${((agentsBusy(s) / s.agents) * 100).toFixed(0)} %)`
      : `  ${int(s.agents)} agents (half TCP, half WebSocket) sign in over ${s.signInSpreadSeconds} s, again after a restart of polylink, then all change state at once; ${s.supervisors} supervisors`,
  );
  out.push(`  ${r.nodes} FreeSWITCH node(s) (simulator processes); polylink, the simulator(s) and the bars each in their own process`);
  out.push(`  acd.queueEvents: ${r.queueEvents}${r.queueEvents === 'asked' ? ' (queue events to the supervisors only: the bars never ask for a queue’s customers)' : ''}`);
  out.push(
    `  machine: ${r.machine.cpus} CPU(s) ${r.machine.model}, node ${r.machine.node}; load average at start ${r.machine.loadAtStart.map((l) => l.toFixed(2)).join(' ')}, ` +
      `while measuring ${load === undefined ? '?' : `${load.min.toFixed(2)}–${load.max.toFixed(2)} (mean ${load.mean.toFixed(2)})`}, at end ${r.machine.loadAtEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
  out.push('', `Latency, ms${''.padEnd(47)}      p50      p99      max         n`);
  for (const [wave, f] of Object.entries(o.signIn)) {
    out.push(signInRow(`sign-in (${wave}): connect → response read`, f));
    if (f.requestByToken !== undefined) {
      out.push(row(`  … request → response, proven by session token`, f.requestByToken), row(`  … request → response, by password (scrypt)`, f.requestByPassword));
    }
  }
  for (const [key, summary] of Object.entries(o.latency)) out.push(row(label(key), summary));

  if (o.counts !== undefined) {
    const c = o.counts;
    out.push('', `Calls: placed ${int(Number(c['placed']))}, bridged ${int(Number(c['bridged']))}, had a free agent ${int(Number(c['hadFreeAgent']))}, waited ${int(Number(c['waitedForAgent']))}, re-offered ${int(Number(c['reOffers']))}; CDR rows ${int(Number(c['cdrRows']))} ${JSON.stringify(c['cdrByStatus'])}`);
    if (c['statusChanges'] !== undefined) {
      out.push(
        `Supervisors: ${int(Number(c['statusChanges']))} status changes in their scope, ${int(Number(c['statusChangesIncomplete']))} not read by every watcher; ` +
          `${int(Number(c['statusChangesFromOwnCopy']))} without a cause seen outside (timed from the agent's own copy)` +
          (c['queriesSkipped'] !== undefined ? `; getallqueuestatis not asked while the last was unanswered: ${int(Number(c['queriesSkipped']))}` : ''),
      );
    }
    if (c['overflowedForOverload'] !== undefined) {
      out.push(
        `Overload: overflowed for overload ${int(Number(c['overflowedForOverload']))} customers; polylink behind the switch ${int(Number(c['timesBehind']))} time(s); ` +
          `switch-event backlog high water ${int(Number(c['backlogHighWater']))}; links cut for the backlog ${int(Number(c['linksCut']))}`,
      );
    }
  }
  if (o.messages !== undefined) {
    const m = o.messages;
    const types = Object.entries(m.byTypePerCall)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`);
    out.push(`Messages to bars: ${int(m.total)} (${m.perCall.toFixed(1)} per call, ${(m.bytesPerCall / 1024).toFixed(1)} KB per call): ${types.join(', ')}`);
    if (Object.keys(m.refused).length > 0) out.push(`  requests refused: ${Object.entries(m.refused).map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  }
  if (o.ramp !== undefined) {
    out.push('', `Ramp (each step ${s.seconds} s, its customers let finish before the next): ceiling ${o.ramp.ceiling === undefined ? 'below the first step' : `${o.ramp.ceiling} calls/s`} (p99 park → CallInEvent < ${o.ramp.boundMs} ms)`);
    out.push(`  calls/s   placed   bridged  free agent   park→CallInEvent p50 / p99 ms   switch→agent p99 ms`);
    for (const step of o.ramp.steps) {
      out.push(
        `  ${String(step.rate).padStart(7)} ${int(step.placed).padStart(8)} ${int(step.bridged).padStart(9)} ${int(step.hadFreeAgent).padStart(11)}   ` +
          `${(step.parkToCallIn === undefined ? '?' : `${ms(step.parkToCallIn.p50)} / ${ms(step.parkToCallIn.p99)}`).padStart(28)}   ${(step.switchToAgent === undefined ? '?' : ms(step.switchToAgent.p99)).padStart(19)}`,
      );
    }
  }
  if (o.storm !== undefined) {
    out.push('', `Restart: polylink stopped in ${(o.storm.restart.stopMs / 1000).toFixed(1)} s, up again in ${(o.storm.restart.startMs / 1000).toFixed(1)} s; connections dropped by polylink otherwise: ${o.storm.dropped}`);
    for (const c of o.storm.stateChanges) out.push(`  state change to ${c.target}: ${int(c.sent)} sent, ${int(c.accepted)} accepted, ${c.refused} refused, ${c.noEvent} without an event`);
  }
  const m = o.memory;
  out.push(
    '',
    `polylink: RSS max ${m.rssMaxMB?.toFixed(0) ?? '?'} MB (end ${m.rssEndMB?.toFixed(0) ?? '?'} MB), heap used max ${m.heapUsedMaxMB?.toFixed(0) ?? '?'} MB; CPU ${m.cpuSeconds.toFixed(0)} s = ${m.cores?.toFixed(2) ?? '?'} cores, ` +
      `thread busy ${m.utilisationMean === undefined ? '?' : (m.utilisationMean * 100).toFixed(0)} %, event-loop delay p99 (worst second) ${m.delayP99MaxMs?.toFixed(0) ?? '?'} ms, max ${m.delayMaxMs?.toFixed(0) ?? '?'} ms`,
  );
  if (m.growth !== undefined) out.push(`  after warm-up: heap ${m.growth.baseline[0]} → ${m.growth.final[0]} MB (${m.growth.heapPct.toFixed(1)} %), RSS ${m.growth.baseline[1]} → ${m.growth.final[1]} MB (${m.growth.rssPct.toFixed(1)} %)`);
  if (o.loops !== undefined) {
    const sw = o.loops.switch.map((l, i) => (l === undefined ? `fs${i + 1} ?` : `fs${i + 1} busy ${(l.utilisation * 100).toFixed(0)} %, delay p99 ${l.delayP99Ms.toFixed(0)} / max ${l.delayMaxMs.toFixed(0)} ms`));
    const bars = o.loops.bars.map((l, i) => `bars#${i + 1} busy ${(l.utilisation * 100).toFixed(0)} %, delay p99 ${l.p99Ms.toFixed(0)} / max ${l.maxMs.toFixed(0)} ms`);
    out.push(`  event loops (switch: mean busy, worst p99 and max of its 10 s windows; bars: the whole load): ${[...sw, ...bars].join('; ')}`);
  }
  out.push(`  other processes: ${o.children.map((c) => `${c.name} ${c.cpuSeconds.toFixed(0)} s CPU, RSS ${c.peakRssMB.toFixed(0)} MB`).join('; ')} (over ${o.wallSeconds.toFixed(0)} s)`);
  const logged = Object.entries(o.polylinkLog);
  out.push(logged.length === 0 ? '  polylink logged no warning or error' : `  polylink logged: ${logged.map(([k, v]) => `${k} ×${v}`).join('; ')}`);

  out.push('', `Anomalies: ${o.anomalyTotal}${o.sideBySide !== undefined ? ` (customers beside an idle agent > 1 s: ${o.sideBySide.customers}${o.sideBySide.customers > 0 ? `, worst ${o.sideBySide.worstMs.toFixed(0)} ms` : ''})` : ''}`);
  for (const [kind, a] of Object.entries(o.anomalies)) out.push(`  ${kind}: ${a.count}${a.examples.length > 0 ? ` — ${a.examples.slice(0, 3).join('; ')}` : ''}`);

  out.push('', 'Targets');
  for (const t of r.targets) {
    const bound = t.below !== undefined ? `< ${t.below}` : t.atLeast !== undefined ? `≥ ${t.atLeast}` : `≤ ${t.atMost ?? '?'}`;
    const value = t.value === undefined ? 'not measured' : `${t.unit === 'ms' ? ms(t.value) : t.value.toFixed(t.unit === '' ? 0 : 1)}${t.unit === '' ? '' : ` ${t.unit}`}`;
    out.push(`  ${t.passed ? 'PASS' : 'MISS'}  ${t.label.padEnd(60)} ${value.padStart(14)}  (target ${bound}${t.unit === '' ? '' : ` ${t.unit}`})`);
  }
  out.push(`  ${r.passed ? 'PASSED' : 'NOT PASSED'}: scenario ${r.scenario} in ${r.runSeconds.toFixed(0)} s`);
  return out.join('\n');
}
