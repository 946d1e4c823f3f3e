/** The attack benchmark's figures, and their printout. */
import type { Machine } from '../results-file.js';
import type { Summary } from '../acd/stats.js';
import type { DecodeTime } from './decode-times.js';
import type { AttackRun, SigninFlood } from './messages.js';

export interface AttackFigure {
  readonly name: string;
  readonly transport: AttackRun['transport'];
  readonly outcomes: readonly string[];
  readonly closed: boolean;
  /** The attacker's time from the first byte written to the answer or the close, ms. */
  readonly roundTripMs: Summary;
  /** polylink's longest event-loop stall during the attack, ms. */
  readonly stallMs: Summary;
  /** How long polylink's thread ran during the attack (from the attacker's go to its answer), ms. */
  readonly busyMs: Summary;
}

export interface Results {
  readonly machine: Machine;
  readonly decode: readonly DecodeTime[];
  readonly attacks: readonly AttackFigure[];
  /** polylink's heap and external memory after full collections, MB. */
  readonly memory: { readonly beforeMB: number; readonly afterMB: number; readonly growthMB: number };
  readonly bystanders: { readonly agents: number; readonly duringAttacks: Summary | undefined; readonly failures: number };
  readonly signinFlood: SigninFlood;
  readonly slowReaders: {
    readonly readers: number;
    readonly maxUnreadMB: number;
    /** Events polylink was given for them (the engine's send effect). */
    readonly events: number;
    readonly cutOff: number;
    readonly cutOffMs: number;
    readonly beforeMB: number;
    readonly peakMB: number;
    readonly afterMB: number;
  };
  /** decode() p90; polylink's busy time per attack beyond the baseline request's (p50); heap growth over the set. */
  readonly targets: { readonly decodeMs: number; readonly busyBeyondBaselineMs: number; readonly memoryGrowthMB: number };
  readonly log: Readonly<Record<string, number>>;
}

const f = (n: number, digits = 2): string => n.toFixed(digits);
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function printReport(r: Results, passed: boolean): string {
  const lines: string[] = [];
  lines.push(`machine: ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}, load average ${r.machine.loadAverage}`);
  lines.push('');
  lines.push('codec, ms (50 runs after warm-up): decode() now p50 / p90 / max | validator + parser alone p50 / max | why refused');
  for (const d of r.decode) {
    const alone = d.parserAlone === undefined ? '—' : `${f(d.parserAlone.p50)} / ${f(d.parserAlone.max)}`;
    lines.push(`  ${pad(d.name, 44)} ${pad(String(d.bytes), 8)} ${pad(`${f(d.now.p50, 3)} / ${f(d.now.p90, 3)} / ${f(d.now.max, 3)}`, 24)} ${pad(alone, 16)} ${d.refusedFor.slice(0, 60)}`);
  }
  lines.push('');
  lines.push('over the wire (each 5×): answer | closed | attacker round trip p50 / max ms | polylink busy p50 / max ms | stall p50 / max ms');
  for (const a of r.attacks) {
    const cells = [`${f(a.roundTripMs.p50)} / ${f(a.roundTripMs.max)}`, `${f(a.busyMs.p50)} / ${f(a.busyMs.max)}`, `${f(a.stallMs.p50)} / ${f(a.stallMs.max)}`];
    lines.push(`  ${pad(a.name, 44)} ${pad(a.transport, 8)} ${pad(a.outcomes.join(','), 10)} ${pad(a.closed ? 'closed' : 'open', 7)} ${pad(cells[0]!, 18)} ${pad(cells[1]!, 16)} ${cells[2]}`);
  }
  lines.push('');
  lines.push(`memory (heap + external after GC): ${f(r.memory.beforeMB, 1)} → ${f(r.memory.afterMB, 1)} MB, growth ${f(r.memory.growthMB, 1)} MB (target < ${r.targets.memoryGrowthMB})`);
  const b = r.bystanders.duringAttacks;
  lines.push(
    `signed-in agents (${r.bystanders.agents}): heartbeat round trip during the attacks p50 ${b ? f(b.p50) : '—'} / p99 ${b ? f(b.p99) : '—'} / max ${b ? f(b.max) : '—'} ms (n ${b?.n ?? 0}), failures ${r.bystanders.failures}`,
  );
  const s = r.signinFlood;
  lines.push('');
  lines.push(`sign-in flood: ${s.connections} connections from one address: ${s.accepted} taken, ${s.refused88} refused -88`);
  lines.push(`  ${s.guesses} wrong passwords at once from another address in ${f(s.guessesMs, 0)} ms: ${s.wrongPassword53} checked (-53), ${s.throttled89} refused -89${s.other.length > 0 ? `, other: ${s.other.join(',')}` : ''}`);
  lines.push(`  then the right password from a third address: ${s.rightPassword.code} in ${f(s.rightPassword.ms, 0)} ms`);
  const w = r.slowReaders;
  lines.push('');
  lines.push(`slow readers: ${w.readers} bars stop reading (limit ${f(w.maxUnreadMB, 1)} MB each); ${w.events} events sent to them; cut off ${w.cutOff} in ${f(w.cutOffMs, 0)} ms`);
  lines.push(`  polylink heap + external after GC: ${f(w.beforeMB, 1)} MB before, peak ${f(w.peakMB, 1)} MB (every 100 ms), ${f(w.afterMB, 1)} MB after`);
  lines.push('');
  lines.push(`log: ${Object.entries(r.log).map(([k, n]) => `${n}× ${k}`).join('; ')}`);
  lines.push(passed ? 'PASSED' : 'FAILED');
  return lines.join('\n');
}
