/**
 * Per-agent daily statistics: the 18 fields of seed 000 (queryCallStatisticsInfo),
 * kept as things happen, by calendar day in the configured time zone. Counters move
 * when the call core counts something; times move with the agent's status: talk time
 * (TALKING, HOLD, MUTE), busy time (BUSY and busy statuses), rest time (LEAVE and rest
 * statuses, with overruns past stats.maxRestSeconds). A period that crosses midnight is
 * split between the two days. Every change is saved whole (save-stats), so a restart
 * loses nothing that was counted.
 */
import { AgentStatus } from '../agent-status.js';
import type { CoreEffect } from '../effects.js';
import type { DayClock } from '../../time-format.js';

export const STAT_FIELDS = [
  'talktime',
  'answernums',
  'noanswernums',
  'calloutnums',
  'intercallnums',
  'interhelpnums',
  'transfernums',
  'transferoutnums',
  'transferivrnums',
  'redirectnums',
  'keepnums',
  'busynums',
  'restnums',
  'restoutnums',
  'resttime',
  'restouttime',
  'agentrelease',
  'busytime',
] as const;

export type StatField = (typeof STAT_FIELDS)[number];
export type StatValues = Record<StatField, number>;
/** Fields counted by the call core (times follow statuses). */
export type CountedField = Exclude<StatField, 'talktime' | 'resttime' | 'restouttime' | 'busytime' | 'busynums' | 'restnums' | 'restoutnums'>;

export interface StatsRow {
  readonly day: string;
  readonly agentId: string;
  readonly accountId: string;
  readonly values: StatValues;
  readonly updatedAt: number;
}

export type StatusKind = 'talk' | 'busy' | 'rest';

export interface DailyStatsOptions {
  readonly days: DayClock;
  /** How a status counts: custom statuses are busy or rest by configuration. */
  readonly kindOf: (accountId: string, status: number) => StatusKind | undefined;
  readonly maxRestSeconds: number;
}

export function emptyValues(): StatValues {
  return Object.fromEntries(STAT_FIELDS.map((f) => [f, 0])) as StatValues;
}

export function builtInKind(status: number): StatusKind | undefined {
  if (status === AgentStatus.TALKING || status === AgentStatus.HOLD || status === AgentStatus.MUTE) return 'talk';
  if (status === AgentStatus.BUSY) return 'busy';
  if (status === AgentStatus.LEAVE) return 'rest';
  return undefined;
}

export class DailyStats {
  private readonly rows = new Map<string, { day: string; agentId: string; accountId: string; values: StatValues; ms: Record<'talk' | 'busy' | 'rest' | 'restout', number> }>();

  constructor(private readonly options: DailyStatsOptions) {}

  /** Rows saved earlier (today's, at start): counting goes on from them. */
  load(rows: readonly StatsRow[]): void {
    for (const r of rows) {
      this.rows.set(`${r.day}|${r.agentId}`, {
        day: r.day,
        agentId: r.agentId,
        accountId: r.accountId,
        values: { ...r.values },
        ms: { talk: r.values.talktime * 1000, busy: r.values.busytime * 1000, rest: r.values.resttime * 1000, restout: r.values.restouttime * 1000 },
      });
    }
  }

  count(agentId: string, accountId: string, field: CountedField, now: number, delta = 1): CoreEffect[] {
    const row = this.row(this.options.days.dayOf(now), agentId, accountId);
    row.values[field] += delta;
    return [this.save(row, now)];
  }

  /**
   * The agent left `old` (entered at `since`) for `next` at `now`: the time spent is
   * added, and entering a busy or rest status is counted.
   */
  statusChanged(agentId: string, accountId: string, old: number, since: number, next: number, now: number): CoreEffect[] {
    const touched = new Map<string, ReturnType<DailyStats['row']>>();
    const oldKind = this.options.kindOf(accountId, old);
    if (oldKind !== undefined && since > 0 && now > since) {
      for (const [day, ms] of this.split(since, now)) {
        const row = this.row(day, agentId, accountId);
        row.ms[oldKind] += ms;
        touched.set(day, row);
      }
      if (oldKind === 'rest') {
        const over = now - since - this.options.maxRestSeconds * 1000;
        if (over > 0) {
          const row = this.row(this.options.days.dayOf(now), agentId, accountId);
          row.values.restoutnums += 1;
          row.ms.restout += over;
          touched.set(row.day, row);
        }
      }
    }
    const nextKind = this.options.kindOf(accountId, next);
    if (nextKind !== oldKind && (nextKind === 'busy' || nextKind === 'rest')) {
      const row = this.row(this.options.days.dayOf(now), agentId, accountId);
      row.values[nextKind === 'busy' ? 'busynums' : 'restnums'] += 1;
      touched.set(row.day, row);
    }
    return [...touched.values()].map((row) => this.save(row, now));
  }

  /** An agent's figures for the day of `now`, the status it is in counted up to `now`. */
  today(agentId: string, accountId: string, now: number, current?: { status: number; since: number }): StatValues {
    const day = this.options.days.dayOf(now);
    const row = this.rows.get(`${day}|${agentId}`);
    const values = row === undefined ? emptyValues() : { ...row.values };
    const ms = row === undefined ? { talk: 0, busy: 0, rest: 0, restout: 0 } : { ...row.ms };
    const kind = current === undefined ? undefined : this.options.kindOf(accountId, current.status);
    if (current !== undefined && kind !== undefined) {
      const from = Math.max(current.since, this.options.days.startOfDay(now));
      ms[kind] += Math.max(0, now - from);
      if (kind === 'rest') {
        const over = now - current.since - this.options.maxRestSeconds * 1000;
        if (over > 0) ms.restout += over;
      }
    }
    values.talktime = Math.round(ms.talk / 1000);
    values.busytime = Math.round(ms.busy / 1000);
    values.resttime = Math.round(ms.rest / 1000);
    values.restouttime = Math.round(ms.restout / 1000);
    return values;
  }

  /** [day, ms] pieces of the period (from, to]. */
  private split(from: number, to: number): [string, number][] {
    const pieces: [string, number][] = [];
    let start = from;
    while (this.options.days.dayOf(start) !== this.options.days.dayOf(to)) {
      const boundary = this.options.days.nextDayStart(start);
      pieces.push([this.options.days.dayOf(start), boundary - start]);
      start = boundary;
    }
    pieces.push([this.options.days.dayOf(to), to - start]);
    return pieces;
  }

  private row(day: string, agentId: string, accountId: string) {
    const key = `${day}|${agentId}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = { day, agentId, accountId, values: emptyValues(), ms: { talk: 0, busy: 0, rest: 0, restout: 0 } };
      this.rows.set(key, row);
    }
    return row;
  }

  private save(row: ReturnType<DailyStats['row']>, now: number): CoreEffect {
    row.values.talktime = Math.round(row.ms.talk / 1000);
    row.values.busytime = Math.round(row.ms.busy / 1000);
    row.values.resttime = Math.round(row.ms.rest / 1000);
    row.values.restouttime = Math.round(row.ms.restout / 1000);
    return { type: 'save-stats', row: { day: row.day, agentId: row.agentId, accountId: row.accountId, values: { ...row.values }, updatedAt: now } };
  }
}
