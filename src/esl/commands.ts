/**
 * Every command polylink sends to FreeSWITCH, built in one place by pure functions
 * (docs/esl-commands.md is the contract). Each builder validates every value it is
 * given (validate.ts) and returns a typed refusal instead of a command when one does
 * not fit, so a value like `1001 &park()` or one holding a newline can never become a
 * second argument, an application or a second command.
 */
import { type Result, fail, ok } from './result.js';
import { type InvalidValue, type ValueKind, checkAll, checkValue, refuse } from './validate.js';

/** `api` and `bgapi` run an API command; `command` is a bare ESL command (auth, event, exit). */
export type EslCommand =
  | { readonly kind: 'api'; readonly text: string }
  | { readonly kind: 'bgapi'; readonly text: string }
  | { readonly kind: 'command'; readonly text: string };

export type Built = Result<EslCommand, InvalidValue>;

export type EventFormat = 'json' | 'plain';

/** Which legs a broadcast reaches, in uuid_broadcast's words. */
export type BroadcastLegs = 'aleg' | 'bleg' | 'both';

export type PlaybackSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'local-stream'; readonly name: string }
  /** tone_stream://%(on,off,f1[,f2…])…;loops=n, each part checked as a number. */
  | { readonly kind: 'tone'; readonly tones: ReadonlyArray<Tone>; readonly loops?: number };

export interface Tone {
  readonly onMs: number;
  readonly offMs: number;
  readonly frequencies: ReadonlyArray<number>;
}

export type Endpoint =
  | { readonly kind: 'user'; readonly extension: string; readonly domain?: string }
  | { readonly kind: 'gateway'; readonly gateway: string; readonly number: string }
  | { readonly kind: 'loopback'; readonly number: string; readonly context: string };

/**
 * Who hears a supervisor's eavesdrop leg; the supervisor always hears both sides. In
 * FreeSWITCH's words (switch_ivr_eavesdrop_session, src/switch_ivr_async.c) the leg's
 * media bug on the eavesdropped channel mixes the supervisor into that channel's write
 * stream (ED_MUX_WRITE: the eavesdropped leg hears it), its read stream (ED_MUX_READ:
 * what the leg's bridged partner hears), both, or neither:
 * - `listen`: heard by nobody (DTMF 0);
 * - `whisper`: heard by the eavesdropped leg only (DTMF 2) — eavesdrop on the agent's leg to coach the agent;
 * - `whisper-partner`: heard by the eavesdropped leg's partner only (DTMF 1);
 * - `barge`: heard by both (DTMF 3).
 */
export type EavesdropMode = 'listen' | 'whisper' | 'whisper-partner' | 'barge';

/** The digit that puts a running eavesdrop into each mode (the switch in switch_ivr_eavesdrop_session's loop). */
export const EAVESDROP_MODE_DIGITS: Readonly<Record<EavesdropMode, '0' | '1' | '2' | '3'>> = {
  listen: '0',
  'whisper-partner': '1',
  whisper: '2',
  barge: '3',
};

export type OriginateApplication =
  | { readonly kind: 'park' }
  | { readonly kind: 'echo' }
  /** The supervisor's leg; `mode` is where it starts, setEavesdropMode moves it. */
  | { readonly kind: 'eavesdrop'; readonly uuid: string; readonly mode: EavesdropMode }
  /**
   * The new leg takes the channel `uuid` over once it answers (switch_ivr_intercept_session):
   * the channel is bridged to it, and the channel's partner, if it has one, is hung up PICKED_OFF.
   */
  | { readonly kind: 'intercept'; readonly uuid: string }
  | { readonly kind: 'conference'; readonly name: string; readonly profile?: string };

export const POLYLINK_LEGS = ['customer', 'agent', 'consult', 'threeway', 'monitor', 'check'] as const;
export type PolylinkLeg = (typeof POLYLINK_LEGS)[number];

export interface OriginateSpec {
  /** origination_uuid: polylink chooses every leg's UUID. */
  readonly uuid: string;
  readonly endpoint: Endpoint;
  readonly application: OriginateApplication;
  readonly callerIdNumber: string;
  readonly callerIdName?: string;
  readonly timeoutSeconds: number;
  /** polylink_call: the call's relation_uuid. */
  readonly call: string;
  readonly leg: PolylinkLeg;
  readonly agent?: string;
  /** The leg survives its partner hanging up (park_after_bridge=true). */
  readonly parkAfterBridge?: boolean;
  /** hangup_after_bridge=false. */
  readonly keepAfterBridge?: boolean;
  readonly holdMusic?: HoldMusic;
}

/**
 * Hold music travels inside the `{…}` variable block, where `,` separates variables,
 * so a tone_stream (which needs commas) is not offered here.
 */
export type HoldMusic = Exclude<PlaybackSource, { readonly kind: 'tone' }>;

// --- connection ---------------------------------------------------------------

export function auth(password: string): Built {
  const problem = checkValue('password', 'password', password);
  if (problem) return fail(problem);
  return ok({ kind: 'command', text: `auth ${password}` });
}

const EVENT_NAME = /^[A-Z][A-Z_]{0,63}$/;
const SUBCLASS = /^[A-Za-z0-9_]+(?:::[A-Za-z0-9_-]+)+$/;

/**
 * `event json|plain <names> CUSTOM <subclasses>`. FreeSWITCH reads every word after
 * CUSTOM as a subclass, so CUSTOM and its subclasses must come last.
 */
export function subscribe(format: EventFormat, events: ReadonlyArray<string>, subclasses: ReadonlyArray<string>): Built {
  for (const name of events) {
    if (!EVENT_NAME.test(name) || name === 'CUSTOM') {
      return fail(refuse('events', 'name', name));
    }
  }
  for (const sub of subclasses) {
    if (!SUBCLASS.test(sub)) {
      return fail(refuse('subclasses', 'name', sub));
    }
  }
  const words = [...events, ...(subclasses.length > 0 ? ['CUSTOM', ...subclasses] : [])];
  return ok({ kind: 'command', text: `event ${format} ${words.join(' ')}` });
}

export const status = (): EslCommand => ({ kind: 'api', text: 'status' });
export const exit = (): EslCommand => ({ kind: 'command', text: 'exit' });

// --- state queries -----------------------------------------------------------

export const showChannels = (): EslCommand => ({ kind: 'api', text: 'show channels as json' });
export const showCalls = (): EslCommand => ({ kind: 'api', text: 'show calls as json' });
export const showRegistrations = (): EslCommand => ({ kind: 'api', text: 'show registrations as json' });
/** The switch's Core-UUID (switch_core.c sets the global `core_uuid` at start): a new one means it restarted. */
export const coreUuid = (): EslCommand => ({ kind: 'api', text: 'global_getvar core_uuid' });
/** sofia.conf as the switch loaded it (mod_commands xml_locate): each profile's settings. */
export const sofiaConfiguration = (): EslCommand => ({ kind: 'api', text: 'xml_locate configuration configuration name sofia.conf' });

/** mod_local_stream's sources, one `name,location` line each (hold music, checked at connect). */
export const localStreams = (): EslCommand => ({ kind: 'api', text: 'local_stream show' });

export function uuidExists(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_exists ${uuid}`);
}

export function uuidDump(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_dump ${uuid} json`);
}

// --- calls ----------------------------------------------------------------------

export function originate(spec: OriginateSpec): Result<EslCommand, InvalidValue> {
  const problem =
    checkAll([
      ['uuid', 'uuid', spec.uuid],
      ['call', 'uuid', spec.call],
      ['callerIdNumber', 'phone-number', spec.callerIdNumber],
      ['timeoutSeconds', 'seconds', spec.timeoutSeconds],
    ]) ??
    (spec.callerIdName === undefined ? undefined : checkValue('callerIdName', 'variable-value', spec.callerIdName)) ??
    (spec.agent === undefined ? undefined : checkValue('agent', 'extension', spec.agent)) ??
    (POLYLINK_LEGS.includes(spec.leg) ? undefined : refuse('leg', 'name', spec.leg));
  if (problem) return fail(problem);

  const endpoint = endpointText(spec.endpoint);
  if (!endpoint.ok) return endpoint;
  const application = applicationText(spec.application);
  if (!application.ok) return application;

  const vars: Array<readonly [string, string]> = [
    ['origination_uuid', spec.uuid],
    ['origination_caller_id_number', spec.callerIdNumber],
  ];
  if (spec.callerIdName !== undefined && spec.callerIdName !== '') {
    vars.push(['origination_caller_id_name', spec.callerIdName]);
  }
  vars.push(['originate_timeout', String(spec.timeoutSeconds)]);
  vars.push(['polylink_call', spec.call], ['polylink_leg', spec.leg]);
  if (spec.agent !== undefined) vars.push(['polylink_agent', spec.agent]);
  if (spec.parkAfterBridge) vars.push(['park_after_bridge', 'true']);
  if (spec.keepAfterBridge) vars.push(['hangup_after_bridge', 'false']);
  if (spec.holdMusic !== undefined) {
    if ((spec.holdMusic as PlaybackSource).kind === 'tone') return fail(refuse('holdMusic', 'file-path', spec.holdMusic));
    const music = playbackText('holdMusic', spec.holdMusic);
    if (!music.ok) return music;
    vars.push(['hold_music', music.value]);
  }
  if (spec.application.kind === 'eavesdrop') vars.push(...eavesdropVariables(spec.application.mode));

  return ok({ kind: 'bgapi', text: `originate {${vars.map(formatVariable).join(',')}}${endpoint.value} ${application.value}` });
}

/**
 * Changes what a running eavesdrop leg does without dialling it again: the digit of
 * EAVESDROP_MODE_DIGITS injected as if the supervisor's phone had sent it. FreeSWITCH
 * answers `+OK <uuid> received DTMF <digit>.` and fires one DTMF event on the leg
 * (DTMF-Source APP), nothing else (capture d2): polylink keeps the mode itself.
 */
export function setEavesdropMode(uuid: string, mode: EavesdropMode): Built {
  const problem = checkValue('uuid', 'uuid', uuid) ?? (isEavesdropMode(mode) ? undefined : refuse('mode', 'name', mode));
  if (problem) return fail(problem);
  return ok({ kind: 'api', text: `uuid_recv_dtmf ${uuid} ${EAVESDROP_MODE_DIGITS[mode]}` });
}

/**
 * `uuid_recv_dtmf <uuid> <digits>`: the leg receives the digits as if its phone had sent
 * them (switch_channel_queue_dtmf_string); whatever it runs reads them, each read digit
 * fires a DTMF event. Replies `+OK <uuid> received DTMF <digits>.` / `-ERR Cannot locate session!`.
 */
export function receiveDtmf(uuid: string, digits: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['digits', 'dtmf', digits],
    ],
    () => `uuid_recv_dtmf ${uuid} ${digits}`,
  );
}

/**
 * `uuid_send_dtmf <uuid> <digits>`: the digits go out to the leg's far end, as tones the
 * leg's endpoint sends (RFC 2833 on a SIP leg) — what the party on that leg hears, e.g. an
 * outside IVR. mod_commands.c uuid_send_dtmf_function → switch_core_session_send_dtmf_string
 * (src/switch_core_io.c): no event is fired; `+OK <uuid> sent DTMF <digits>.`, `-ERR Cannot
 * locate session!`, or `-ERR Operation failed` (a down channel, no digit, more than 99
 * characters). The digits are the plain keys only: the function also reads `~`, `+` groups,
 * `@<ms>` durations and `w`/`W` pauses, none of which a client may slip in.
 */
export function sendDtmf(uuid: string, digits: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['digits', 'dtmf', digits],
    ],
    () => `uuid_send_dtmf ${uuid} ${digits}`,
  );
}

export function answer(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_answer ${uuid}`);
}

export function bridge(uuid: string, otherUuid: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['otherUuid', 'uuid', otherUuid],
    ],
    () => `uuid_bridge ${uuid} ${otherUuid}`,
  );
}

/** The partner hears music on hold; FreeSWITCH answers +OK Success even for an unknown uuid. */
export function hold(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_hold ${uuid}`);
}

export function unhold(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_hold off ${uuid}`);
}

/**
 * Mute = a media bug that zeroes the audio FreeSWITCH reads from this leg, so the
 * partner hears nothing of it (switch_ivr_session_audio: "read", level 1 = silence).
 */
export function mute(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_audio ${uuid} start read mute 1`);
}

export function unmute(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_audio ${uuid} stop`);
}

export type TransferLegs = 'aleg' | 'bleg' | 'both';

/** `uuid_transfer <uuid> [-bleg|-both] <extension> XML <context>` */
export function transfer(uuid: string, extension: string, context: string, legs: TransferLegs = 'aleg'): Built {
  const flag = legs === 'aleg' ? '' : legs === 'bleg' ? '-bleg ' : '-both ';
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['extension', 'extension', extension],
      ['context', 'name', context],
    ],
    () => `uuid_transfer ${uuid} ${flag}${extension} XML ${context}`,
  );
}

/** Tells the phone of a ringing leg to pick up (SIP NOTIFY Event: talk); phones that support it answer. */
export function phoneTalk(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_phone_event ${uuid} talk`);
}

export function park(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_park ${uuid}`);
}

export function broadcast(uuid: string, source: PlaybackSource, legs: BroadcastLegs = 'aleg'): Built {
  const uuidProblem = checkValue('uuid', 'uuid', uuid);
  if (uuidProblem) return fail(uuidProblem);
  if (legs !== 'aleg' && legs !== 'bleg' && legs !== 'both') return fail(refuse('legs', 'name', legs));
  const path = playbackText('source', source);
  if (!path.ok) return path;
  return ok({ kind: 'api', text: `uuid_broadcast ${uuid} ${path.value} ${legs}` });
}

/** Stops what uuid_broadcast started, queued files included. */
export function stopPlayback(uuid: string): Built {
  return api([['uuid', 'uuid', uuid]], () => `uuid_break ${uuid} all`);
}

export function recordStart(uuid: string, path: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['path', 'file-path', path],
    ],
    () => `uuid_record ${uuid} start ${path}`,
  );
}

export function recordStop(uuid: string, path: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['path', 'file-path', path],
    ],
    () => `uuid_record ${uuid} stop ${path}`,
  );
}

export function kill(uuid: string, cause?: string): Built {
  if (cause === undefined) return api([['uuid', 'uuid', uuid]], () => `uuid_kill ${uuid}`);
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['cause', 'hangup-cause', cause],
    ],
    () => `uuid_kill ${uuid} ${cause}`,
  );
}

export function setVariable(uuid: string, name: string, value: string): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['name', 'variable-name', name],
      ['value', 'variable-value', value],
    ],
    () => `uuid_setvar ${uuid} ${name} ${quoteIfSpaced(value)}`,
  );
}

/** Moves both legs of a bridged call into a conference (the three-party call). */
export function transferToConference(uuid: string, conference: string, profile = 'default'): Built {
  return api(
    [
      ['uuid', 'uuid', uuid],
      ['conference', 'name', conference],
      ['profile', 'name', profile],
    ],
    () => `uuid_transfer ${uuid} -both conference:${conference}@${profile} inline`,
  );
}

export function conferenceKick(conference: string, memberId: string): Built {
  return api(
    [
      ['conference', 'name', conference],
      ['memberId', 'member-id', memberId],
    ],
    () => `conference ${conference} kick ${memberId}`,
  );
}

export function conferenceHangupAll(conference: string): Built {
  return api([['conference', 'name', conference]], () => `conference ${conference} hup all`);
}

// --- pieces ---------------------------------------------------------------------

function api(checks: ReadonlyArray<readonly [string, ValueKind, unknown]>, text: () => string): Built {
  const problem = checkAll(checks);
  if (problem) return fail(problem);
  return ok({ kind: 'api', text: text() });
}

function endpointText(endpoint: Endpoint): Result<string, InvalidValue> {
  switch (endpoint.kind) {
    case 'user': {
      const problem =
        checkValue('extension', 'extension', endpoint.extension) ??
        (endpoint.domain === undefined ? undefined : checkValue('domain', 'name', endpoint.domain));
      if (problem) return fail(problem);
      return ok(endpoint.domain === undefined ? `user/${endpoint.extension}` : `user/${endpoint.extension}@${endpoint.domain}`);
    }
    case 'gateway': {
      const problem = checkAll([
        ['gateway', 'name', endpoint.gateway],
        ['number', 'phone-number', endpoint.number],
      ]);
      if (problem) return fail(problem);
      return ok(`sofia/gateway/${endpoint.gateway}/${endpoint.number}`);
    }
    case 'loopback': {
      const problem = checkAll([
        ['number', 'phone-number', endpoint.number],
        ['context', 'name', endpoint.context],
      ]);
      if (problem) return fail(problem);
      return ok(`loopback/${endpoint.number}/${endpoint.context}`);
    }
    default:
      return fail(refuse('endpoint', 'name', endpoint));
  }
}

function applicationText(application: OriginateApplication): Result<string, InvalidValue> {
  switch (application.kind) {
    case 'park':
      return ok('&park()');
    case 'echo':
      return ok('&echo()');
    case 'eavesdrop': {
      const problem =
        checkValue('eavesdropUuid', 'uuid', application.uuid) ??
        (isEavesdropMode(application.mode) ? undefined : refuse('mode', 'name', application.mode));
      if (problem) return fail(problem);
      return ok(`&eavesdrop(${application.uuid})`);
    }
    case 'intercept': {
      const problem = checkValue('interceptUuid', 'uuid', application.uuid);
      if (problem) return fail(problem);
      return ok(`&intercept(${application.uuid})`);
    }
    case 'conference': {
      const profile = application.profile ?? 'default';
      const problem = checkAll([
        ['conference', 'name', application.name],
        ['profile', 'name', profile],
      ]);
      if (problem) return fail(problem);
      return ok(`&conference(${application.name}@${profile})`);
    }
    default:
      return fail(refuse('application', 'name', application));
  }
}

/**
 * The eavesdrop leg reads DTMF (eavesdrop_enable_dtmf=true, also mod_dptools' default,
 * written out so that no dialplan default can turn it off), so setEavesdropMode can move
 * it later; the whisper variables give its first mode (eavesdrop_function: whisper_aleg
 * sets ED_MUX_READ, heard by the partner; whisper_bleg ED_MUX_WRITE, heard by the
 * eavesdropped leg). The supervisor's own phone can change the mode with the same keys,
 * and `*` ends the eavesdrop (the leg then hangs up): its DTMF events tell.
 */
function eavesdropVariables(mode: EavesdropMode): Array<readonly [string, string]> {
  const vars: Array<readonly [string, string]> = [['eavesdrop_enable_dtmf', 'true']];
  if (mode === 'whisper-partner' || mode === 'barge') vars.push(['eavesdrop_whisper_aleg', 'true']);
  if (mode === 'whisper' || mode === 'barge') vars.push(['eavesdrop_whisper_bleg', 'true']);
  return vars;
}

function isEavesdropMode(mode: unknown): mode is EavesdropMode {
  return typeof mode === 'string' && Object.hasOwn(EAVESDROP_MODE_DIGITS, mode);
}

function playbackText(field: string, source: PlaybackSource): Result<string, InvalidValue> {
  switch (source.kind) {
    case 'file': {
      const problem = checkValue(field, 'file-path', source.path);
      return problem ? fail(problem) : ok(source.path);
    }
    case 'local-stream': {
      const problem = checkValue(field, 'name', source.name);
      return problem ? fail(problem) : ok(`local_stream://${source.name}`);
    }
    case 'tone': {
      const loops = source.loops ?? 1;
      const valid =
        source.tones.length >= 1 &&
        source.tones.length <= 8 &&
        source.tones.every(
          (t) =>
            isIntIn(t.onMs, 1, 60_000) &&
            isIntIn(t.offMs, 0, 60_000) &&
            t.frequencies.length >= 1 &&
            t.frequencies.length <= 4 &&
            t.frequencies.every((f) => isIntIn(f, 1, 8_000)),
        ) &&
        (loops === -1 || isIntIn(loops, 1, 1_000));
      if (!valid) return fail(refuse(field, 'file-path', source));
      const parts = source.tones.map((t) => `%(${[t.onMs, t.offMs, ...t.frequencies].join(',')})`).join('');
      return ok(`tone_stream://${parts};loops=${loops}`);
    }
    default:
      return fail(refuse(field, 'file-path', source));
  }
}

function isIntIn(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}

/**
 * FreeSWITCH splits an API command's arguments on spaces, honouring single quotes
 * (switch_separate_string), so a value with a space is quoted. Values cannot hold a
 * quote themselves (validate.ts), which keeps the quoting unambiguous.
 */
function quoteIfSpaced(value: string): string {
  return value.includes(' ') ? `'${value}'` : value;
}

function formatVariable([name, value]: readonly [string, string]): string {
  return `${name}=${quoteIfSpaced(value)}`;
}
