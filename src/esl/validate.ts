/**
 * Strict patterns for every value that enters an ESL command (docs/esl-commands.md,
 * "Values"). An ESL command is one line ended by a blank line, and FreeSWITCH splits
 * its arguments on spaces, dial strings on `,` `|` and `:_:`, and runs `&app(...)`
 * and `${...}` it finds in them; so a value that is not exactly what its field
 * expects is refused here, before a byte is sent. Patterns are allow-lists
 * (anchored), except variable values, which are free text with every character
 * FreeSWITCH gives meaning to taken out.
 */

export type ValueKind =
  | 'extension'
  | 'phone-number'
  | 'uuid'
  | 'name'
  | 'variable-name'
  | 'variable-value'
  | 'file-path'
  | 'hangup-cause'
  | 'member-id'
  | 'dtmf'
  | 'seconds'
  | 'password';

/** Why a value was refused; `value` is a short, JSON-escaped preview for logs. */
export interface InvalidValue {
  readonly kind: 'invalid-value';
  readonly field: string;
  readonly expected: ValueKind;
  readonly value: string;
}

const PATTERNS: Record<Exclude<ValueKind, 'variable-value' | 'file-path' | 'password' | 'seconds'>, RegExp> = {
  // extension, agent ID, queue / IVR / access number
  extension: /^[0-9]{1,20}$/,
  'phone-number': /^\+?[0-9]{1,32}$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  // gateway, conference, context, domain names
  name: /^[A-Za-z0-9_.-]{1,64}$/,
  'variable-name': /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  'hangup-cause': /^[A-Z_]{1,40}$/,
  'member-id': /^[0-9]{1,10}$/,
  // uuid_recv_dtmf digits: no `+` groups, `@` durations, `~` or pauses (switch_channel_queue_dtmf_string)
  dtmf: /^[0-9*#A-D]{1,32}$/,
};

/**
 * Characters a channel variable value may not hold: `,` separates variables in
 * `{…}`, braces and brackets open and close variable blocks, `'` and `"` quote, `^^`
 * changes the separator, `\` escapes, `$` expands `${var}` and `${api args}`, `<>`
 * and `|` are per-leg blocks and dial-string separators, and control characters
 * (newline above all) would end the ESL command line and start another.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_VALUE = /[,{}[\]'"^\\$<>|\u0000-\u001f\u007f]/;
/** The enterprise-originate separator: it splits a dial string into parallel legs. */
const ENTERPRISE_DELIMITER = ':_:';
const MAX_VALUE_LENGTH = 256;

const FILE_PATH = /^\/[A-Za-z0-9_./-]{0,511}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Returns undefined when `value` is acceptable as `expected`, else why not. */
export function checkValue(field: string, expected: ValueKind, value: unknown): InvalidValue | undefined {
  if (typeof value !== 'string' && !(expected === 'seconds' && typeof value === 'number')) {
    return refuse(field, expected, value);
  }
  if (isAcceptable(expected, value)) return undefined;
  return refuse(field, expected, value);
}

function isAcceptable(expected: ValueKind, value: string | number): boolean {
  switch (expected) {
    case 'seconds':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 3600;
    case 'variable-value': {
      const text = value as string;
      return text.length <= MAX_VALUE_LENGTH && !FORBIDDEN_IN_VALUE.test(text) && !text.includes(ENTERPRISE_DELIMITER);
    }
    case 'file-path': {
      const text = value as string;
      return FILE_PATH.test(text) && !text.split('/').includes('..');
    }
    case 'password': {
      const text = value as string;
      return text.length > 0 && text.length <= 256 && !CONTROL.test(text);
    }
    default:
      return PATTERNS[expected].test(value as string);
  }
}

/** The refusal for a value that is not one of a closed set (an enum) or has the wrong shape. */
export function refuse(field: string, expected: ValueKind, value: unknown): InvalidValue {
  let preview: string;
  try {
    preview = JSON.stringify(value) ?? String(value);
  } catch {
    preview = String(value);
  }
  if (preview.length > 80) preview = `${preview.slice(0, 77)}...`;
  return { kind: 'invalid-value', field, expected, value: expected === 'password' ? '[redacted]' : preview };
}

/** Checks several fields; the first refusal wins. */
export function checkAll(checks: ReadonlyArray<readonly [field: string, expected: ValueKind, value: unknown]>): InvalidValue | undefined {
  for (const [field, expected, value] of checks) {
    const problem = checkValue(field, expected, value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
