/**
 * A channel's variables, in the order FreeSWITCH keeps them: setting a variable moves
 * it to the end (switch_channel_set_variable deletes, then appends), setting it to ''
 * deletes it. Rendered as `variable_<name>` headers.
 *
 * A channel holds ~150 variables and a load holds thousands of channels, so the map
 * keeps only the values: the header lines are built when an event needs them, once per
 * format for each version of the variables (a call changes them a few dozen times and
 * fires many more events that carry them all), joined into one flat string. Keeping each
 * variable's own encodings instead cost ~30 KB a channel in small strings.
 */
import { HeaderBlock, jsonString, plainValue, type HeaderValue } from '../events/switch-event.js';
import { fsUrlEncode } from '../protocol/url-encode.js';

/** `variable_<name>` and its JSON key, one string each per variable name the switch has seen. */
interface NameForms {
  readonly header: string;
  readonly jsonKey: string;
}

/** Variable names are few (the switch's own, the directory's, polylink's): their forms are shared by every channel. */
const NAME_FORMS = new Map<string, NameForms>();
/** Beyond this many names (a client that invents names) new ones are encoded each time instead of kept. */
const MAX_SHARED_NAMES = 10_000;

function formsOf(name: string): NameForms {
  let forms = NAME_FORMS.get(name);
  if (forms === undefined) {
    const header = 'variable_' + name;
    forms = { header, jsonKey: jsonString(header) + ':' };
    if (NAME_FORMS.size < MAX_SHARED_NAMES) NAME_FORMS.set(name, forms);
  }
  return forms;
}

/** The variables at one moment: immutable, encoded per format on first use. */
class VariablesBlock extends HeaderBlock {
  private joinedPlain: string | undefined;
  private joinedJson: string | undefined;
  private joinedXml: string | undefined;

  constructor(private readonly entries: ReadonlyMap<string, HeaderValue>) {
    super([], []);
  }

  override get size(): number {
    return this.entries.size;
  }

  override value(header: string): HeaderValue | undefined {
    return header.startsWith('variable_') ? this.entries.get(header.slice('variable_'.length)) : undefined;
  }

  override plain(): string {
    if (this.joinedPlain === undefined) {
      const lines: string[] = [];
      for (const [name, value] of this.entries) lines.push(formsOf(name).header + ': ' + fsUrlEncode(plainValue(value)) + '\n');
      this.joinedPlain = lines.join('');
    }
    return this.joinedPlain;
  }

  override json(): string {
    if (this.joinedJson === undefined) {
      const members: string[] = [];
      for (const [name, value] of this.entries) members.push(formsOf(name).jsonKey + (typeof value === 'string' ? jsonString(value) : JSON.stringify(value)));
      this.joinedJson = members.join(',');
    }
    return this.joinedJson;
  }

  override xml(): string {
    if (this.joinedXml === undefined) {
      const lines: string[] = [];
      for (const [name, value] of this.entries) {
        const header = formsOf(name).header;
        lines.push('    <' + header + '>' + fsUrlEncode(plainValue(value)) + '</' + header + '>\n');
      }
      this.joinedXml = lines.join('');
    }
    return this.joinedXml;
  }
}

export class ChannelVariables {
  private map = new Map<string, HeaderValue>();
  /** The block handed to events; it owns `map` until the next change copies it. */
  private cached: VariablesBlock | undefined;

  get(name: string): string | undefined {
    const v = this.map.get(name);
    return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  set(name: string, value: HeaderValue | undefined): void {
    const remove = value === undefined || value === '';
    if (remove && !this.map.has(name)) return;
    this.writable().delete(name);
    if (!remove) this.map.set(name, value);
  }

  /** Sets only when absent (FreeSWITCH code that checks first). */
  setIfAbsent(name: string, value: HeaderValue): void {
    if (!this.map.has(name)) this.set(name, value);
  }

  delete(name: string): void {
    if (this.map.has(name)) this.writable().delete(name);
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
    return (this.cached ??= new VariablesBlock(this.map));
  }

  /** The map, copied first if an event's block still shows it (blocks never change). */
  private writable(): Map<string, HeaderValue> {
    if (this.cached !== undefined) {
      this.map = new Map(this.map);
      this.cached = undefined;
    }
    return this.map;
  }
}

/** switch_true (switch_utils.h): how FreeSWITCH reads a boolean variable. */
export function switchTrue(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (/^(yes|on|true|t|enabled|active|allow)$/i.test(value)) return true;
  return /^[+-]?\d+(\.\d+)?$/.test(value) && Number.parseInt(value, 10) !== 0;
}
