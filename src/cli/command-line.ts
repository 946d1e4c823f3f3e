/**
 * The command line: every command with its arguments and options, read with Node's
 * util.parseArgs, and the usage each prints. Anything not described here is refused with
 * the command's usage.
 */
import { parseArgs } from 'node:util';
import { VERSION } from '../version.js';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly value?: string;
  readonly help: string;
}

interface CommandSpec {
  readonly name: string;
  /** Required positional arguments, by name. */
  readonly args: readonly string[];
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

const CONFIG: OptionSpec = { type: 'string', value: 'FILE', help: 'the config file (default ./polylink.yaml if present; POLYLINK_* variables override it)' };

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'start', args: [], summary: 'start the server (in the foreground; Ctrl-C or SIGTERM stops it)', options: { config: CONFIG } },
  { name: 'migrate', args: [], summary: 'apply database migrations and exit', options: { config: CONFIG } },
  {
    name: 'import',
    args: ['FILE'],
    summary: 'load an organisation file into the database (idempotent)',
    options: { config: CONFIG, 'reset-passwords': { type: 'boolean', help: 'give existing agents the passwords of the file too' } },
  },
  {
    name: 'simulator',
    args: [],
    summary: 'run the FreeSWITCH simulator alone, for the organisation in the database (polylink reaches it through freeswitch.nodes)',
    options: {
      port: { type: 'string', value: 'PORT', help: 'its event socket port (default 8021, as FreeSWITCH; 0: any free port)' },
      host: { type: 'string', value: 'ADDRESS', help: 'the address its event socket listens on (default 127.0.0.1)' },
      password: { type: 'string', value: 'PASSWORD', help: 'the event socket password (default ClueCon)' },
      'control-port': { type: 'string', value: 'PORT', help: 'serve its HTTP controls on 127.0.0.1:PORT (docs/simulator.md; 0: any free port)' },
      config: CONFIG,
    },
  },
  {
    name: 'call-in',
    args: ['NUMBER'],
    summary: 'on the built-in simulator: a customer calls NUMBER (an access number or IVR)',
    options: {
      from: { type: 'string', value: 'CALLER', help: "the customer's number (default: a random mobile number)" },
      url: { type: 'string', value: 'URL', help: "polylink's HTTP address (default http://127.0.0.1:<http.port>)" },
      config: CONFIG,
    },
  },
];

const COMMON: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', help: 'print this help' },
  version: { type: 'boolean', help: 'print the version' },
};
const SHORT: Readonly<Record<string, string>> = { h: 'help', V: 'version' };

export type CommandLine =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string }
  /** Refused: `message` is one line; `usage` the text to print after it. */
  | { readonly kind: 'refused'; readonly message: string; readonly usage: string }
  | {
      readonly kind: 'run';
      readonly command: string;
      readonly args: readonly string[];
      readonly options: Readonly<Record<string, string | boolean | undefined>>;
    };

/** Every option any command knows, typed, so that `--config FILE` reads FILE as its value. */
const ALL_OPTIONS = Object.fromEntries(
  [...COMMANDS.flatMap((c) => Object.entries(c.options)), ...Object.entries(COMMON)].map(([name, o]) => [
    name,
    { type: o.type, ...(Object.values(SHORT).includes(name) ? { short: Object.keys(SHORT).find((k) => SHORT[k] === name)! } : {}) },
  ]),
);

export function parseCommandLine(argv: readonly string[]): CommandLine {
  // Not strict: options are checked below against the command's own, with its usage.
  const { tokens } = parseArgs({ args: [...argv], options: ALL_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const positionals = tokens.filter((t) => t.kind === 'positional').map((t) => t.value);
  const name = positionals[0];
  const spec = COMMANDS.find((c) => c.name === name);
  const prefix = spec === undefined ? 'polylink' : `polylink ${spec.name}`;
  const usage = spec === undefined ? generalUsage() : commandUsage(spec);
  const allowed = { ...COMMON, ...spec?.options };
  const options: Record<string, string | boolean | undefined> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const long = SHORT[token.name] ?? token.name;
    const option = allowed[long];
    if (option === undefined) return { kind: 'refused', message: `${prefix}: unknown option ${token.rawName}`, usage };
    if (option.type === 'boolean' && token.value !== undefined) return { kind: 'refused', message: `${prefix}: ${token.rawName} takes no value`, usage };
    if (option.type === 'string') {
      // "--config" as the last word has no value.
      if (token.value === undefined || token.value === '') return { kind: 'refused', message: `${prefix}: ${token.rawName} needs ${option.value ?? 'a value'}`, usage };
      options[long] = token.value;
    } else {
      options[long] = true;
    }
  }
  if (options['version'] === true) return { kind: 'version', text: `polylink ${VERSION}` };
  if (options['help'] === true || name === 'help') return { kind: 'help', text: usage };
  if (name === undefined) return { kind: 'refused', message: 'polylink: which command?', usage };
  if (spec === undefined) return { kind: 'refused', message: `polylink: unknown command "${name}"`, usage };
  const args = positionals.slice(1);
  if (args.length < spec.args.length) return { kind: 'refused', message: `${prefix}: which ${spec.args[args.length]!.toLowerCase()}?`, usage };
  if (args.length > spec.args.length) return { kind: 'refused', message: `${prefix}: unexpected argument "${args[spec.args.length]!}"`, usage };
  return { kind: 'run', command: spec.name, args, options };
}

function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => (o.type === 'string' ? `[--${name} ${o.value ?? 'VALUE'}]` : `[--${name}]`));
  return ['polylink', spec.name, ...spec.args, ...options].join(' ');
}

export function generalUsage(): string {
  return [
    `polylink ${VERSION} — CTI server for FreeSWITCH call centres`,
    '',
    'usage:',
    ...COMMANDS.flatMap((c) => [`  ${synopsis(c)}`, `      ${c.summary}`]),
    '  polylink --version | --help',
    '',
    'Every command takes --help and --version. `polylink COMMAND --help` says more.',
  ].join('\n');
}

function commandUsage(spec: CommandSpec): string {
  const options = Object.entries({ ...spec.options, ...COMMON }).map(([name, o]) => {
    const left = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
    return `  ${left.padEnd(22)} ${o.help}`;
  });
  return [`usage: ${synopsis(spec)}`, '', spec.summary, '', 'options:', ...options].join('\n');
}
