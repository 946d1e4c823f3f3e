/**
 * The wallboard's queues: each queue's Queue_Statis_Struct with polylink's figures of the day
 * (docs/protocol.md, "The wallboard's figures") as getallqueuestatis answers it and as each
 * QueueStatisChangeEvent pushes it. Pure: the longest wait counts up on the page's clock
 * from the moment the figures arrived.
 */

/** Queue_Statis_Struct and its figures, as the protocol sends them: text. */
export type QueueFigures = Readonly<Record<string, string>>;

export interface QueueRow {
  readonly num: string;
  readonly name: string;
  readonly waiting: number;
  /** longest_wait_seconds when the figures arrived, at `at`. */
  readonly longestWait: number;
  readonly at: number;
  /** Percentages and seconds with one decimal; undefined while nothing was counted. */
  readonly serviceLevel: number | undefined;
  readonly abandonRate: number | undefined;
  readonly averageSpeedOfAnswer: number | undefined;
  readonly offered: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly serviceLevelSeconds: number;
  readonly agentsIdle: number;
  readonly agentsOnline: number;
}

const count = (f: QueueFigures, key: string): number => {
  const n = Number(f[key] ?? '');
  return Number.isFinite(n) ? n : 0;
};
const rate = (f: QueueFigures, key: string): number | undefined => {
  const text = f[key] ?? '';
  return text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text);
};

export function queueRow(f: QueueFigures, now: number): QueueRow {
  return {
    num: f['queue_num'] ?? '',
    name: f['queue_name'] ?? '',
    waiting: count(f, 'queue_wait_people_amount'),
    longestWait: count(f, 'longest_wait_seconds'),
    at: now,
    serviceLevel: rate(f, 'service_level'),
    abandonRate: rate(f, 'abandon_rate'),
    averageSpeedOfAnswer: rate(f, 'average_speed_of_answer'),
    offered: count(f, 'offered_amount'),
    answered: count(f, 'answered_amount'),
    abandoned: count(f, 'abandoned_amount'),
    serviceLevelSeconds: count(f, 'service_level_seconds'),
    agentsIdle: count(f, 'agent_idle_amount'),
    agentsOnline: count(f, 'agent_online_amount'),
  };
}

/** The longest wait now: it grows while someone waits, and is 0 when nobody does. */
export function longestWaitNow(row: QueueRow, now: number): number {
  return row.waiting === 0 ? 0 : row.longestWait + Math.max(0, now - row.at) / 1000;
}

/** How a figure reads against its target: the service level and the abandon rate colour the board. */
export type Judgement = 'good' | 'warn' | 'bad' | 'none';

/** Service level: at least 80 % good, under 60 % bad (the usual 80/20 target and its alarm). */
export function judgeServiceLevel(sl: number | undefined): Judgement {
  if (sl === undefined) return 'none';
  return sl >= 80 ? 'good' : sl >= 60 ? 'warn' : 'bad';
}

/** Abandon rate: up to 5 % good, over 10 % bad. */
export function judgeAbandonRate(rate: number | undefined): Judgement {
  if (rate === undefined) return 'none';
  return rate <= 5 ? 'good' : rate <= 10 ? 'warn' : 'bad';
}

/** A longest wait over the service level's threshold is late; over twice it, very late. */
export function judgeWait(seconds: number, threshold: number): Judgement {
  if (seconds === 0 || threshold <= 0) return 'none';
  return seconds <= threshold ? 'good' : seconds <= 2 * threshold ? 'warn' : 'bad';
}

/** One decimal as the protocol writes it, or a dash while there is nothing. */
export function oneDecimal(value: number | undefined, unit = ''): string {
  return value === undefined ? '–' : `${value.toFixed(1)}${unit}`;
}
