/**
 * A channel's variables, in the order FreeSWITCH keeps them: setting a variable moves
 * it to the end (switch_channel_set_variable deletes, then appends), setting it to ''
 * deletes it. Rendered as `variable_<name>` headers. Each variable keeps its encoded
 * forms, so the block rebuilt after a change (a call changes its variables a few
 * dozen times, and events carry all ~150 of them) only joins strings.
 */
import { fsUrlEncode } from '../protocol/url-encode.js';
import { HeaderBlock, jsonMember, plainValue, type HeaderValue } from '../events/switch-event.js';

interface Entry {
  readonly header: string;
  readonly value: HeaderValue;
  plain?: string;
  json?: string;
  xml?: string;
}

/** A block whose lines are the variables' own cached encodings. */
class VariablesBlock extends HeaderBlock {
  private joinedPlain: string | undefined;
  private joinedJson: string | undefined;
  private joinedXml: string | undefined;

  constructor(private readonly entries: readonly Entry[]) {
    super(
      entries.map((e) => e.header),
      entries.map((e) => e.value),
    );
  }

  override plain(): string {
    if (this.joinedPlain === undefined) {
      let out = '';
      for (const e of this.entries) out += (e.plain ??= e.header + ': ' + fsUrlEncode(plainValue(e.value)) + '\n');
      this.joinedPlain = out;
    }
    return this.joinedPlain;
  }

  override json(): string {
    if (this.joinedJson === undefined) {
      let out = '';
      for (const e of this.entries) {
        if (out !== '') out += ',';
        out += (e.json ??= jsonMember(e.header, e.value));
      }
      this.joinedJson = out;
    }
    return this.joinedJson;
  }

  override xml(): string {
    if (this.joinedXml === undefined) {
      let out = '';
      for (const e of this.entries) {
        out += (e.xml ??= '    <' + e.header + '>' + fsUrlEncode(plainValue(e.value)) + '</' + e.header + '>\n');
      }
      this.joinedXml = out;
    }
    return this.joinedXml;
  }
}

export class ChannelVariables {
  private readonly map = new Map<string, Entry>();
  private cached: HeaderBlock | undefined;

  get(name: string): string | undefined {
    const v = this.map.get(name)?.value;
    return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  set(name: string, value: HeaderValue | undefined): void {
    this.map.delete(name);
    if (value !== undefined && value !== '') this.map.set(name, { header: 'variable_' + name, value });
    this.cached = undefined;
  }

  /** Sets only when absent (FreeSWITCH code that checks first). */
  setIfAbsent(name: string, value: HeaderValue): void {
    if (!this.map.has(name)) this.set(name, value);
  }

  delete(name: string): void {
    if (this.map.delete(name)) this.cached = undefined;
  }

  setMany(pairs: ReadonlyArray<readonly [string, HeaderValue]>): void {
    for (const [n, v] of pairs) this.set(n, v);
  }

  names(): IterableIterator<string> {
    return this.map.keys();
  }

  get size(): number {
    return this.map.size;
  }

  block(): HeaderBlock {
    return (this.cached ??= new VariablesBlock([...this.map.values()]));
  }
}

/** switch_true (switch_utils.h): how FreeSWITCH reads a boolean variable. */
export function switchTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (/^(yes|on|true|t|enabled|active|allow)$/i.test(value)) return true;
  return /^[+-]?\d+(\.\d+)?$/.test(value) && Number.parseInt(value, 10) !== 0;
}
