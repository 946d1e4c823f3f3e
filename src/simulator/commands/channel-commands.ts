/**
 * The uuid_* commands polylink sends (docs/esl-commands.md), with mod_commands.c's
 * replies: `-ERR No such channel!` for an unknown uuid (uuid_kill, uuid_transfer,
 * uuid_getvar: capture g), `-ERR Invalid uuid` from uuid_bridge, and `+OK Success`
 * from uuid_hold whether the uuid exists or not (capture g, sic).
 */
import { execute } from '../apps/app-runner.js';
import { playing } from '../apps/playback.js';
import type { Channel } from '../channels/channel.js';
import { KNOWN_CAUSES } from '../channels/hangup-causes.js';
import { takeOver, uuidBridge } from '../core/bridge.js';
import { hold, isHeld, unhold } from '../core/hold.js';
import { startRecording, stopRecording } from '../core/record.js';
import { parseTransfer, transfer } from '../core/transfer.js';
import { fireDtmf, parseDtmfString, sendDtmfString } from '../endpoints/dtmf.js';
import { ORIGIN } from '../events/event-origins.js';
import { muted } from '../media/mutes.js';
import { serializeJson, serializePlain } from '../protocol/event-format.js';
import type { ApiCommands, SimServices } from './api-command.js';
import { words } from './api-command.js';

const NO_SUCH_CHANNEL = '-ERR No such channel!\n';
const CANNOT_LOCATE = '-ERR Cannot locate session!\n';
/** UUID_SEND_DTMF_SYNTAX and UUID_RECV_DTMF_SYNTAX are the same line. */
const DTMF_USAGE = '-USAGE: <uuid> <dtmf_data>\n';

function live(s: SimServices, uuid: string | undefined): Channel | undefined {
  if (uuid === undefined) return undefined;
  const ch = s.core.findChannel(uuid);
  return ch === undefined || ch.isDown ? undefined : ch;
}

export function addChannelCommands(table: ApiCommands): void {
  table
    .add('uuid_answer', (args, s, reply) => {
      const ch = live(s, words(args)[0]);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      s.flows.answer(ch);
      reply('+OK\n');
    })
    .add('uuid_kill', (args, s, reply) => {
      const [uuid, causeWord] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      const cause = causeWord !== undefined && KNOWN_CAUSES.has(causeWord.toUpperCase()) ? causeWord.toUpperCase() : 'NORMAL_CLEARING';
      reply('+OK\n');
      s.flows.hangup(ch, cause);
    })
    .add('uuid_bridge', (args, s, reply) => {
      const [ua, ub] = words(args);
      if (ua === undefined || ub === undefined) return reply('-USAGE: <uuid> <other_uuid>\n');
      const a = live(s, ua);
      const b = live(s, ub);
      if (a === undefined || b === undefined || a === b) return reply('-ERR Invalid uuid\n');
      reply(`+OK ${b.uuid}\n`);
      uuidBridge(s, a, b);
    })
    .add('uuid_hold', (args, s, reply) => {
      const w = words(args);
      const mode = w[0] === 'off' || w[0] === 'toggle' ? w.shift() : undefined;
      const ch = live(s, w[0]);
      reply('+OK Success\n');
      if (ch === undefined) return;
      if (mode === 'off' || (mode === 'toggle' && isHeld(ch))) unhold(ch);
      else hold(s, s.apps, ch, s.holdMusic);
    })
    .add('uuid_audio', (args, s, reply) => {
      const [uuid, action, direction, what, level] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined) return reply('-ERR No Such Channel!\n');
      if (action === 'stop') {
        muted.delete(ch);
        return reply('+OK Success\n');
      }
      if (action === 'start' && (direction === 'read' || direction === 'write') && what === 'mute') {
        // Media only: FreeSWITCH signals nothing to the far end or to listeners.
        if (level === '0') muted.delete(ch);
        else muted.set(ch, direction);
        return reply('+OK Success\n');
      }
      reply('-USAGE: <uuid> [start [read|write] [mute|level <level>]|stop]\n');
    })
    .add('uuid_transfer', (args, s, reply) => {
      const [uuid, ...rest] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      const req = parseTransfer(rest);
      if (req === undefined) return reply('-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n');
      reply('+OK\n');
      transfer(s, ch, req);
    })
    .add('uuid_phone_event', (args, s, reply) => {
      const [uuid, event] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      // FreeSWITCH sends the phone a NOTIFY and answers +OK whatever the phone does.
      reply('+OK\n');
      if (event === 'talk' && ch.pickUp !== undefined) ch.pickUp();
    })
    .add('uuid_park', (args, s, reply) => {
      const ch = live(s, words(args)[0]);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      reply('+OK\n');
      takeOver(s, ch);
      ch.enterState('CS_EXECUTE', 'CS_EXECUTE');
      s.flows.runActions(ch, [{ app: 'park' }]);
    })
    .add('uuid_broadcast', (args, s, reply) => {
      const [uuid, path, legs = 'aleg'] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined || path === undefined) return reply('-ERR Operation Failed\n');
      reply('+OK Message sent\n');
      const sep = path.indexOf('::');
      const app = sep === -1 ? 'playback' : path.slice(0, sep);
      const data = sep === -1 ? path : path.slice(sep + 2);
      const targets: Channel[] = [];
      if (legs !== 'bleg') targets.push(ch);
      const partner = ch.bridge?.partner;
      if ((legs === 'bleg' || legs === 'both') && partner !== undefined) targets.push(partner);
      for (const t of targets) execute(s, s.apps, t, app, data, { withUuid: true, overlay: true });
    })
    .add('uuid_break', (args, s, reply) => {
      const ch = live(s, words(args)[0]);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      reply('+OK\n');
      playing.stopAll(ch);
    })
    .add('uuid_record', (args, s, reply) => {
      const [uuid, action, path] = words(args);
      if (uuid === undefined || action === undefined || path === undefined) {
        return reply('-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>] [<recording_vars>]\n');
      }
      const ch = live(s, uuid);
      if (ch === undefined) return reply('-ERR Cannot locate session!\n');
      if (action === 'start') return reply(startRecording(s.core, ch, path) ? '+Success\n' : '-ERR Cannot record session!\n');
      if (action === 'stop') return reply(stopRecording(s.core, ch, path) ? '+Success\n' : '-ERR Cannot stop record session!\n');
      reply('+Success\n');
    })
    .add('uuid_setvar', (args, s, reply) => {
      const [uuid, name, ...value] = words(args);
      if (uuid === undefined || name === undefined) return reply('-USAGE: <uuid> <var> [value]\n');
      const ch = live(s, uuid);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      ch.vars.set(name, value.join(' '));
      reply('+OK\n');
    })
    .add('uuid_getvar', (args, s, reply) => {
      const [uuid, name] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined || name === undefined) return reply(NO_SUCH_CHANNEL);
      reply(ch.vars.get(name) ?? '_undef_');
    })
    .add('uuid_buglist', (args, s, reply) => {
      // No media bugs are simulated (uuid_record's recording is signalled, not attached).
      if (live(s, words(args)[0]) === undefined) return reply(NO_SUCH_CHANNEL);
      reply('<media-bugs>\n</media-bugs>\n');
    })
    .add('uuid_exists', (args, s, reply) => reply(live(s, words(args)[0]) !== undefined ? 'true' : 'false'))
    .add('uuid_send_dtmf', (args, s, reply) => {
      // mod_commands.c uuid_send_dtmf_function: the digits go out to the leg's far end
      // (switch_core_session_send_dtmf_string), nothing is fired; a string it cannot send is
      // `-ERR Operation failed`.
      // switch_separate_string into two: the digits are the rest of the line.
      const [uuid, ...rest] = words(args);
      const digits = rest.join(' ');
      if (uuid === undefined || digits === '') return reply(DTMF_USAGE);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(CANNOT_LOCATE);
      if (!sendDtmfString(ch, digits)) return reply('-ERR Operation failed\n');
      reply(`+OK ${uuid} sent DTMF ${digits}.\n`);
    })
    .add('uuid_recv_dtmf', (args, s, reply) => {
      // mod_commands.c uuid_recv_dtmf_function: the digits are queued on the channel as if
      // its phone had sent them (DTMF-Source APP); its application reads them (capture d2).
      const [uuid, ...rest] = words(args);
      const digits = rest.join(' ');
      if (uuid === undefined || digits === '') return reply(DTMF_USAGE);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(CANNOT_LOCATE);
      const queued = parseDtmfString(digits);
      if (queued.digits.length === 0 && queued.bad > 0) return reply(DTMF_USAGE);
      reply(`+OK ${uuid} received DTMF ${digits}.\n`);
      for (const d of queued.digits) fireDtmf(ch, d.digit, 'APP', d.duration);
    })
    .add('uuid_dump', (args, s, reply) => {
      const [uuid, format] = words(args);
      const ch = live(s, uuid);
      if (ch === undefined) return reply(NO_SUCH_CHANNEL);
      // A CHANNEL_DATA event that is serialized, not fired (capture f).
      const event = s.core.bus.create({ name: 'CHANNEL_DATA', origin: ORIGIN.uuidDump, blocks: ch.dataBlocks(true), uniqueId: ch.uuid });
      reply(format === 'json' ? serializeJson(event) : serializePlain(event));
    });
}
