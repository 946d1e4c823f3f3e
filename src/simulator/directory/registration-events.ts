/**
 * The CUSTOM events of a REGISTER and of a lapsed registration, with the headers of
 * sofia_reg.c: sofia::register_attempt (only for an authenticated REGISTER),
 * sofia::register or sofia::unregister (Expires: 0) from sofia_reg_handle_register_token,
 * sofia::expire from sofia_reg_del_callback. An authenticated REGISTER's events end with
 * what sofia_reg_parse_auth put in v_event: the user's number alias, auth username and
 * realm, and its directory variables (capture k); an unauthenticated one says `unknown`
 * (capture i).
 */
import type { SwitchCore } from '../core/switch-core.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { Registration } from './directory.js';

type Pairs = Array<[string, string]>;

/** One REGISTER as the phone sent it. */
export interface RegisterRequest {
  readonly reg: Registration;
  /** Seconds asked for; 0 unregisters. */
  readonly expires: number;
  /** REGISTERs are challenged and authenticated (auth-calls, as freeswitch-conf/ sets it). */
  readonly authenticated: boolean;
}

/** The Contact header as sofia shows it (capture i: `"" <sip:1007@127.0.0.1:5190>`). */
export function contactHeader(reg: Registration): string {
  return `"" <${reg.contact}>`;
}

/** What sofia_reg_parse_auth adds to v_event for an authenticated user (sofia_reg.c), then its variables. */
function authVariables(reg: Registration): Pairs {
  const { id, domain, variables } = reg.user;
  return [
    ['sip_number_alias', id],
    ['sip_auth_username', id],
    ['sip_auth_realm', domain],
    ['number_alias', id],
    ['user_name', id],
    ['domain_name', domain],
    ...Object.entries(variables),
  ];
}

function fire(core: SwitchCore, subclass: string, origin: (typeof ORIGIN)[keyof typeof ORIGIN], pairs: Pairs): void {
  core.bus.fire({ name: 'CUSTOM', subclass, origin, blocks: [HeaderBlock.of(pairs)] });
}

/** The headers sofia_reg.c gives both register_attempt and register, in its order (presence-hosts only in the latter). */
function registerPairs(reg: Registration, expires: number, username: string, presenceHosts: string | undefined): Pairs {
  const { id, domain } = reg.user;
  return [
    ['profile-name', reg.profile],
    ['from-user', id],
    ['from-host', domain],
    ...(presenceHosts === undefined ? [] : ([['presence-hosts', presenceHosts]] as Pairs)),
    ['contact', contactHeader(reg)],
    ['call-id', reg.callId],
    ['rpid', 'unknown'],
    ['status', 'Registered(UDP)'],
    ['expires', String(expires)],
    ['to-user', id],
    ['to-host', domain],
    ['network-ip', reg.phone.ip],
    ['network-port', String(reg.phone.port)],
    ['username', username],
    ['realm', domain],
    ['user-agent', reg.userAgent],
  ];
}

/** register_attempt (authenticated only), then register or unregister. */
export function fireRegister(core: SwitchCore, request: RegisterRequest, presenceHosts: string): void {
  const { reg, expires, authenticated } = request;
  const { id, domain } = reg.user;
  const username = authenticated ? id : 'unknown';
  if (authenticated) {
    fire(core, 'sofia::register_attempt', ORIGIN.sofiaRegisterAttempt, [...registerPairs(reg, expires, username, undefined), ['auth-result', 'RENEWED']]);
  }
  const learnt = authenticated ? authVariables(reg) : [];
  if (expires === 0) {
    fire(core, 'sofia::unregister', ORIGIN.sofiaUnregister, [
      ['profile-name', reg.profile],
      ['username', username],
      ['from-user', id],
      ['from-host', domain],
      ['contact', contactHeader(reg)],
      ['call-id', reg.callId],
      ['rpid', 'unknown'],
      ['realm', authenticated ? domain : 'unknown'],
      ['network-ip', reg.phone.ip],
      ['network-port', String(reg.phone.port)],
      ['user-agent', reg.userAgent],
      ['expires', '0'],
      ...learnt,
    ]);
    return;
  }
  fire(core, 'sofia::register', ORIGIN.sofiaRegister, [...registerPairs(reg, expires, username, presenceHosts), ...learnt]);
}

/** One lapsed registration (sofia_reg_del_callback fires one per row). */
export function fireExpire(core: SwitchCore, reg: Registration): void {
  fire(core, 'sofia::expire', ORIGIN.sofiaExpire, [
    ['profile-name', reg.profile],
    ['call-id', reg.callId],
    ['user', reg.user.id],
    ['username', reg.user.id],
    ['host', reg.user.domain],
    ['contact', contactHeader(reg)],
    ['expires', String(reg.expiresAt)],
    ['user-agent', reg.userAgent],
    ['realm', reg.user.domain],
    ['network-ip', reg.phone.ip],
    ['network-port', String(reg.phone.port)],
  ]);
}
