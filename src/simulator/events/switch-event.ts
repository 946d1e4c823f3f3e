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
    readonly names: readonly string[],
    readonly values: readonly HeaderValue[],
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

  /** `Name: url-encoded value\n` lines (switch_event_serialize). */
  plain(): string {
    if (this.plainText === undefined) {
      let out = '';
      for (let i = 0; i < this.names.length; i++) {
        out += this.names[i] + ': ' + fsUrlEncode(plainValue(this.values[i]!)) + '\n';
      }
      this.plainText = out;
    }
    return this.plainText;
  }

  /** `"Name":"value"` members joined by commas, no braces (switch_event_serialize_json). */
  json(): string {
    if (this.jsonText === undefined) {
      let out = '';
      for (let i = 0; i < this.names.length; i++) {
        if (i > 0) out += ',';
        out += jsonMember(this.names[i]!, this.values[i]!);
      }
      this.jsonText = out;
    }
    return this.jsonText;
  }

  /** `    <Name>url-encoded value</Name>\n` lines (switch_event_xmlize). */
  xml(): string {
    if (this.xmlText === undefined) {
      let out = '';
      for (let i = 0; i < this.names.length; i++) {
        const name = this.names[i]!;
        out += '    <' + name + '>' + fsUrlEncode(plainValue(this.values[i]!)) + '</' + name + '>\n';
      }
      this.xmlText = out;
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
}

/** Looks a header up through the blocks (tests, filters); slow path, never on the send path. */
export function eventHeader(event: SwitchEvent, name: string): string | undefined {
  for (const block of event.blocks) {
    const i = block.names.indexOf(name);
    if (i !== -1) return plainValue(block.values[i]!);
  }
  return undefined;
}
