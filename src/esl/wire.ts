/**
 * Commands on the wire. An ESL command is a line, optionally followed by header
 * lines, and ended by a blank line; FreeSWITCH reads a `\n` inside the command text
 * as the start of a header and a blank line as the end of the command, so text that
 * holds a line break is refused here even though the builders never produce one.
 */
import type { EslCommand } from './commands.js';
import { type Result, fail, ok } from './result.js';

export interface UnsafeCommand {
  readonly kind: 'unsafe-command';
  readonly message: string;
}

const LINE_BREAK = /[\r\n\u0000]/;
const JOB_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * `api X` / `bgapi X` + `Job-UUID: J` (FreeSWITCH then uses our Job-UUID for the
 * BACKGROUND_JOB, so the result can be matched before the reply to bgapi arrives) /
 * a bare command.
 */
export function encodeCommand(command: EslCommand, jobUuid?: string): Result<Buffer, UnsafeCommand> {
  if (LINE_BREAK.test(command.text) || command.text.trim() === '') {
    return fail({ kind: 'unsafe-command', message: 'command text is empty or holds a line break' });
  }
  switch (command.kind) {
    case 'api':
      return ok(Buffer.from(`api ${command.text}\n\n`, 'utf8'));
    case 'bgapi':
      if (jobUuid === undefined || !JOB_UUID.test(jobUuid)) {
        return fail({ kind: 'unsafe-command', message: 'bgapi needs a Job-UUID' });
      }
      return ok(Buffer.from(`bgapi ${command.text}\nJob-UUID: ${jobUuid}\n\n`, 'utf8'));
    case 'command':
      return ok(Buffer.from(`${command.text}\n\n`, 'utf8'));
  }
}
