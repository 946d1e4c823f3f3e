/**
 * Commands whose features are not built yet: the supervisor call features (listen,
 * whisper, barge-in, force hang-up, intercept). They are in the table so that no
 * request is silently dropped; they answer -60 (the call module cannot do it) and
 * change nothing until their issue lands.
 */
import { ErrorCode } from '../error-codes.js';
import { type CommandSpec, result } from '../command-types.js';

const NEEDS_SWITCH: ReadonlyArray<readonly [cmdType: string, seed: string]> = [
  ['listen', 'DoListen'],
  ['whisper', 'DoWhisper'],
  ['bargein', 'DoBargein'],
  ['forcehangup', 'DoForceHangup'],
  ['rop', 'Rop'],
];

export const switchCommands: CommandSpec[] = NEEDS_SWITCH.map(([cmdType, seed]) => ({
  cmdType,
  seed,
  fields: [],
  handler: () => result(ErrorCode.CALL_MODULE_FAILED),
}));
