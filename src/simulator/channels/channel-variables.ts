/**
 * A channel's variables, in the order FreeSWITCH keeps them: setting a variable moves
 * it to the end (switch_channel_set_variable deletes, then appends), setting it to ''
 * deletes it. Rendered as `variable_<name>` headers; the block is cached until the
 * next change, so the many events between two changes share one encoding.
 */
import { HeaderBlock, type HeaderValue } from '../events/switch-event.js';

export class ChannelVariables {
  private readonly map = new Map<string, HeaderValue>();
  private cached: HeaderBlock | undefined;

  get(name: string): string | undefined {
    const v = this.map.get(name);
    return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  set(name: string, value: HeaderValue | undefined): void {
    this.map.delete(name);
    if (value !== undefined && value !== '') this.map.set(name, value);
    this.cached = undefined;
  }

  /** Sets only when absent (FreeSWITCH code that checks first, e.g. the sip_* of a re-INVITE). */
  setIfAbsent(name: string, value: HeaderValue): void {
    if (!this.map.has(name)) this.set(name, value);
  }

  delete(name: string): void {
    if (this.map.delete(name)) this.cached = undefined;
  }

  setMany(pairs: ReadonlyArray<readonly [string, HeaderValue]>): void {
    for (const [n, v] of pairs) this.set(n, v);
  }

  entries(): IterableIterator<[string, HeaderValue]> {
    return this.map.entries();
  }

  get size(): number {
    return this.map.size;
  }

  block(): HeaderBlock {
    if (this.cached === undefined) {
      const names: string[] = [];
      const values: HeaderValue[] = [];
      for (const [n, v] of this.map) {
        names.push('variable_' + n);
        values.push(v);
      }
      this.cached = new HeaderBlock(names, values);
    }
    return this.cached;
  }
}
