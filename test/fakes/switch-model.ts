/**
 * A switch for scenario tests of the core, without sockets: it takes the core's switch
 * commands and answers them as FreeSWITCH would (the simulator's rules, much reduced):
 * an originate rings the phone, which answers, rings out, refuses or cannot be reached;
 * a bridge joins two channels; a kill hangs one up, and its partner, originated with
 * park_after_bridge, is parked rather than hung up (switch_ivr_bridge.c). Events go out
 * in one ordered stream, as one event socket delivers them; command results may come
 * before or after the events they concern (the bridge race, capture m). Time is the
 * scenario's ManualClock.
 */
import type { ManualClock } from '../../src/clock.js';
import type { SwitchCommand, SwitchRef } from '../../src/core/ports/switch-command.js';
import type { PolylinkVars, SwitchEvent } from '../../src/core/ports/switch-events.js';
import type { SwitchResult } from '../../src/core/ports/switch-port.js';

export type PhoneBehaviour =
  | { readonly kind: 'answer'; readonly afterMs: number }
  | { readonly kind: 'no-answer' }
  | { readonly kind: 'reject'; readonly afterMs: number }
  | { readonly kind: 'unreachable' };

interface Channel {
  readonly uuid: string;
  readonly vars: PolylinkVars;
  answered: boolean;
  bridgedTo: string | undefined;
  up: boolean;
  /** An eavesdrop leg: the channel it watches. */
  eavesdrops?: string;
}

/** The digit an eavesdrop reads for each mode (src/esl/commands.ts EAVESDROP_MODE_DIGITS). */
const MODE_DIGIT = { listen: '0', 'whisper-partner': '1', whisper: '2', barge: '3' } as const;

export interface PendingResult {
  readonly ref: SwitchRef;
  readonly result: SwitchResult<unknown>;
}

const NODE = 'model';

export class SwitchModel {
  /** Events in the order the switch sent them. */
  readonly events: SwitchEvent[] = [];
  /** Answers to commands sent with a ref, not yet handed to the core (any order). */
  readonly results: PendingResult[] = [];
  private readonly channels = new Map<string, Channel>();
  private readonly phones = new Map<string, PhoneBehaviour>();
  private nextCustomer = 1;

  constructor(private readonly clock: ManualClock) {}

  setPhone(exten: string, behaviour: PhoneBehaviour): void {
    this.phones.set(exten, behaviour);
  }

  isUp(uuid: string): boolean {
    return this.channels.get(uuid)?.up === true;
  }

  /** Channels still up. */
  liveChannels(): string[] {
    return [...this.channels.values()].filter((c) => c.up).map((c) => c.uuid);
  }

  /** A customer dials an access number; the dialplan parks it for polylink. Returns its uuid. */
  placeCall(from: string, accessNumber: string): string {
    const uuid = `customer-${this.nextCustomer++}`;
    const vars: PolylinkVars = { accessNumber };
    this.channels.set(uuid, { uuid, vars, answered: false, bridgedTo: undefined, up: true });
    this.emit({ type: 'channel-parked', uuid, vars, direction: 'inbound', callerNumber: from, callerName: from, destination: accessNumber });
    return uuid;
  }

  /** The eavesdrop legs up on this channel. */
  eavesdropLegsOn(uuid: string): string[] {
    return [...this.channels.values()].filter((c) => c.up && c.eavesdrops === uuid).map((c) => c.uuid);
  }

  /** The party on this channel presses a key (an eavesdrop leg reads 0–3 as a mode: capture d2). */
  pressKey(uuid: string, digit: string): void {
    const ch = this.channels.get(uuid);
    if (ch !== undefined && ch.up) this.emit({ type: 'dtmf', uuid, vars: ch.vars, digit });
  }

  /** The party on this channel hangs up. */
  hangup(uuid: string, cause = 'NORMAL_CLEARING'): void {
    const ch = this.channels.get(uuid);
    if (ch === undefined || !ch.up) return;
    ch.up = false;
    const partner = ch.bridgedTo === undefined ? undefined : this.channels.get(ch.bridgedTo);
    ch.bridgedTo = undefined;
    if (partner !== undefined && partner.up) {
      // park_after_bridge: the partner is parked, not hung up; polylink decides what comes next.
      partner.bridgedTo = undefined;
      this.emit({ type: 'channel-unbridged', uuid: partner.uuid, vars: partner.vars, otherUuid: uuid });
    }
    this.emit({ type: 'channel-hangup', uuid, vars: ch.vars, cause, synthetic: false });
    // The eavesdrop loop notices its target gone and hangs its leg up (switch_ivr_eavesdrop_session).
    for (const spy of this.channels.values()) if (spy.up && spy.eavesdrops === uuid) this.hangup(spy.uuid);
  }

  /** What the core asked; a command with a ref gets its result in `results`. */
  command(command: SwitchCommand, ref: SwitchRef | undefined): void {
    const answer = (result: SwitchResult<unknown>): void => {
      if (ref !== undefined) this.results.push({ ref, result });
    };
    const ok = { ok: true, value: undefined } as const;
    const gone = { ok: false, reason: 'rejected', message: '-ERR No such channel!' } as const;
    switch (command.op) {
      case 'originate':
        return this.originate(command.request, ref);
      case 'answer': {
        const ch = this.channels.get(command.uuid);
        if (ch === undefined || !ch.up) return answer(gone);
        if (!ch.answered) {
          ch.answered = true;
          this.emit({ type: 'channel-answered', uuid: ch.uuid, vars: ch.vars });
        }
        return answer(ok);
      }
      case 'bridge': {
        const a = this.channels.get(command.uuid);
        const b = this.channels.get(command.otherUuid);
        if (a === undefined || b === undefined || !a.up || !b.up) return answer(gone);
        a.bridgedTo = b.uuid;
        b.bridgedTo = a.uuid;
        this.emit({ type: 'channel-bridged', uuid: a.uuid, vars: a.vars, otherUuid: b.uuid });
        return answer(ok);
      }
      case 'setEavesdropMode': {
        // The leg reads the injected digit: one DTMF event, no other news (capture d2).
        const ch = this.channels.get(command.uuid);
        if (ch === undefined || !ch.up) return answer(gone);
        this.emit({ type: 'dtmf', uuid: ch.uuid, vars: ch.vars, digit: MODE_DIGIT[command.mode] });
        return answer(ok);
      }
      case 'kill': {
        const ch = this.channels.get(command.uuid);
        if (ch === undefined || !ch.up) return answer(gone);
        this.hangup(ch.uuid, command.cause ?? 'NORMAL_CLEARING');
        return answer(ok);
      }
      default: {
        // Media and variables: accepted while the channel is up; nothing the core waits for.
        const uuid = 'uuid' in command ? command.uuid : undefined;
        return answer(uuid === undefined || this.isUp(uuid) ? ok : gone);
      }
    }
  }

  private originate(request: Extract<SwitchCommand, { op: 'originate' }>['request'], ref: SwitchRef | undefined): void {
    const uuid = request.uuid;
    const vars: PolylinkVars = { call: request.call, leg: request.leg, ...(request.agent !== undefined ? { agent: request.agent } : {}) };
    const exten = request.target.kind === 'extension' ? request.target.extension : undefined;
    const behaviour: PhoneBehaviour = exten === undefined ? { kind: 'answer', afterMs: 50 } : (this.phones.get(exten) ?? { kind: 'answer', afterMs: 50 });
    const fail = (cause: string): void => {
      if (ref !== undefined) this.results.push({ ref, result: { ok: false, reason: 'rejected', message: `-ERR ${cause}`, cause } });
    };
    if (behaviour.kind === 'unreachable') return fail('USER_NOT_REGISTERED');
    const ch: Channel = { uuid, vars, answered: false, bridgedTo: undefined, up: true, ...(request.app.kind === 'eavesdrop' ? { eavesdrops: request.app.uuid } : {}) };
    this.channels.set(uuid, ch);
    const party = { direction: 'outbound', callerNumber: request.callerIdNumber, callerName: request.callerIdName ?? '', destination: exten ?? '' } as const;
    this.emit({ type: 'channel-created', uuid, vars, ...party });
    this.emit({ type: 'channel-ringing', uuid, vars, earlyMedia: false });
    const timeoutMs = request.timeoutSeconds * 1000;
    const end = (cause: string): void => {
      if (!ch.up || ch.answered) return;
      this.hangup(uuid, cause);
      fail(cause);
    };
    if (behaviour.kind === 'no-answer') {
      this.clock.setTimer(timeoutMs, () => end('NO_ANSWER'));
    } else if (behaviour.kind === 'reject') {
      this.clock.setTimer(Math.min(behaviour.afterMs, timeoutMs), () => end('CALL_REJECTED'));
    } else if (behaviour.afterMs >= timeoutMs) {
      this.clock.setTimer(timeoutMs, () => end('NO_ANSWER'));
    } else {
      this.clock.setTimer(behaviour.afterMs, () => {
        if (!ch.up) return;
        ch.answered = true;
        this.emit({ type: 'channel-answered', uuid, vars });
        if (ref !== undefined) this.results.push({ ref, result: { ok: true, value: { uuid, node: NODE } } });
      });
    }
  }

  private emit(event: DistributiveOmit<SwitchEvent, 'node' | 'at'>): void {
    this.events.push({ ...event, node: NODE, at: this.clock.now() } as SwitchEvent);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
