/**
 * makeStr (seed 002, CallInEvent / CallOutRingEvent): `key=value#key=value#…#`. Values
 * never carry `#`, `=` or `%` unescaped (spec §5: percent-encoded).
 */

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
