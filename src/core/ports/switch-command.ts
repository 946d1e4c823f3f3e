/**
 * What the core asks of the switch, as data: one variant per switch-port operation.
 * The engine runs it on the SwitchPort and, when the command carries a `ref`, hands
 * the result back to the core (so the core learns that an originate was refused, or
 * that a mute took effect, without ever awaiting anything itself).
 */
import type {
  EavesdropMode,
  FollowedChannel,
  OriginateRequest,
  PlaybackLegs,
  PlaybackSource,
  SwitchResult,
  TransferRequest,
} from './switch-port.js';

export type SwitchCommand =
  | { readonly op: 'originate'; readonly request: OriginateRequest & { readonly uuid: string } }
  | { readonly op: 'answer' | 'hold' | 'unhold' | 'mute' | 'unmute' | 'park' | 'stopPlayback' | 'phoneTalk'; readonly uuid: string }
  | { readonly op: 'bridge'; readonly uuid: string; readonly otherUuid: string }
  | { readonly op: 'transfer'; readonly uuid: string; readonly request: TransferRequest }
  | { readonly op: 'playback'; readonly uuid: string; readonly source: PlaybackSource; readonly legs?: PlaybackLegs }
  | { readonly op: 'recordStart' | 'recordStop'; readonly uuid: string; readonly path: string }
  | { readonly op: 'threeWay'; readonly uuid: string; readonly conference: string }
  | { readonly op: 'kickConferenceMember'; readonly conference: string; readonly memberId: string }
  | { readonly op: 'kill'; readonly uuid: string; readonly cause?: string }
  | { readonly op: 'setEavesdropMode'; readonly uuid: string; readonly mode: EavesdropMode }
  | { readonly op: 'setVariable'; readonly uuid: string; readonly name: string; readonly value: string }
  | { readonly op: 'follow'; readonly channels: readonly FollowedChannel[] };

/** Names what a command was for, so its result finds its way back. */
export interface SwitchRef {
  readonly callId: string;
  /** What the command was doing: 'dialer-leg', 'customer-leg', 'mute', … */
  readonly step: string;
  /** The leg an originate creates. */
  readonly legUuid?: string;
  /** The agent who asked, when a failure must be reported to it (ServerResponse). */
  readonly agentId?: string;
  /** The cmdType the agent sent, for the ServerResponse. */
  readonly cmdType?: string;
}

export type SwitchOutcome = SwitchResult<unknown>;
