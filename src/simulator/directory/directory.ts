/**
 * The user directory (extensions) and their registrations. A registration binds the
 * user to a simulated phone at an address; `user/<ext>` reaches that phone.
 *
 * Registrations follow the `internal` profile's `multiple-registrations` as mod_sofia
 * does (sofia.c reads it; sofia_reg.c sofia_reg_handle_register_token applies it):
 * absent or false, one per user — a REGISTER replaces the user's registration whatever
 * its Call-ID, with no event for the one replaced, and an Expires: 0 removes it whatever
 * Call-ID it carries (capture k); `call-id`, one per Call-ID; `contact` or true, one per
 * Contact. The events are in registration-events.ts.
 *
 * `show registrations` reads the core's table, which FreeSWITCH writes through its SQL
 * queue after the event (switch_core_add_registration → switch_sql_queue_manager_push):
 * with `registrationsTableDelayMs` it shows a change that much later.
 */
import { randomBytes } from 'node:crypto';
import type { TimerHandle } from '../../clock.js';
import type { SwitchCore } from '../core/switch-core.js';
import type { SimPhone } from '../behaviour/sip-phones.js';
import { fireExpire, fireRegister } from './registration-events.js';

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
  /** The Contact's URI: `sip:<user>@<ip>:<port>`. */
  readonly contact: string;
  readonly userAgent: string;
  /** Seconds asked for. */
  readonly expires: number;
  /** Epoch seconds when it lapses (the registrations table's `expires`). */
  readonly expiresAt: number;
  readonly profile: string;
}

/** How the `internal` SIP profile handles REGISTERs (sofia.conf). */
export interface SipProfileSettings {
  /** multiple-registrations: absent or false (FreeSWITCH's default), `call-id`, `contact` or true. */
  readonly multipleRegistrations?: string;
  /** auth-calls: REGISTERs are challenged and authenticated against the directory (freeswitch-conf/; capture k). */
  readonly authCalls?: boolean;
  /** presence-hosts; default FreeSWITCH's sample `<domain>,<local ip>` (capture i). */
  readonly presenceHosts?: string;
}

/** sofia.c: `call-id` keeps one registration per Call-ID, `contact` or a true value one per Contact, anything else one per user. */
export function registrationKey(multipleRegistrations: string | undefined): 'user' | 'call-id' | 'contact' {
  const v = (multipleRegistrations ?? '').toLowerCase();
  if (v === 'call-id') return 'call-id';
  if (v === 'contact' || ['yes', 'on', 'true', 't', 'enabled', 'active', 'allow'].includes(v) || (/^\d+$/.test(v) && Number(v) !== 0)) return 'contact';
  return 'user';
}

export interface RegisterOptions {
  readonly userAgent?: string;
  readonly expires?: number;
  /** The REGISTER's Call-ID; default the phone's current one (a refresh), or a new one. */
  readonly callId?: string;
}

export class Directory {
  private readonly users = new Map<string, DirectoryUser>();
  /** The profile's table, per user, oldest first. */
  private readonly registrations = new Map<string, Registration[]>();
  private readonly expiryTimers = new Map<Registration, TimerHandle>();
  /**
   * What `show registrations` reads: the table as the SQL queue last wrote it; undefined
   * while it shows the registrations as they are (no delay), so that furnishing thousands
   * of phones does not copy the whole table at each REGISTER.
   */
  private table: Registration[] | undefined;
  private readonly key: 'user' | 'call-id' | 'contact';
  readonly settings: SipProfileSettings;
  private delayMs = 0;

  constructor(
    private readonly core: SwitchCore,
    settings: SipProfileSettings = {},
  ) {
    this.settings = settings;
    this.key = registrationKey(settings.multipleRegistrations);
  }

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

  /**
   * The registration `user/<ext>` reaches: the latest one. (With several registrations
   * FreeSWITCH rings every contact at once; the simulator rings the latest.)
   */
  registration(id: string): Registration | undefined {
    return this.registrations.get(id)?.at(-1);
  }

  allRegistrations(): Registration[] {
    return [...this.registrations.values()].flat();
  }

  /** The core registrations table, as `show registrations` reads it. */
  tableRows(): readonly Registration[] {
    return this.table ?? this.allRegistrations();
  }

  /** A REGISTER from the user's phone: 200 OK and sofia::register. */
  register(id: string, phone: SimPhone, options: RegisterOptions = {}): Registration {
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`no user ${id} in the directory`);
    const contact = `sip:${id}@${phone.ip}:${phone.port}`;
    const current = this.registrations.get(id) ?? [];
    const expires = options.expires ?? 3600;
    const reg: Registration = {
      user,
      phone,
      callId: options.callId ?? current.find((r) => r.contact === contact)?.callId ?? `${randomBytes(6).toString('hex')}@${phone.ip}`,
      contact,
      userAgent: options.userAgent ?? 'polylink-sim-phone',
      expires,
      expiresAt: Math.floor(this.core.clock.now() / 1000) + expires,
      profile: 'internal',
    };
    // What this REGISTER replaces: sofia_reg.c deletes it from the table, no event said.
    this.drop(id, (r) => this.key === 'user' || this.same(r, reg));
    this.registrations.set(id, [...(this.registrations.get(id) ?? []), reg]);
    this.expiryTimers.set(
      reg,
      this.core.after(expires * 1000, () => this.lapse(reg)),
    );
    this.writeTable();
    fireRegister(this.core, { reg, expires, authenticated: this.settings.authCalls === true }, this.presenceHosts(user));
    return reg;
  }

  /**
   * A REGISTER with Expires: 0 (by default from the latest registration's phone, with
   * its Call-ID). One per user: it removes the user's registration whatever its Call-ID;
   * several: the one it names. False, with no event, when the user has none.
   */
  unregister(id: string, options: { callId?: string; phone?: SimPhone; userAgent?: string } = {}): boolean {
    const latest = this.registration(id);
    if (latest === undefined) return false;
    const phone = options.phone ?? latest.phone;
    const request: Registration = {
      ...latest,
      phone,
      contact: `sip:${id}@${phone.ip}:${phone.port}`,
      callId: options.callId ?? latest.callId,
      userAgent: options.userAgent ?? latest.userAgent,
    };
    this.drop(id, (r) => this.key === 'user' || this.same(r, request));
    this.writeTable();
    fireRegister(this.core, { reg: request, expires: 0, authenticated: this.settings.authCalls === true }, this.presenceHosts(latest.user));
    return true;
  }

  /** Every registration of the user lapses now (or the control API says so): one sofia::expire each. */
  expire(id: string): boolean {
    const regs = [...(this.registrations.get(id) ?? [])];
    for (const reg of regs) this.lapse(reg);
    return regs.length > 0;
  }

  private lapse(reg: Registration): void {
    const id = reg.user.id;
    if (!(this.registrations.get(id) ?? []).includes(reg)) return;
    this.drop(id, (r) => r === reg);
    this.writeTable();
    fireExpire(this.core, reg);
  }

  /** Two registrations the profile counts as one: the same Call-ID, or the same Contact. */
  private same(a: Registration, b: Registration): boolean {
    return this.key === 'contact' ? a.contact === b.contact : a.callId === b.callId;
  }

  private drop(id: string, which: (r: Registration) => boolean): void {
    const regs = this.registrations.get(id) ?? [];
    for (const r of regs.filter(which)) {
      this.core.cancel(this.expiryTimers.get(r));
      this.expiryTimers.delete(r);
    }
    const kept = regs.filter((r) => !which(r));
    if (kept.length > 0) this.registrations.set(id, kept);
    else this.registrations.delete(id);
  }

  get tableDelayMs(): number {
    return this.delayMs;
  }

  /** From now on the table shows a change `ms` after it; until then, what it shows now. */
  set tableDelayMs(ms: number) {
    if (ms > 0) this.table ??= this.allRegistrations();
    this.delayMs = ms;
  }

  /** The SQL queue writes the core table `tableDelayMs` after the change. */
  private writeTable(): void {
    if (this.tableDelayMs <= 0 && this.table === undefined) return;
    const rows = this.allRegistrations();
    if (this.tableDelayMs <= 0) this.table = rows;
    else this.core.after(this.tableDelayMs, () => (this.table = rows));
  }

  private presenceHosts(user: DirectoryUser): string {
    return this.settings.presenceHosts ?? `${user.domain},${user.domain}`;
  }
}

/** What sofia_contact answers and the core registrations table stores as url. */
export function dialString(reg: Registration): string {
  return `sofia/${reg.profile}/${reg.contact}`;
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
