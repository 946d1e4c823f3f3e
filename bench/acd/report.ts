/** The benchmark's figures as a plain-text report. */
import { cpus, loadavg } from 'node:os';
import type { AcdOptions } from './options.js';
import type { Memory } from './process-metrics.js';
import { agentsNeeded, type Rate } from './results.js';
import type { RunResult } from './run.js';
import type { Summary } from './stats.js';

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const pct = (v: number): string => `${(v * 100).toFixed(0)} %`;

function latencyRow(label: string, s: Summary | undefined): string {
  if (s === undefined) return `  ${label.padEnd(58)} ${'(none)'.padStart(8)}`;
  const cells = [s.p50, s.p90, s.p99, s.p999, s.max].map((v) => ms(v).padStart(8)).join('');
  return `  ${label.padEnd(58)}${cells}${int(s.n).padStart(8)}`;
}

function rateRow(label: string, r: Rate): string {
  return `  ${label.padEnd(30)}${r.mean.toFixed(1).padStart(8)}${String(r.min).padStart(8)}${String(r.max).padStart(8)}`;
}

export function report(options: AcdOptions, r: RunResult): string {
  const out: string[] = [];
  const cpu = cpus();
  out.push(
    `ACD benchmark — node ${process.version}, ${cpu.length} CPU(s) (${cpu[0]?.model ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end`,
  );
  out.push(
    `  ${options.agents} agents in ${options.queues} queues (${Math.round(options.agents / options.queues)} each, longest-idle), ${options.rate} calls/s for ${options.seconds} s, ` +
      `phones answer after ${options.answerMs[0]}–${options.answerMs[1]} ms, customers talk ${options.talkMs[0] / 1000}–${options.talkMs[1] / 1000} s after the answer, wrap-up ${options.wrapUpSeconds} s`,
  );
  const needed = agentsNeeded(options);
  out.push(`  agents busy on average by Little's law: ${int(needed)} of ${options.agents} (${pct(needed / options.agents)}; above 100 % customers must queue)`);
  out.push(
    `  organisation import ${(r.org.importMs / 1000).toFixed(1)} s (${r.org.hashes === 'shared' ? 'one scrypt hash shared by all agents' : 'one scrypt hash per agent'}), ` +
      `polylink start ${int(r.startMs)} ms, sign-in of ${r.signIn.signedIn} agents over TCP ${(r.signIn.ms / 1000).toFixed(1)} s` +
      (r.signIn.failures.length > 0 ? ` (${r.signIn.failures.length} FAILED)` : ''),
  );

  out.push('', 'Calls');
  const c = r.customers;
  out.push(`  placed ${int(c.placed)}, offered ${int(r.offers)} (CallInEvent; ${int(r.reOffers)} re-offers), answered ${int(c.bridged)} (bridged), ended ${int(c.ended)}`);
  out.push(`  ended without an agent ${int(c.unserved)}, still on the line when the run ended ${int(c.leftAtEnd)}`);
  out.push(`  per second, steady window ${r.rates.fromSecond}–${r.rates.toSecond} s:   mean     min     max`);
  out.push(rateRow('customers arriving', r.rates.placed));
  out.push(rateRow('offered (CallInEvent written)', r.rates.offered));
  out.push(rateRow('answered (bridged to agent)', r.rates.answered));

  const l = r.latency;
  out.push('', `Latency, ms ${''.padEnd(49)}     p50     p90     p99   p99.9     max       n`);
  out.push(latencyRow('assignment: max(park, agent free) → CallInEvent written', l.assignment));
  out.push(latencyRow('offered on arrival: park → CallInEvent written', l.arrivalPark));
  out.push(latencyRow('offered on arrival: switch fired CHANNEL_PARK → written', l.arrivalFired));
  out.push(latencyRow('every customer: fired → decoded by polylink\'s ESL client', l.eslRead));
  out.push(latencyRow('every customer: ESL decoded → taken by the engine', l.eslQueued));
  out.push(latencyRow('waited for a free agent: park → CallInEvent written', l.waitedPark));
  out.push(latencyRow('every customer: park → CallInEvent read by the bar', l.read));
  out.push(`  ${int(l.offeredOnArrival)} customers offered on arrival, ${int(l.waitedForAgent)} waited for an agent to become free${l.unmatched > 0 ? `, ${l.unmatched} offers without a park seen (!)` : ''}`);
  const triggers = [...r.triggers].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${int(v)}`);
  out.push(`  CallInEvents written in the turn of: ${triggers.join(', ')}`);

  out.push('', 'ACD check: a customer waiting while a member of its queue is free (seen between turns)');
  const idle = r.idle;
  const again = idle.sightings.filter((s) => s.again).length;
  out.push(`  looks ${int(idle.looks)} (every ${options.checkEveryMs} ms), with customers in a queue ${int(idle.looksWithQueued)}, most in the queues at once ${int(idle.mostQueued)} (waiting or being offered)`);
  out.push(`  sightings ${int(idle.sightings.length)}${idle.sightings.length > 0 ? `, of them seen at the previous look too ${int(again)}; first: ${idle.sightings.slice(0, 3).map((s) => `queue ${s.queueNum} agent ${s.agentId} (${s.waiting} waiting)`).join('; ')}` : ' (target: 0)'}`);

  out.push('', 'Process (polylink, its simulator and the customers share one thread; the agents\' bars have their own)');
  const p = r.loop;
  out.push(`  event-loop delay p50 ${ms(p.delayP50Ms)} ms, p99 ${ms(p.delayP99Ms)} ms, max ${ms(p.delayMaxMs)} ms`);
  out.push(`  polylink thread busy ${pct(p.utilisation)}, agents' thread busy ${pct(r.agentsUtilisation)}, CPU (all threads) ${p.cpuSeconds.toFixed(1)} s in ${p.wallSeconds.toFixed(1)} s = ${(p.cpuSeconds / p.wallSeconds).toFixed(2)} cores`);
  const m = r.memory;
  const mem = (x: Memory) =>
    `RSS ${x.rssMB.toFixed(0)} MB, heap used ${x.heapUsedMB.toFixed(0)} of ${x.heapTotalMB.toFixed(0)} MB, external ${x.externalMB.toFixed(0)} MB`;
  out.push('  memory (heap: polylink\'s thread, which holds the simulator too; RSS: the whole process):');
  out.push(`    before the load      ${mem(m.before)} (after a full GC)`);
  out.push(`    end of arrivals      ${mem(m.endOfArrivals)} (as found: garbage not yet collected counts)`);
  out.push(`    after the drain      ${mem(m.afterDrain)} (after a full GC)`);
  out.push(`    peak RSS ${p.peakRssMB.toFixed(0)} MB; the agents' thread heap at the end ${r.clients.heapUsedMB.toFixed(0)} of ${r.clients.heapTotalMB.toFixed(0)} MB`);

  out.push('', 'To the agents\' bars during the load');
  const t = r.clients;
  const seconds = p.wallSeconds;
  const types = Object.entries(t.byType)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${int(v)}`);
  out.push(`  ${int(t.messages)} messages (${int(t.messages / seconds)}/s), ${(t.bytes / 1e6).toFixed(0)} MB (${(t.bytes / 1e6 / seconds).toFixed(1)} MB/s); connections closed by polylink ${t.closedByServer}`);
  out.push(`  ${types.join(', ')}`);

  out.push('', 'After the drain');
  const e = r.endState;
  out.push(`  agents by status: ${Object.entries(e.statuses).map(([k, v]) => `${k} ${int(v)}`).join(', ')}; calls still in polylink ${e.callsInPolylink}; customers still queued ${e.waiting}`);
  if (r.logs.size === 0) out.push('  polylink logged no warning or error during the load');
  else for (const [msg, n] of r.logs) out.push(`  logged during the load: ${msg} ×${n}`);
  return out.join('\n');
}
