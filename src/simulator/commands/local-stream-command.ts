/**
 * `local_stream` (mod_local_stream.c, local_stream_function), the subcommands that read
 * or switch a stream: `show` lists every source as `name,location` lines (hash order: here,
 * the order they were defined); `show NAME [as xml]` describes one, or `-ERR Cannot locate
 * local_stream NAME!`; `stop NAME` and `start NAME` answer `+OK` / `+OK stream: NAME`.
 * With no source at all `show` writes nothing, which mod_event_socket answers
 * `-ERR no reply` (api_exec). Other subcommands (hup, reload, vol) act on the media only,
 * which the simulator does not have: they get the module's usage line.
 */
import type { LocalStream } from '../media/local-streams.js';
import type { ApiCommands } from './api-command.js';
import { words } from './api-command.js';

const USAGE = '-USAGE: <show|start|reload|stop|hup> <local_stream_name>\n';
/** DEFAULT_PREBUFFER_SIZE of mod_local_stream.c, which a stream keeps unless its config sets prebuf. */
const PREBUF = 64 * 1024;

export function addLocalStreamCommand(table: ApiCommands): void {
  table.add('local_stream', (args, s, reply) => {
    const [sub, name, , format] = words(args);
    const streams = s.localStreams;
    const cannotLocate = `-ERR Cannot locate local_stream ${name ?? ''}!\n`;
    switch (sub?.toLowerCase()) {
      case 'show': {
        if (name === undefined) {
          reply(streams.listed().map((st) => `${st.name},${st.location}\n`).join(''));
          return;
        }
        const stream = streams.playable(name);
        reply(stream === undefined ? cannotLocate : describe(stream, format?.toLowerCase() === 'xml'));
        return;
      }
      case 'stop':
        if (name === undefined) break;
        reply(streams.playable(name) !== undefined && streams.setStopped(name, true) ? '+OK' : cannotLocate);
        return;
      case 'start':
        if (name === undefined) break;
        // An unknown name would be launched from the configuration, which the simulator has
        // none of: nothing is written, as when launch_streams finds no such directory.
        reply(streams.setStopped(name, false) ? `+OK stream: ${name}` : '');
        return;
      default:
        break;
    }
    reply(USAGE);
  });
}

function describe(st: LocalStream, xml: boolean): string {
  // switch_samples_per_packet(rate, interval): the samples of one frame. `<interval>…<interval>`
  // is unclosed in FreeSWITCH's own output (sic), kept so.
  const samples = (st.rate / 1000) * st.interval;
  if (xml) {
    return (
      `<?xml version="1.0"?>\n<local_stream name="${st.name}">\n  <location>${st.location}</location>\n  <channels>${st.channels}</channels>\n` +
      `  <rate>${st.rate}</rate>\n  <interval>${st.interval}<interval>\n  <samples>${samples}</samples>\n  <prebuf>${PREBUF}</prebuf>\n` +
      `  <timer>${st.timerName}</timer>\n  <total>0</total>\n  <shuffle>${st.shuffle}</shuffle>\n  <ready>true</ready>\n  <stopped>false</stopped>\n</local_stream>\n`
    );
  }
  return (
    `${st.name}\n  location: ${st.location}\n  channels: ${st.channels}\n  rate:     ${st.rate}\n  interval: ${st.interval}\n` +
    `  samples:  ${samples}\n  prebuf:   ${PREBUF}\n  timer:    ${st.timerName}\n  total:    0\n  shuffle:  ${st.shuffle}\n` +
    `  ready:    true\n  stopped:  false\n  reloading: false\n`
  );
}
