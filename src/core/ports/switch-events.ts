/**
 * What the core hears from the switch: a discriminated union on `type`. Only what
 * the core needs is mapped; every event names its node, and channel events their
 * uuid and the channel's polylink_* variables (docs/esl-commands.md).
 */

export type NodeId = string;

/** The polylink_* channel variables, set by polylink on originate or by the dialplan on inbound calls. */
export interface PolylinkVars {
  /** polylink_call: the call's relation_uuid. */
  readonly call?: string;
  /** polylink_leg: customer, agent, consult, threeway, monitor, check. */
  readonly leg?: string;
  /** polylink_agent: the agent the leg belongs to. */
  readonly agent?: string;
  /** polylink_access_number: set by the dialplan; marks an inbound call as polylink's. */
  readonly accessNumber?: string;
  readonly queue?: string;
  readonly ivr?: string;
  readonly ivrData?: string;
  readonly dtmf?: string;
}

export type ChannelDirection = 'inbound' | 'outbound';

interface EventBase {
  readonly node: NodeId;
  /** When it happened, ms since the epoch (FreeSWITCH's Event-Date-Timestamp, or our clock for synthetic events). */
  readonly at: number;
}

interface ChannelEventBase extends EventBase {
  readonly uuid: string;
  readonly vars: PolylinkVars;
}

export interface Party {
  readonly direction: ChannelDirection;
  readonly callerNumber: string;
  readonly callerName: string;
  readonly destination: string;
}

export type ChannelCreated = ChannelEventBase & Party & { readonly type: 'channel-created' };
/** CHANNEL_PROGRESS (ringing) or CHANNEL_PROGRESS_MEDIA (early media). */
export type ChannelRinging = ChannelEventBase & { readonly type: 'channel-ringing'; readonly earlyMedia: boolean };
export type ChannelAnswered = ChannelEventBase & { readonly type: 'channel-answered' };
/** An inbound call handed to polylink by the dialplan (polylink_access_number etc. in `vars`). */
export type ChannelParked = ChannelEventBase & Party & { readonly type: 'channel-parked' };
export type ChannelBridged = ChannelEventBase & { readonly type: 'channel-bridged'; readonly otherUuid: string };
export type ChannelUnbridged = ChannelEventBase & { readonly type: 'channel-unbridged'; readonly otherUuid: string };
export type ChannelHeld = ChannelEventBase & { readonly type: 'channel-held' };
export type ChannelUnheld = ChannelEventBase & { readonly type: 'channel-unheld' };
/**
 * The channel is gone (CHANNEL_HANGUP_COMPLETE). Exactly one per channel:
 * `synthetic` when the reconciler found the channel gone without having seen it end.
 */
export type ChannelHangup = ChannelEventBase & { readonly type: 'channel-hangup'; readonly cause: string; readonly synthetic: boolean };
export type Dtmf = ChannelEventBase & { readonly type: 'dtmf'; readonly digit: string };
export type PlaybackStarted = ChannelEventBase & { readonly type: 'playback-started'; readonly path: string };
export type PlaybackStopped = ChannelEventBase & { readonly type: 'playback-stopped'; readonly path: string };
export type RecordStarted = ChannelEventBase & { readonly type: 'record-started'; readonly path: string };
export type RecordStopped = ChannelEventBase & { readonly type: 'record-stopped'; readonly path: string };
export type ConferenceMemberAdded = ChannelEventBase & {
  readonly type: 'conference-member-added';
  readonly conference: string;
  readonly memberId: string;
};
export type ConferenceMemberRemoved = ChannelEventBase & {
  readonly type: 'conference-member-removed';
  readonly conference: string;
  readonly memberId: string;
};
/**
 * An originate polylink sent ended in `-ERR <cause>` (from its BACKGROUND_JOB). For
 * an unregistered user FreeSWITCH creates no channel at all, so this is the only
 * signal; when a channel did exist (USER_BUSY, NO_ANSWER) its channel-hangup comes too.
 */
export type OriginateFailed = ChannelEventBase & { readonly type: 'originate-failed'; readonly cause: string };
/**
 * A channel found on the switch that the core was never told about (after a
 * reconnect, or a restart of polylink), with its state as FreeSWITCH reports it.
 */
export type ChannelAdopted = ChannelEventBase &
  Party & {
    readonly type: 'channel-adopted';
    readonly answered: boolean;
    readonly held: boolean;
    /** Running park and bridged to nothing: waiting for whoever takes it (a customer handed to polylink). */
    readonly parked: boolean;
    readonly otherUuid?: string;
  };

/** A channel a reconcile pass found up, as `show channels` lists it, with its polylink_* variables. */
export interface ListedChannel extends Party {
  readonly uuid: string;
  readonly vars: PolylinkVars;
  readonly answered: boolean;
  /** Its application is park (a channel in a bridge shows uuid_bridge or bridge). */
  readonly parked: boolean;
}

/**
 * The channels carrying polylink_* variables that a reconcile pass found up on a node and
 * that the core had already been told about, still up when the pass ended (channels never
 * announced come as channel-adopted). The core ends or adopts those that belong to none
 * of its calls.
 */
export type ChannelsListed = EventBase & { readonly type: 'channels-listed'; readonly channels: ReadonlyArray<ListedChannel> };
/**
 * A registration changed (CUSTOM sofia::register / unregister / expire). `registered`
 * is the user's state on that node after the change, by the rule of the profile
 * (registration-tracker.ts): with one registration per user an unregister removes it
 * whatever its Call-ID; where a profile allows several, a user with two phones stays
 * registered when one of them unregisters.
 */
export type Registration = EventBase & {
  readonly type: 'registration';
  /** register; unregister (a REGISTER with Expires: 0); expire (it lapsed). */
  readonly change: 'register' | 'unregister' | 'expire';
  readonly user: string;
  readonly realm: string;
  readonly registered: boolean;
  /** The SIP profile it happened on (`profile-name`). */
  readonly profile?: string;
  /** SIP Call-ID of the REGISTER dialog. */
  readonly callId?: string;
  /** The contact's SIP URI. */
  readonly contact?: string;
  /** The user's directory entry says sip-allow-multiple-registrations=false (sofia_reg.c avoid_multi_reg). */
  readonly singleForUser?: boolean;
};
export type NodeUp = EventBase & { readonly type: 'node-up' };
export type NodeDown = EventBase & { readonly type: 'node-down'; readonly reason: string };

export type ChannelEvent =
  | ChannelCreated
  | ChannelRinging
  | ChannelAnswered
  | ChannelParked
  | ChannelBridged
  | ChannelUnbridged
  | ChannelHeld
  | ChannelUnheld
  | ChannelHangup
  | Dtmf
  | PlaybackStarted
  | PlaybackStopped
  | RecordStarted
  | RecordStopped
  | ConferenceMemberAdded
  | ConferenceMemberRemoved
  | OriginateFailed
  | ChannelAdopted;

export type SwitchEvent = ChannelEvent | Registration | NodeUp | NodeDown | ChannelsListed;

export type SwitchEventType = SwitchEvent['type'];
