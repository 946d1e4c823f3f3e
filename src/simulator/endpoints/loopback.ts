/**
 * loopback/<number>[/<context>]: two channels joined back to back. The A leg is the
 * one originated; the B leg runs <number> through the dialplan of <context>. Events in
 * the order of capture h (loopback/8600, answered by its dialplan):
 *
 *   CODEC ×2 A, CHANNEL_OUTGOING A, STATE A CS_INIT, CODEC ×2 B, CHANNEL_CREATE A,
 *   STATE B CS_INIT, CHANNEL_ORIGINATE A, STATE A CS_ROUTING, STATE A CS_CONSUME_MEDIA,
 *   CHANNEL_CREATE B, CALLSTATE B RINGING, STATE B CS_ROUTING, then B's dialplan.
 *
 * B answering answers A first (ANSWER A, CALLSTATE A, ANSWER B, CALLSTATE B); A's
 * caller-id flip (CALL_UPDATE) comes once B's dialplan has moved on.
 */
import type { HeaderValue } from '../events/switch-event.js';
import { CallerProfile, newTimes } from '../channels/caller-profile.js';
import { Channel } from '../channels/channel.js';
import { flipCallerId, loopbackCodecEvents, markAnswered } from '../channels/media.js';
import type { SimContext } from '../core/sim-context.js';
import { ORIGIN } from '../events/event-origins.js';
import { routeCall } from './sofia-inbound.js';

type Vars = Array<readonly [string, HeaderValue]>;

export interface LoopbackDial {
  readonly uuid: string;
  readonly number: string;
  readonly context: string | undefined;
  readonly originateVars: Vars;
  readonly callerIdName: string;
  readonly callerIdNumber: string;
}

function profile(ch: Channel, dial: LoopbackDial, direction: 'inbound' | 'outbound', bUuid: string): CallerProfile {
  return new CallerProfile(
    {
      direction,
      logicalDirection: direction,
      username: '',
      dialplan: 'xml',
      callerIdName: dial.callerIdName,
      callerIdNumber: dial.callerIdNumber,
      origCallerIdName: dial.callerIdName,
      origCallerIdNumber: dial.callerIdNumber,
      calleeIdName: 'Outbound Call',
      calleeIdNumber: dial.number,
      networkAddr: '',
      ani: dial.callerIdNumber,
      destinationNumber: dial.number,
      uuid: bUuid,
      source: 'mod_loopback',
      transferSource: '',
      context: dial.context ?? 'default',
      rdnis: '',
      channelName: ch.name,
      profileIndex: '1',
    },
    ch.times,
  );
}

/** Creates the pair; A's answer listeners fire when B's dialplan answers. `watch` sees A as soon as it exists. */
export function dialLoopback(sim: SimContext, dial: LoopbackDial, bUuid: string, watch: (a: Channel) => void): Channel {
  const core = sim.core;
  const now = core.nowUs();
  const baseName = `loopback/${dial.number}`;
  const firstName = dial.context !== undefined ? `${baseName}/${dial.context}-a` : `${baseName}-a`;
  const a = new Channel(core, dial.uuid, firstName, 'outbound', 'loopback', newTimes(now), true);
  a.runningState = 'CS_NONE';
  a.targetState = 'CS_INIT';
  const b = new Channel(core, bUuid, `${baseName}-b`, 'inbound', 'loopback', newTimes(now), true);
  b.runningState = 'CS_NONE';
  b.targetState = 'CS_INIT';
  a.loopbackPeer = b;
  b.loopbackPeer = a;
  core.addChannel(a);
  core.addChannel(b);
  watch(a);
  const aSession = core.nextSessionId();
  const bSession = core.nextSessionId();

  loopbackCodecEvents(a);
  a.name = `${baseName}-a`;
  a.profile = profile(a, dial, 'outbound', a.uuid);
  a.fire('CHANNEL_OUTGOING', ORIGIN.outgoing);
  a.enterState('CS_INIT', 'CS_ROUTING');
  loopbackCodecEvents(b);
  a.vars.setMany([
    ['direction', 'outbound'],
    ['is_outbound', 'true'],
    ['uuid', a.uuid],
    ['call_uuid', a.uuid],
    ['session_id', String(aSession)],
    ['read_codec', 'L16'],
    ['read_rate', '8000'],
    ['write_codec', 'L16'],
    ['write_rate', '8000'],
    ['channel_name', a.name],
    ...dial.originateVars,
    ['originate_early_media', 'true'],
    ['originate_endpoint', 'loopback'],
    ['other_loopback_leg_uuid', b.uuid],
    ['loopback_leg', 'A'],
  ]);
  a.fire('CHANNEL_CREATE', ORIGIN.create);
  b.profile = profile(b, dial, 'inbound', b.uuid);
  b.enterState('CS_INIT', 'CS_ROUTING');
  a.fire('CHANNEL_ORIGINATE', ORIGIN.originate);
  a.enterState('CS_ROUTING', 'CS_CONSUME_MEDIA');
  a.enterState('CS_CONSUME_MEDIA', 'CS_CONSUME_MEDIA');
  b.vars.setMany([
    ['direction', 'inbound'],
    ['uuid', b.uuid],
    ['call_uuid', b.uuid],
    ['session_id', String(bSession)],
    ['channel_name', b.name],
    ['read_codec', 'L16'],
    ['read_rate', '8000'],
    ['write_codec', 'L16'],
    ['write_rate', '8000'],
    ['other_loopback_leg_uuid', a.uuid],
    ['loopback_leg', 'B'],
    // The originate's variables reach the B leg too (capture g: originate_timeout on loopback-b).
    ...dial.originateVars,
  ]);
  b.fire('CHANNEL_CREATE', ORIGIN.create);
  b.runningState = 'CS_ROUTING';
  b.setCallState('RINGING');
  b.enterState('CS_ROUTING', 'CS_EXECUTE');
  routeCall(sim, b, dial.number, dial.context ?? 'default');
  return a;
}

/** B answers: A is answered first, then B; A flips its caller id once B's dialplan has moved on. */
export function answerLoopbackB(b: Channel): void {
  const a = b.loopbackPeer;
  if (a !== undefined && !a.answered && !a.isDown) {
    markAnswered(a);
    a.setCallState('ACTIVE');
  }
  markAnswered(b);
  b.setCallState('ACTIVE');
  b.vars.set('endpoint_disposition', 'ANSWER');
  if (a !== undefined) {
    queueMicrotask(() => {
      if (a.isDown) return;
      flipCallerId(a);
      for (const l of a.answerListeners.splice(0)) l();
    });
  }
}

/** Answering the A leg (uuid_answer on it) answers both sides the same way. */
export function answerLoopbackA(a: Channel): void {
  const b = a.loopbackPeer;
  if (b !== undefined && !b.answered) answerLoopbackB(b);
}
