/**
 * Commands whose features are not built yet: the supervisor call features (listen,
 * whisper, barge-in, force hang-up, intercept). They are in the table so that no
 * request is silently dropped; they answer polylink's -87 (not offered) and change
 * nothing until their issue lands. Not the seed's -60: that says the phone module (the
 * switch) failed, and would send an operator looking for a fault in FreeSWITCH.
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
  handler: () => result(ErrorCode.COMMAND_NOT_OFFERED),
}));
