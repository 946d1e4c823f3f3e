/**
 * The events polylink subscribes to (docs/esl-commands.md, "Connection"). Subclasses
 * go after CUSTOM, which commands.subscribe() puts last.
 */
export const SUBSCRIBED_EVENTS: ReadonlyArray<string> = [
  'CHANNEL_CREATE',
  'CHANNEL_PROGRESS',
  'CHANNEL_PROGRESS_MEDIA',
  'CHANNEL_ANSWER',
  'CHANNEL_PARK',
  'CHANNEL_UNPARK',
  'CHANNEL_BRIDGE',
  'CHANNEL_UNBRIDGE',
  'CHANNEL_HOLD',
  'CHANNEL_UNHOLD',
  'CHANNEL_CALLSTATE',
  'CHANNEL_HANGUP',
  'CHANNEL_HANGUP_COMPLETE',
  'BACKGROUND_JOB',
  'PLAYBACK_START',
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
