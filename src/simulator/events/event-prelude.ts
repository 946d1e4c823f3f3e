/**
 * The headers every FreeSWITCH event starts with (switch_event_prep_for_delivery):
 * name, core identity, dates, where it was fired, sequence number. CUSTOM events put
 * Event-Subclass first (captures e, i).
 */
import type { EventOrigin } from './event-origins.js';
import { HeaderBlock } from './switch-event.js';

/** Who the simulated switch says it is. */
export interface SwitchIdentity {
  readonly coreUuid: string;
  readonly hostname: string;
  readonly switchname: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

export class EventPrelude {
  private cachedSecond = -1;
  private cachedLocal = '';
  private cachedGmt = '';

  constructor(private readonly identity: SwitchIdentity) {}

  /** `nowUs`: the event's time in microseconds since the epoch (Event-Date-Timestamp). */
  block(name: string, subclass: string | undefined, origin: EventOrigin, sequence: number, nowUs: number): HeaderBlock {
    this.refreshDates(Math.floor(nowUs / 1000));
    const id = this.identity;
    const names: string[] = [];
    const values: string[] = [];
    if (subclass !== undefined) {
      names.push('Event-Subclass');
      values.push(subclass);
    }
    names.push(
      'Event-Name',
      'Core-UUID',
      'FreeSWITCH-Hostname',
      'FreeSWITCH-Switchname',
      'FreeSWITCH-IPv4',
      'FreeSWITCH-IPv6',
      'Event-Date-Local',
      'Event-Date-GMT',
      'Event-Date-Timestamp',
      'Event-Calling-File',
      'Event-Calling-Function',
      'Event-Calling-Line-Number',
      'Event-Sequence',
    );
    values.push(
      name,
      id.coreUuid,
      id.hostname,
      id.switchname,
      id.ipv4,
      id.ipv6,
      this.cachedLocal,
      this.cachedGmt,
      String(nowUs),
      origin.file,
      origin.func,
      origin.line,
      String(sequence),
    );
    return new HeaderBlock(names, values);
  }

  private refreshDates(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second === this.cachedSecond) return;
    this.cachedSecond = second;
    const d = new Date(second * 1000);
    this.cachedLocal = localDateTime(d);
    this.cachedGmt = d.toUTCString();
  }
}

/** `YYYY-MM-DD HH:MM:SS` in the process's local time zone, as Event-Date-Local and *_stamp variables. */
export function localDateTime(d: Date): string {
  const p = (n: number) => (n < 10 ? '0' + n : String(n));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
