/**
 * The headers of a JSON event that are decoded when the owner says which it reads.
 *
 * A FreeSWITCH JSON event is ~4 KB, 100-odd headers (every channel variable), of which
 * polylink reads about thirty. `JSON.parse` builds every one — a string for each key and
 * value and a dictionary-mode object — and was the largest single share of polylink's busy
 * thread under load (decodeJsonEvent 13–16 %, plus the collector's work on what it made).
 * FreeSWITCH writes an event as one flat object without white space whose values are
 * strings, or arrays of strings for a header holding several values (switch_event.c,
 * switch_event_serialize_json_obj: cJSON_CreateString / cJSON_CreateArray, printed
 * unformatted; the inner body under `_body`), so a scan that finds each key's closing
 * quote and each value's closing quote (indexOf, native) and copies only the values asked
 * for does the same for a fraction of the work: a key is compared by its length first and
 * cut out only when some header asked for has that length.
 *
 * Anything else — white space, another kind of value, an escape inside a key, a
 * stray character between pairs — makes the scan give up (undefined) and the caller decode
 * the event whole with JSON.parse, so an unusual event costs more, never decodes wrong.
 * Values not asked for are skipped, not validated: an event JSON.parse would refuse for a
 * broken value nobody reads is taken (its headers that are read are exact).
 */

export class HeaderSelection {
  private readonly names: ReadonlySet<string>;
  /** The lengths of the names: a key of another length is skipped without being cut out. */
  private readonly lengths: Uint8Array;

  constructor(names: Iterable<string>) {
    this.names = new Set(names);
    let longest = 0;
    for (const n of this.names) longest = Math.max(longest, n.length);
    this.lengths = new Uint8Array(longest + 1);
    for (const n of this.names) this.lengths[n.length] = 1;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /**
   * The selected headers of a flat JSON object of strings, and its `_body`; undefined when
   * the text is not such an object as FreeSWITCH writes it (the caller parses it whole).
   */
  scan(text: string): { headers: Record<string, string>; body: string | undefined } | undefined {
    if (text.charCodeAt(0) !== LBRACE) return undefined;
    const headers: Record<string, string> = {};
    let body: string | undefined;
    const lengths = this.lengths;
    let pos = 1;
    if (text.charCodeAt(pos) === RBRACE) return pos + 1 === text.length ? { headers, body } : undefined;
    for (;;) {
      // "key"
      if (text.charCodeAt(pos) !== QUOTE) return undefined;
      const keyEnd = text.indexOf('"', pos + 1);
      if (keyEnd === -1 || text.charCodeAt(keyEnd - 1) === BACKSLASH) return undefined;
      // :"value", or :["value",…] (a header holding several values — variable_DP_MATCH in
      // capture b — is an array of strings: switch_event.c, switch_event_serialize_json_obj)
      if (text.charCodeAt(keyEnd + 1) !== COLON) return undefined;
      const valueAt = keyEnd + 2;
      const first = text.charCodeAt(valueAt);
      const valueEnd = first === QUOTE ? stringEnd(text, valueAt) : first === LBRACKET ? arrayEnd(text, valueAt) : -1;
      if (valueEnd === -1) return undefined;
      const keyLength = keyEnd - pos - 1;
      if (keyLength === 5 && text.startsWith('_body', pos + 1)) {
        if (first !== QUOTE) return undefined;
        body = unescape(text, valueAt + 1, valueEnd);
        if (body === undefined) return undefined;
      } else if (keyLength < lengths.length && lengths[keyLength] === 1) {
        const key = text.slice(pos + 1, keyEnd);
        if (this.names.has(key)) {
          // A value that is not a string becomes its JSON text, as in the whole decode (event.ts).
          const value = first === QUOTE ? unescape(text, valueAt + 1, valueEnd) : arrayText(text, valueAt, valueEnd);
          if (value === undefined) return undefined;
          headers[key] = value;
        }
      }
      // , or the closing }
      const next = text.charCodeAt(valueEnd + 1);
      if (next === COMMA) {
        pos = valueEnd + 2;
        continue;
      }
      return next === RBRACE && valueEnd + 2 === text.length ? { headers, body } : undefined;
    }
  }
}

const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const RBRACE = 0x7d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;

/** The index of the closing quote of the string whose opening quote is at `open`; -1: none. */
function stringEnd(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1 && text.charCodeAt(end - 1) === BACKSLASH && escaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** The index of the `]` closing an array of strings that opens at `open`; -1: not such an array. */
function arrayEnd(text: string, open: number): number {
  let pos = open + 1;
  if (text.charCodeAt(pos) === RBRACKET) return pos;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return -1;
    const end = stringEnd(text, pos);
    if (end === -1) return -1;
    const next = text.charCodeAt(end + 1);
    if (next === RBRACKET) return end + 1;
    if (next !== COMMA) return -1;
    pos = end + 2;
  }
}

/** Whether the quote at `at` is escaped: an odd number of backslashes before it. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; text.charCodeAt(i) === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

/** The JSON text of the array between `open` and `close`, as JSON.stringify writes it; undefined if it is not JSON. */
function arrayText(text: string, open: number, close: number): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text.slice(open, close + 1)));
  } catch {
    return undefined;
  }
}

/**
 * A JSON string's content between `start` and `end`, its escapes resolved, as a string of
 * its own; undefined if the escapes are not JSON's. A slice of 13 characters or more would
 * be a view into the whole event text (V8's SlicedString) and keep its ~4 KB alive as long
 * as the value is kept — a call's uuid for the call's life: that pinned ~90 MB per 18,000
 * uuids kept. JSON.parse of the one string makes a copy; a shorter slice is a copy already.
 */
function unescape(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start, end);
  if (raw.length < 13 && raw.indexOf('\\') === -1) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return undefined;
  }
}
