/**
 * originate: resolves the endpoint, creates the leg(s), waits for an answer and then
 * runs the application (or routes the extension). Reports once, through `done`, with
 * FreeSWITCH's texts: `+OK <uuid>\n` or `-ERR <CAUSE>\n`. `done` is called at the
 * moment FreeSWITCH would report — after the answer and before the app starts
 * (capture b: BACKGROUND_JOB, then STATE CS_EXECUTE, EXECUTE park, CHANNEL_PARK), or
 * for a failed leg after CHANNEL_HANGUP_COMPLETE and before CHANNEL_DESTROY (capture g).
 */
import { randomUUID } from 'node:crypto';
import type { TimerHandle } from '../../clock.js';
import type { Channel } from '../channels/channel.js';
import type { CalleeBehaviour } from '../behaviour/callee-behaviour.js';
import type { Gateways } from '../behaviour/gateways.js';
import type { SipPhones } from '../behaviour/sip-phones.js';
import type { Directory } from '../directory/directory.js';
import { dialString } from '../directory/directory.js';
import { dialLoopback } from '../endpoints/loopback.js';
import { routeCall } from '../endpoints/sofia-inbound.js';
import { cancelOutbound, dialSofia } from '../endpoints/sofia-outbound.js';
import type { OutboundTarget } from '../endpoints/sofia-variables.js';
import { fireApiEvent } from '../events/api-event.js';
import { ORIGINATE_USAGE, parseOriginate, type ParsedOriginate } from './dial-string.js';
import type { SimContext } from './sim-context.js';

export interface OriginateServices {
  readonly directory: Directory;
  readonly phones: SipPhones;
  readonly gateways: Gateways;
}

export const DEFAULT_ORIGINATE_TIMEOUT_SEC = 60;

type Resolved =
  | { kind: 'fail'; cause: string }
  | {
      kind: 'sofia';
      target: OutboundTarget;
      remoteIp: string;
      remotePort: number;
      destination: string;
      behaviour: CalleeBehaviour;
      contactParams: string;
      allow?: string;
      release?: () => void;
    }
  | { kind: 'loopback'; number: string; context: string | undefined };

export function originate(sim: SimContext, services: OriginateServices, args: string, done: (reply: string) => void): void {
  const parsed = args.trim() === '' ? undefined : parseOriginate(args);
  if (parsed === undefined) {
    done(ORIGINATE_USAGE);
    return;
  }
  const core = sim.core;
  if (core.channels.size >= core.config.maxSessions) {
    done('-ERR SWITCH_CONGESTION\n');
    return;
  }
  const vars = new Map(parsed.vars);
  const uuid = vars.get('origination_uuid') ?? randomUUID();
  if (core.findChannel(uuid) !== undefined) {
    done('-ERR DESTINATION_OUT_OF_ORDER\n');
    return;
  }
  const resolved = resolve(sim, services, parsed.endpoint);
  if (resolved.kind === 'fail') {
    done(`-ERR ${resolved.cause}\n`);
    return;
  }
  const callerIdName = vars.get('origination_caller_id_name') ?? parsed.callerIdName ?? '';
  const callerIdNumber = vars.get('origination_caller_id_number') ?? parsed.callerIdNumber ?? '0000000000';
  const timeoutSec = Number(vars.get('originate_timeout') ?? parsed.timeoutSec ?? DEFAULT_ORIGINATE_TIMEOUT_SEC);

  const watcher = (ch: Channel) => watch(sim, ch, parsed, Number.isFinite(timeoutSec) && timeoutSec > 0 ? timeoutSec : DEFAULT_ORIGINATE_TIMEOUT_SEC, done);
  if (resolved.kind === 'sofia') {
    dialSofia(sim, {
      uuid,
      target: resolved.target,
      remoteIp: resolved.remoteIp,
      remotePort: resolved.remotePort,
      originateVars: parsed.vars,
      callerIdName,
      callerIdNumber,
      destination: resolved.destination,
      behaviour: resolved.behaviour,
      contactParams: resolved.contactParams,
      ...(resolved.allow !== undefined ? { allow: resolved.allow } : {}),
    }, (ch) => {
      if (resolved.release !== undefined) ch.hangupListeners.push(resolved.release);
      watcher(ch);
    });
  } else {
    dialLoopback(
      sim,
      { uuid, number: resolved.number, context: resolved.context, originateVars: parsed.vars, callerIdName, callerIdNumber },
      randomUUID(),
      watcher,
    );
  }
}

/**
 * Waits for the leg like switch_ivr_originate's loop: an answer is reported `+OK` and
 * the application runs; a leg that hangs up first fails the originate with its cause.
 * A leg that uuid_bridge, uuid_transfer or uuid_park takes before the originate has
 * reported is no longer the originate's: check_channel_status counts it as gone (it is
 * CF_TRANSFER / CF_REDIRECT / CF_BRIDGED or lost CF_ORIGINATING), the failure cause
 * defaults to ORIGINATOR_CANCEL, and the leg is left up (switch_ivr_originate.c); the
 * job then says `-ERR ORIGINATOR_CANCEL` of a live channel and the app never runs
 * (mod_commands.c originate_function returns before it). Capture m shows it.
 */
function watch(sim: SimContext, ch: Channel, parsed: ParsedOriginate, timeoutSec: number, done: (reply: string) => void): void {
  const core = sim.core;
  let settled = false;
  let takenOver = false;
  let reportTimer: TimerHandle | undefined;
  const timer = core.after(timeoutSec * 1000, () => {
    if (settled || ch.isDown || ch.answered) return;
    if (ch.tech === 'sofia') cancelOutbound(sim, ch, 'NO_ANSWER');
    else sim.flows.hangup(ch, 'NO_ANSWER');
  });
  ch.timers.push(timer);
  const settle = (reply: string): boolean => {
    if (settled) return false;
    settled = true;
    ch.originating = undefined;
    core.cancel(timer);
    core.cancel(reportTimer);
    done(reply);
    return true;
  };
  const report = (): void => {
    if (ch.isDown) return; // the hangup has reported
    if (takenOver) {
      settle('-ERR ORIGINATOR_CANCEL\n');
      return;
    }
    if (!settle(`+OK ${ch.uuid}\n`)) return;
    if (parsed.app !== undefined) {
      ch.enterState('CS_EXECUTE', 'CS_EXECUTE');
      sim.flows.runActions(ch, [{ app: parsed.app.name, data: parsed.app.data }]);
    } else if (parsed.extension !== undefined) {
      routeCall(sim, ch, parsed.extension.number, parsed.extension.context);
    }
  };
  // The originate looks at its leg `originateReportDelayMs` after the answer or the takeover.
  const notice = (): void => {
    if (settled || reportTimer !== undefined) return;
    const delay = core.originateReportDelayMs;
    if (delay <= 0) report();
    else reportTimer = core.after(delay, report);
  };
  ch.originating = {
    takenOver: () => {
      takenOver = true;
      notice();
    },
  };
  // A leg that ends before it is answered fails the originate with its cause.
  ch.hangupListeners.push((cause) => {
    settle(`-ERR ${cause}\n`);
  });
  ch.answerListeners.push(notice);
}

function resolve(sim: SimContext, services: OriginateServices, endpoint: string): Resolved {
  const slash = endpoint.indexOf('/');
  const tech = slash === -1 ? endpoint : endpoint.slice(0, slash);
  const rest = slash === -1 ? '' : endpoint.slice(slash + 1);
  switch (tech) {
    case 'user':
      return resolveUser(sim, services, rest);
    case 'sofia':
      return resolveSofia(services, rest);
    case 'loopback': {
      const [number = '', context] = rest.split('/');
      if (number === '') return { kind: 'fail', cause: 'INVALID_NUMBER_FORMAT' };
      return { kind: 'loopback', number, context };
    }
    case 'error':
      return { kind: 'fail', cause: rest === '' ? 'NORMAL_CLEARING' : rest.toUpperCase() };
    default:
      return { kind: 'fail', cause: 'CHAN_NOT_IMPLEMENTED' };
  }
}

/** user/<ext>[@<domain>]: the directory, then the registration (capture g: sofia_contact is asked first). */
function resolveUser(sim: SimContext, services: OriginateServices, rest: string): Resolved {
  const [id = '', domain = sim.core.config.domain] = rest.split('@');
  const user = services.directory.user(id);
  if (user === undefined || domain !== user.domain) return { kind: 'fail', cause: 'SUBSCRIBER_ABSENT' };
  fireApiEvent(sim.core, 'sofia_contact', `*/${id}@${domain}`);
  const reg = services.directory.registration(id);
  if (reg === undefined) return { kind: 'fail', cause: 'USER_NOT_REGISTERED' };
  const uri = dialString(reg).replace(/^sofia\/[^/]+\/sip:/, '');
  return {
    kind: 'sofia',
    target: {
      uri,
      gateway: undefined,
      endpointVars: [
        ['dialed_user', id],
        ['dialed_domain', domain],
        ['sip_invite_domain', domain],
        ['presence_id', `${id}@${domain}`],
      ],
      answerVars: Object.entries(user.variables),
    },
    remoteIp: reg.phone.ip,
    remotePort: reg.phone.port,
    destination: id,
    behaviour: reg.phone.behaviour,
    contactParams: reg.phone.contactParams ?? 'transport=UDP',
    ...(reg.phone.allow !== undefined ? { allow: reg.phone.allow } : {}),
  };
}

/** sofia/gateway/<gw>/<number> or sofia/<profile>/[sip:]<user>@<host>[:<port>]. */
function resolveSofia(services: OriginateServices, rest: string): Resolved {
  if (rest.startsWith('gateway/')) {
    const [, name = '', ...numberParts] = rest.split('/');
    const number = numberParts.join('/');
    const gw = services.gateways.get(name);
    if (gw === undefined) return { kind: 'fail', cause: 'INVALID_GATEWAY' };
    if (gw.active >= gw.capacity) return { kind: 'fail', cause: 'NORMAL_CIRCUIT_CONGESTION' };
    gw.active++;
    let released = false;
    const behaviour = gw.behaviourFor(number);
    return {
      kind: 'sofia',
      target: { uri: `${number}@${gw.proxyHost}`, gateway: gw.name, endpointVars: [] },
      remoteIp: gw.proxyHost,
      remotePort: gw.proxyPort,
      destination: number,
      behaviour,
      contactParams: 'transport=UDP',
      ...(gw.allow !== undefined ? { allow: gw.allow } : {}),
      release: () => {
        if (!released) gw.active--;
        released = true;
      },
    };
  }
  const slash = rest.indexOf('/');
  if (slash === -1) return { kind: 'fail', cause: 'INVALID_URL' };
  const uri = rest.slice(slash + 1).replace(/^sips?:/, '');
  const at = uri.indexOf('@');
  const user = at === -1 ? '' : uri.slice(0, at);
  const hostPort = at === -1 ? uri : uri.slice(at + 1);
  const [host = '', port = '5060'] = hostPort.split(':');
  const phone = services.phones.find(host, Number(port));
  // Nothing listens there: the INVITE goes unanswered (capture g: 503, NORMAL_TEMPORARY_FAILURE).
  const behaviour: CalleeBehaviour = phone?.behaviour ?? { kind: 'unreachable' };
  return {
    kind: 'sofia',
    target: { uri, gateway: undefined, endpointVars: [] },
    remoteIp: host,
    remotePort: Number(port),
    destination: user,
    behaviour,
    contactParams: phone?.contactParams ?? 'transport=UDP',
    ...(phone?.allow !== undefined ? { allow: phone.allow } : {}),
  };
}

