/**
 * Screen pop (seed 001's pop_url): when a call rings the agent, or when the agent answers it
 * (web.screenPop.on), the page opens the configured URL template with the call's makeStr
 * fields filled in — in a frame on the page or in a browser tab (web.screenPop.target). Each
 * call pops once per agent, also when the same call comes back (a consult that is handed over).
 * Pure: the page opens what this returns.
 */
import type { CallCard } from './call-card.js';

export interface ScreenPopSettings {
  /** A URL with `{field}` for makeStr fields (checked by the server's config); null: no pop. */
  readonly url: string | null;
  readonly on: 'ring' | 'answer';
  readonly target: 'frame' | 'tab';
}

/** The template with each `{field}` replaced by the field's value, URL-encoded (empty when the call has none). */
export function fillTemplate(template: string, fields: ReadonlyMap<string, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (_, name: string) => encodeURIComponent(fields.get(name) ?? ''));
}

/** The calls popped so far, by id. */
export type Popped = ReadonlySet<string>;

/**
 * What to open, if anything, now that the card is `card`: a call with makeStr fields (one a
 * customer is on), at the configured moment, not popped before.
 */
export function screenPopFor(settings: ScreenPopSettings, card: CallCard | undefined, popped: Popped): { url: string; popped: Popped } | undefined {
  if (settings.url === null || card === undefined || card.callId === '' || card.endedAt !== undefined || popped.has(card.callId)) return undefined;
  if (settings.on === 'answer' && card.answeredAt === undefined) return undefined;
  return { url: fillTemplate(settings.url, card.fields), popped: new Set([...popped, card.callId]) };
}
