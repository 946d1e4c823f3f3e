/**
 * What a format makes of a fact: zero or more pushes, each with its event name (what a
 * target subscribes to), a stable event id (seed 003 eventUniqueId) and its JSON body. The
 * body is rendered once, when the fact is written to the outbox, so a push sent again
 * after a crash is byte for byte the same.
 */
import type { PushFact } from '../../core/records/push-facts.js';
import type { TimeFormat } from '../../time-format.js';

export interface PushBody {
  readonly event: string;
  readonly eventId: string;
  readonly body: Record<string, unknown>;
}

export interface FormatContext {
  /** `yyyy-MM-dd HH:mm:ss` in the configured time zone. */
  readonly formatTime: TimeFormat;
  /** A new event id: 32 lowercase hex digits, like the seed's eventUniqueId. */
  readonly newEventId: () => string;
  /** Seed 001's `mac` setting (webhooks.mac). */
  readonly mac: string;
}

export type PushFormat = (fact: PushFact, context: FormatContext) => PushBody[];

/** A time as the seeds write it, or '' when there is none. */
export function timeText(context: FormatContext, ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : context.formatTime(ms);
}

/** Unix seconds as text (seed 003 statusTime of call events: "1620455977"). */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

/** Seed 001's timestamp: seconds and microseconds ("1534993059.785012"). */
export function secondsAndMicros(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000`;
}
