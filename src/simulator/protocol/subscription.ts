/**
 * One connection's event subscription, with mod_event_socket's rules: `event <format>
 * <words>` adds to what is already subscribed; the format word only counts in first
 * position; every word after CUSTOM is a subclass (so `CUSTOM …` must come last);
 * `ALL` takes every event including every CUSTOM subclass; `nixevent` removes.
 */
import type { EventFormat } from './event-format.js';
import { EVENT_NAMES, eventTypeName } from './event-names.js';

const EVENT_NAMES_EXCEPT_ALL: readonly string[] = EVENT_NAMES.filter((n) => n !== 'ALL');

export type SubscribeResult = { ok: true; format: EventFormat } | { ok: false; reply: string };

export class Subscription {
  format: EventFormat = 'plain';
  private all = false;
  private readonly names = new Set<string>();
  private readonly subclasses = new Set<string>();

  get active(): boolean {
    return this.all || this.names.size > 0;
  }

  /** Applies the words after `event`. */
  subscribe(words: readonly string[]): SubscribeResult {
    let keys = 0;
    let custom = false;
    let format = this.format;
    words.forEach((word, i) => {
      if (i === 0) {
        const f = word.toLowerCase();
        if (f === 'plain' || f === 'json' || f === 'xml') {
          format = f;
          return;
        }
      }
      if (custom) {
        this.subclasses.add(word);
        return;
      }
      const name = eventTypeName(word);
      if (name === undefined) return;
      keys++;
      if (name === 'ALL') this.all = true;
      else this.names.add(name);
      if (name === 'CUSTOM') custom = true;
    });
    if (keys === 0) return { ok: false, reply: '-ERR no keywords supplied' };
    this.format = format;
    return { ok: true, format };
  }

  /** Applies the words after `nixevent`. */
  unsubscribe(words: readonly string[]): boolean {
    let keys = 0;
    let custom = false;
    for (const word of words) {
      if (custom) {
        this.subclasses.delete(word);
        continue;
      }
      const name = eventTypeName(word);
      if (name === undefined) continue;
      keys++;
      if (name === 'CUSTOM') custom = true;
      else if (name === 'ALL') {
        this.all = false;
        this.names.clear();
      } else {
        if (this.all) {
          this.all = false;
          this.names.add('CUSTOM');
          for (const n of EVENT_NAMES_EXCEPT_ALL) this.names.add(n);
        }
        this.names.delete(name);
      }
    }
    return keys > 0;
  }

  clear(): void {
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
  }

  wants(name: string, subclass: string | undefined): boolean {
    if (this.all) return true;
    if (!this.names.has(name)) return false;
    return name !== 'CUSTOM' || subclass === undefined || this.subclasses.has(subclass);
  }
}
