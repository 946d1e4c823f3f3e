/**
 * A call arriving at the switch over SIP — a customer through a trunk, or a phone
 * dialling out. Events up to the dialplan as in capture b:
 *
 *   STATE CS_NEW, STATE CS_INIT, CHANNEL_CREATE, CALLSTATE RINGING, STATE CS_ROUTING,
 *   PRESENCE_IN, STATE CS_EXECUTE, then the dialplan's applications.
 *
 * Answering it first sends early media (CHANNEL_PROGRESS_MEDIA, CALLSTATE EARLY), then
 * the 200 OK (CHANNEL_ANSWER, PRESENCE_IN, CALLSTATE ACTIVE); the caller's ACK comes
 * right after.
 */
import { CallerProfile, newTimes } from '../channels/caller-profile.js';
import { Channel } from '../channels/channel.js';
import { markAnswered, markPreAnswered, sofiaCodecEvents } from '../channels/media.js';
import { nextMediaPort, sipTag, ssrc } from '../channels/sip-leg.js';
import { firePresence } from '../core/hangup.js';
import { ORIGIN } from '../events/event-origins.js';
import type { SimContext } from '../core/sim-context.js';
import {
  inboundAckVars,
  inboundAnswerVars,
  inboundInviteVars,
  inboundPreAnswerVars,
  type InboundInvite,
} from './sofia-variables.js';

export interface IncomingCall {
  readonly uuid: string;
  readonly invite: InboundInvite;
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly callId: string;
  readonly fromTag: string;
  readonly remoteMediaPort: number;
  /** The dialplan context the profile sends calls to. */
  readonly context: string;
}

export function receiveCall(sim: SimContext, call: IncomingCall): Channel {
  const core = sim.core;
  const now = core.nowUs();
  const name = `sofia/internal/${call.invite.fromUser}@${call.remoteIp}:${call.remotePort}`;
  const ch = new Channel(core, call.uuid, name, 'inbound', 'sofia', newTimes(now), true);
  ch.sip = {
    profile: 'internal',
    localIp: core.config.sipIp,
    localPort: core.config.sipPort,
    remoteIp: call.remoteIp,
    remotePort: call.remotePort,
    callId: call.callId,
    fromTag: call.fromTag,
    toTag: sipTag(),
    localMediaPort: nextMediaPort(),
    remoteMediaPort: call.remoteMediaPort,
    ssrc: ssrc(),
    cseq: 1,
  };
  core.addChannel(ch);
  const sessionId = core.nextSessionId();
  ch.targetState = 'CS_INIT';
  ch.fire('CHANNEL_STATE', ORIGIN.state);
  ch.vars.setMany(inboundInviteVars(ch, call.invite, sessionId, now));
  const display = call.invite.fromDisplay ?? call.invite.fromUser;
  ch.profile = new CallerProfile(
    {
      direction: 'inbound',
      logicalDirection: 'inbound',
      username: call.invite.fromUser,
      dialplan: 'XML',
      callerIdName: display,
      callerIdNumber: call.invite.fromUser,
      origCallerIdName: display,
      origCallerIdNumber: call.invite.fromUser,
      calleeIdName: '',
      calleeIdNumber: '',
      networkAddr: call.remoteIp,
      ani: call.invite.fromUser,
      destinationNumber: call.invite.toUser,
      uuid: call.uuid,
      source: 'mod_sofia',
      transferSource: '',
      context: call.context,
      rdnis: '',
      channelName: name,
      profileIndex: '1',
    },
    ch.times,
  );
  ch.enterState('CS_INIT', 'CS_ROUTING');
  ch.fire('CHANNEL_CREATE', ORIGIN.create);
  // The session thread is already routing when the call state changes (capture b).
  ch.runningState = 'CS_ROUTING';
  ch.setCallState('RINGING');
  ch.enterState('CS_ROUTING', 'CS_ROUTING');
  firePresence(ch);
  routeCall(sim, ch, call.invite.toUser, call.context);
  return ch;
}

/** Looks the number up and runs what the dialplan says, or fails the call. */
export function routeCall(sim: SimContext, ch: Channel, number: string, context: string): void {
  const route = sim.dialplan.route(number, context);
  if (route === undefined) {
    sim.flows.hangup(ch, 'NO_ROUTE_DESTINATION');
    return;
  }
  if (route.captured !== undefined) ch.vars.set('DP_MATCH', [...route.captured]);
  ch.vars.set('call_uuid', ch.uuid);
  ch.enterState('CS_EXECUTE', 'CS_EXECUTE');
  sim.flows.runActions(ch, route.actions);
}

/** Early media then answer, for an inbound sofia leg (uuid_answer, the answer app). */
export function answerInbound(ch: Channel, sessionId: number): void {
  if (ch.answered || ch.isDown) return;
  if (ch.answerState !== 'early') {
    sofiaCodecEvents(ch);
    ch.vars.setMany(inboundPreAnswerVars(ch));
    markPreAnswered(ch);
  }
  ch.vars.setMany(inboundAnswerVars(ch, sessionId));
  markAnswered(ch);
  firePresence(ch);
  ch.setCallState('ACTIVE');
  for (const l of ch.answerListeners.splice(0)) l();
  // The ACK arrives once the switch is done answering (capture c1: not yet in the
  // CHANNEL_PARK right after the answer, there at the next event).
  queueMicrotask(() => {
    if (!ch.isDown) ch.vars.setMany(inboundAckVars(ch));
  });
}
