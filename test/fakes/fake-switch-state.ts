/**
 * What a fake FreeSWITCH node says when polylink asks about its state: the channels
 * up, the bridged pairs, the registrations, uuid_exists and uuid_dump, in the forms
 * of the real captures (`{"row_count": 0}` and a newline when nothing is up).
 */
import type { EventHeaders } from './esl-wire.js';
import type { FakeEslServer } from './fake-esl-server.js';

export interface FakeSwitchState {
  /** uuid → its uuid_dump headers. */
  channels: Map<string, Record<string, string>>;
  /** Bridged pairs, a-leg first. */
  calls: Array<[string, string]>;
  registrations: Array<{ user: string; realm: string; callId: string }>;
}

export function newState(): FakeSwitchState {
  return { channels: new Map(), calls: [], registrations: [] };
}

export function answerStateQueries(server: FakeEslServer, state: FakeSwitchState): void {
  server.onApi('show channels as json', () => rows([...state.channels.keys()].map((uuid) => ({ uuid, direction: 'inbound', callstate: 'ACTIVE' }))));
  server.onApi('show calls as json', () => rows(state.calls.map(([uuid, b]) => ({ uuid, b_uuid: b }))));
  server.onApi('show registrations as json', () =>
    rows(state.registrations.map((r) => ({ reg_user: r.user, realm: r.realm, token: r.callId, url: `sofia/internal/sip:${r.user}@10.0.0.9:5060`, expires: '0' }))),
  );
  server.onApi(/^uuid_exists /, (command) => (state.channels.has(command.line.split(' ')[2] ?? '') ? 'true' : 'false'));
  server.onApi(/^uuid_dump /, (command) => {
    const dump = state.channels.get(command.line.split(' ')[2] ?? '');
    return dump === undefined ? '-ERR No such channel!\n' : JSON.stringify({ 'Event-Name': 'CHANNEL_DATA', ...dump });
  });
}

/** mod_commands' show … as json: no `rows` key at all when empty. */
function rows(list: ReadonlyArray<EventHeaders>): string {
  if (list.length === 0) return '{"row_count": 0}\n';
  return JSON.stringify({ row_count: list.length, rows: list });
}
