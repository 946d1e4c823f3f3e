/**
 * The assembled FreeSWITCH document as a small element tree, and a model of how
 * mod_dialplan_xml routes a call through it, so that tests can dial a number and see what
 * FreeSWITCH would do with the call.
 */
import { XMLParser } from 'fast-xml-parser';

export interface El {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly El[];
}

type OrderedNode = Record<string, unknown>;

export function parseTree(xml: string): El {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
  });
  const nodes = parser.parse(xml) as OrderedNode[];
  const roots = nodes.map(toEl).filter((e): e is El => e !== undefined);
  const root = roots.find((e) => !e.name.startsWith('?'));
  if (root === undefined) throw new Error('no root element');
  return root;
}

function toEl(node: OrderedNode): El | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) return undefined;
  const attrs = (node[':@'] ?? {}) as Record<string, string>;
  const kids = (node[name] ?? []) as OrderedNode[];
  return { name, attrs, children: kids.map(toEl).filter((e): e is El => e !== undefined) };
}

export function kids(el: El, name: string): El[] {
  return el.children.filter((c) => c.name === name);
}

export function kid(el: El, name: string, attr?: [string, string]): El | undefined {
  return el.children.find((c) => c.name === name && (attr === undefined || c.attrs[attr[0]] === attr[1]));
}

/** Every descendant (depth first, document order) with that element name. */
export function all(el: El, name: string): El[] {
  const found: El[] = [];
  const walk = (e: El): void => {
    for (const c of e.children) {
      if (c.name === name) found.push(c);
      walk(c);
    }
  };
  walk(el);
  return found;
}

/** `<param name=… value=…>` children of an element, as a map. */
export function params(el: El | undefined, tag = 'param'): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of el === undefined ? [] : kids(el, tag)) {
    const n = p.attrs['name'];
    if (n === undefined) continue;
    map.set(n, [...(map.get(n) ?? []), p.attrs['value'] ?? '']);
  }
  return map;
}

export function configuration(doc: El, name: string): El | undefined {
  const section = kid(doc, 'section', ['name', 'configuration']);
  return section === undefined ? undefined : kid(section, 'configuration', ['name', name]);
}

// ---------------------------------------------------------------------------------------
// Dialplan

export interface Step {
  readonly app: string;
  readonly data: string;
}

export interface CallResult {
  /** Applications run, in order, across transfers. */
  readonly steps: readonly Step[];
  /** How the walk ended. */
  readonly end: 'park' | 'bridge' | 'echo' | 'playback-end' | 'hangup' | 'no-route' | 'end-of-actions';
  readonly vars: ReadonlyMap<string, string>;
}

export interface DialOptions {
  /** Keys the caller presses at each play_and_get_digits, in order; none: the caller presses nothing. */
  readonly keys?: readonly string[];
  /** Channel variables the call already carries. */
  readonly vars?: Readonly<Record<string, string>>;
  /** Global variables (vars.xml): a channel variable lookup falls back to them. */
  readonly globals?: ReadonlyMap<string, string>;
}

/** Applications after which the channel stays where it is in this model. */
const TERMINAL: Record<string, CallResult['end']> = { park: 'park', bridge: 'bridge', echo: 'echo', hangup: 'hangup' };

/**
 * Dials `number` in `context` and follows the XML dialplan: the first extension whose
 * conditions hold, its actions run in order, `transfer` starts again in the new context.
 * Conditions follow mod_dialplan_xml: fields are `destination_number` (and other caller
 * profile fields from `vars`) or `${variable}`; `break` is on-false unless it says
 * otherwise; `$1`… in an action are the captures of its own condition.
 */
export function dial(doc: El, context: string, number: string, options: DialOptions = {}): CallResult {
  const dialplan = kid(doc, 'section', ['name', 'dialplan']);
  if (dialplan === undefined) throw new Error('no dialplan section');
  const vars = new Map<string, string>(Object.entries(options.vars ?? {}));
  const globals = options.globals ?? new Map<string, string>();
  const keys = [...(options.keys ?? [])];
  const steps: Step[] = [];
  let dest = number;
  let ctx = context;

  for (let hops = 0; hops < 20; hops++) {
    vars.set('destination_number', dest);
    const contextEl = kid(dialplan, 'context', ['name', ctx]);
    if (contextEl === undefined) throw new Error(`no dialplan context "${ctx}"`);
    const actions = route(contextEl, vars, globals);
    if (actions === undefined) return { steps, end: 'no-route', vars };

    let transferred = false;
    for (const { app, data: rawData } of actions) {
      const data = expand(rawData, vars, globals);
      steps.push({ app, data });
      if (app === 'set' || app === 'export') {
        const eq = data.indexOf('=');
        if (eq > 0) vars.set(data.slice(0, eq), data.slice(eq + 1));
      } else if (app === 'unset') {
        vars.delete(data);
      } else if (app === 'answer') {
        vars.set('answered', 'true');
      } else if (app === 'play_and_get_digits') {
        // min max tries timeout terminators file invalid_file var_name regexp [digit_timeout] …
        const args = data.split(' ');
        const varName = args[7];
        const regexp = args[8];
        if (varName === undefined || regexp === undefined) throw new Error(`play_and_get_digits ${data}: too few arguments`);
        const key = keys.shift();
        if (key !== undefined && new RegExp(regexp).test(key)) vars.set(varName, key);
      } else if (app === 'transfer') {
        const [to, dialplanName, toContext] = data.split(' ');
        if (to === undefined || (dialplanName !== undefined && dialplanName !== 'XML')) throw new Error(`transfer ${data}: not an XML transfer`);
        dest = to;
        ctx = toContext ?? 'default';
        transferred = true;
        break;
      } else if (TERMINAL[app] !== undefined) {
        return { steps, end: TERMINAL[app], vars };
      }
    }
    if (!transferred) {
      const last = steps[steps.length - 1];
      return { steps, end: last?.app === 'playback' ? 'playback-end' : 'end-of-actions', vars };
    }
  }
  throw new Error(`${number}: more than 20 transfers`);
}

function route(context: El, vars: ReadonlyMap<string, string>, globals: ReadonlyMap<string, string>): Step[] | undefined {
  for (const ext of kids(context, 'extension')) {
    const actions: Step[] = [];
    let matched = false;
    for (const cond of kids(ext, 'condition')) {
      const field = cond.attrs['field'];
      const expression = cond.attrs['expression'];
      let ok = true;
      let captures: RegExpExecArray | null = null;
      if (field !== undefined && expression !== undefined) {
        const value = field.startsWith('${') ? expand(field, vars, globals) : (vars.get(field) ?? '');
        captures = new RegExp(expression).exec(value);
        ok = captures !== null;
      }
      matched = ok;
      const list = ok ? kids(cond, 'action') : kids(cond, 'anti-action');
      for (const a of list) {
        const app = a.attrs['application'] ?? '';
        const data = (a.attrs['data'] ?? '').replace(/\$(\d)/g, (_m, n: string) => captures?.[Number(n)] ?? '');
        actions.push({ app, data });
      }
      const brk = cond.attrs['break'] ?? 'on-false';
      if ((brk === 'on-false' && !ok) || (brk === 'on-true' && ok) || brk === 'always') break;
    }
    if (matched) return actions;
  }
  return undefined;
}

/** Channel variable expansion: `${name}`, from the channel, else the globals, else empty. */
function expand(s: string, vars: ReadonlyMap<string, string>, globals: ReadonlyMap<string, string>): string {
  return s.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => vars.get(name) ?? globals.get(name) ?? '');
}
