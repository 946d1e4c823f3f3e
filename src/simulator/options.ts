/** What a SwitchSimulator can be told at construction, and the defaults. */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { SystemClock, type Clock } from '../clock.js';
import { pino, type Logger } from 'pino';
import type { SipProfileSettings } from './directory/directory.js';
import type { SwitchIdentity } from './events/event-prelude.js';
import { DEFAULT_LOCAL_STREAMS, type LocalStream } from './media/local-streams.js';

export interface SimulatorOptions {
  /** TCP port of the event socket; 0 picks a free one (tests). Default 8021, as FreeSWITCH. */
  readonly port?: number;
  /** Address to listen on; default 127.0.0.1 (FreeSWITCH's event_socket default). */
  readonly host?: string;
  /** The event socket password; default ClueCon. */
  readonly password?: string;
  /** Time source; default the system clock. Tests may pass a ManualClock. */
  readonly clock?: Clock;
  /**
   * Where event times (Event-Date-Timestamp, the channels' *_uepoch) come from, in
   * microseconds since the epoch. Default: the clock's milliseconds × 1000. FreeSWITCH
   * stamps events with switch_micro_time_now(): the standalone simulator passes a
   * microsecond wall clock, so that latencies can be measured from the switch's own time.
   */
  readonly microseconds?: () => number;
  readonly logger?: Logger;
  /** How the switch names itself in every event (Core-UUID, FreeSWITCH-Hostname, -IPv4…). */
  readonly identity?: Partial<SwitchIdentity>;
  /** SIP domain of the directory; default the switch's IPv4 (FreeSWITCH's default). */
  readonly domain?: string;
  /** HEARTBEAT interval; default 20 000 ms as FreeSWITCH; 0 turns it off. */
  readonly heartbeatMs?: number;
  /** Event-Sequence of the first event; default 1. */
  readonly firstEventSequence?: number;
  /** Most channels at once; originate fails beyond (default 1000, FreeSWITCH's max-sessions). */
  readonly maxSessions?: number;
  /** What a held leg's partner hears unless the leg has hold_music set; default local_stream://moh. */
  readonly holdMusic?: string;
  /** mod_local_stream's sources; default `moh` and `default`, as freeswitch-conf/ defines them. */
  readonly localStreams?: readonly LocalStream[];
  /** The echo test number of the dialplan; default 9196 (FreeSWITCH's demo dialplan). */
  readonly echoNumber?: string;
  /** How long an originate takes to report after its leg answers; default 0 (see setOriginateReportDelay). */
  readonly originateReportDelayMs?: number;
  /** The `internal` SIP profile's REGISTER settings (sofia.conf): multiple-registrations, auth-calls, presence-hosts. */
  readonly sipProfile?: SipProfileSettings;
  /** How long after a REGISTER `show registrations` shows it (FreeSWITCH's SQL queue); default 0. */
  readonly registrationsTableDelayMs?: number;
  /**
   * Events an ESL listener may have waiting when it reads slower than the switch fires;
   * beyond, events are lost and after 500 lost the listener is killed. Default 100,000:
   * mod_event_socket's MAX_QUEUE_LEN.
   */
  readonly eventQueueLength?: number;
}

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly password: string;
  readonly clock: Clock;
  readonly microseconds: (() => number) | undefined;
  readonly logger: Logger;
  readonly identity: SwitchIdentity;
  readonly domain: string;
  readonly heartbeatMs: number;
  readonly firstEventSequence: number;
  readonly maxSessions: number;
  readonly holdMusic: string;
  readonly localStreams: readonly LocalStream[];
  readonly echoNumber: string;
  readonly originateReportDelayMs: number;
  readonly sipProfile: SipProfileSettings;
  readonly registrationsTableDelayMs: number;
  readonly eventQueueLength: number;
}

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  const host = hostname();
  const identity: SwitchIdentity = {
    coreUuid: o.identity?.coreUuid ?? randomUUID(),
    hostname: o.identity?.hostname ?? host,
    switchname: o.identity?.switchname ?? o.identity?.hostname ?? host,
    ipv4: o.identity?.ipv4 ?? '127.0.0.1',
    ipv6: o.identity?.ipv6 ?? '::1',
  };
  return {
    port: o.port ?? 8021,
    host: o.host ?? '127.0.0.1',
    password: o.password ?? 'ClueCon',
    clock: o.clock ?? new SystemClock(),
    microseconds: o.microseconds,
    logger: o.logger ?? pino({ level: 'silent' }),
    identity,
    domain: o.domain ?? identity.ipv4,
    heartbeatMs: o.heartbeatMs ?? 20_000,
    firstEventSequence: o.firstEventSequence ?? 1,
    maxSessions: o.maxSessions ?? 1000,
    holdMusic: o.holdMusic ?? 'local_stream://moh',
    localStreams: o.localStreams ?? DEFAULT_LOCAL_STREAMS,
    echoNumber: o.echoNumber ?? '9196',
    originateReportDelayMs: o.originateReportDelayMs ?? 0,
    sipProfile: o.sipProfile ?? {},
    registrationsTableDelayMs: o.registrationsTableDelayMs ?? 0,
    eventQueueLength: o.eventQueueLength ?? 100_000,
  };
}
