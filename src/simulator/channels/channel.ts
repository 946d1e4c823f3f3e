/**
 * One simulated call leg: the state FreeSWITCH keeps in switch_channel_t and the
 * events it fires about it. The header layout of a channel event follows
 * switch_channel_event_set_data: event-specific headers added before it, then the
 * basic data (states, name, ids, codecs), the caller profile, the bridged partner's
 * profile (Other-Leg-*), event-specific headers added after it, and — for the event
 * types FreeSWITCH lists in switch_channel_event_set_extended_data — every channel
 * variable as `variable_*`.
 */
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventOrigin } from '../events/event-origins.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { CallerProfile, ChannelTimes } from './caller-profile.js';
import {
  type AnswerState,
  type CallState,
  type ChannelState,
  type Direction,
  callStateNumber,
  channelStateNumber,
} from './channel-states.js';
import { ChannelVariables } from './channel-variables.js';
import type { SipLeg } from './sip-leg.js';

/** Event types that carry the channel variables (switch_channel_event_set_extended_data). */
const EVENTS_WITH_VARIABLES = new Set([
  'CHANNEL_CREATE', 'CHANNEL_ORIGINATE', 'CHANNEL_UUID', 'CHANNEL_ANSWER', 'CHANNEL_PARK', 'CHANNEL_UNPARK',
  'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE', 'REQUEST_PARAMS', 'CHANNEL_DATA', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE',
  'CHANNEL_DESTROY', 'SESSION_HEARTBEAT', 'API', 'RECORD_START', 'RECORD_STOP', 'PLAYBACK_START',
  'PLAYBACK_STOP', 'CALL_UPDATE', 'MEDIA_BUG_START', 'MEDIA_BUG_STOP', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CUSTOM',
]);

export interface Codec {
  readonly name: string;
  readonly rate: string;
  readonly bitRate: string;
}

export interface ChannelHost {
  readonly bus: EventBus;
  /** Microseconds since the epoch, from the injected clock. */
  nowUs(): number;
}

/** What a channel is doing; stopped when something else takes the channel over. */
export interface RunningApp {
  readonly name: string;
  readonly data: string;
  readonly applicationUuid: string | undefined;
  /** Ends the app because the channel is taken elsewhere (bridge, transfer, hangup). */
  interrupt(reason: 'hangup' | 'takeover'): void;
}

export interface FireOptions {
  readonly before?: readonly HeaderBlock[];
  readonly after?: readonly HeaderBlock[];
  readonly body?: string;
  /** Overrides the per-type rule (CHANNEL_STATE during a shutdown carries variables: capture h). */
  readonly withVariables?: boolean;
  readonly subclass?: string;
}

export type ChannelTech = 'sofia' | 'loopback';

export class Channel {
  readonly vars = new ChannelVariables();
  runningState: ChannelState = 'CS_NEW';
  /** The state asked for (Channel-State-Number); runs ahead of runningState. */
  targetState: ChannelState = 'CS_NEW';
  callState: CallState = 'DOWN';
  answerState: AnswerState = 'ringing';
  hitDialplan: boolean;
  readCodec: Codec | undefined;
  writeCodec: Codec | undefined;
  private currentProfile: CallerProfile | undefined;
  /** The caller profile as the channel started (show channels' initial_* columns). */
  initialProfile: CallerProfile['fields'] | undefined;
  /** The partner's profile as it was when they were bridged: Other-Type + Other-Leg-*. */
  other: { type: 'originator' | 'originatee'; profile: CallerProfile } | undefined;
  hangupCause: string | undefined;
  /** Every state change carries variables (FreeSWITCH sets CF_VERBOSE_EVENTS at shutdown: capture h). */
  verbose = false;
  app: RunningApp | undefined;
  /** The bridged partner and which side of the bridge this leg runs. */
  bridge: { partner: Channel; side: 'a' | 'b' } | undefined;
  /** Applications run on this channel, for last_app / last_arg at hangup. */
  lastApp: { name: string; data: string } | undefined;
  readonly created: number;
  /** The SIP dialog of a sofia channel. */
  sip: SipLeg | undefined;
  /** The other half of a loopback pair. */
  loopbackPeer: Channel | undefined;
  /** Called once when the channel is hung up (originate waiters, customer handles, phones). */
  readonly hangupListeners: Array<(cause: string) => void> = [];
  /** Called once when the channel is answered (originate waiters, phones). */
  readonly answerListeners: Array<() => void> = [];
  /** A ringing phone that picks up when told to (uuid_phone_event … talk: SIP NOTIFY Event: talk). */
  pickUp: (() => void) | undefined;
  /**
   * The originate still waiting on this leg (FreeSWITCH's CF_ORIGINATING), told when
   * uuid_bridge, uuid_transfer or uuid_park takes the leg before it has reported.
   */
  originating: { takenOver(): void } | undefined;
  /** Pending far-end timers (a phone's answer or hangup), cancelled at hangup. */
  readonly timers: TimerHandle[] = [];

  constructor(
    readonly host: ChannelHost,
    readonly uuid: string,
    public name: string,
    readonly direction: Direction,
    readonly tech: ChannelTech,
    readonly times: ChannelTimes,
    hitDialplan: boolean,
  ) {
    this.hitDialplan = hitDialplan;
    this.created = times.created;
  }

  get profile(): CallerProfile | undefined {
    return this.currentProfile;
  }

  set profile(p: CallerProfile | undefined) {
    if (this.initialProfile === undefined && p !== undefined) this.initialProfile = { ...p.fields };
    this.currentProfile = p;
  }

  get isDown(): boolean {
    return this.hangupCause !== undefined;
  }

  get answered(): boolean {
    return this.times.answered !== 0;
  }

  nowUs(): number {
    return this.host.nowUs();
  }

  /** Records a time in the caller profile (Caller-Channel-*-Time). */
  markTime(field: keyof ChannelTimes, value = this.host.nowUs()): void {
    this.times[field] = value;
    this.profile?.touch();
  }

  private basicBlock(): HeaderBlock {
    const names = [
      'Channel-State',
      'Channel-Call-State',
      'Channel-State-Number',
      'Channel-Name',
      'Unique-ID',
      'Call-Direction',
      'Presence-Call-Direction',
      'Channel-HIT-Dialplan',
    ];
    const values = [
      this.runningState,
      this.callState,
      String(channelStateNumber(this.targetState)),
      this.name,
      this.uuid,
      this.direction,
      this.direction,
      this.hitDialplan ? 'true' : 'false',
    ];
    const presence = this.vars.get('presence_id');
    if (presence !== undefined) {
      names.push('Channel-Presence-ID');
      values.push(presence);
    }
    names.push('Channel-Call-UUID', 'Answer-State');
    values.push(this.vars.get('call_uuid') ?? this.uuid, this.answerState);
    if (this.hangupCause !== undefined) {
      names.push('Hangup-Cause');
      values.push(this.hangupCause);
    }
    if (this.readCodec !== undefined) {
      names.push('Channel-Read-Codec-Name', 'Channel-Read-Codec-Rate', 'Channel-Read-Codec-Bit-Rate');
      values.push(this.readCodec.name, this.readCodec.rate, this.readCodec.bitRate);
    }
    if (this.writeCodec !== undefined) {
      names.push('Channel-Write-Codec-Name', 'Channel-Write-Codec-Rate', 'Channel-Write-Codec-Bit-Rate');
      values.push(this.writeCodec.name, this.writeCodec.rate, this.writeCodec.bitRate);
    }
    return new HeaderBlock(names, values);
  }

  /** The channel's data as FreeSWITCH puts it in an event, without the event's own headers. */
  dataBlocks(withVariables: boolean): HeaderBlock[] {
    const blocks = [this.basicBlock()];
    if (this.profile !== undefined) blocks.push(this.profile.block('Caller'));
    if (this.other !== undefined) {
      blocks.push(HeaderBlock.of([['Other-Type', this.other.type]]), this.other.profile.block('Other-Leg'));
    }
    if (withVariables) blocks.push(this.vars.block());
    return blocks;
  }

  fire(name: string, origin: EventOrigin, options: FireOptions = {}): void {
    const bus = this.host.bus;
    // Most channel events (CHANNEL_STATE, PRESENCE_IN …) go to no listener of a CTI: they
    // only take their sequence number, without ~150 headers built for nobody.
    if (!bus.wanted(name, options.subclass)) {
      bus.skip();
      return;
    }
    const withVars = options.withVariables ?? (this.verbose || EVENTS_WITH_VARIABLES.has(name));
    const blocks: HeaderBlock[] = [...(options.before ?? [])];
    const data = this.dataBlocks(withVars);
    const vars = withVars ? data.pop() : undefined;
    blocks.push(...data, ...(options.after ?? []));
    if (vars !== undefined) blocks.push(vars);
    bus.fire({
      name,
      ...(options.subclass !== undefined ? { subclass: options.subclass } : {}),
      origin,
      blocks,
      ...(options.body !== undefined ? { body: options.body } : {}),
      uniqueId: this.uuid,
    });
  }

  /** switch_channel_perform_set_running_state: CHANNEL_STATE for every state the session thread enters. */
  enterState(state: ChannelState, target: ChannelState = state): void {
    this.runningState = state;
    this.targetState = target;
    this.fire('CHANNEL_STATE', ORIGIN.state);
  }

  /** Sets the requested state without an event (the number in Channel-State-Number). */
  requestState(state: ChannelState): void {
    this.targetState = state;
  }

  /** switch_channel_perform_set_callstate: CHANNEL_CALLSTATE, no variables. */
  setCallState(state: CallState): void {
    const previous = this.callState;
    if (previous === state) return;
    this.callState = state;
    this.fire('CHANNEL_CALLSTATE', ORIGIN.callstate, {
      before: [
        new HeaderBlock(
          ['Original-Channel-Call-State', 'Channel-Call-State-Number'],
          [previous, String(callStateNumber(state))],
        ),
      ],
    });
  }

  newApplicationUuid(): string {
    return randomUUID();
  }
}
