/**
 * makeStr (seed 002, CallInEvent / CallOutRingEvent): `key=value#key=value#…#`. Values
 * never carry `#`, `=` or `%` unescaped (spec §5: percent-encoded).
 */

/** The fields of makeStr, in the order polylink writes them (docs/protocol.md, "Structs and makeStr"). */
export const MAKE_STR_KEYS = [
  'customer_num',
  'callcenter_num',
  'access_num_name',
  'agent_num',
  'relation_uuid',
  'area_id',
  'area_name',
  'cust_grade',
  'customer_num_format_local',
  'customer_num_format_national',
  'customer_num_format_e164',
  'customer_num_phone_type',
  'customerForeignId',
] as const;
export type MakeStrKey = (typeof MAKE_STR_KEYS)[number];

export function encodeMakeStr(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${k}=${escapeValue(v)}#`).join('');
}

function escapeValue(value: string): string {
  return value.replace(/[%#=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The reverse, for clients and tests. */
export function decodeMakeStr(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split('#')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq), decodeURIComponent(part.slice(eq + 1)));
  }
  return out;
}
