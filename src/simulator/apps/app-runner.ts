/**
 * Runs applications on a channel the way switch_core_session_exec does: set
 * current_application(_data), CHANNEL_EXECUTE, run, CHANNEL_EXECUTE_COMPLETE with the
 * app's response, then the next action of the channel's list. An app that keeps the
 * channel (park, playback, echo, conference…) completes later; when the channel is
 * taken over (bridge, transfer) the rest of its list is dropped, and when the list
 * runs out the channel hangs up NORMAL_CLEARING, as at the end of a dialplan.
 */
import type { Channel, RunningApp } from '../channels/channel.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { DialplanAction, SimContext } from '../core/sim-context.js';

export interface AppRun {
  readonly sim: SimContext;
  readonly ch: Channel;
  readonly data: string;
  /** Ends the app: CHANNEL_EXECUTE_COMPLETE, then the next action (unless the channel was taken over). */
  complete(response?: string): void;
  /** Registers what is running so that bridge / transfer / hangup can stop it. */
  hold(control: { interrupt(reason: 'hangup' | 'takeover'): void }): void;
}

export type AppHandler = (run: AppRun) => void;

export interface AppDefinition {
  readonly run: AppHandler;
  /** Variables the core sets before CHANNEL_EXECUTE (playback's loop counters: capture c2). */
  readonly prepare?: (ch: Channel) => void;
}

export class AppRegistry {
  private readonly apps = new Map<string, AppDefinition>();

  register(name: string, run: AppHandler, prepare?: (ch: Channel) => void): void {
    this.apps.set(name, prepare === undefined ? { run } : { run, prepare });
  }

  get(name: string): AppDefinition | undefined {
    return this.apps.get(name);
  }
}

/** Per channel: what is left of its action list. */
const queues = new WeakMap<Channel, DialplanAction[]>();

export function runActions(sim: SimContext, registry: AppRegistry, ch: Channel, actions: readonly DialplanAction[]): void {
  queues.set(ch, [...actions]);
  next(sim, registry, ch);
}

/** Drops whatever the channel still had to run (bridge, transfer took it). */
export function dropActions(ch: Channel): void {
  queues.delete(ch);
}

function next(sim: SimContext, registry: AppRegistry, ch: Channel): void {
  if (ch.isDown) return;
  const queue = queues.get(ch);
  let action = queue?.shift();
  while (action?.when !== undefined && (ch.vars.get(action.when.variable) ?? '') !== action.when.equals) {
    action = queue?.shift();
  }
  if (action === undefined) {
    if (queue !== undefined) {
      queues.delete(ch);
      sim.flows.hangup(ch, 'NORMAL_CLEARING');
    }
    return;
  }
  execute(sim, registry, ch, action.app, expand(ch, action.data ?? ''), { withUuid: true, overlay: false });
}

/** `${name}` in application data, as switch_channel_expand_variables does: variables, then the caller profile. */
export function expand(ch: Channel, data: string): string {
  if (!data.includes('${')) return data;
  const p = ch.profile?.fields;
  const profile: Record<string, string | undefined> = {
    destination_number: p?.destinationNumber,
    caller_id_number: p?.callerIdNumber,
    caller_id_name: p?.callerIdName,
    ani: p?.ani,
    context: p?.context,
    uuid: ch.uuid,
  };
  return data.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => ch.vars.get(name) ?? profile[name] ?? '');
}

export interface ExecuteOptions {
  /** False for the pseudo-apps the core announces itself (uuid_bridge: capture b has no Application-UUID on those). */
  readonly withUuid: boolean;
  /**
   * True for an app run on top of what the channel is doing (uuid_broadcast on a
   * parked or bridged leg): it neither replaces the running app nor moves the list on.
   */
  readonly overlay: boolean;
}

/** Executes one application on the channel. */
export function execute(
  sim: SimContext,
  registry: AppRegistry,
  ch: Channel,
  name: string,
  data: string,
  options: ExecuteOptions,
): void {
  const app = registry.get(name);
  if (app === undefined) {
    sim.core.log.warn({ uuid: ch.uuid, app: name }, 'unknown application');
    next(sim, registry, ch);
    return;
  }
  const applicationUuid = options.withUuid ? ch.newApplicationUuid() : undefined;
  // The previous app's response goes when the next app starts (captures c1, c2).
  ch.vars.delete('current_application_response');
  app.prepare?.(ch);
  ch.vars.set('current_application', name);
  ch.vars.set('current_application_data', data);
  ch.lastApp = { name, data };
  const appHeaders = (response: string | undefined) => {
    const names = ['Application'];
    const values = [name];
    if (data !== '') {
      names.push('Application-Data');
      values.push(data);
    }
    if (response !== undefined) {
      names.push('Application-Response');
      values.push(response);
    }
    if (applicationUuid !== undefined) {
      names.push('Application-UUID');
      values.push(applicationUuid);
    }
    return new HeaderBlock(names, values);
  };
  ch.fire('CHANNEL_EXECUTE', ORIGIN.execute, { after: [appHeaders(undefined)] });
  let done = false;
  let takenOver = false;
  const running: RunningApp = {
    name,
    data,
    applicationUuid,
    interrupt(reason) {
      takenOver = reason === 'takeover';
      control?.interrupt(reason);
    },
  };
  let control: { interrupt(reason: 'hangup' | 'takeover'): void } | undefined;
  const run: AppRun = {
    sim,
    ch,
    data,
    complete(response = '_none_') {
      if (done) return;
      done = true;
      if (ch.app === running) ch.app = undefined;
      ch.fire('CHANNEL_EXECUTE_COMPLETE', ORIGIN.executeComplete, { after: [appHeaders(response)] });
      if (!takenOver && !options.overlay) next(sim, registry, ch);
    },
    hold(c) {
      control = c;
      if (!options.overlay) ch.app = running;
    },
  };
  app.run(run);
}
