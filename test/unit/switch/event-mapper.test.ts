/** FreeSWITCH events from the real captures → switch events. */
import { describe, expect, it } from 'vitest';
import type { EslEvent } from '../../../src/esl/event.js';
import { type MapContext, adoptedChannel, mapEslEvent } from '../../../src/switch/freeswitch/event-mapper.js';
import type { SwitchEvent } from '../../../src/core/ports/switch-events.js';
import { captureApiBodies, captureEvents } from '../../helpers/capture-events.js';
import { captureNames } from '../../helpers/esl-captures.js';

const context = (jobs: Record<string, { uuid: string }> = {}): MapContext => ({
  node: 'fs1',
  now: 42,
  originateJob: (jobUuid) => (jobs[jobUuid] ? { uuid: jobs[jobUuid].uuid, vars: { call: 'c-1', leg: 'agent', agent: '1006' } } : undefined),
});

function mapAll(name: string, ctx = context()): SwitchEvent[] {
  return captureEvents(name).flatMap((e) => mapEslEvent(e, ctx) ?? []);
}

function typesOf(events: SwitchEvent[], uuid: string): string[] {
  return events.filter((e) => 'uuid' in e && e.uuid === uuid).map((e) => e.type);
}

describe('b3: the customer hangs up a bridged call', () => {
  const A = '45a536ca-564e-47a4-b218-24016058ac33';
  const B = '88e67f68-5d9e-4124-8a69-0b0d5cf9f530';
  const events = mapAll('b3_customer_hangs_up_plain');

  it('maps the customer leg: create, early media, answer, park, bridge, unbridge, hangup', () => {
    expect(typesOf(events, A)).toEqual([
      'channel-created',
      'channel-ringing',
      'channel-answered',
      'channel-parked',
      'channel-bridged',
      'channel-unbridged',
      'channel-hangup',
    ]);
    expect(events.find((e) => e.type === 'channel-bridged')).toMatchObject({ uuid: A, otherUuid: B, node: 'fs1' });
    expect(events.find((e) => e.type === 'channel-ringing' && e.uuid === A)).toMatchObject({ earlyMedia: true });
    expect(events.find((e) => e.type === 'channel-created' && e.uuid === A)).toMatchObject({
      direction: 'inbound',
      callerNumber: 'sipp',
      destination: '8600',
    });
  });

  it('maps the agent leg and both hangups with NORMAL_CLEARING, not synthetic', () => {
    expect(typesOf(events, B)).toEqual(['channel-created', 'channel-ringing', 'channel-answered', 'channel-parked', 'channel-hangup']);
    const hangups = events.filter((e) => e.type === 'channel-hangup');
    expect(hangups.map((h) => [h.uuid, h.type === 'channel-hangup' && h.cause, h.type === 'channel-hangup' && h.synthetic])).toEqual([
      [B, 'NORMAL_CLEARING', false],
      [A, 'NORMAL_CLEARING', false],
    ]);
    expect(events.find((e) => e.type === 'channel-created' && e.uuid === B)).toMatchObject({ direction: 'outbound' });
  });

  it('stamps events with FreeSWITCH time (Event-Date-Timestamp is in microseconds)', () => {
    const raw = captureEvents('b3_customer_hangs_up_plain')[0]!;
    expect(events[0]!.at).toBe(Math.floor(Number(raw.headers['Event-Date-Timestamp']) / 1000));
  });
});

describe('the other captures', () => {
  it('json and plain captures of the same call map to the same events (order varies between runs)', () => {
    const plain = mapAll('b_inbound_park_bridge_hangup_plain').map((e) => e.type);
    const json = mapAll('b_inbound_park_bridge_hangup_json').map((e) => e.type);
    expect([...json].sort()).toEqual([...plain].sort());
    expect(plain.filter((t) => t === 'channel-hangup')).toHaveLength(2);
  });

  it('hold and unhold (c1), twice', () => {
    const events = mapAll('c1_hold_unhold_plain');
    const A = 'd3af0d14-f9bb-4a31-8503-018b1b7a5deb';
    expect(typesOf(events, A).filter((t) => t.includes('held'))).toEqual(['channel-held', 'channel-unheld', 'channel-held', 'channel-unheld']);
  });

  it('broadcast playback start and stop with the file path (c2)', () => {
    const playbacks = mapAll('c2_broadcast_plain').filter((e) => e.type === 'playback-started' || e.type === 'playback-stopped');
    expect(playbacks[0]).toMatchObject({ type: 'playback-started', uuid: 'e3b83e8a-e781-4ac9-9436-dba9657e3b9c', path: 'tone_stream://%(300,200,440);loops=2' });
    expect(playbacks.map((p) => p.type)).toEqual(['playback-started', 'playback-stopped', 'playback-started', 'playback-started', 'playback-stopped', 'playback-stopped']);
  });

  it('conference members joining and leaving (e)', () => {
    const members = mapAll('e_conference_3way_plain').filter((e) => e.type.startsWith('conference-member'));
    expect(members.map((m) => m.type === 'conference-member-added' || m.type === 'conference-member-removed' ? `${m.type}:${m.conference}:${m.memberId}` : '')).toEqual([
      'conference-member-added:cti3way:1',
      'conference-member-added:cti3way:2',
      'conference-member-added:cti3way:3',
      'conference-member-removed:cti3way:3',
      'conference-member-removed:cti3way:2',
      'conference-member-removed:cti3way:1',
    ]);
    expect(members[0]).toMatchObject({ uuid: '68258478-c17e-4a24-94e3-8eb8aad59a78' });
  });

  it('a registration with its user, domain and Call-ID (i)', () => {
    const registrations = mapAll('i_registered_user_originate_plain').filter((e) => e.type === 'registration');
    expect(registrations).toEqual([
      {
        type: 'registration',
        change: 'register',
        node: 'fs1',
        at: 1795246301862,
        user: '1007',
        realm: '127.0.0.1',
        registered: true,
        profile: 'internal',
        callId: '1-26664@127.0.0.1',
        contact: 'sip:1007@127.0.0.1:5190',
      },
    ]);
  });

  it('register, unregister with another Call-ID, and the user directory’s sip-allow-multiple-registrations (k)', () => {
    const registrations = mapAll('k_register_reboot_unregister_plain').filter((e) => e.type === 'registration');
    expect(registrations.map((e) => e.type === 'registration' && [e.change, e.callId, e.contact, e.singleForUser])).toEqual([
      ['register', '1-29484@127.0.0.1', 'sip:8005@127.0.0.1:15071;transport=UDP', undefined],
      ['register', '1-29485@127.0.0.1', 'sip:8005@127.0.0.1:15071;transport=UDP', undefined],
      ['unregister', '1-29486@127.0.0.1', 'sip:8005@127.0.0.1:15071;transport=UDP', undefined],
      ['register', '1-29487@127.0.0.1', 'sip:8005@127.0.0.1:15071;transport=UDP', undefined],
    ]);
    const register = captureEvents('k_register_reboot_unregister_plain').find((e) => e.subclass === 'sofia::register')!;
    const single = { ...register, headers: { ...register.headers, 'sip-allow-multiple-registrations': 'false' } };
    expect(mapEslEvent(single, context())).toMatchObject({ type: 'registration', singleForUser: true });
  });

  it('originate-failed only for our own jobs; the failed channels hang up with their cause (g)', () => {
    const raw = captureEvents('g_originate_failures_err_replies');
    const jobs = raw.filter((e) => e.name === 'BACKGROUND_JOB');
    const unregistered = jobs.find((e) => e.headers['Job-Command-Arg'] === 'user/1006 &park()')!;
    const busy = jobs.find((e) => e.headers['Job-Command-Arg']?.includes('busy@'))!;
    const ctx = context({ [unregistered.headers['Job-UUID']!]: { uuid: 'b2b5c0de-0000-4000-8000-000000001006' } });
    expect(mapEslEvent(unregistered, ctx)).toMatchObject({
      type: 'originate-failed',
      uuid: 'b2b5c0de-0000-4000-8000-000000001006',
      cause: 'USER_NOT_REGISTERED',
      vars: { call: 'c-1', leg: 'agent', agent: '1006' },
    });
    // Someone else's job (not in the context): nothing, whatever its result.
    expect(mapEslEvent(busy, ctx)).toBeUndefined();
    // uuid_kill's job is not an originate even when it is ours.
    const kill = jobs.find((e) => e.headers['Job-Command'] === 'uuid_kill')!;
    expect(mapEslEvent(kill, context({ [kill.headers['Job-UUID']!]: { uuid: 'x' } }))).toBeUndefined();
    const causes = mapAll('g_originate_failures_err_replies').flatMap((e) => (e.type === 'channel-hangup' ? [e.cause] : []));
    expect(causes).toEqual(['USER_BUSY', 'NO_ANSWER', 'NORMAL_TEMPORARY_FAILURE', 'NO_ROUTE_DESTINATION', 'NO_ROUTE_DESTINATION']);
  });

  it('a shutdown hangs calls up with SYSTEM_SHUTDOWN (h)', () => {
    const causes = mapAll('h_shutdown_disconnect_notice').flatMap((e) => (e.type === 'channel-hangup' ? [e.cause] : []));
    expect(causes).toEqual(['SYSTEM_SHUTDOWN', 'SYSTEM_SHUTDOWN']);
  });

  it('maps every event of every capture without throwing, each with its node and uuid', () => {
    let mapped = 0;
    for (const name of captureNames()) {
      for (const event of captureEvents(name)) {
        const result = mapEslEvent(event, context());
        if (result === undefined) continue;
        mapped++;
        expect(result.node).toBe('fs1');
        if ('uuid' in result) {
          expect(result.uuid).toMatch(/^[0-9a-f-]{36}$/);
          expect(result.uuid).toBe(event.headers['Unique-ID']);
        }
      }
    }
    expect(mapped).toBeGreaterThan(150);
  });

  it('ignores what the core does not need (and jobs that are not our originates)', () => {
    const ignored = new Set<string>();
    for (const event of captureEvents('b_inbound_park_bridge_hangup_plain')) {
      if (mapEslEvent(event, context()) === undefined) ignored.add(event.name);
    }
    expect([...ignored].sort()).toEqual(
      ['API', 'BACKGROUND_JOB', 'CALL_UPDATE', 'CHANNEL_CALLSTATE', 'CHANNEL_DESTROY', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HANGUP', 'CHANNEL_ORIGINATE', 'CHANNEL_OUTGOING', 'CHANNEL_STATE', 'CHANNEL_UNPARK', 'CODEC', 'HEARTBEAT', 'PRESENCE_IN', 'RE_SCHEDULE'].sort(),
    );
  });
});

describe('polylink variables', () => {
  it('carries the polylink_* variables the dialplan set on an inbound call', () => {
    const park = captureEvents('b3_customer_hangs_up_plain').find((e) => e.name === 'CHANNEL_PARK')!;
    const withVars: EslEvent = {
      ...park,
      headers: {
        ...park.headers,
        variable_polylink_access_number: '4008',
        variable_polylink_queue: '7000',
        variable_polylink_ivr_data: 'vip gold',
        variable_polylink_dtmf: '12#',
        variable_polylink_call: '',
      },
    };
    expect(mapEslEvent(withVars, context())).toMatchObject({
      type: 'channel-parked',
      vars: { accessNumber: '4008', queue: '7000', ivrData: 'vip gold', dtmf: '12#' },
    });
    expect(mapEslEvent(park, context())).toMatchObject({ vars: {} });
  });
});

describe('adoption from uuid_dump', () => {
  it('reads state, party and variables from a real uuid_dump json (f)', () => {
    const dump = captureApiBodies('f_show_channels_calls_json').find((b) => b.startsWith('{"Event-Name":"CHANNEL_DATA"'))!;
    const headers = JSON.parse(dump) as Record<string, string>;
    const adopted = adoptedChannel(headers, { node: 'fs2', now: 7 }, '803d83c1-ec26-4935-bb8d-f46716c44985');
    expect(adopted).toEqual({
      type: 'channel-adopted',
      node: 'fs2',
      at: 7,
      uuid: '04c163c6-4dce-48d1-bdf1-7566e96e1bdf',
      vars: {},
      direction: 'inbound',
      callerNumber: 'cust5170',
      callerName: 'Customer 5170',
      destination: '8600',
      answered: true,
      held: false,
      // Its current_application still says park, but it is bridged: not waiting.
      parked: false,
      otherUuid: '803d83c1-ec26-4935-bb8d-f46716c44985',
    });
    expect(adoptedChannel(headers, { node: 'fs2', now: 7 }, undefined)?.parked).toBe(true);
  });
});
