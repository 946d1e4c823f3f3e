import { POLYLINK_VAR_HEADERS } from './polylink-vars.js';

/**
 * The events polylink subscribes to (docs/esl-commands.md, "Connection"). Subclasses
 * go after CUSTOM, which commands.subscribe() puts last.
 *
 * Only what event-mapper.ts turns into something the core or the switch layer reads.
 * Not asked for, though FreeSWITCH would send them for every call: CHANNEL_CALLSTATE
 * (fired on each call-state change, ~7 per inbound call with its agent leg in capture
 * b; the same changes arrive as PROGRESS / ANSWER / HOLD / HANGUP_COMPLETE),
 * CHANNEL_HANGUP (HANGUP_COMPLETE is the hangup polylink maps, see event-mapper.ts),
 * CHANNEL_UNPARK and PLAYBACK_START (nothing reads them; PLAYBACK_STOP ends a prompt).
 * In capture b (one queued call) that is 11 of the 24 events and 39 % of the bytes a
 * listener with the old list received; CHANNEL_HANGUP and CHANNEL_UNPARK carry every
 * channel variable (switch_channel.c, switch_channel_event_set_extended_data), ~8 KB each.
 * HEARTBEAT stays: one every 20 s, it proves the link alive (liveness.ts) and carries
 * Core-UUID (a restart seen without waiting for a call).
 */
export const SUBSCRIBED_EVENTS: ReadonlyArray<string> = [
  'CHANNEL_CREATE',
  'CHANNEL_PROGRESS',
  'CHANNEL_PROGRESS_MEDIA',
  'CHANNEL_ANSWER',
  'CHANNEL_PARK',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_HOLD',
  'CHANNEL_UNHOLD',
  'CHANNEL_HANGUP_COMPLETE',
  'BACKGROUND_JOB',
  'PLAYBACK_STOP',
  'RECORD_START',
  'RECORD_STOP',
  'DTMF',
  'HEARTBEAT',
];

export const SUBSCRIBED_SUBCLASSES: ReadonlyArray<string> = [
  'conference::maintenance',
  'sofia::register',
  'sofia::unregister',
  'sofia::expire',
];

/**
 * The headers of those events that polylink reads (event-mapper.ts, sequence-monitor.ts,
 * polylink-vars.ts): the ESL client decodes only these of a JSON event (esl/header-selection.ts),
 * ~30 of its 100-odd. A header read there must be named here; the capture test
 * (test/unit/switch/read-headers.test.ts) records every header those read while mapping
 * every capture and fails on one missing.
 */
export const READ_HEADERS: ReadonlyArray<string> = [
  // every channel event
  'Unique-ID',
  'Event-Date-Timestamp',
  ...POLYLINK_VAR_HEADERS,
  // the sequence monitor: a restart of the switch, lost events, the session counter
  'Core-UUID',
  'Event-Sequence',
  'variable_session_id',
  // CHANNEL_CREATE, CHANNEL_PARK
  'Call-Direction',
  'Caller-Caller-ID-Number',
  'Caller-Caller-ID-Name',
  'Caller-Destination-Number',
  // CHANNEL_BRIDGE, CHANNEL_UNBRIDGE
  'Other-Leg-Unique-ID',
  'Bridge-B-Unique-ID',
  // CHANNEL_HANGUP_COMPLETE
  'Hangup-Cause',
  'variable_hangup_cause',
  // DTMF, PLAYBACK_STOP, RECORD_START, RECORD_STOP
  'DTMF-Digit',
  'Playback-File-Path',
  'Record-File-Path',
  // BACKGROUND_JOB
  'Job-UUID',
  'Job-Command',
  // conference::maintenance
  'Action',
  'Conference-Name',
  'Member-ID',
  // sofia::register, ::unregister, ::expire
  'from-user',
  'user',
  'to-user',
  'from-host',
  'host',
  'realm',
  'call-id',
  'contact',
  'profile-name',
  'sip-allow-multiple-registrations',
];
