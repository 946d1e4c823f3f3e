/**
 * A leg the switch originates over SIP (sofia/internal/sip:…, user/<ext>,
 * sofia/gateway/<gw>/<number>) and how the simulated far end answers it. Events in
 * the order of capture b (answered after ringing) and g (busy, unanswered,
 * unreachable):
 *
 *   CHANNEL_OUTGOING, STATE CS_INIT, CHANNEL_CREATE, CHANNEL_ORIGINATE, STATE
 *   CS_ROUTING, STATE CS_CONSUME_MEDIA, CHANNEL_PROGRESS + CALLSTATE RINGING (180),
 *   CODEC ×2, CHANNEL_ANSWER, CALLSTATE ACTIVE, CALL_UPDATE (200 OK).
 */
import type { HeaderValue } from '../events/switch-event.js';
import { CallerProfile, newTimes } from '../channels/caller-profile.js';
import { Channel } from '../channels/channel.js';
import { sipStatusFor, q850 } from '../channels/hangup-causes.js';
import { flipCallerId, markAnswered, markRingReady, sofiaCodecEvents } from '../channels/media.js';
import { nextMediaPort, phoneSdp, sipCallId, sipTag, ssrc } from '../channels/sip-leg.js';
import type { CalleeBehaviour } from '../behaviour/callee-behaviour.js';
import { answerDelay, refusalCause } from '../behaviour/callee-behaviour.js';
import type { SimContext } from '../core/sim-context.js';
import { ORIGIN } from '../events/event-origins.js';
import { fireDtmf } from './dtmf.js';
import {
  outboundAnswerVars,
  outboundCreateVars,
  outboundReplyVars,
  type OutboundTarget,
} from './sofia-variables.js';

type Vars = Array<readonly [string, HeaderValue]>;

export interface SofiaDial {
  readonly uuid: string;
  readonly target: OutboundTarget;
  /** Where the far end is. */
  readonly remoteIp: string;
  readonly remotePort: number;
  /** Variables of the originate's {…}, in order. */
  readonly originateVars: Vars;
  readonly callerIdName: string;
  readonly callerIdNumber: string;
  /** The user part dialled (Caller-Destination-Number). */
  readonly destination: string;
  readonly behaviour: CalleeBehaviour;
  /** Parameters of the far end's Contact (sipp's answering scenario sent `transport=UDP`, its ringing one none). */
  readonly contactParams: string;
  /** The Allow header of the far end's 200 OK, if it sends one. */
  readonly allow?: string;
}

/**
 * Creates the leg and lets the far end play its part. `watch` is called as soon as the
 * channel exists, so the originate hears a refusal that comes at once (capture g: busy).
 */
export function dialSofia(sim: SimContext, dial: SofiaDial, watch: (ch: Channel) => void): Channel {
  const core = sim.core;
  const now = core.nowUs();
  const name = `sofia/internal/${dial.target.uri}`;
  const ch = new Channel(core, dial.uuid, name, 'outbound', 'sofia', newTimes(now), false);
  ch.runningState = 'CS_NONE';
  ch.targetState = 'CS_INIT';
  ch.sip = {
    profile: 'internal',
    localIp: core.config.sipIp,
    localPort: core.config.sipPort,
    remoteIp: dial.remoteIp,
    remotePort: dial.remotePort,
    callId: sipCallId(),
    fromTag: sipTag(),
    toTag: sipTag(),
    localMediaPort: nextMediaPort(),
    remoteMediaPort: nextMediaPort(),
    ssrc: ssrc(),
    cseq: 100000000 + Math.floor(Math.random() * 1e8),
  };
  ch.profile = new CallerProfile(
    {
      direction: 'outbound',
      logicalDirection: 'outbound',
      username: '',
      dialplan: '',
      callerIdName: dial.callerIdName,
      callerIdNumber: dial.callerIdNumber,
      origCallerIdName: dial.callerIdName,
      origCallerIdNumber: dial.callerIdNumber,
      calleeIdName: 'Outbound Call',
      calleeIdNumber: dial.destination,
      networkAddr: '',
      ani: dial.callerIdNumber,
      destinationNumber: dial.destination,
      uuid: dial.uuid,
      source: 'src/switch_ivr_originate.c',
      transferSource: '',
      context: 'default',
      rdnis: '',
      channelName: name,
      profileIndex: '1',
    },
    ch.times,
  );
  core.addChannel(ch);
  watch(ch);
  const sessionId = core.nextSessionId();
  ch.fire('CHANNEL_OUTGOING', ORIGIN.outgoing);
  ch.enterState('CS_INIT', 'CS_ROUTING');
  ch.vars.setMany(outboundCreateVars(ch, dial.target, dial.originateVars, sessionId));
  ch.fire('CHANNEL_CREATE', ORIGIN.create);
  ch.fire('CHANNEL_ORIGINATE', ORIGIN.originate);
  ch.enterState('CS_ROUTING', 'CS_CONSUME_MEDIA');
  ch.enterState('CS_CONSUME_MEDIA', 'CS_CONSUME_MEDIA');
  farEndAnswers(sim, ch, dial);
  return ch;
}

function ring(ch: Channel, dial: SofiaDial): void {
  ch.vars.setMany(outboundReplyVars(ch, dial.target, dial.callerIdName, dial.callerIdNumber, dial.contactParams));
  ch.profile?.update({ networkAddr: ch.sip!.remoteIp });
  markRingReady(ch);
}

function farEndAnswers(sim: SimContext, ch: Channel, dial: SofiaDial): void {
  const core = sim.core;
  const b = dial.behaviour;
  const later = (ms: number, fn: () => void) => ch.timers.push(core.after(ms, fn));
  // A ringing phone answers when the CTI tells it to (agents' phones supporting NOTIFY talk).
  const pickUp = (): void => {
    ch.pickUp = undefined;
    answerOutbound(sim, ch, dial, b.kind === 'answer' ? b : { kind: 'answer' });
  };
  switch (b.kind) {
    case 'answer':
      ring(ch, dial);
      ch.pickUp = pickUp;
      later(answerDelay(b), () => {
        if (ch.pickUp !== undefined) pickUp();
      });
      return;
    case 'no-answer':
      ring(ch, dial);
      ch.pickUp = pickUp;
      return;
    default: {
      const cause = refusalCause(b)!;
      const afterMs = 'afterMs' in b ? (b.afterMs ?? 0) : 0;
      if (afterMs > 0) {
        ring(ch, dial);
        later(afterMs, () => refuse(sim, ch, cause, true));
      } else {
        refuse(sim, ch, cause, false);
      }
    }
  }
}

/** The far end's final refusal (486, 603, 503) or no answer at all (capture g). */
function refuse(sim: SimContext, ch: Channel, cause: string, rang: boolean): void {
  const sip = ch.sip!;
  const { status, phrase } = sipStatusFor(cause);
  const vars: Vars = [];
  if (!rang) {
    // The final response is the first word from the far end (capture g: 486 without a 180).
    if (cause !== 'NORMAL_TEMPORARY_FAILURE') ch.profile?.update({ networkAddr: sip.remoteIp });
    vars.push(['sip_call_id', sip.callId]);
    if (cause !== 'NORMAL_TEMPORARY_FAILURE') {
      vars.push(['sip_reply_host', sip.remoteIp], ['sip_reply_port', String(sip.remotePort)], ['sip_network_ip', sip.remoteIp]);
    } else {
      vars.push(['sip_reply_port', String(sip.remotePort)]);
    }
    vars.push(['sip_network_port', String(sip.remotePort)]);
  }
  vars.push(
    ['sip_hangup_disposition', 'recv_refuse'],
    ['sip_invite_failure_status', String(status)],
    ['sip_invite_failure_phrase', phrase],
    ['sip_term_status', String(status)],
    ['proto_specific_hangup_cause', `sip:${status}`],
    ['sip_term_cause', String(q850(cause))],
  );
  ch.vars.setMany(vars);
  sim.flows.hangup(ch, cause);
}

/** The originate gave up waiting: CANCEL, the phone answers 487 (capture g, NO_ANSWER). */
export function cancelOutbound(sim: SimContext, ch: Channel, cause: string): void {
  sim.flows.hangup(ch, cause, { lateVars: cancelVars(ch) });
}

/** What sofia records when it CANCELs the INVITE of a leg that has not answered: the 487 if it was ringing. */
export function cancelVars(ch: Channel): Array<[string, string]> {
  const rang = ch.times.progress !== 0;
  return rang
    ? [
        ['sip_hangup_disposition', 'send_cancel'],
        ['sip_invite_failure_status', '487'],
        ['sip_invite_failure_phrase', 'Request Terminated'],
      ]
    : [['sip_hangup_disposition', 'send_cancel']];
}

function answerOutbound(sim: SimContext, ch: Channel, dial: SofiaDial, b: Extract<CalleeBehaviour, { kind: 'answer' }>): void {
  if (ch.isDown) return;
  sofiaCodecEvents(ch);
  ch.vars.setMany(outboundAnswerVars(ch));
  if (dial.allow !== undefined) ch.vars.set('sip_allow', dial.allow);
  // A partner bonded before the answer (uuid_bridge took the ringing leg: capture m) gets the
  // far end's SDP as switch_m_sdp (sofia.c sofia_handle_sip_i_state → switch_channel_pass_sdp).
  const bonded = sim.core.findChannel(ch.vars.get('signal_bond') ?? '');
  if (bonded !== undefined && !bonded.isDown) bonded.vars.setIfAbsent('switch_m_sdp', phoneSdp(ch.sip!.remoteIp, ch.sip!.remoteMediaPort));
  markAnswered(ch);
  ch.setCallState('ACTIVE');
  if (dial.target.answerVars !== undefined) ch.vars.setMany(dial.target.answerVars);
  flipCallerId(ch);
  for (const l of ch.answerListeners.splice(0)) l();
  const core = sim.core;
  if (b.hangupAfterMs !== undefined) {
    ch.timers.push(core.after(b.hangupAfterMs, () => sim.flows.hangup(ch, 'NORMAL_CLEARING', { remote: true })));
  }
  if (b.dtmf !== undefined) {
    const dtmf = b.dtmf;
    ch.timers.push(core.after(dtmf.afterMs, () => fireDtmf(ch, dtmf.digits)));
  }
}
