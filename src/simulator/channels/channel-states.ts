/** FreeSWITCH's channel states, call states and their numbers (switch_types.h). */

export const CHANNEL_STATES = [
  'CS_NEW', 'CS_INIT', 'CS_ROUTING', 'CS_SOFT_EXECUTE', 'CS_EXECUTE', 'CS_EXCHANGE_MEDIA', 'CS_PARK',
  'CS_CONSUME_MEDIA', 'CS_HIBERNATE', 'CS_RESET', 'CS_HANGUP', 'CS_REPORTING', 'CS_DESTROY', 'CS_NONE',
] as const;
export type ChannelState = (typeof CHANNEL_STATES)[number];

export function channelStateNumber(state: ChannelState): number {
  return CHANNEL_STATES.indexOf(state);
}

export const CALL_STATES = ['DOWN', 'DIALING', 'RINGING', 'EARLY', 'ACTIVE', 'HELD', 'RING_WAIT', 'HANGUP', 'UNHELD'] as const;
export type CallState = (typeof CALL_STATES)[number];

export function callStateNumber(state: CallState): number {
  return CALL_STATES.indexOf(state);
}

export type AnswerState = 'ringing' | 'early' | 'answered' | 'hangup';

export type Direction = 'inbound' | 'outbound';
