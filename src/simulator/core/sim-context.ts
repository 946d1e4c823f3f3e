/**
 * The services a call flow may use, as interfaces so that flows, apps and commands
 * depend on what they need and not on each other's modules. SwitchSimulator wires
 * the implementations together.
 */
import type { Channel } from '../channels/channel.js';
import type { SwitchCore } from './switch-core.js';

/** One dialplan step: an application and its argument, as in `<action application="set" data="…"/>`. */
export interface DialplanAction {
  readonly app: string;
  readonly data?: string;
  /**
   * Run only if the channel variable has this value when the step is reached (''
   * matches an unset variable): how an IVR's digit picks the queue, as a dialplan
   * condition would. A skipped step fires nothing.
   */
  readonly when?: { readonly variable: string; readonly equals: string };
}

export interface DialplanRoute {
  readonly actions: readonly DialplanAction[];
  /**
   * What the condition's regex captured, when it captures (a pattern like 86xx is
   * `^(86\d\d)$`): FreeSWITCH keeps it as DP_MATCH. An exact number captures nothing.
   */
  readonly captured: readonly string[] | undefined;
}

export interface DialplanLookup {
  /** The route for a number in a context; undefined = no route (NO_ROUTE_DESTINATION). */
  route(number: string, context: string): DialplanRoute | undefined;
  hasContext(context: string): boolean;
}

export interface HangupOptions {
  /** The far end hung up (SIP BYE/CANCEL) rather than the switch. */
  readonly remote?: boolean;
  /** Variables the tech sets after CHANNEL_HANGUP, seen first in CHANNEL_HANGUP_COMPLETE (a CANCELled INVITE's 487: capture g). */
  readonly lateVars?: ReadonlyArray<readonly [string, string]>;
}

export interface CallFlows {
  hangup(ch: Channel, cause: string, options?: HangupOptions): void;
  /** Runs the actions one after another on the channel (dialplan, or the app of an originate). */
  runActions(ch: Channel, actions: readonly DialplanAction[]): void;
  /** Answers the channel (pre-answer first when the tech needs it). */
  answer(ch: Channel): void;
}

export interface SimContext {
  readonly core: SwitchCore;
  readonly dialplan: DialplanLookup;
  readonly flows: CallFlows;
}
