/**
 * The agent's session over a Connection: the seed's properties (002 §3.2.2), signing in
 * and out, the heartbeat, reconnecting with session resume, the client-side Agent_State,
 * and turning what the server says into events. AgentBar (agent-bar.ts) adds the Do…
 * methods on top.
 *
 * Resume (spec §3 rule 5): the server keeps a dropped agent signed in, with its state and
 * calls, for agent.resumeGraceSeconds; a new sign-in within that time takes the session up
 * again (`resumed` yes). So when the connection is lost while signed in, this client
 * connects again with backoff and signs in with the same credentials, until it succeeds,
 * the server refuses, or the page disconnects. It does not reconnect after a sign-out, a
 * kick-out (another sign-in took the agent: reconnecting would kick that one in turn) or
 * DoDisconnect.
 */
import { isSelectableStatus, parseStatus } from '../../../src/core/agent-status.js';
import { createTimeFormat } from '../../../src/time-format.js';
import { AgentState, INITIAL_CALL_STATE, nextCallState, type AgentStateValue, type CallInput, type CallStatusValue } from './call-state.js';
import { Connection } from './connection.js';
import type { Pending, RequestOptions, Settled } from './correlator.js';
import { AgentBarError, ErrorCode } from './errors.js';
import { Emitter, type Listener } from './emitter.js';
import type { AgentBarEvents, ClientEvents, GetAgentOnlineEvent } from './events.js';
import { jsForm } from './js-events.js';
import { webSocketConstructor, type WebSocketConstructor } from './socket.js';
import { webClock, type Clock, type TimerHandle } from './web-clock.js';
import type { EventBody, ResponseBody } from './wire.js';

/** The path of the agent protocol on polylink's HTTP port (spec §1). */
export const AGENT_PATH = '/agent';

export interface AgentBarOptions {
  /** The WebSocket class to use: required in Node 20 (`import WebSocket from 'ws'`); browsers have their own. */
  readonly WebSocket?: WebSocketConstructor;
  /** The whole address, e.g. `wss://cti.example.com/agent`; else built from ServerIP, ServerPort and Secure. */
  readonly url?: string;
  /** Reconnecting after a lost connection: delays double from minDelayMs up to maxDelayMs (with jitter). `false`: never. */
  readonly reconnect?: false | { readonly minDelayMs?: number; readonly maxDelayMs?: number };
  /** A request unanswered this long means the connection is dead (default 15 s). */
  readonly responseTimeoutMs?: number;
  /** Time and timers (tests pass a ManualClock). */
  readonly clock?: Clock;
  /** Jitter for the reconnect delays (tests pass a fixed one). */
  readonly random?: () => number;
}

/** A successful response; a failed one rejects with AgentBarError. */
export type AgentResponse = ResponseBody;
/** A query's response with the result event that followed it. */
export type QueryResult<E> = AgentResponse & { readonly result: E };
/** The sign-in response (spec §3 rule 4). */
export type SignInResult = AgentResponse & { readonly heartbeatInterval: string; readonly guid: string; readonly resumed: string };

interface ServerFilled {
  AgentName: string;
  AgentGroupID: string;
  AgentGroupName: string;
  RoleID: string;
  RoleName: string;
  DefaultAccessNum: string;
  CalloutHistory: readonly string[];
  AgentStateAfterHangup: string;
  Guid: string;
}

const DEFAULT_RESPONSE_TIMEOUT_MS = 15_000;
const DEFAULT_RECONNECT = { minDelayMs: 500, maxDelayMs: 10_000 };

/** The page's own address: a page served by polylink talks to the server it came from. */
const here = (globalThis as { location?: { hostname: string; port: string; protocol: string } }).location;

export class AgentBarSession {
  // ── seed 002 §3.2.2 properties the page sets ──────────────────────────────────────
  /** 座席号 */
  AgentID = '';
  /** 坐席登陆密码 */
  AgentPwd = '';
  /** 分机号: the extension (or with ExtenIsOutbound an outside number) to bind. */
  AgentExten = '';
  /** 是否绑定分机 */
  BindExten = true;
  /** 分机是否外线: AgentExten is an outside phone number. */
  ExtenIsOutbound = false;
  /**
   * 座席登录后初始状态: the Agent_Status to sign in with (0 idle, 6 busy, 7 leave, 8 call-out
   * mode, or a custom status); once signed in, the agent's current Agent_Status.
   */
  AgentStatus = '0';
  /** 服务器 IP 地址 (a host name will do); in a page, the page's own host by default. */
  ServerIP = here?.hostname ?? '';
  /** 服务器端口号: polylink's HTTP port (http.port, 8080 by default). */
  ServerPort = here === undefined ? 8080 : Number(here.port === '' ? (here.protocol === 'https:' ? 443 : 80) : here.port);
  /** polylink: wss:// rather than ws:// (polylink with http.tls); in a page, as the page itself. */
  Secure = here?.protocol === 'https:';
  /** 心跳超时时间 (seconds): the server's heartbeatInterval overrides it at sign-in. */
  HeartBeatTimeout = 30;

  /** The properties the server fills. */
  private readonly info: ServerFilled = {
    AgentName: '',
    AgentGroupID: '',
    AgentGroupName: '',
    RoleID: '',
    RoleName: '',
    DefaultAccessNum: '',
    CalloutHistory: [],
    AgentStateAfterHangup: '',
    Guid: '',
  };

  protected readonly events = new Emitter<AgentBarEvents>();
  protected readonly connection: Connection;
  private readonly clock: Clock;
  private readonly reconnectPolicy: { readonly minDelayMs: number; readonly maxDelayMs: number } | false;
  private readonly random: () => number;
  private readonly localTime = createTimeFormat(Intl.DateTimeFormat().resolvedOptions().timeZone);
  private readonly url: string | undefined;
  private signedIn = false;
  /** The agent should be signed in: a lost connection is to be resumed. */
  private wantSession = false;
  /** What DoSignIn asked for: signing in again after the session was lost starts from it. */
  private initStatus = '0';
  private callState = INITIAL_CALL_STATE;
  private heartbeat: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private reconnecting = false;

  constructor(options: AgentBarOptions = {}) {
    this.clock = options.clock ?? webClock();
    this.url = options.url;
    this.random = options.random ?? Math.random;
    this.reconnectPolicy = options.reconnect === false ? false : { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.connection = new Connection(
      { WebSocket: webSocketConstructor(options.WebSocket), clock: this.clock, responseTimeoutMs: options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS },
      {
        response: (body, pending) => this.onResponse(body, pending),
        event: (body, resultOf) => this.onEvent(body, resultOf),
        lost: (reason) => this.onLost(reason),
      },
    );
  }

  /** 座席姓名 (after sign-in). */
  get AgentName(): string {
    return this.info.AgentName;
  }
  /** 坐席组 ID (after sign-in). */
  get AgentGroupID(): string {
    return this.info.AgentGroupID;
  }
  /** 坐席组名称 (after sign-in). */
  get AgentGroupName(): string {
    return this.info.AgentGroupName;
  }
  /** 角色 ID (after sign-in). */
  get RoleID(): string {
    return this.info.RoleID;
  }
  /** The role's name (GetRoleNameEvent, at sign-in). */
  get RoleName(): string {
    return this.info.RoleName;
  }
  /** 指定外呼时选择的默认接入号 (GetAccessNumberEvent). */
  get DefaultAccessNum(): string {
    return this.info.DefaultAccessNum;
  }
  /** 外呼时呼叫号码历史列表 (GetAccessNumberEvent). */
  get CalloutHistory(): readonly string[] {
    return this.info.CalloutHistory;
  }
  /** Where the agent goes after a call, as set by DoSetAgentStateAfterHangup; empty: the server's default (ACW). */
  get AgentStateAfterHangup(): string {
    return this.info.AgentStateAfterHangup;
  }
  /** polylink: the session token the HTTP APIs accept in a `Guid` header (spec §3 rule 4). */
  get Guid(): string {
    return this.info.Guid;
  }
  /** 电话唯一标识: the current call's id (makeStr's relation_uuid), empty on no call. */
  get cuID(): string {
    return this.callState.callId;
  }
  /** The client-side Agent_State (seed §3.2.5). */
  get AgentState(): AgentStateValue {
    return this.callState.state;
  }
  get Connected(): boolean {
    return this.connection.isOpen;
  }
  get SignedIn(): boolean {
    return this.signedIn;
  }
  /** Whether a reconnect is under way (after SockDisconnectEvent, until SockReconnectEvent). */
  get Reconnecting(): boolean {
    return this.reconnecting;
  }

  /** Seed GetCallStatus: NO_CALL, CALL_IN or CALL_OUT. */
  GetCallStatus(): CallStatusValue {
    return this.callState.callStatus;
  }

  /** Listens to an event by the seed's name; returns a function that stops listening. */
  on<K extends keyof AgentBarEvents>(name: K, listener: Listener<AgentBarEvents[K]>): () => void {
    return this.events.on(name, listener);
  }
  once<K extends keyof AgentBarEvents>(name: K, listener: Listener<AgentBarEvents[K]>): () => void {
    return this.events.once(name, listener);
  }
  off<K extends keyof AgentBarEvents>(name: K, listener: Listener<AgentBarEvents[K]>): void {
    this.events.off(name, listener);
  }

  // ── connecting and signing in ─────────────────────────────────────────────────────

  /** Seed DoConnect: opens the connection. Rejects with AgentBarError -1002 when it cannot. */
  async DoConnect(): Promise<void> {
    if (this.connection.isOpen) return;
    await this.connection.connect(this.address());
  }

  /** Seed DoDisconnect: closes the connection and stops reconnecting. Signed in, the server keeps the session for its resume grace time. */
  DoDisconnect(): void {
    this.wantSession = false;
    this.stopReconnecting();
    this.connection.close('DoDisconnect');
    this.endSession();
  }

  /** Seed DoSignIn: signs in with AgentID, AgentPwd, BindExten, AgentExten, AgentStatus and ExtenIsOutbound. */
  async DoSignIn(): Promise<SignInResult> {
    this.initStatus = this.statusToSignInWith();
    const response = await this.signIn(this.initStatus);
    this.wantSession = true;
    return response;
  }

  /** Seed DoSignInWithConnect: connects if need be, then signs in. */
  async DoSignInWithConnect(): Promise<SignInResult> {
    await this.DoConnect();
    return this.DoSignIn();
  }

  /** Seed DoSignOut. The connection stays open for another DoSignIn (the server closes it after agent.signinTimeoutSeconds). */
  async DoSignOut(): Promise<AgentResponse> {
    const response = await this.send('signout');
    this.wantSession = false;
    this.endSession();
    return response;
  }

  /** Seed DoHeartBeat. The client sends one by itself every HeartBeatTimeout seconds while signed in. */
  DoHeartBeat(): Promise<AgentResponse> {
    return this.send('heartbeat');
  }

  // ── for the Do… methods ───────────────────────────────────────────────────────────

  /** Sends a request for this agent; resolves with its response, rejects with AgentBarError. */
  protected async send(cmdType: string, fields: Readonly<Record<string, string>> = {}, options: RequestOptions = {}): Promise<AgentResponse> {
    return (await this.connection.request(cmdType, this.AgentID, fields, options)).response;
  }

  /** Sends a query; resolves with its response and the result event that follows it. */
  protected async query<E>(cmdType: string, fields: Readonly<Record<string, string>>, resultEvents: readonly string[]): Promise<QueryResult<E>> {
    const settled = await this.connection.request(cmdType, this.AgentID, fields, { resultEvents });
    return { ...settled.response, result: settled.result as E };
  }

  protected setInfo(changes: Partial<ServerFilled>): void {
    Object.assign(this.info, changes);
  }

  // ── the session ─────────────────────────────────────────────────────────────────────

  private address(): string {
    if (this.url !== undefined) return this.url;
    const host = this.ServerIP.includes(':') && !this.ServerIP.startsWith('[') ? `[${this.ServerIP}]` : this.ServerIP;
    return `${this.Secure ? 'wss' : 'ws'}://${host}:${this.ServerPort}${AGENT_PATH}`;
  }

  /** `resume`: a sign-in after a lost connection, which presents the last sign-in's guid. */
  private async signIn(initStatus: string, resume = false): Promise<SignInResult> {
    const fields: Record<string, string> = {
      agentPwd: this.AgentPwd,
      bindExten: this.BindExten ? 'yes' : 'no',
      initStatus,
      extenIsOutbound: this.ExtenIsOutbound ? 'yes' : 'no',
    };
    if (this.BindExten) fields['agentExten'] = this.AgentExten;
    // polylink: the session token proves the agent without the password's scrypt check, so
    // a floor reconnecting at once (a network blip, a server restart) signs in in
    // milliseconds; a server that does not know the token checks the password as before.
    if (resume && this.info.Guid !== '') fields['guid'] = this.info.Guid;
    const response = (await this.send('signin', fields)) as SignInResult;
    this.signedIn = true;
    const interval = Number(response.heartbeatInterval);
    if (Number.isFinite(interval) && interval > 0) this.HeartBeatTimeout = interval;
    this.setInfo({ Guid: response.guid });
    this.apply({ kind: 'signed-in', resumed: response.resumed === 'yes' });
    this.beat();
    this.lookUpSelf();
    return response;
  }

  /** AgentName, the group and the role come with the agent's own Agent_Online_Struct. */
  private lookUpSelf(): void {
    this.connection
      .request('getonlineagent', this.AgentID, { numType: '1', specificNum: this.AgentID }, { resultEvents: ['GetAgentOnlineEvent'], quiet: true })
      .then((settled: Settled) => {
        const me = (settled.result as GetAgentOnlineEvent | undefined)?.agent_online[0];
        if (me !== undefined) this.setInfo({ AgentName: me.agentName, AgentGroupID: me.agentgroup_num, AgentGroupName: me.agentgroup_name, RoleID: me.roleNum });
      })
      // Only the properties wait for it; a lost connection is handled where it is lost.
      .catch(() => undefined);
  }

  private beat(): void {
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = this.clock.setTimer(this.HeartBeatTimeout * 1000, () => {
      this.heartbeat = undefined;
      if (!this.signedIn) return;
      // An unanswered heartbeat is what tells a dead connection (Connection's deadline).
      this.connection.request('heartbeat', this.AgentID, {}, { quiet: true }).catch(() => undefined);
      this.beat();
    });
  }

  /** Signed out, kicked out, disconnected on purpose, or the session could not be resumed. */
  private endSession(): void {
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
    if (!this.signedIn && this.callState.state === AgentState.AGENT_STATUS_OFFLINE) return;
    this.signedIn = false;
    this.apply({ kind: 'offline' });
  }

  private onLost(reason: string): void {
    this.signedIn = false;
    this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
    this.emitOwn('SockDisconnectEvent', { Reason: reason, retCode: ErrorCode.CLIENT_DISCONNECTED });
    if (this.wantSession && this.reconnectPolicy !== false) {
      this.scheduleReconnect(0);
      return;
    }
    this.wantSession = false;
    this.endSession();
  }

  private scheduleReconnect(attempt: number): void {
    if (this.reconnectPolicy === false) return;
    const { minDelayMs, maxDelayMs } = this.reconnectPolicy;
    const delay = Math.min(maxDelayMs, minDelayMs * 2 ** attempt) * (0.5 + this.random() / 2);
    this.reconnecting = true;
    this.reconnectTimer = this.clock.setTimer(delay, () => {
      this.reconnectTimer = undefined;
      void this.reconnect(attempt);
    });
  }

  private stopReconnecting(): void {
    this.clock.clearTimer(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.reconnecting = false;
  }

  private async reconnect(attempt: number): Promise<void> {
    try {
      await this.connection.connect(this.address());
    } catch {
      if (this.wantSession) this.scheduleReconnect(attempt + 1);
      return;
    }
    if (!this.wantSession) return;
    try {
      const response = await this.signIn(this.statusToSignInWith(), true);
      this.reconnecting = false;
      this.emitOwn('SockReconnectEvent', { resumed: response.resumed === 'yes', retCode: 0, Reason: response.reason });
    } catch (err) {
      const error = err as AgentBarError;
      // Lost again while signing in: onLost has scheduled the next attempt.
      if (error.retCode === ErrorCode.CLIENT_DISCONNECTED || error.retCode === ErrorCode.CLIENT_NETWORK_ERROR) return;
      // The server refused (the password changed, the extension is taken …): trying again will not help.
      this.reconnecting = false;
      this.wantSession = false;
      this.connection.close('sign-in refused');
      this.endSession();
      this.emitOwn('SockReconnectEvent', { resumed: false, retCode: error.retCode, Reason: error.reason });
    }
  }

  /**
   * AgentStatus when it is a state sign-in accepts, else the one the last sign-in used.
   * AgentStatus follows the agent once signed in: after a lost session it holds the state
   * the agent was in, and a busy agent must not come back idle and be offered calls; after
   * a call state or a sign-out (-1) the last sign-in's state is what the page asked for.
   * (On a resume the server ignores it.)
   */
  private statusToSignInWith(): string {
    const current = parseStatus(this.AgentStatus);
    return current !== undefined && isSelectableStatus(current) ? this.AgentStatus : this.initStatus;
  }

  // ── what the server says ────────────────────────────────────────────────────────────

  private onResponse(body: ResponseBody, pending: Pending | undefined): void {
    if (pending?.quiet === true) return;
    const own = { AgentID: body.agentID, retCode: body.retCode, Reason: body.reason };
    if (body.cmdType === 'signin') this.emitOwn('SignInResponse', own);
    if (body.cmdType === 'signout') this.emitOwn('SignOutResponse', own);
    if (body.retCode !== 0) {
      // Seed §3.2.4: a failed request also raises ServerResponse.
      this.events.emit('ServerResponse', { eventType: 'ServerResponse', agentID: body.agentID, time: this.localTime(this.clock.now()), cmdType: body.cmdType, retCode: body.retCode, reason: body.reason });
    } else {
      this.apply({ kind: 'accepted', cmdType: body.cmdType });
    }
  }

  private onEvent(body: EventBody, resultOf: Pending | undefined): void {
    switch (body.eventType) {
      case 'AgentStatusChangeEvent':
        if (body['agent_num'] === this.AgentID) this.AgentStatus = String(body['new_status']);
        break;
      case 'GetRoleNameEvent':
        this.setInfo({ RoleName: String(body['roleName'] ?? '') });
        break;
      case 'GetAccessNumberEvent':
        this.setInfo({ DefaultAccessNum: String(body['default_access_number'] ?? ''), CalloutHistory: (body['callHistory'] as string[] | undefined) ?? [] });
        break;
      case 'KickOutEvent':
      case 'SignOutEvent':
        // Another sign-in took the agent, or it was signed out: not to be resumed.
        this.wantSession = false;
        this.endSession();
        break;
    }
    this.apply({ kind: 'event', event: body, self: this.AgentID });
    if (resultOf?.quiet === true) return;
    this.events.emit(body.eventType as keyof AgentBarEvents, body as never);
    // The JSON text is built only for a page that listens to it.
    const js = this.events.has(`JS${body.eventType}` as keyof AgentBarEvents) ? jsForm(body) : undefined;
    if (js !== undefined) this.events.emit(js.name, js.jsonArgsStr);
  }

  private apply(input: CallInput): void {
    const before = this.callState;
    this.callState = nextCallState(before, input);
    if (before.state === this.callState.state && before.callStatus === this.callState.callStatus) return;
    this.emitOwn('AgentStateChangeEvent', { oldState: before.state, newState: this.callState.state, callStatus: this.callState.callStatus });
  }

  private emitOwn<K extends keyof ClientEvents>(name: K, fields: Omit<ClientEvents[K], 'eventType' | 'agentID' | 'time'>): void {
    this.events.emit(name, { eventType: name, agentID: this.AgentID, time: this.localTime(this.clock.now()), ...fields } as unknown as AgentBarEvents[K]);
  }
}


