/**
 * The API event FreeSWITCH fires for every API call, including the ones it makes
 * itself (originate user/… calls sofia_contact: capture g). Fired when the command
 * has run, as switch_api_execute does.
 */
import type { SwitchCore } from '../core/switch-core.js';
import { ORIGIN } from './event-origins.js';
import { HeaderBlock } from './switch-event.js';

export function fireApiEvent(core: SwitchCore, command: string, argument: string | undefined): void {
  const pairs: Array<[string, string]> = [['API-Command', command]];
  if (argument !== undefined && argument !== '') pairs.push(['API-Command-Argument', argument]);
  core.bus.fire({ name: 'API', origin: ORIGIN.api, blocks: [HeaderBlock.of(pairs)] });
}
