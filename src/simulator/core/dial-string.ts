/**
 * The argument of `originate`: `{var=value,…}<endpoint> &<app>(<args>)` or
 * `… <extension> [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout>]`.
 * Values in {…} may be quoted with '…' (FreeSWITCH's rule for values with spaces).
 */

export interface ParsedOriginate {
  readonly vars: Array<[string, string]>;
  readonly endpoint: string;
  /** `&park()` → { app: 'park', data: '' }. */
  readonly app: { readonly name: string; readonly data: string } | undefined;
  /** The extension form: route the answered leg through the dialplan. */
  readonly extension: { readonly number: string; readonly context: string } | undefined;
  readonly callerIdName: string | undefined;
  readonly callerIdNumber: string | undefined;
  readonly timeoutSec: number | undefined;
}

export const ORIGINATE_USAGE =
  '-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n';

export function parseOriginate(text: string): ParsedOriginate | undefined {
  let rest = text.trim();
  const vars: Array<[string, string]> = [];
  while (rest.startsWith('{') || rest.startsWith('[') || rest.startsWith('<')) {
    const close = { '{': '}', '[': ']', '<': '>' }[rest[0] as '{' | '[' | '<'];
    const end = rest.indexOf(close);
    if (end === -1) return undefined;
    vars.push(...parseVars(rest.slice(1, end)));
    rest = rest.slice(end + 1);
  }
  const parts = splitArgs(rest);
  const endpoint = parts[0];
  const target = parts[1];
  if (endpoint === undefined || target === undefined) return undefined;
  let app: ParsedOriginate['app'];
  let extension: ParsedOriginate['extension'];
  if (target.startsWith('&')) {
    const withParens = /^&([A-Za-z0-9_]+)\((.*)\)$/.exec(target);
    app = withParens
      ? { name: withParens[1]!, data: withParens[2] ?? '' }
      : { name: target.slice(1), data: parts.slice(2).join(' ') };
  } else {
    extension = { number: target, context: parts[3] ?? 'default' };
  }
  const timeout = parts[6] !== undefined ? Number.parseInt(parts[6], 10) : undefined;
  return {
    vars,
    endpoint,
    app,
    extension,
    callerIdName: extension !== undefined ? parts[4] : undefined,
    callerIdNumber: extension !== undefined ? parts[5] : undefined,
    timeoutSec: timeout !== undefined && Number.isFinite(timeout) ? timeout : undefined,
  };
}

function parseVars(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq === -1) break;
    const name = text.slice(i, eq).trim();
    let j = eq + 1;
    let value = '';
    if (text[j] === "'") {
      const close = text.indexOf("'", j + 1);
      value = text.slice(j + 1, close === -1 ? text.length : close);
      j = close === -1 ? text.length : close + 1;
      const comma = text.indexOf(',', j);
      j = comma === -1 ? text.length : comma + 1;
    } else {
      const comma = text.indexOf(',', j);
      value = text.slice(j, comma === -1 ? text.length : comma);
      j = comma === -1 ? text.length : comma + 1;
    }
    if (name !== '') out.push([name, value]);
    i = j;
  }
  return out;
}

/** Splits on spaces, keeping a parenthesised app argument whole. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of text.trim()) {
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (c === ' ' && depth === 0) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}
