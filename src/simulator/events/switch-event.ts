/**
 * A FreeSWITCH event as the simulator builds it: an ordered list of header blocks
 * plus an optional body. Blocks are immutable, so a channel can hand the same block
 * (its caller profile, its variables) to many events and each block caches its
 * encodings: an event costs a few string concatenations, not a re-encoding of the
 * ~150 headers FreeSWITCH puts in a channel event.
 */
import { fsUrlEncode } from '../protocol/url-encode.js';

/** A header value; arrays are FreeSWITCH's multi-value headers (`ARRAY::a|:b` in plain, a JSON array in json). */
export type HeaderValue = string | readonly string[];

export class HeaderBlock {
  private plainText: string | undefined;
  private jsonText: string | undefined;
  private xmlText: string | undefined;

  constructor(
    private readonly names: readonly string[],
    private readonly values: readonly HeaderValue[],
  ) {}

  static of(pairs: ReadonlyArray<readonly [string, HeaderValue]>): HeaderBlock {
    return new HeaderBlock(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  get size(): number {
    return this.names.length;
  }

  /** A header's value, undefined when the block lacks it (tests, filters; never on the send path). */
  value(name: string): HeaderValue | undefined {
    const i = this.names.indexOf(name);
    return i === -1 ? undefined : this.values[i];
  }

  // The encodings are joined from arrays rather than appended to a string: a join gives
  // one flat string, where `+=` leaves a tree of small strings that a cached block (a
  // caller profile shown in many events) would keep alive and every frame walk again.

  /** `Name: url-encoded value\n` lines (switch_event_serialize). */
  plain(): string {
    if (this.plainText === undefined) {
      const lines: string[] = [];
      for (let i = 0; i < this.names.length; i++) lines.push(this.names[i] + ': ' + fsUrlEncode(plainValue(this.values[i]!)) + '\n');
      this.plainText = lines.join('');
    }
    return this.plainText;
  }

  /** `"Name":"value"` members joined by commas, no braces (switch_event_serialize_json). */
  json(): string {
    if (this.jsonText === undefined) {
      const members: string[] = [];
      for (let i = 0; i < this.names.length; i++) members.push(jsonMember(this.names[i]!, this.values[i]!));
      this.jsonText = members.join(',');
    }
    return this.jsonText;
  }

  /** `    <Name>url-encoded value</Name>\n` lines (switch_event_xmlize). */
  xml(): string {
    if (this.xmlText === undefined) {
      const lines: string[] = [];
      for (let i = 0; i < this.names.length; i++) {
        const name = this.names[i]!;
        lines.push('    <' + name + '>' + fsUrlEncode(plainValue(this.values[i]!)) + '</' + name + '>\n');
      }
      this.xmlText = lines.join('');
    }
    return this.xmlText;
  }
}

const NEEDS_JSON_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/** JSON.stringify for a string, without its cost for the plain strings most values are. */
export function jsonString(s: string): string {
  return NEEDS_JSON_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

export function jsonMember(name: string, value: HeaderValue): string {
  return jsonString(name) + ':' + (typeof value === 'string' ? jsonString(value) : JSON.stringify(value));
}

export function plainValue(value: HeaderValue): string {
  return typeof value === 'string' ? value : 'ARRAY::' + value.join('|:');
}

export interface SwitchEvent {
  /** Event-Name. */
  readonly name: string;
  /** Event-Subclass of CUSTOM events. */
  readonly subclass: string | undefined;
  /** Event-Sequence, one more than the previous event the switch fired. */
  readonly sequence: number;
  /** Unique-ID of the channel the event is about, when it is about one (for filters and tests). */
  readonly uniqueId: string | undefined;
  /** Headers in FreeSWITCH order: the event prelude first. */
  readonly blocks: readonly HeaderBlock[];
  /** Inner body (BACKGROUND_JOB output); carried with its own Content-Length. */
  readonly body: string | undefined;
  /** Its frames once serialized, per format (server/frame-cache.ts); events built by the bus have one. */
  readonly frames?: { plain?: string; json?: string; xml?: string };
}

/** Looks a header up through the blocks (tests, filters); slow path, never on the send path. */
export function eventHeader(event: SwitchEvent, name: string): string | undefined {
  for (const block of event.blocks) {
    const value = block.value(name);
    if (value !== undefined) return plainValue(value);
  }
  return undefined;
}
