/** What the call core needs of the ACD (src/core/queues/), to keep the two apart. */
import type { CoreEffect } from '../effects.js';
import type { Call } from './call-model.js';

export type OfferFailure = 'refused' | 'unreachable' | 'withdrawn';

export interface QueueHooks {
  /** Where an agent goes that let an offered call ring out (acd.noAnswerStatus). */
  readonly noAnswerStatus: number;
  /** Puts the call's customer in a queue (arrival, transfer to a queue, a failed offer). */
  enqueue(call: Call, queueNum: string, now: number, options?: { front?: boolean }): CoreEffect[];
  /** The customer of a queued (or being offered) call hung up. */
  customerLeft(call: Call, now: number): CoreEffect[];
  /**
   * An agent did not take an offered call: the customer goes back to the head of its queue.
   * `why`: the agent let it ring or refused it; its phone or the switch could not be reached
   * (the agent is not offered calls for a while, and nothing counts against it); or the
   * offer was taken back because the agent signed out.
   */
  offerFailed(call: Call, agentId: string | undefined, why: OfferFailure, now: number): CoreEffect[];
  /**
   * An offered leg answered. `won` false: another agent answered first (ring-all), this
   * leg is dropped. `effects`: what taking the customer out of its queue means.
   */
  offerAnswered(call: Call, legUuid: string, now: number): { won: boolean; effects: CoreEffect[] };
  /**
   * The customer's offer rings another leg now: a supervisor took it (rop) and the legs
   * that rang for it are being cancelled. The customer keeps its place, still ringing.
   */
  offerMoved(call: Call, legUuid: string): void;
  /** A playback on the customer's leg finished (position announcement → music). */
  playbackStopped(call: Call, path: string, now: number): CoreEffect[];
}
