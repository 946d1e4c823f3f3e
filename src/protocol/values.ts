/** Readers of request field text shared by handlers. */

/** Seed booleans: yes/no or true/false (spec §2); anything else is undefined. */
export function parseBool(text: string): boolean | undefined {
  const t = text.toLowerCase();
  if (t === 'yes' || t === 'true') return true;
  if (t === 'no' || t === 'false') return false;
  return undefined;
}

export { NUMBER_ID } from '../core/identifiers.js';
export { PHONE_NUMBER } from '../numbers/phone-number.js';

/** A comma list of values, trimmed, empties dropped. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
