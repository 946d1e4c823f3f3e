/**
 * The FreeSWITCH simulator: an event socket that behaves like FreeSWITCH 1.10 toward
 * polylink, with simulated phones, customers and trunks behind it. This class is the
 * control API (see docs/simulator.md for examples).
 */
import type { Logger } from 'pino';
import type { TimerHandle } from '../clock.js';
import type { AppRegistry } from './apps/app-runner.js';
import { ANSWER_AT_ONCE, type CalleeBehaviour } from './behaviour/callee-behaviour.js';
import { Gateways, type Gateway, type GatewayOptions } from './behaviour/gateways.js';
import { SipPhones, type SimPhone } from './behaviour/sip-phones.js';
import type { Channel } from './channels/channel.js';
import { ApiCommands, type SimServices } from './commands/api-command.js';
import { addChannelCommands } from './commands/channel-commands.js';
import { addConferenceCommands } from './commands/conference-commands.js';
import { addLocalStreamCommand } from './commands/local-stream-command.js';
import { addOriginateCommand } from './commands/originate-command.js';
import { addShowCommands } from './commands/show-commands.js';
import { addSofiaCommands } from './commands/sofia-commands.js';
import { addSystemCommands, upTime } from './commands/system-commands.js';
import { Conferences } from './conference/conference.js';
import { createApps, Flows } from './core/call-flows.js';
import { hangupMany } from './core/hangup.js';
import type { DialplanAction } from './core/sim-context.js';
import { SwitchCore } from './core/switch-core.js';
import { placeCall, type CustomerCall, type PlaceCallOptions } from './customers/customer-call.js';
import { dtmfSentOut } from './endpoints/dtmf.js';
import { Dialplan, type AccessNumberOptions, type IvrOptions } from './dialplan/dialplan.js';
import { Directory, type Registration } from './directory/directory.js';
import { MediaModel } from './media/audio-paths.js';
import { LocalStreams } from './media/local-streams.js';
import { ORIGIN } from './events/event-origins.js';
import { fireHeartbeat } from './events/heartbeat.js';
import { HeaderBlock, type SwitchEvent } from './events/switch-event.js';
import { resolveOptions, type ResolvedOptions, type SimulatorOptions } from './options.js';
import { EslServer } from './server/esl-server.js';
import { SHUTDOWN_TEXT } from './protocol/frames.js';

const VERSION = {
  full: '1.10.12-release+git~20240802T210227Z~a88d069d6f~64bit (git a88d069 2024-08-02 21:02:27Z 64bit)',
  short: '1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit',
};

/** What the control API tells about a channel. */
export interface ChannelInfo {
  readonly uuid: string;
  readonly name: string;
  readonly direction: 'inbound' | 'outbound';
  readonly state: string;
  readonly callState: string;
  readonly answered: boolean;
  readonly bridgedTo: string | undefined;
  readonly application: string | undefined;
  readonly variables: Readonly<Record<string, string>>;
}

export interface RegisterOptions {
  /** Where the phone is; default a fresh address on 127.0.0.1. */
  readonly ip?: string;
  readonly port?: number;
  readonly userAgent?: string;
  /** Seconds; the registration expires (sofia::expire) unless renewed. Default 3600. */
  readonly expires?: number;
  /** The REGISTER's SIP Call-ID: a rebooted phone uses a new one. Default: the phone's current one, or a new one. */
  readonly callId?: string;
}

export class SwitchSimulator {
  readonly options: ResolvedOptions;
  readonly core: SwitchCore;
  readonly dialplan = new Dialplan();
  readonly directory: Directory;
  readonly phones = new SipPhones();
  readonly gateways = new Gateways();
  readonly conferences: Conferences;
  /** mod_local_stream's sources: `remove('moh')` is a switch without its hold music files. */
  readonly localStreams: LocalStreams;
  /** Who hears whom right now (bridges, hold, conferences, eavesdrop modes): `media.hears(listener, speaker)`. */
  readonly media: MediaModel;
  private readonly apps: AppRegistry;
  private readonly services: SimServices;
  private readonly server: EslServer;
  private readonly log: Logger;
  private heartbeat: TimerHandle | undefined;
  private listeningPort = 0;
  private running = false;
  /** Behaviour of each user's phone, kept across (re)registrations. */
  private readonly userPhones = new Map<string, SimPhone>();

  constructor(options: SimulatorOptions = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.log = o.logger.child({ module: 'simulator' });
    this.core = new SwitchCore(
      o.clock,
      o.identity,
      { domain: o.domain, sipIp: o.identity.ipv4, sipPort: 5060, maxSessions: o.maxSessions, version: VERSION },
      this.log,
      o.firstEventSequence,
      o.microseconds,
    );
    this.core.originateReportDelayMs = o.originateReportDelayMs;
    this.directory = new Directory(this.core, o.sipProfile);
    this.directory.tableDelayMs = o.registrationsTableDelayMs;
    this.conferences = new Conferences(this.core);
    this.localStreams = new LocalStreams(o.localStreams);
    this.media = new MediaModel(this.core, this.conferences);
    this.apps = createApps(this.conferences);
    const flows = new Flows(this.apps);
    this.services = {
      core: this.core,
      dialplan: this.dialplan,
      flows,
      apps: this.apps,
      directory: this.directory,
      phones: this.phones,
      gateways: this.gateways,
      conferences: this.conferences,
      holdMusic: o.holdMusic,
      localStreams: this.localStreams,
      shutdown: () => void this.stop(),
    };
    flows.sim = this.services;
    this.dialplan.addEcho(o.echoNumber);
    const commands = new ApiCommands();
    addSystemCommands(commands);
    addChannelCommands(commands);
    addShowCommands(commands);
    addConferenceCommands(commands);
    addSofiaCommands(commands);
    addLocalStreamCommand(commands);
    addOriginateCommand(commands);
    this.server = new EslServer(this.core.bus, { password: o.password, services: this.services, commands, log: this.log, eventQueueLength: o.eventQueueLength });
  }

  /** Starts listening; resolves with the port (useful with port 0). */
  async start(): Promise<number> {
    this.listeningPort = await this.server.listen(this.options.port, this.options.host);
    this.running = true;
    this.scheduleHeartbeat();
    this.log.info({ port: this.listeningPort }, 'FreeSWITCH simulator listening');
    return this.listeningPort;
  }

  get port(): number {
    return this.listeningPort;
  }

  /**
   * Shuts the switch down as FreeSWITCH does (capture h): SHUTDOWN, every channel hung
   * up SYSTEM_SHUTDOWN, the SIP profiles unpublished, every listener told "The system
   * is being shut down." and disconnected. Safe to call twice.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.core.cancel(this.heartbeat);
    const core = this.core;
    core.bus.fire({ name: 'SHUTDOWN', origin: ORIGIN.shutdown, blocks: [HeaderBlock.of([['Event-Info', 'System Shutting Down']])] });
    hangupMany(this.services, [...core.channels.values()], 'SYSTEM_SHUTDOWN', true);
    for (const profile of ['external', 'internal']) {
      const port = profile === 'external' ? 5080 : 5060;
      core.bus.fire({
        name: 'UNPUBLISH',
        origin: ORIGIN.unpublish,
        blocks: [
          HeaderBlock.of([
            ['service', '_sip._udp,_sip._tcp,_sip._sctp'],
            ['port', String(port)],
            ['module_name', 'mod_sofia'],
            ['profile_name', profile],
            ['profile_uri', `sip:mod_sofia@${core.config.sipIp}:${port}`],
          ]),
        ],
      });
    }
    core.cancelAllTimers();
    // Let the events above reach the sockets before the notice.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await this.server.close(SHUTDOWN_TEXT);
    this.log.info({}, 'FreeSWITCH simulator stopped');
  }

  /**
   * The network to the event socket fails while the switch itself goes on: every ESL
   * connection dies without a notice and none is accepted until restoreNetwork().
   * Channels, phones and customers carry on (tests of a lost node).
   */
  async cutNetwork(): Promise<void> {
    await this.server.cut();
  }

  /** The event socket is reachable again, on the same port. */
  async restoreNetwork(): Promise<void> {
    await this.server.listen(this.listeningPort, this.options.host);
  }

  private scheduleHeartbeat(): void {
    const ms = this.options.heartbeatMs;
    if (ms <= 0 || !this.running) return;
    this.heartbeat = this.core.after(ms, () => {
      fireHeartbeat(this.core, upTime(this.services));
      this.scheduleHeartbeat();
    });
  }

  // ---- directory and phones -------------------------------------------------------

  /**
   * Adds an extension to the directory; its phone answers at once unless told
   * otherwise. Without `variables` it gets those of FreeSWITCH's sample users.
   */
  addUser(ext: string, options: { behaviour?: CalleeBehaviour; variables?: Record<string, string> } = {}): void {
    this.directory.addUser(ext, options.variables);
    const phone = this.userPhones.get(ext);
    if (phone === undefined) {
      const addr = this.phones.allocateAddress();
      this.userPhones.set(ext, { ...addr, behaviour: options.behaviour ?? ANSWER_AT_ONCE, contactUser: ext });
    } else if (options.behaviour !== undefined) {
      phone.behaviour = options.behaviour;
    }
  }

  removeUser(ext: string): void {
    this.directory.removeUser(ext);
    const phone = this.userPhones.get(ext);
    if (phone !== undefined) this.phones.remove(phone.ip, phone.port);
    this.userPhones.delete(ext);
  }

  /** The directory's users (extensions), in the order they were added. */
  users(): string[] {
    return [...this.userPhones.keys()];
  }

  /** Whether `user/<ext>` reaches a phone now. */
  isRegistered(ext: string): boolean {
    return this.directory.registration(ext) !== undefined;
  }

  /** The user's phone registers (sofia::register); `user/<ext>` then reaches it. */
  register(ext: string, options: RegisterOptions = {}): Registration {
    let phone = this.userPhones.get(ext);
    if (phone === undefined) throw new Error(`no user ${ext}: addUser first`);
    if (options.ip !== undefined || options.port !== undefined) {
      this.phones.remove(phone.ip, phone.port);
      phone = { ...phone, ip: options.ip ?? phone.ip, port: options.port ?? phone.port };
      this.userPhones.set(ext, phone);
    }
    this.phones.add(phone);
    return this.directory.register(ext, phone, options);
  }

  /**
   * The phone sends a REGISTER with Expires: 0 (sofia::unregister), by default with its
   * current Call-ID; a phone clearing its bindings at boot uses a new one (`callId`).
   * With one registration per user (the default profile) it removes the user's
   * registration whatever the Call-ID; `originate user/<ext>` then fails USER_NOT_REGISTERED.
   */
  unregister(ext: string, options: { callId?: string } = {}): boolean {
    return this.directory.unregister(ext, options);
  }

  /** How long after a REGISTER `show registrations` shows the change (FreeSWITCH writes that table through its SQL queue). */
  setRegistrationsTableDelay(ms: number): void {
    this.directory.tableDelayMs = Math.max(0, ms);
  }

  /** Every registration of the user lapses now (one sofia::expire each). */
  expireRegistration(ext: string): boolean {
    return this.directory.expire(ext);
  }

  /**
   * How long an originate takes to report after its leg answers (or is taken over by
   * uuid_bridge / uuid_transfer / uuid_park): 0, the default, reports at once. With a
   * delay, a leg bridged on its CHANNEL_ANSWER before the report gets the real switch's
   * `-ERR ORIGINATOR_CANCEL` while it stays up (capture m); FreeSWITCH looks every 20 ms.
   */
  setOriginateReportDelay(ms: number): void {
    this.core.originateReportDelayMs = Math.max(0, ms);
  }

  /** How the extension's phone treats the next calls. */
  setPhoneBehaviour(ext: string, behaviour: CalleeBehaviour): void {
    const phone = this.userPhones.get(ext);
    if (phone === undefined) throw new Error(`no user ${ext}`);
    phone.behaviour = behaviour;
  }

  /** A SIP endpoint reachable as sofia/internal/sip:<user>@<ip>:<port> (not in the directory). */
  addSipPhone(phone: { ip: string; port: number; behaviour: CalleeBehaviour; contactUser?: string; contactParams?: string; allow?: string }): void {
    this.phones.add({
      ip: phone.ip,
      port: phone.port,
      behaviour: phone.behaviour,
      contactUser: phone.contactUser ?? 'phone',
      ...(phone.contactParams !== undefined ? { contactParams: phone.contactParams } : {}),
      ...(phone.allow !== undefined ? { allow: phone.allow } : {}),
    });
  }

  // ---- customers and trunks -------------------------------------------------------

  /** A customer calls in (see PlaceCallOptions). */
  placeCall(options: PlaceCallOptions): CustomerCall {
    return placeCall(this.services, options);
  }

  addGateway(options: GatewayOptions): Gateway {
    return this.gateways.add(options);
  }

  /** How numbers matching `pattern` answer calls through the gateway: an exact number, a string with `x` for any one digit and a trailing `.` for any rest (`085.`), or a RegExp. */
  setTrunkBehaviour(gateway: string, pattern: string | RegExp, behaviour: CalleeBehaviour): void {
    const gw = this.gateways.get(gateway);
    if (gw === undefined) throw new Error(`no gateway ${gateway}`);
    gw.setBehaviour(pattern, behaviour);
  }

  // ---- dialplan -------------------------------------------------------------------

  addAccessNumber(number: string, options: AccessNumberOptions = {}): void {
    this.dialplan.addAccessNumber(number, options);
  }

  addIvr(number: string, options: IvrOptions): void {
    this.dialplan.addIvr(number, options);
  }

  /** Any dialplan entry: `addRoute('8600', [{ app: 'set', data: 'cti_queue=8600' }, { app: 'answer' }, { app: 'park' }])`. */
  addRoute(number: string | RegExp, actions: readonly DialplanAction[], context = 'default'): void {
    this.dialplan.add(number, actions, context);
  }

  /** Whether a call to `number` would find a route in the dialplan (an access number, an IVR, a route added). */
  routes(number: string, context = 'default'): boolean {
    return this.dialplan.route(number, context) !== undefined;
  }

  /** The numbers the dialplan routes by name: access numbers, IVRs and routes added for one number. */
  routedNumbers(context = 'default'): string[] {
    return this.dialplan.numbers(context);
  }

  // ---- looking and touching -------------------------------------------------------

  channels(): ChannelInfo[] {
    return [...this.core.channels.values()].map(info);
  }

  channel(uuid: string): ChannelInfo | undefined {
    const ch = this.core.findChannel(uuid);
    return ch === undefined ? undefined : info(ch);
  }

  /** The DTMF the channel sent out to its far end (uuid_send_dtmf), in order: what that party heard. */
  dtmfSentOut(uuid: string): string {
    const ch = this.core.findChannel(uuid);
    return ch === undefined ? '' : dtmfSentOut(ch);
  }

  /** Hangs a channel up from outside (the far end hangs up: SIP BYE). */
  hangup(uuid: string, cause = 'NORMAL_CLEARING'): boolean {
    const ch = this.core.findChannel(uuid);
    if (ch === undefined || ch.isDown) return false;
    this.services.flows.hangup(ch, cause, { remote: true });
    return true;
  }

  /** Every event the switch fires (or those of the names given), whoever listens on the socket. */
  onEvent(fn: (event: SwitchEvent) => void, names?: readonly string[]): () => void {
    return this.core.bus.observe(fn, names);
  }

  get stats(): { eventsFired: number; channels: number; sessionsSinceStartup: number; connections: number } {
    return {
      eventsFired: this.core.bus.fired,
      channels: this.core.channels.size,
      sessionsSinceStartup: this.core.sessionsSinceStartup,
      connections: this.server.connections,
    };
  }
}

function info(ch: Channel): ChannelInfo {
  const variables: Record<string, string> = {};
  for (const k of ch.vars.names()) variables[k] = ch.vars.get(k) ?? '';
  return {
    uuid: ch.uuid,
    name: ch.name,
    direction: ch.direction,
    state: ch.runningState,
    callState: ch.callState,
    answered: ch.answered,
    bridgedTo: ch.bridge?.partner.uuid,
    application: ch.app?.name,
    variables,
  };
}
