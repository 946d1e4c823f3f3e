/**
 * The non-event frames mod_event_socket writes, byte for byte as in the captures:
 * command/reply carries its result in Reply-Text and has no body; api/response and
 * text/disconnect-notice put Content-Type BEFORE Content-Length (the reverse of event
 * frames).
 */

export const AUTH_REQUEST = 'Content-Type: auth/request\n\n';

export function commandReply(replyText: string, extraHeaders: ReadonlyArray<readonly [string, string]> = []): string {
  let out = 'Content-Type: command/reply\nReply-Text: ' + replyText + '\n';
  for (const [name, value] of extraHeaders) out += name + ': ' + value + '\n';
  return out + '\n';
}

export function apiResponse(body: string): string {
  return 'Content-Type: api/response\nContent-Length: ' + Buffer.byteLength(body) + '\n\n' + body;
}

export function disconnectNotice(text: string): string {
  return 'Content-Type: text/disconnect-notice\nContent-Length: ' + Buffer.byteLength(text) + '\n\n' + text;
}

/** What `exit` and a failed `auth` end with (captures a, a2). */
export const GOODBYE_TEXT = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';
/** What every listener gets when the switch shuts down (capture h). */
export const SHUTDOWN_TEXT = 'The system is being shut down.\n';
