/**
 * Compares what the simulator sent with what the real FreeSWITCH sent in a capture.
 *
 * Both streams are reduced to their structure: UUIDs become the roles A, B, C… in order
 * of first appearance, Job-UUIDs become J1, J2…, values are dropped except a few that
 * carry structure (states, causes, applications, actions). Each message belongs to a
 * stream — a channel's role, `jobs`, `conf`, `reg`, or `reply` for command/reply and
 * api/response — and is compared three ways:
 *
 *  1. per stream, the sequence of messages must be the same;
 *  2. per message, the set of header names must be the same (variables included);
 *  3. across streams, the global order must be the same except for the listed
 *     thread races: FreeSWITCH runs each channel in its own thread, and the real switch
 *     itself interleaves two legs differently from one run to the next (compare the
 *     plain and json runs of capture b).
 */
import type { EslMessage } from '../../src/esl/event.js';

export interface Item {
  readonly stream: string;
  readonly label: string;
  readonly headers: ReadonlySet<string>;
  /** Position within its stream, e.g. `A#3`. */
  id: string;
}

/** Event types the comparison leaves out (docs/simulator.md says why). */
export const NOT_COMPARED = new Set(['API', 'HEARTBEAT', 'RE_SCHEDULE', 'MODULE_UNLOAD']);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const VALUE_HEADERS = [
  'Channel-State',
  'Channel-Call-State',
  'Original-Channel-Call-State',
  'Answer-State',
  'Hangup-Cause',
  'Application',
  'Action',
  'Job-Command',
  'Other-Type',
  'Direction',
];

export function structure(messages: readonly EslMessage[], skip: ReadonlySet<string> = NOT_COMPARED): Item[] {
  const roles = new Map<string, string>();
  const role = (uuid: string) => {
    let r = roles.get(uuid);
    if (r === undefined) roles.set(uuid, (r = String.fromCharCode(65 + roles.size)));
    return r;
  };
  const jobs = new Map<string, string>();
  const job = (uuid: string) => {
    let r = jobs.get(uuid);
    if (r === undefined) jobs.set(uuid, (r = `J${jobs.size + 1}`));
    return r;
  };
  const items: Item[] = [];
  for (const m of messages) {
    if (m.kind === 'event') {
      const e = m.event;
      if (skip.has(e.name)) continue;
      const h = e.headers;
      let stream: string;
      if (h['Unique-ID'] !== undefined) stream = role(h['Unique-ID']);
      else if (e.name === 'BACKGROUND_JOB') stream = 'jobs';
      else if (e.subclass?.startsWith('conference::')) stream = 'conf';
      else if (e.subclass?.startsWith('sofia::')) stream = 'reg';
      else stream = 'core';
      const values = VALUE_HEADERS.filter((n) => h[n] !== undefined).map((n) => `${n}=${h[n]}`);
      let label = `${e.name}${e.subclass !== undefined ? '/' + e.subclass : ''} ${values.join(' ')}`.trim();
      if (e.name === 'BACKGROUND_JOB') {
        const body = digitsOut((e.body ?? '').replace(UUID, (u) => role(u)));
        label += ` ${job(h['Job-UUID'] ?? '')} body=${JSON.stringify(body.length > 40 ? body.slice(0, 40) : body)}`;
      }
      items.push({ stream, label, headers: new Set(Object.keys(h)), id: '' });
    } else if (m.kind === 'command-reply' || m.kind === 'api-response') {
      const text = m.kind === 'command-reply' ? m.replyText : m.body;
      const jobMatch = /^\+OK Job-UUID: (\S+)/.exec(text);
      const shown = jobMatch ? `+OK Job-UUID: ${job(jobMatch[1]!)}` : replyShape(text.replace(UUID, (u) => role(u)));
      items.push({ stream: 'reply', label: `${m.kind} ${shown}`, headers: new Set(), id: '' });
    } else if (m.kind === 'auth-request' || m.kind === 'disconnect-notice') {
      items.push({ stream: 'reply', label: m.kind === 'auth-request' ? 'auth/request' : `notice ${JSON.stringify(m.body)}`, headers: new Set(), id: '' });
    }
  }
  return renumber(items);
}

/** Gives each item its position in its stream (`A#3`). */
export function renumber(items: Item[]): Item[] {
  const counts = new Map<string, number>();
  for (const it of items) {
    const n = counts.get(it.stream) ?? 0;
    counts.set(it.stream, n + 1);
    it.id = `${it.stream}#${n}`;
  }
  return items;
}

/** Long replies (status, JSON lists) are compared by their first line, numbers (times, counts) aside. */
function replyShape(text: string): string {
  const first = digitsOut(text.split('\n')[0] ?? '');
  return JSON.stringify(first.length > 60 ? first.slice(0, 60) : first);
}

/** Numbers in replies are uptimes, ports, counters: not structure. Roles (A, B…) were substituted first. */
function digitsOut(text: string): string {
  return text.replace(/\d+/g, '#');
}

export interface Comparison {
  /** Streams whose sequences differ: expected (capture) vs actual (simulator). */
  readonly streamDiffs: Array<{ stream: string; expected: string[]; actual: string[] }>;
  /** Messages whose header-name sets differ. */
  readonly headerDiffs: Array<{ id: string; label: string; missing: string[]; extra: string[] }>;
  /** Pairs the capture has in one order and the simulator in the other, as `first < second` of the capture. */
  readonly inversions: string[];
}

export function compare(capture: readonly Item[], sim: readonly Item[]): Comparison {
  const streams = new Set([...capture.map((i) => i.stream), ...sim.map((i) => i.stream)]);
  const streamDiffs: Comparison['streamDiffs'] = [];
  for (const s of [...streams].sort()) {
    const expected = capture.filter((i) => i.stream === s).map((i) => i.label);
    const actual = sim.filter((i) => i.stream === s).map((i) => i.label);
    if (expected.join('\n') !== actual.join('\n')) streamDiffs.push({ stream: s, expected, actual });
  }
  const simById = new Map(sim.map((i) => [i.id, i]));
  const headerDiffs: Comparison['headerDiffs'] = [];
  for (const c of capture) {
    const s = simById.get(c.id);
    if (s === undefined || s.label !== c.label) continue;
    const missing = [...c.headers].filter((h) => !s.headers.has(h)).sort();
    const extra = [...s.headers].filter((h) => !c.headers.has(h)).sort();
    if (missing.length > 0 || extra.length > 0) headerDiffs.push({ id: c.id, label: c.label, missing, extra });
  }
  // Inversions only among messages both sides have.
  const simPos = new Map(sim.map((i, n) => [i.id, n]));
  const common = capture.filter((i) => simPos.has(i.id) && simById.get(i.id)!.label === i.label);
  const inversions: string[] = [];
  for (let x = 0; x < common.length; x++) {
    for (let y = x + 1; y < common.length; y++) {
      const a = common[x]!;
      const b = common[y]!;
      if (a.stream === b.stream) continue;
      if (simPos.get(a.id)! > simPos.get(b.id)!) inversions.push(`${a.id} ${a.label.split(' ')[0]} < ${b.id} ${b.label.split(' ')[0]}`);
    }
  }
  return { streamDiffs, headerDiffs, inversions };
}

/** Inversions counted per pair of streams, e.g. `{ 'A/B': 3 }`: how far two legs' interleaving differs. */
export function inversionsByStreams(c: Comparison): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of c.inversions) {
    const [first = '', , , second = ''] = line.split(' ');
    const key = [first.split('#')[0], second.split('#')[0]].sort().join('/');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export function report(c: Comparison): string {
  const out: string[] = [];
  for (const d of c.streamDiffs) {
    out.push(`stream ${d.stream} differs:\n  capture:\n    ${d.expected.join('\n    ')}\n  simulator:\n    ${d.actual.join('\n    ')}`);
  }
  for (const d of c.headerDiffs) out.push(`${d.id} ${d.label}: missing [${d.missing.join(' ')}] extra [${d.extra.join(' ')}]`);
  for (const i of c.inversions) out.push(`order: ${i}`);
  return out.join('\n');
}
