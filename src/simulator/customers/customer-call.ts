/**
 * A simulated customer calling in: the INVITE reaches the switch, the dialplan takes
 * it (an access number parks it for polylink). The handle lets a test, the HTTP
 * endpoint or a load generator hang up, press keys and wait for the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Channel } from '../channels/channel.js';
import { nextMediaPort } from '../channels/sip-leg.js';
import type { SimContext } from '../core/sim-context.js';
import { fireDtmf } from '../endpoints/dtmf.js';
import { receiveCall } from '../endpoints/sofia-inbound.js';

export interface PlaceCallOptions {
  /** The caller's number (From user). */
  readonly from: string;
  /** The number dialled: an access number, an IVR, the echo number… */
  readonly to: string;
  /** The caller's display name (From display); default: none, FreeSWITCH shows the number. */
  readonly callerName?: string;
  /** Channel UUID; default: a fresh one. */
  readonly uuid?: string;
  /** Hang up this long after the call was answered. */
  readonly hangupAfterMs?: number;
  /** Hang up this long after calling if nobody has answered yet (an abandoned call). */
  readonly abandonAfterMs?: number;
  /** Press these keys this long after the call was answered. */
  readonly dtmf?: { readonly digits: string; readonly afterMs: number };
  /** The dialplan context; default `default`. */
  readonly context?: string;
  /** How the INVITE looks on the wire (the captures' sipp peers, for replay tests). */
  readonly sip?: {
    readonly ip?: string;
    readonly port?: number;
    readonly toDisplay?: string;
    readonly subject?: string;
    readonly callId?: string;
  };
}

export interface CustomerCall {
  readonly uuid: string;
  readonly channel: Channel;
  /** Resolves with the hangup cause, whoever hung up. */
  readonly ended: Promise<string>;
  /** Resolves when the switch answers the call (uuid_answer, or an IVR). */
  readonly answered: Promise<void>;
  /** The customer hangs up (SIP BYE, or CANCEL before the answer). */
  hangup(): void;
  pressDtmf(digits: string): void;
  readonly isUp: boolean;
}

let nextPort = 30000;

export function placeCall(sim: SimContext, options: PlaceCallOptions): CustomerCall {
  const uuid = options.uuid ?? randomUUID();
  const port = options.sip?.port ?? nextPort++;
  if (nextPort > 60000) nextPort = 30000;
  const ip = options.sip?.ip ?? '127.0.0.1';
  let resolveEnded!: (cause: string) => void;
  let resolveAnswered!: () => void;
  const ended = new Promise<string>((r) => (resolveEnded = r));
  const answered = new Promise<void>((r) => (resolveAnswered = r));
  const core = sim.core;
  const ch = receiveCall(sim, {
    uuid,
    invite: {
      fromUser: options.from,
      fromDisplay: options.callerName,
      toUser: options.to,
      toDisplay: options.sip?.toDisplay,
      subject: options.sip?.subject,
    },
    remoteIp: ip,
    remotePort: port,
    callId: options.sip?.callId ?? `${randomBytes(8).toString('hex')}@${ip}`,
    fromTag: randomBytes(6).toString('hex'),
    remoteMediaPort: nextMediaPort(),
    context: options.context ?? 'default',
  });
  const hangup = () => {
    if (!ch.isDown) sim.flows.hangup(ch, ch.answered ? 'NORMAL_CLEARING' : 'ORIGINATOR_CANCEL', { remote: true });
  };
  if (ch.isDown) {
    resolveEnded(ch.hangupCause ?? 'NORMAL_CLEARING');
  } else {
    ch.hangupListeners.push((cause) => resolveEnded(cause));
    const onAnswer = () => {
      resolveAnswered();
      if (options.hangupAfterMs !== undefined) ch.timers.push(core.after(options.hangupAfterMs, hangup));
      const dtmf = options.dtmf;
      if (dtmf !== undefined) ch.timers.push(core.after(dtmf.afterMs, () => fireDtmf(ch, dtmf.digits)));
    };
    if (ch.answered) onAnswer();
    else ch.answerListeners.push(onAnswer);
    if (options.abandonAfterMs !== undefined) {
      ch.timers.push(core.after(options.abandonAfterMs, () => !ch.answered && hangup()));
    }
  }
  return {
    uuid,
    channel: ch,
    ended,
    answered,
    hangup,
    pressDtmf: (digits) => fireDtmf(ch, digits),
    get isUp() {
      return !ch.isDown;
    },
  };
}
