/** The CallFlows the apps and commands use, dispatching on the channel's technology. */
import { AppRegistry, runActions } from '../apps/app-runner.js';
import { answerApp, hangupApp, logApp, setApp, sleepApp } from '../apps/basic-apps.js';
import { conferenceApp } from '../apps/conference-app.js';
import { eavesdropApp, threeWayApp } from '../apps/eavesdrop.js';
import { echoApp } from '../apps/echo.js';
import { interceptApp } from '../apps/intercept.js';
import { parkApp } from '../apps/park.js';
import { playAndGetDigitsApp } from '../apps/play-and-get-digits.js';
import { playbackApp, preparePlayback } from '../apps/playback.js';
import type { Channel } from '../channels/channel.js';
import type { Conferences } from '../conference/conference.js';
import { answerLoopbackA, answerLoopbackB } from '../endpoints/loopback.js';
import { answerInbound } from '../endpoints/sofia-inbound.js';
import { hangup } from './hangup.js';
import type { CallFlows, DialplanAction, HangupOptions, SimContext } from './sim-context.js';

export function createApps(conferences: Conferences): AppRegistry {
  const apps = new AppRegistry();
  apps.register('park', parkApp);
  apps.register('set', setApp);
  apps.register('export', setApp);
  apps.register('answer', answerApp);
  apps.register('hangup', hangupApp);
  apps.register('sleep', sleepApp);
  apps.register('log', logApp);
  apps.register('playback', playbackApp, preparePlayback);
  apps.register('play_and_get_digits', playAndGetDigitsApp);
  apps.register('echo', echoApp);
  apps.register('eavesdrop', eavesdropApp);
  apps.register('three_way', threeWayApp);
  apps.register('intercept', interceptApp);
  apps.register('conference', conferenceApp(conferences));
  return apps;
}

export class Flows implements CallFlows {
  /** Set once the context exists (the context holds the flows). */
  sim!: SimContext;

  constructor(private readonly apps: AppRegistry) {}

  hangup(ch: Channel, cause: string, options?: HangupOptions): void {
    hangup(this.sim, ch, cause, options);
  }

  runActions(ch: Channel, actions: readonly DialplanAction[]): void {
    runActions(this.sim, this.apps, ch, actions);
  }

  answer(ch: Channel): void {
    if (ch.answered || ch.isDown) return;
    if (ch.tech === 'loopback') {
      if (ch.direction === 'inbound') answerLoopbackB(ch);
      else answerLoopbackA(ch);
      return;
    }
    // An originated SIP leg is answered by its far end, not by the switch.
    if (ch.direction === 'inbound') answerInbound(ch, Number(ch.vars.get('session_id') ?? '1'));
  }
}
