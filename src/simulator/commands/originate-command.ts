/** originate: see core/originate.ts; the reply waits for the answer (or the failure). */
import { originate } from '../core/originate.js';
import type { ApiCommands } from './api-command.js';

export function addOriginateCommand(table: ApiCommands): void {
  table.add('originate', (args, s, reply) => originate(s, s, args, reply));
}
