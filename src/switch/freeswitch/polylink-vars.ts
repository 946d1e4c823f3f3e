/**
 * polylink's channel variables as FreeSWITCH reports them: every channel event and
 * `uuid_dump` carry the channel's variables as `variable_<name>` headers.
 */
import type { PolylinkVars } from '../../core/ports/switch-events.js';

const NAMES: ReadonlyArray<readonly [keyof PolylinkVars, string]> = [
  ['call', 'variable_polylink_call'],
  ['leg', 'variable_polylink_leg'],
  ['agent', 'variable_polylink_agent'],
  ['accessNumber', 'variable_polylink_access_number'],
  ['queue', 'variable_polylink_queue'],
  ['ivr', 'variable_polylink_ivr'],
  ['ivrData', 'variable_polylink_ivr_data'],
  ['dtmf', 'variable_polylink_dtmf'],
];

/** The headers polylinkVars reads. */
export const POLYLINK_VAR_HEADERS: ReadonlyArray<string> = NAMES.map(([, header]) => header);

const NONE: PolylinkVars = Object.freeze({});

export function polylinkVars(headers: Readonly<Record<string, string>>): PolylinkVars {
  let vars: Record<string, string> | undefined;
  for (const [key, header] of NAMES) {
    const value = headers[header];
    if (value !== undefined && value !== '') (vars ??= {})[key] = value;
  }
  return vars ?? NONE;
}
