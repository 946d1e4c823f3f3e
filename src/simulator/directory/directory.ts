/**
 * The user directory (extensions) and their registrations. A registration binds the
 * user to a simulated phone at an address; `user/<ext>` reaches that phone. Register,
 * unregister and expiry fire CUSTOM sofia::register / sofia::unregister / sofia::expire
 * with the headers of sofia_reg.c (register: capture i).
 */
import { randomBytes } from 'node:crypto';
import type { TimerHandle } from '../../clock.js';
import type { SwitchCore } from '../core/switch-core.js';
import type { EventOrigin } from '../events/event-origins.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';
import type { SimPhone } from '../behaviour/sip-phones.js';

export interface DirectoryUser {
  readonly id: string;
  readonly domain: string;
  /** Variables a real directory entry may carry (effective_caller_id_name…); informational. */
  readonly variables: Readonly<Record<string, string>>;
}

export interface Registration {
  readonly user: DirectoryUser;
  readonly phone: SimPhone;
  readonly callId: string;
  readonly userAgent: string;
  /** Seconds asked for. */
  readonly expires: number;
  /** Epoch seconds when it lapses (the registrations table's `expires`). */
  readonly expiresAt: number;
  readonly profile: string;
}

export class Directory {
  private readonly users = new Map<string, DirectoryUser>();
  private readonly registrations = new Map<string, Registration>();
  private readonly expiryTimers = new Map<string, TimerHandle>();

  constructor(private readonly core: SwitchCore) {}

  /** Adds a user; without variables it gets those of FreeSWITCH's sample directory (capture i). */
  addUser(id: string, variables?: Record<string, string>): DirectoryUser {
    const user = { id, domain: this.core.config.domain, variables: variables ?? sampleUserVariables(id) };
    this.users.set(id, user);
    return user;
  }

  removeUser(id: string): void {
    this.unregister(id);
    this.users.delete(id);
  }

  user(id: string): DirectoryUser | undefined {
    return this.users.get(id);
  }

  registration(id: string): Registration | undefined {
    return this.registrations.get(id);
  }

  allRegistrations(): Registration[] {
    return [...this.registrations.values()];
  }

  /** A REGISTER from the user's phone: 200 OK and sofia::register. */
  register(id: string, phone: SimPhone, options: { userAgent?: string; expires?: number } = {}): Registration {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`no user ${id} in the directory`);
    const previous = this.registrations.get(id);
    const expires = options.expires ?? 3600;
    const reg: Registration = {
      user,
      phone,
      callId: previous?.callId ?? `${randomBytes(6).toString('hex')}@${phone.ip}`,
      userAgent: options.userAgent ?? 'polylink-sim-phone',
      expires,
      expiresAt: Math.floor(this.core.clock.now() / 1000) + expires,
      profile: 'internal',
    };
    this.registrations.set(id, reg);
    this.core.cancel(this.expiryTimers.get(id));
    this.expiryTimers.set(
      id,
      this.core.after(expires * 1000, () => this.expire(id)),
    );
    this.fire('sofia::register', ORIGIN.sofiaRegister, [
      ['profile-name', reg.profile],
      ['from-user', id],
      ['from-host', user.domain],
      ['presence-hosts', `${user.domain},${user.domain}`],
      ['contact', contact(reg)],
      ['call-id', reg.callId],
      ['rpid', 'unknown'],
      ['status', 'Registered(UDP)'],
      ['expires', String(expires)],
      ['to-user', id],
      ['to-host', user.domain],
      ['network-ip', phone.ip],
      ['network-port', String(phone.port)],
      ['username', 'unknown'],
      ['realm', user.domain],
      ['user-agent', reg.userAgent],
    ]);
    return reg;
  }

  /** A REGISTER with Expires: 0. */
  unregister(id: string): boolean {
    const reg = this.registrations.get(id);
    if (reg === undefined) return false;
    this.drop(id);
    this.fire('sofia::unregister', ORIGIN.sofiaUnregister, [
      ['profile-name', reg.profile],
      ['username', 'unknown'],
      ['from-user', id],
      ['from-host', reg.user.domain],
      ['contact', contact(reg)],
      ['call-id', reg.callId],
      ['rpid', 'unknown'],
      ['realm', reg.user.domain],
      ['expires', '0'],
    ]);
    return true;
  }

  /** The registration lapsed without a refresh (or the control API says so). */
  expire(id: string): boolean {
    const reg = this.registrations.get(id);
    if (reg === undefined) return false;
    this.drop(id);
    this.fire('sofia::expire', ORIGIN.sofiaExpire, [
      ['profile-name', reg.profile],
      ['call-id', reg.callId],
      ['user', id],
      ['host', reg.user.domain],
      ['contact', contact(reg)],
      ['expires', String(reg.expiresAt)],
      ['user-agent', reg.userAgent],
      ['realm', reg.user.domain],
    ]);
    return true;
  }

  private drop(id: string): void {
    this.registrations.delete(id);
    this.core.cancel(this.expiryTimers.get(id));
    this.expiryTimers.delete(id);
  }

  private fire(subclass: string, origin: EventOrigin, pairs: Array<[string, string]>): void {
    this.core.bus.fire({ name: 'CUSTOM', subclass, origin, blocks: [HeaderBlock.of(pairs)] });
  }
}

/** The Contact as sofia shows it (capture i: `"" <sip:1007@127.0.0.1:5190>`). */
export function contact(reg: Registration): string {
  return `"" <sip:${reg.user.id}@${reg.phone.ip}:${reg.phone.port}>`;
}

/** What sofia_contact answers and the core registrations table stores as url. */
export function dialString(reg: Registration): string {
  return `sofia/${reg.profile}/sip:${reg.user.id}@${reg.phone.ip}:${reg.phone.port}`;
}

/**
 * The variables of a user in FreeSWITCH's vanilla directory (conf/directory/default/1000.xml
 * and its group/domain), which an originate to user/<ext> carries (capture i).
 */
export function sampleUserVariables(id: string): Record<string, string> {
  return {
    toll_allow: 'domestic,international,local',
    accountcode: id,
    user_context: 'default',
    effective_caller_id_name: `Extension ${id}`,
    effective_caller_id_number: id,
    outbound_caller_id_name: 'FreeSWITCH',
    outbound_caller_id_number: '0000000000',
    callgroup: 'techsupport',
    default_gateway: 'example.com',
    default_areacode: '918',
    transfer_fallback_extension: 'operator',
    record_stereo: 'true',
  };
}
