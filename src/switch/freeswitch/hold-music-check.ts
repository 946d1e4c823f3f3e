/**
 * Hold music is FreeSWITCH's to play: polylink only names it (`local_stream://moh` by
 * default, and each queue's musicOnHold). A switch whose stream is missing plays silence
 * to every held and queued caller, and says so only in its own log ("Unknown source moh").
 * So at every connect polylink asks for the node's streams and warns about the ones it
 * names that the node lacks.
 *
 * `local_stream show` (mod_local_stream.c, local_stream_function) writes one
 * `name,location` line per source; a stream whose directory could not be opened is not
 * among them (read_stream_thread drops it). With no source at all it writes nothing, which
 * mod_event_socket answers `-ERR no reply`; without the module, `-ERR local_stream Command
 * not found!`. `local_stream://NAME` plays the source `NAME/<rate>` when there is one, else
 * `NAME` (local_stream_file_open); polylink's calls are G.711, 8000 Hz.
 */
import * as cmd from '../../esl/commands.js';
import type { EslError } from '../../esl/errors.js';
import type { Result } from '../../esl/result.js';
import type { Logger } from '../../log.js';

/** The streams of a `local_stream show` reply; undefined when mod_local_stream is not loaded. */
export function listedStreams(reply: string): Set<string> | undefined {
  if (reply.startsWith('-ERR') && reply.includes('Command not found')) return undefined;
  if (reply.startsWith('-')) return new Set();
  return new Set(
    reply
      .split('\n')
      .map((line) => line.split(',')[0]?.trim() ?? '')
      .filter((name) => name !== ''),
  );
}

/** The names of `wanted` that an 8 kHz call could not play from `listed`. */
export function missingStreams(wanted: readonly string[], listed: ReadonlySet<string>): string[] {
  return [...new Set(wanted)].filter((name) => !listed.has(`${name}/8000`) && !listed.has(name));
}

/** Asks the node and logs a warning for each named stream it lacks. */
export async function checkHoldMusic(api: (c: cmd.EslCommand) => Promise<Result<string, EslError>>, wanted: readonly string[], log: Logger): Promise<void> {
  if (wanted.length === 0) return;
  const reply = await api(cmd.localStreams());
  if (!reply.ok) return; // the link went down again: the next connect checks
  const listed = listedStreams(reply.value);
  if (listed === undefined) {
    log.warn({ streams: wanted }, 'FreeSWITCH has no mod_local_stream: held and queued callers will hear silence (load it in modules.conf.xml)');
    return;
  }
  const missing = missingStreams(wanted, listed);
  if (missing.length === 0) {
    log.info({ streams: wanted.map((name) => `local_stream://${name}`) }, 'FreeSWITCH has the hold music polylink plays');
    return;
  }
  log.warn(
    { missing: missing.map((name) => `local_stream://${name}`), streams: [...listed] },
    'FreeSWITCH lacks the hold music polylink plays: held and queued callers will hear silence (see local_stream.conf.xml and README "Hold music")',
  );
}
