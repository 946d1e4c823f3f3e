/**
 * What one worker's bars saw, kept compact enough for thousands of bars at hundreds of
 * messages a second: counts, command round trips, each agent's own call and status
 * events with their read times, and per customer (its channel uuid) how many queue
 * events its queue's recipients read and when the first and the last of them did.
 */

/** Per customer: AddCustomerToQueueEvent / DelCustomerFromQueueEvent / Update… counts and read times (µs). */
export interface Fan {
  add: number;
  del: number;
  upd: number;
  addFirst: number;
  addLast: number;
  delFirst: number;
  delLast: number;
  /** DelCustomerFromQueueEvents with reason 5: turned away at the door (queue full, or polylink overloaded), never added. */
  turnedAway: number;
}

/** An event that should not have happened, with enough to find it. */
export interface Oddity {
  readonly kind: string;
  readonly detail: string;
}

export interface Records {
  messages: number;
  bytes: number;
  byType: Record<string, number>;
  /** Command round trips, ms, by cmdType. */
  rtt: Record<string, number[]>;
  /** Answers other than 0, by `cmdType retCode`. */
  refused: Record<string, number>;
  /** Requests whose connection closed before the answer. */
  unanswered: number;
  /** Agents' own events during the load: who, what (`CallInEvent`, `S1>2` …), the customer it was about, when read (µs). */
  own: { agent: string[]; kind: string[]; caller: string[]; at: number[] };
  fans: Map<string, Fan>;
  /** AgentStatusChangeEvents as the supervisors read them during the load: whose, what (`S1>2` …), read by whom, when (µs). */
  supervisorReads: { agent: string[]; kind: string[]; supervisor: string[]; at: number[] };
  /** getallqueuestatis: request written → its GetAllQueueStatisEvent read, ms. */
  queryResultMs: number[];
  /** Queries not asked because the last one was still unanswered (a slow server is not piled on). */
  queriesSkipped: number;
  oddities: Oddity[];
  closedByServer: number;
  /** Each worker's event loop while the load ran: a bar that reads late makes every latency look worse. */
  loops: Array<{ p99Ms: number; maxMs: number; utilisation: number }>;
}

export function emptyRecords(): Records {
  return { messages: 0, bytes: 0, byType: {}, rtt: {}, refused: {}, unanswered: 0, own: { agent: [], kind: [], caller: [], at: [] }, fans: new Map(), supervisorReads: { agent: [], kind: [], supervisor: [], at: [] }, queryResultMs: [], queriesSkipped: 0, oddities: [], closedByServer: 0, loops: [] };
}

export class Recorder {
  records = emptyRecords();
  /** Call and queue events are kept only while the load runs (sign-in traffic is not the load). */
  recording = false;

  /** A message read (an event by its type, or a response); counted while the load runs. */
  count(type: string): void {
    if (!this.recording) return;
    this.records.messages++;
    this.records.byType[type] = (this.records.byType[type] ?? 0) + 1;
  }

  bytes(n: number): void {
    if (this.recording) this.records.bytes += n;
  }

  rtt(cmdType: string, ms: number): void {
    if (this.recording) (this.records.rtt[cmdType] ??= []).push(ms);
  }

  refused(cmdType: string, code: number | undefined): void {
    if (!this.recording) return;
    const key = `${cmdType} ${code ?? 'unreadable'}`;
    this.records.refused[key] = (this.records.refused[key] ?? 0) + 1;
  }

  unanswered(n: number): void {
    this.records.unanswered += n;
  }

  closedByServer(bar: string): void {
    this.records.closedByServer++;
    this.odd('closed', `${bar}: polylink closed the connection`);
  }

  own(agent: string, kind: string, caller: string, at: number): void {
    if (!this.recording) return;
    const o = this.records.own;
    o.agent.push(agent);
    o.kind.push(kind);
    o.caller.push(caller);
    o.at.push(at);
  }

  supervisorRead(agent: string, kind: string, supervisor: string, at: number): void {
    if (!this.recording) return;
    const r = this.records.supervisorReads;
    r.agent.push(agent);
    r.kind.push(kind);
    r.supervisor.push(supervisor);
    r.at.push(at);
  }

  queryResult(ms: number): void {
    if (this.recording) this.records.queryResultMs.push(ms);
  }

  querySkipped(): void {
    if (this.recording) this.records.queriesSkipped++;
  }

  queueEvent(type: string, uuid: string, at: number, reason: string | undefined): void {
    if (!this.recording) return;
    let f = this.records.fans.get(uuid);
    if (f === undefined) this.records.fans.set(uuid, (f = { add: 0, del: 0, upd: 0, addFirst: Infinity, addLast: 0, delFirst: Infinity, delLast: 0, turnedAway: 0 }));
    if (type === 'AddCustomerToQueueEvent') {
      f.add++;
      f.addFirst = Math.min(f.addFirst, at);
      f.addLast = Math.max(f.addLast, at);
    } else if (type === 'DelCustomerFromQueueEvent') {
      f.del++;
      if (reason === '5') f.turnedAway++;
      f.delFirst = Math.min(f.delFirst, at);
      f.delLast = Math.max(f.delLast, at);
    } else {
      f.upd++;
    }
  }

  odd(kind: string, detail: string): void {
    this.records.oddities.push({ kind, detail });
  }

  /** Hands the records over and starts afresh. */
  take(): Records {
    const r = this.records;
    this.records = emptyRecords();
    return r;
  }
}

/** Adds `b` into `a` (the bars process merges its workers' records). */
export function mergeRecords(a: Records, b: Records): Records {
  a.messages += b.messages;
  a.bytes += b.bytes;
  for (const [k, v] of Object.entries(b.byType)) a.byType[k] = (a.byType[k] ?? 0) + v;
  for (const [k, v] of Object.entries(b.rtt)) {
    const into = (a.rtt[k] ??= []);
    for (const x of v) into.push(x);
  }
  for (const [k, v] of Object.entries(b.refused)) a.refused[k] = (a.refused[k] ?? 0) + v;
  a.unanswered += b.unanswered;
  for (let i = 0; i < b.own.agent.length; i++) {
    a.own.agent.push(b.own.agent[i]!);
    a.own.kind.push(b.own.kind[i]!);
    a.own.caller.push(b.own.caller[i]!);
    a.own.at.push(b.own.at[i]!);
  }
  const [ra, rb] = [a.supervisorReads, b.supervisorReads];
  for (let i = 0; i < rb.agent.length; i++) {
    ra.agent.push(rb.agent[i]!);
    ra.kind.push(rb.kind[i]!);
    ra.supervisor.push(rb.supervisor[i]!);
    ra.at.push(rb.at[i]!);
  }
  for (const x of b.queryResultMs) a.queryResultMs.push(x);
  a.queriesSkipped += b.queriesSkipped;
  for (const [uuid, f] of b.fans) {
    const g = a.fans.get(uuid);
    if (g === undefined) {
      a.fans.set(uuid, f);
      continue;
    }
    g.add += f.add;
    g.del += f.del;
    g.turnedAway += f.turnedAway;
    g.upd += f.upd;
    g.addFirst = Math.min(g.addFirst, f.addFirst);
    g.addLast = Math.max(g.addLast, f.addLast);
    g.delFirst = Math.min(g.delFirst, f.delFirst);
    g.delLast = Math.max(g.delLast, f.delLast);
  }
  for (const o of b.oddities) a.oddities.push(o);
  a.closedByServer += b.closedByServer;
  a.loops.push(...b.loops);
  return a;
}
