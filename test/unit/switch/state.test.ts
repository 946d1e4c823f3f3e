/** The switch layer's bookkeeping: channel registry, registrations, show … as json, the reconcile diff. */
import { describe, expect, it } from 'vitest';
import { ChannelRegistry } from '../../../src/switch/freeswitch/channel-registry.js';
import { diffChannels } from '../../../src/switch/freeswitch/reconcile.js';
import { type RegistrationChange, RegistrationTracker, SNAPSHOT_LAG_MS } from '../../../src/switch/freeswitch/registration-tracker.js';
import { bridgePartners, channelRow, parseShowJson, registrationRows } from '../../../src/switch/freeswitch/show-json.js';
import { captureApiBodies } from '../../helpers/capture-events.js';

describe('show … as json', () => {
  const bodies = captureApiBodies('f_show_channels_calls_json');

  it('reads the rows of show channels and the bridge pairs of show calls (capture f)', () => {
    const channels = parseShowJson(bodies[0]!);
    expect(channels.ok && channels.value.map((r) => r['uuid'])).toEqual([
      '04c163c6-4dce-48d1-bdf1-7566e96e1bdf',
      '803d83c1-ec26-4935-bb8d-f46716c44985',
      '8cf0bb6e-c110-4617-94a8-b7d5a226b6b3',
    ]);
    const calls = parseShowJson(bodies[1]!);
    expect(calls.ok).toBe(true);
    if (calls.ok) {
      const partners = bridgePartners(calls.value);
      expect(partners.get('04c163c6-4dce-48d1-bdf1-7566e96e1bdf')).toBe('803d83c1-ec26-4935-bb8d-f46716c44985');
      expect(partners.get('803d83c1-ec26-4935-bb8d-f46716c44985')).toBe('04c163c6-4dce-48d1-bdf1-7566e96e1bdf');
      expect(partners.has('8cf0bb6e-c110-4617-94a8-b7d5a226b6b3')).toBe(false);
    }
  });

  it('reads what a show channels row says of its channel: party, answered, parked or in a bridge (capture f)', () => {
    const channels = parseShowJson(bodies[0]!);
    if (!channels.ok) throw new Error(channels.error);
    const rows = channels.value.map(channelRow);
    expect(rows[0]).toEqual({
      uuid: '04c163c6-4dce-48d1-bdf1-7566e96e1bdf',
      direction: 'inbound',
      callerNumber: 'cust5170',
      callerName: 'Customer 5170',
      destination: '8600',
      answered: true,
      parked: false,
    });
    // The third is a customer parked unanswered (85xx), as polylink finds them on an access number.
    expect(rows.map((r) => [r?.parked, r?.answered])).toEqual([[false, true], [false, true], [true, false]]);
    expect(channelRow({ direction: 'inbound' })).toBeUndefined();
  });

  it('reads {"row_count": 0} (no rows key, a space, a newline) as no rows, and refuses non-JSON', () => {
    expect(bodies.at(-1)).toBe('{"row_count": 0}\n');
    expect(parseShowJson(bodies.at(-1)!)).toEqual({ ok: true, value: [] });
    expect(parseShowJson('{"row_count":0}')).toEqual({ ok: true, value: [] });
    expect(parseShowJson('-ERR SQL DISABLED NO DATA AVAILABLE!\n')).toEqual({ ok: false, error: '-ERR SQL DISABLED NO DATA AVAILABLE!' });
    expect(parseShowJson('[1,2]').ok).toBe(false);
  });

  it('reads show registrations rows (reg_user, realm, token)', () => {
    const rows = registrationRows([{ reg_user: '1007', realm: '127.0.0.1', token: '1-26664@127.0.0.1', url: 'sofia/internal/sip:1007@127.0.0.1:5190', expires: '1795249901' }]);
    expect(rows).toEqual([{ user: '1007', realm: '127.0.0.1', callId: '1-26664@127.0.0.1', profile: 'internal', contact: 'sip:1007@127.0.0.1:5190' }]);
  });
});

describe('ChannelRegistry', () => {
  it('knows each channel node, ends it once, and never revives it', () => {
    const r = new ChannelRegistry(1_000);
    r.reserve('a', 'fs1', 0);
    expect(r.nodeOf('a')).toBe('fs1');
    expect(r.touch('a', 'fs1', 1, true, { call: 'c' })).toBe('known');
    expect(r.get('a')).toMatchObject({ state: 'live', announced: true, vars: { call: 'c' } });
    expect(r.end('a', 2)).toMatchObject({ kind: 'ended', entry: { uuid: 'a' } });
    expect(r.end('a', 3)).toEqual({ kind: 'already-ended' });
    expect(r.touch('a', 'fs1', 4, false)).toBe('ended');
    expect(r.nodeOf('a')).toBeUndefined();
    r.prune(1_002);
    expect(r.hasEnded('a')).toBe(false);
  });

  it('counts the channels of each node as they come and go', () => {
    const r = new ChannelRegistry();
    r.reserve('a', 'fs1', 0);
    r.touch('b', 'fs1', 0, true);
    r.touch('c', 'fs2', 0, true);
    r.touch('b', 'fs1', 1, false);
    r.reserve('a', 'fs1', 1);
    expect([r.countOnNode('fs1'), r.countOnNode('fs2'), r.countOnNode('fs3')]).toEqual([2, 1, 0]);
    r.release('a');
    r.end('c', 2);
    r.end('c', 3);
    r.end('unknown', 3);
    expect([r.countOnNode('fs1'), r.countOnNode('fs2')]).toEqual([1, 0]);
    expect(r.countOnNode('fs1')).toBe(r.onNode('fs1').length);
  });

  it('releases a reservation only while nothing was seen of the channel', () => {
    const r = new ChannelRegistry();
    r.reserve('a', 'fs1', 0);
    r.release('a');
    expect(r.get('a')).toBeUndefined();
    r.reserve('b', 'fs1', 0);
    r.touch('b', 'fs1', 1, true);
    r.release('b');
    expect(r.get('b')).toBeDefined();
  });
});

describe('diffChannels', () => {
  const entry = (uuid: string, since: number, announced = true, state: 'live' | 'reserved' = 'live') => ({ uuid, node: 'fs1', since, announced, state, vars: {} });

  it('vanished: known before the list was asked for and not on it; appeared: listed and never announced', () => {
    const diff = diffChannels({
      known: [entry('gone', 0), entry('still-up', 0), entry('too-new', 100), entry('pending', 0, false, 'reserved'), entry('unannounced', 0, false)],
      listed: new Set(['still-up', 'unannounced', 'stranger', 'just-ended']),
      requestedAt: 50,
      hasEnded: (uuid) => uuid === 'just-ended',
    });
    expect(diff.vanished).toEqual(['gone']);
    expect(diff.appeared).toEqual(['unannounced', 'stranger']);
  });
});

describe('RegistrationTracker', () => {
  const reg = (user: string, callId: string, more: Partial<RegistrationChange> = {}): RegistrationChange => ({ change: 'register', user, realm: 'cc.example.com', profile: 'internal', callId, ...more });
  const unreg = (user: string, callId: string, more: Partial<RegistrationChange> = {}): RegistrationChange => ({ ...reg(user, callId, more), change: 'unregister' });

  it('one registration per user by default (capture k): a new Call-ID replaces it, an unregister with any Call-ID removes it', () => {
    const t = new RegistrationTracker();
    expect(t.apply('fs1', reg('8005', 'A'), 0)).toBe(true);
    expect(t.apply('fs1', reg('8005', 'B'), 1)).toBe(true); // the phone rebooted: no unregister for A
    expect(t.callIdsOf('fs1', '8005')).toEqual(['B']);
    expect(t.apply('fs1', unreg('8005', 'C'), 2)).toBe(false); // Expires: 0 with a third Call-ID
    expect(t.isRegistered('8005')).toBe(false);
    expect(t.apply('fs1', reg('8005', 'D'), 3)).toBe(true);
    expect(t.isRegistered('8005', 'CC.example.com')).toBe(true);
    expect(t.isRegistered('8005', 'other.example.com')).toBe(false);
  });

  it('a profile with multiple-registrations keeps one per Call-ID (or per contact); an unregister removes only the one it names', () => {
    const t = new RegistrationTracker();
    t.setRules('fs1', new Map([['internal', 'per-call-id'], ['softphones', 'per-contact']]));
    t.apply('fs1', reg('1001', 'desk'), 0);
    expect(t.apply('fs1', reg('1001', 'soft'), 1)).toBe(true);
    expect(t.apply('fs1', unreg('1001', 'desk'), 2)).toBe(true);
    expect(t.apply('fs1', unreg('1001', 'soft'), 3)).toBe(false);
    // per contact: the same contact with a new Call-ID replaces, another contact adds.
    const soft = (callId: string, contact: string) => reg('1002', callId, { profile: 'softphones', contact });
    t.apply('fs1', soft('a', 'sip:1002@10.0.0.5:5060'), 0);
    t.apply('fs1', soft('b', 'sip:1002@10.0.0.5:5060'), 1);
    t.apply('fs1', soft('c', 'sip:1002@10.0.0.6:5060'), 2);
    expect(t.callIdsOf('fs1', '1002')).toEqual(['b', 'c']);
    // A user whose directory entry forbids several registrations is per-user anywhere.
    t.apply('fs1', reg('1003', 'x'), 0);
    t.apply('fs1', reg('1003', 'y', { singleForUser: true }), 1);
    expect(t.callIdsOf('fs1', '1003')).toEqual(['y']);
  });

  it('sofia::expire removes the registration it names; without a Call-ID every one of the user on that node', () => {
    const t = new RegistrationTracker();
    t.setRules('fs1', new Map([['internal', 'per-call-id']]));
    t.apply('fs1', reg('1001', 'a'), 0);
    t.apply('fs1', reg('1001', 'b'), 0);
    t.apply('fs2', reg('1001', 'c'), 0);
    expect(t.apply('fs1', { ...reg('1001', 'a'), change: 'expire' }, 1)).toBe(true);
    expect(t.apply('fs1', { change: 'expire', user: '1001', realm: 'cc.example.com', profile: 'internal' }, 2)).toBe(false);
    expect(t.nodesOf('1001')).toEqual(['fs2']);
  });

  it('a snapshot replaces a node table, except users an event changed shortly before it was requested', () => {
    const t = new RegistrationTracker();
    const row = (user: string, callId: string) => ({ user, realm: 'cc.example.com', callId, profile: 'internal', contact: `sip:${user}@10.0.0.9:5060` });
    t.apply('fs1', reg('old', 'x'), 0);
    t.apply('fs2', reg('2001', 'w'), 0);
    const requestedAt = 2 * SNAPSHOT_LAG_MS;
    t.apply('fs1', reg('1002', 'y'), requestedAt - 2); // the -11 race: registered a moment before the request …
    t.apply('fs1', unreg('1003', 'z'), requestedAt + 5); // … and unregistered after it
    t.replaceNode('fs1', [row('1001', 'v'), row('1003', 'z')], requestedAt); // … neither written to the table yet
    expect(t.isRegistered('old')).toBe(false); // gone from the table, no event for it lately
    expect(t.isRegistered('1001')).toBe(true);
    expect(t.isRegistered('1002')).toBe(true);
    expect(t.isRegistered('1003')).toBe(false);
    expect(t.isRegistered('2001')).toBe(true); // another node
    // A snapshot requested long enough after the events is the truth again.
    t.replaceNode('fs1', [row('1001', 'v')], requestedAt + SNAPSHOT_LAG_MS);
    expect(t.isRegistered('1002')).toBe(false);
  });
});
