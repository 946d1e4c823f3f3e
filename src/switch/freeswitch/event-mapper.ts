/**
 * FreeSWITCH event → switch event, in one place and pure: the same input always maps
 * to the same output, and everything outside the event (the node, the time for
 * events without a timestamp, which jobs are our originates) comes in `context`.
 * Events the core does not need map to undefined.
 *
 * Choices, with the captures as evidence:
 * - The hangup is CHANNEL_HANGUP_COMPLETE, not CHANNEL_HANGUP: after a bridge the
 *   order is HANGUP A, HANGUP B, UNBRIDGE A, HANGUP_COMPLETE B, HANGUP_COMPLETE A
 *   (b3), so mapping the COMPLETE keeps "unbridged" before "hangup" for each leg,
 *   and nothing about a channel follows its hangup.
 * - CHANNEL_BRIDGE is fired once, on the A leg, with the B leg in Other-Leg-Unique-ID.
 * - A BACKGROUND_JOB reaches every listener; only jobs that are our own originates
 *   (known to `context`) become originate-failed.
 * - sofia::register/unregister name the user `from-user` and its domain `from-host`;
 *   sofia::expire says `user` and `host` (sofia_reg.c).
 */
import type { EslEvent } from '../../esl/event.js';
import type { ChannelAdopted, ChannelDirection, NodeId, PolylinkVars, SwitchEvent } from '../../core/ports/switch-events.js';
import { polylinkVars } from './polylink-vars.js';
import { contactUri } from './show-json.js';

/** FreeSWITCH's switch_false: no, off, false, f, disabled, inactive, disallow, or 0. */
function isFalse(value: string): boolean {
  return ['no', 'off', 'false', 'f', 'disabled', 'inactive', 'disallow', '0'].includes(value.toLowerCase());
}

export interface OriginateJob {
  /** origination_uuid of the leg the job creates. */
  readonly uuid: string;
  readonly vars: PolylinkVars;
}

export interface MapContext {
  readonly node: NodeId;
  /** Used when an event has no Event-Date-Timestamp. */
  readonly now: number;
  /** Our originate behind this Job-UUID, if it is one. */
  originateJob(jobUuid: string): OriginateJob | undefined;
}

export function mapEslEvent(event: EslEvent, context: MapContext): SwitchEvent | undefined {
  const h = event.headers;
  switch (event.name) {
    case 'CHANNEL_CREATE':
      return channel(h, context, (base) => ({ ...base, type: 'channel-created', ...party(h) }));
    case 'CHANNEL_PROGRESS':
      return channel(h, context, (base) => ({ ...base, type: 'channel-ringing', earlyMedia: false }));
    case 'CHANNEL_PROGRESS_MEDIA':
      return channel(h, context, (base) => ({ ...base, type: 'channel-ringing', earlyMedia: true }));
    case 'CHANNEL_ANSWER':
      return channel(h, context, (base) => ({ ...base, type: 'channel-answered' }));
    case 'CHANNEL_PARK':
      return channel(h, context, (base) => ({ ...base, type: 'channel-parked', ...party(h) }));
    case 'CHANNEL_BRIDGE':
    case 'CHANNEL_UNBRIDGE': {
      const otherUuid = h['Other-Leg-Unique-ID'] ?? h['Bridge-B-Unique-ID'];
      if (otherUuid === undefined) return undefined;
      const type = event.name === 'CHANNEL_BRIDGE' ? 'channel-bridged' : 'channel-unbridged';
      return channel(h, context, (base) => ({ ...base, type, otherUuid }));
    }
    case 'CHANNEL_HOLD':
      return channel(h, context, (base) => ({ ...base, type: 'channel-held' }));
    case 'CHANNEL_UNHOLD':
      return channel(h, context, (base) => ({ ...base, type: 'channel-unheld' }));
    case 'CHANNEL_HANGUP_COMPLETE': {
      const cause = h['Hangup-Cause'] ?? h['variable_hangup_cause'] ?? 'NORMAL_UNSPECIFIED';
      return channel(h, context, (base) => ({ ...base, type: 'channel-hangup', cause, synthetic: false }));
    }
    case 'DTMF': {
      const digit = h['DTMF-Digit'];
      if (digit === undefined) return undefined;
      return channel(h, context, (base) => ({ ...base, type: 'dtmf', digit }));
    }
    case 'PLAYBACK_START':
    case 'PLAYBACK_STOP': {
      const path = h['Playback-File-Path'] ?? '';
      const type = event.name === 'PLAYBACK_START' ? 'playback-started' : 'playback-stopped';
      return channel(h, context, (base) => ({ ...base, type, path }));
    }
    case 'RECORD_START':
    case 'RECORD_STOP': {
      const path = h['Record-File-Path'] ?? '';
      const type = event.name === 'RECORD_START' ? 'record-started' : 'record-stopped';
      return channel(h, context, (base) => ({ ...base, type, path }));
    }
    case 'BACKGROUND_JOB':
      return backgroundJob(event, context);
    case 'CUSTOM':
      return custom(event, context);
    default:
      return undefined;
  }
}

/**
 * A channel found by the reconciler, from its `uuid_dump <uuid> json` (a CHANNEL_DATA
 * event) and, when `show calls` pairs it with another leg, that leg's uuid.
 */
export function adoptedChannel(
  dump: Readonly<Record<string, string>>,
  context: Pick<MapContext, 'node' | 'now'>,
  otherUuid: string | undefined,
): ChannelAdopted | undefined {
  const uuid = dump['Unique-ID'];
  if (uuid === undefined) return undefined;
  const adopted: ChannelAdopted = {
    type: 'channel-adopted',
    node: context.node,
    at: context.now,
    uuid,
    vars: polylinkVars(dump),
    ...party(dump),
    answered: dump['Answer-State'] === 'answered',
    held: dump['Channel-Call-State'] === 'HELD',
    // current_application stays `park` after a uuid_bridge (no application runs for it): only an unbridged channel waits.
    parked: dump['variable_current_application'] === 'park' && otherUuid === undefined,
  };
  return otherUuid === undefined ? adopted : { ...adopted, otherUuid };
}

interface ChannelBase {
  readonly node: NodeId;
  readonly at: number;
  readonly uuid: string;
  readonly vars: PolylinkVars;
}

function channel(
  h: Readonly<Record<string, string>>,
  context: MapContext,
  build: (base: ChannelBase) => SwitchEvent,
): SwitchEvent | undefined {
  const uuid = h['Unique-ID'];
  if (uuid === undefined || uuid === '') return undefined;
  return build({ node: context.node, at: timestampOf(h, context.now), uuid, vars: polylinkVars(h) });
}

function party(h: Readonly<Record<string, string>>): {
  direction: ChannelDirection;
  callerNumber: string;
  callerName: string;
  destination: string;
} {
  return {
    direction: h['Call-Direction'] === 'outbound' ? 'outbound' : 'inbound',
    callerNumber: h['Caller-Caller-ID-Number'] ?? '',
    callerName: h['Caller-Caller-ID-Name'] ?? '',
    destination: h['Caller-Destination-Number'] ?? '',
  };
}

/** Event-Date-Timestamp is in microseconds. */
function timestampOf(h: Readonly<Record<string, string>>, fallback: number): number {
  const micros = h['Event-Date-Timestamp'];
  if (micros === undefined) return fallback;
  const ms = Math.floor(Number(micros) / 1_000);
  return Number.isFinite(ms) && ms > 0 ? ms : fallback;
}

function backgroundJob(event: EslEvent, context: MapContext): SwitchEvent | undefined {
  const jobUuid = event.headers['Job-UUID'];
  if (jobUuid === undefined || event.headers['Job-Command'] !== 'originate') return undefined;
  const job = context.originateJob(jobUuid);
  if (job === undefined) return undefined;
  const body = (event.body ?? '').trim();
  if (!body.startsWith('-')) return undefined;
  const cause = /^-ERR ([A-Z_]+)$/.exec(body)?.[1] ?? body.replace(/^-(?:ERR|USAGE:?)\s*/, '');
  return {
    type: 'originate-failed',
    node: context.node,
    at: timestampOf(event.headers, context.now),
    uuid: job.uuid,
    vars: job.vars,
    cause,
  };
}

function custom(event: EslEvent, context: MapContext): SwitchEvent | undefined {
  const h = event.headers;
  switch (event.subclass) {
    case 'conference::maintenance': {
      const action = h['Action'];
      if (action !== 'add-member' && action !== 'del-member') return undefined;
      const conference = h['Conference-Name'];
      const memberId = h['Member-ID'];
      if (conference === undefined || memberId === undefined) return undefined;
      const type = action === 'add-member' ? 'conference-member-added' : 'conference-member-removed';
      return channel(h, context, (base) => ({ ...base, type, conference, memberId }));
    }
    case 'sofia::register':
    case 'sofia::unregister':
    case 'sofia::expire': {
      const user = h['from-user'] ?? h['user'] ?? h['to-user'];
      const realm = h['from-host'] ?? h['host'] ?? h['realm'];
      if (user === undefined || realm === undefined) return undefined;
      const change = event.subclass === 'sofia::register' ? 'register' : event.subclass === 'sofia::unregister' ? 'unregister' : 'expire';
      const callId = h['call-id'];
      const contact = h['contact'];
      const profile = h['profile-name'];
      const allow = h['sip-allow-multiple-registrations'];
      return {
        type: 'registration',
        change,
        node: context.node,
        at: timestampOf(h, context.now),
        user,
        realm,
        registered: change === 'register',
        ...(profile === undefined ? {} : { profile }),
        ...(callId === undefined ? {} : { callId }),
        ...(contact === undefined ? {} : { contact: contactUri(contact) }),
        ...(allow !== undefined && isFalse(allow) ? { singleForUser: true } : {}),
      };
    }
    default:
      return undefined;
  }
}
