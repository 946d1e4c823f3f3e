/**
 * Replies of `show channels|calls|registrations as json` (mod_commands show_function):
 * `{"row_count":N,"rows":[{…},…]}` with every value a string; with no rows FreeSWITCH
 * writes `{"row_count": 0}` and a newline, with no `rows` key at all (capture
 * f_show_channels_calls_json); without its core database it answers `-ERR SQL
 * DISABLED NO DATA AVAILABLE!`.
 */
import { type Result, fail, ok } from '../../esl/result.js';

export type Row = Readonly<Record<string, string>>;

export function parseShowJson(text: string): Result<ReadonlyArray<Row>, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail(text.trim().slice(0, 120) || 'empty reply');
  }
  if (parsed === null || typeof parsed !== 'object' || !('row_count' in parsed)) return fail('not a show … as json reply');
  const rows = (parsed as { rows?: unknown }).rows;
  if (rows === undefined) return ok([]);
  if (!Array.isArray(rows)) return fail('rows is not an array');
  return ok(rows.filter((r): r is Row => r !== null && typeof r === 'object'));
}

/** `show calls` rows pair an a-leg (`uuid`) with its bridged b-leg (`b_uuid`, empty when alone). */
export function bridgePartners(rows: ReadonlyArray<Row>): Map<string, string> {
  const partners = new Map<string, string>();
  for (const row of rows) {
    const a = row['uuid'];
    const b = row['b_uuid'];
    if (a && b) {
      partners.set(a, b);
      partners.set(b, a);
    }
  }
  return partners;
}

/** What a `show channels` row says of a channel (columns of the core channels table, switch_core_sqldb.c). */
export interface ChannelRow {
  readonly uuid: string;
  readonly direction: 'inbound' | 'outbound';
  readonly callerNumber: string;
  readonly callerName: string;
  readonly destination: string;
  /** callstate ACTIVE, HELD or UNHELD. */
  readonly answered: boolean;
  /** application `park`; a bridged channel shows `uuid_bridge` or `bridge` (capture f). */
  readonly parked: boolean;
}

export function channelRow(row: Row): ChannelRow | undefined {
  const uuid = row['uuid'];
  if (!uuid) return undefined;
  const callstate = row['callstate'] ?? '';
  return {
    uuid,
    direction: row['direction'] === 'outbound' ? 'outbound' : 'inbound',
    callerNumber: row['cid_num'] ?? '',
    callerName: row['cid_name'] ?? '',
    destination: row['dest'] ?? '',
    answered: callstate === 'ACTIVE' || callstate === 'HELD' || callstate === 'UNHELD',
    parked: row['application'] === 'park',
  };
}

export interface RegistrationRow {
  readonly user: string;
  readonly realm: string;
  /** The SIP Call-ID (`token` in the core registrations table). */
  readonly callId: string;
  /** The SIP profile, from the url `sofia/<profile>/sip:…`; '' when it says none. */
  readonly profile: string;
  /** The registered contact's URI (contactUri). */
  readonly contact: string;
}

/** `show registrations` rows: reg_user, realm, token, url, expires, network_ip, … (switch_core_sqldb.c). */
export function registrationRows(rows: ReadonlyArray<Row>): RegistrationRow[] {
  const out: RegistrationRow[] = [];
  for (const row of rows) {
    const user = row['reg_user'];
    const realm = row['realm'];
    if (!user || !realm) continue;
    const url = /^sofia\/([^/]+)\/(.*)$/.exec(row['url'] ?? '');
    out.push({ user, realm, callId: row['token'] ?? '', profile: url?.[1] ?? '', contact: contactUri(url?.[2] ?? '') });
  }
  return out;
}

/**
 * A contact's SIP URI, whether written as sofia's events write it (`"" <sip:1007@10.0.0.5:5060;transport=UDP>`)
 * or as the registrations table's url does (`sip:1007@10.0.0.5:5060;transport=UDP`).
 */
export function contactUri(contact: string): string {
  return /sips?:[^>\s]+/.exec(contact)?.[0] ?? contact.trim();
}
