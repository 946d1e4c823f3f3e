/**
 * show channels / calls / bridged_calls / detailed_calls / registrations, as CSV or
 * `as json`, with FreeSWITCH's columns (capture f) and its two JSON shapes:
 * `{"row_count":N,"rows":[…]}` without a newline, and — with nothing to show —
 * `{"row_count": 0}` followed by a newline (the space and the newline are FreeSWITCH's).
 */
import type { Channel } from '../channels/channel.js';
import { localDateTime } from '../events/event-prelude.js';
import { dialString } from '../directory/directory.js';
import type { ApiCommands, SimServices } from './api-command.js';
import { words } from './api-command.js';

type Row = Array<[string, string]>;

function created(ch: Channel): [string, string] {
  const ms = Math.floor(ch.times.created / 1000);
  return [localDateTime(new Date(ms)), String(Math.floor(ms / 1000))];
}

function application(ch: Channel): [string, string] {
  if (ch.bridge !== undefined) return ['uuid_bridge', ch.bridge.partner.uuid];
  return [ch.app?.name ?? ch.lastApp?.name ?? '', ch.app?.data ?? ch.lastApp?.data ?? ''];
}

function callUuid(ch: Channel): string {
  if (ch.bridge === undefined) return '';
  return ch.bridge.side === 'a' ? ch.uuid : ch.bridge.partner.uuid;
}

function channelRow(ch: Channel, s: SimServices): Row {
  const p = ch.profile?.fields;
  const init = ch.initialProfile;
  const [date, epoch] = created(ch);
  const [app, appData] = application(ch);
  // The core's channels table takes the caller id a B leg was told on the bridge, and
  // the address and dialplan the leg was created with (capture f).
  const shown = ch.bridge?.side === 'b';
  const cidName = shown ? (ch.vars.get('last_sent_callee_id_name') ?? '') : (p?.callerIdName ?? '');
  const cidNum = shown ? (ch.vars.get('last_sent_callee_id_number') ?? '') : (p?.callerIdNumber ?? '');
  const codec = (c: Channel['readCodec']) => [c?.name ?? '', c?.rate ?? '', c?.bitRate ?? ''];
  const [rc, rr, rb] = codec(ch.readCodec);
  const [wc, wr, wb] = codec(ch.writeCodec);
  return [
    ['uuid', ch.uuid],
    ['direction', ch.direction],
    ['created', date],
    ['created_epoch', epoch],
    ['name', ch.name],
    ['state', ch.runningState],
    ['cid_name', cidName],
    ['cid_num', cidNum],
    ['ip_addr', init?.networkAddr ?? ''],
    ['dest', p?.destinationNumber ?? ''],
    ['application', app],
    ['application_data', appData],
    ['dialplan', init?.dialplan ?? ''],
    ['context', p?.context ?? ''],
    ['read_codec', rc!],
    ['read_rate', rr!],
    ['read_bit_rate', rb!],
    ['write_codec', wc!],
    ['write_rate', wr!],
    ['write_bit_rate', wb!],
    ['secure', ''],
    ['hostname', s.core.identity.hostname],
    ['presence_id', ch.vars.get('presence_id') ?? ''],
    ['presence_data', ''],
    ['accountcode', ''],
    ['callstate', ch.callState],
    ['callee_name', p?.calleeIdName ?? ''],
    ['callee_num', p?.calleeIdNumber ?? ''],
    ['callee_direction', ch.bridge !== undefined ? 'SEND' : ''],
    ['call_uuid', callUuid(ch)],
    ['sent_callee_name', ch.vars.get('last_sent_callee_id_name') ?? ''],
    ['sent_callee_num', ch.vars.get('last_sent_callee_id_number') ?? ''],
    ['initial_cid_name', init?.callerIdName ?? ''],
    ['initial_cid_num', init?.callerIdNumber ?? ''],
    ['initial_ip_addr', init?.networkAddr ?? ''],
    ['initial_dest', init?.destinationNumber ?? ''],
    ['initial_dialplan', init?.dialplan ?? ''],
    ['initial_context', init?.context ?? ''],
  ];
}

const CALL_COLUMNS = [
  'uuid', 'direction', 'created', 'created_epoch', 'name', 'state', 'cid_name', 'cid_num', 'ip_addr', 'dest',
  'presence_id', 'presence_data', 'accountcode', 'callstate', 'callee_name', 'callee_num', 'callee_direction',
  'call_uuid', 'hostname', 'sent_callee_name', 'sent_callee_num',
];
const CALL_B_COLUMNS = [
  'uuid', 'direction', 'created', 'created_epoch', 'name', 'state', 'cid_name', 'cid_num', 'ip_addr', 'dest',
  'presence_id', 'presence_data', 'accountcode', 'callstate', 'callee_name', 'callee_num', 'callee_direction',
  'sent_callee_name', 'sent_callee_num',
];
const DETAILED_COLUMNS = [
  'uuid', 'direction', 'created', 'created_epoch', 'name', 'state', 'cid_name', 'cid_num', 'ip_addr', 'dest',
  'application', 'application_data', 'dialplan', 'context', 'read_codec', 'read_rate', 'read_bit_rate',
  'write_codec', 'write_rate', 'write_bit_rate', 'secure', 'hostname', 'presence_id', 'presence_data',
  'accountcode', 'callstate', 'callee_name', 'callee_num', 'callee_direction', 'call_uuid', 'sent_callee_name',
  'sent_callee_num',
];

function pick(row: Row, columns: readonly string[], prefix = ''): Row {
  const map = new Map(row);
  return columns.map((c) => [prefix + c, map.get(c) ?? '']);
}

function callRows(s: SimServices, columns: readonly string[], bColumns: readonly string[], onlyBridged: boolean): Row[] {
  const rows: Row[] = [];
  for (const ch of s.core.channels.values()) {
    if (ch.bridge?.side === 'b') continue;
    const partner = ch.bridge?.partner;
    if (onlyBridged && partner === undefined) continue;
    const a = pick(channelRow(ch, s), columns);
    const b: Row =
      partner !== undefined
        ? pick(channelRow(partner, s), bColumns, 'b_')
        : bColumns.map((c) => [`b_${c}`, '']);
    const callEpoch = partner !== undefined ? String(Math.floor(Math.max(ch.times.bridged, partner.times.bridged) / 1e6)) : '';
    rows.push([...a, ...b, ['call_created_epoch', callEpoch]]);
  }
  return rows;
}

function registrationRows(s: SimServices): Row[] {
  return s.directory.tableRows().map((reg) => [
    ['reg_user', reg.user.id],
    ['realm', reg.user.domain],
    ['token', reg.callId],
    ['url', dialString(reg)],
    ['expires', String(reg.expiresAt)],
    ['network_ip', reg.phone.ip],
    ['network_port', String(reg.phone.port)],
    ['network_proto', 'udp'],
    ['hostname', s.core.identity.hostname],
    // The user's registration_metadata variable, which nobody sets (capture k: "").
    ['metadata', reg.user.variables['registration_metadata'] ?? ''],
  ]);
}

export function formatRows(rows: Row[], asJson: boolean, emptyColumns: readonly string[]): string {
  if (asJson) {
    if (rows.length === 0) return '{"row_count": 0}\n';
    const body = rows.map((r) => '{' + r.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') + '}');
    return `{"row_count":${rows.length},"rows":[${body.join(',')}]}`;
  }
  const header = (rows[0]?.map(([k]) => k) ?? emptyColumns).join(',');
  const lines = rows.map((r) => r.map(([, v]) => v).join(','));
  return `${header}\n${lines.map((l) => l + '\n').join('')}\n${rows.length} total.\n`;
}

function like(row: Row, needle: string): boolean {
  const map = new Map(row);
  return ['uuid', 'name', 'cid_name', 'cid_num', 'presence_id', 'presence_data'].some((c) => (map.get(c) ?? '').includes(needle));
}

export function addShowCommands(table: ApiCommands): void {
  table.add('show', (args, s, reply) => {
    const w = words(args);
    const what = w[0] ?? '';
    const asJson = w.at(-2) === 'as' && w.at(-1) === 'json';
    const count = w[1] === 'count';
    const likeIndex = w.indexOf('like');
    const needle = likeIndex !== -1 ? w[likeIndex + 1] : undefined;
    let rows: Row[];
    let columns: readonly string[];
    switch (what) {
      case 'channels':
        columns = DETAILED_COLUMNS.concat(['initial_cid_name', 'initial_cid_num', 'initial_ip_addr', 'initial_dest', 'initial_dialplan', 'initial_context']);
        rows = [...s.core.channels.values()].map((ch) => channelRow(ch, s));
        if (needle !== undefined) rows = rows.filter((r) => like(r, needle));
        break;
      case 'calls':
        columns = CALL_COLUMNS;
        rows = callRows(s, CALL_COLUMNS, CALL_B_COLUMNS, false);
        break;
      case 'bridged_calls':
        columns = CALL_COLUMNS;
        rows = callRows(s, CALL_COLUMNS, CALL_B_COLUMNS, true);
        break;
      case 'detailed_calls':
        columns = DETAILED_COLUMNS;
        rows = callRows(s, DETAILED_COLUMNS, DETAILED_COLUMNS, false);
        break;
      case 'registrations':
        columns = ['reg_user', 'realm', 'token', 'url', 'expires', 'network_ip', 'network_port', 'network_proto', 'hostname', 'metadata'];
        rows = registrationRows(s);
        break;
      default:
        reply('-USAGE: \nshow channels|calls|bridged_calls|detailed_calls|registrations [count|like <text>] [as json]\n');
        return;
    }
    if (count) {
      reply(`\n${rows.length} total.\n`);
      return;
    }
    reply(formatRows(rows, asJson, columns));
  });
}
