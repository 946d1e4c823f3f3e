/**
 * Reading FreeSWITCH's answers. `command/reply` carries its status in the Reply-Text
 * header and `api/response` in its body (see event.ts); either way the convention is
 * a leading `+OK` / `-ERR` / `-USAGE`, except for commands that answer with data
 * (`uuid_exists` → `true`/`false` with no newline, `show … as json` → JSON).
 */

export type ReplyStatus = 'ok' | 'error' | 'data';

export function replyStatus(text: string): ReplyStatus {
  const first = text.charCodeAt(0);
  if (first === 0x2b /* + */) return 'ok';
  if (first === 0x2d /* - */) return 'error';
  return 'data';
}

/** The reply without its `+OK` / `-ERR` / `-USAGE:` prefix and trailing newline. */
export function replyMessage(text: string): string {
  return text.replace(/^[+-](?:OK|ERR|USAGE:?|Error)?\s?/, '').replace(/\s+$/, '');
}

const CAUSE = /^-ERR ([A-Z_]{2,40})\s*$/;

/** `-ERR USER_BUSY\n` → `USER_BUSY`: the hangup cause of a failed originate. */
export function replyCause(text: string): string | undefined {
  return CAUSE.exec(text)?.[1];
}
