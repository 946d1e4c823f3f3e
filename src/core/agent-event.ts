/**
 * What the server tells an agent bar: an event named as the seed names it, with the
 * seed's field names. The protocol layer encodes it as XML or JSON; the core only
 * decides what is said, to whom, and when.
 */

/** A record inside a list field, e.g. one Agent_Online_Struct. */
export type FieldRecord = Readonly<Record<string, string>>;

/**
 * The text of an outcome (a `reason` beside a `retCode`): the core names the outcome, the
 * protocol, which holds the English and Chinese texts, writes the text in its place.
 */
export interface OutcomeText {
  readonly outcomeText: number;
}

export function outcomeText(code: number): OutcomeText {
  return { outcomeText: code };
}

/**
 * Field values: text (every scalar travels as text, spec §2), the number retCode, an
 * outcome's text, lists of records or of strings, and dictionaries (`<item key="…">`).
 */
export type FieldValue = string | number | OutcomeText | readonly FieldRecord[] | readonly string[] | ReadonlyMap<string, string>;

export function isOutcomeText(value: FieldValue): value is OutcomeText {
  return typeof value === 'object' && 'outcomeText' in value;
}

export interface AgentEvent {
  readonly eventType: string;
  /** When it happened (ms); encoded as the envelope's `time`. */
  readonly at: number;
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export function agentEvent(eventType: string, at: number, fields: Record<string, FieldValue> = {}): AgentEvent {
  return { eventType, at, fields };
}

/** The seed's booleans travel as these words. */
export function yesNo(value: boolean): string {
  return value ? 'true' : 'false';
}
