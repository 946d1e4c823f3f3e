/**
 * A channel's caller profile, rendered as `Caller-*` headers (or `Other-Leg-*` for the
 * bridged partner's copy) the way switch_caller_profile_event_set_data does: a field
 * that is empty is left out (which is why Caller-Username, Caller-Callee-ID-Name,
 * Caller-Network-Addr … come and go across the captures), times are always there.
 */
import { HeaderBlock } from '../events/switch-event.js';
import type { Direction } from './channel-states.js';

/** Microsecond timestamps of a channel's life; 0 when it has not happened. */
export interface ChannelTimes {
  created: number;
  profileCreated: number;
  answered: number;
  progress: number;
  progressMedia: number;
  hungup: number;
  transferred: number;
  resurrected: number;
  bridged: number;
  lastHold: number;
  holdAccum: number;
}

export function newTimes(nowUs: number): ChannelTimes {
  return {
    created: nowUs,
    profileCreated: nowUs,
    answered: 0,
    progress: 0,
    progressMedia: 0,
    hungup: 0,
    transferred: 0,
    resurrected: 0,
    bridged: 0,
    lastHold: 0,
    holdAccum: 0,
  };
}

export interface ProfileFields {
  direction: Direction;
  logicalDirection: Direction;
  username: string;
  dialplan: string;
  callerIdName: string;
  callerIdNumber: string;
  origCallerIdName: string;
  origCallerIdNumber: string;
  calleeIdName: string;
  calleeIdNumber: string;
  networkAddr: string;
  ani: string;
  destinationNumber: string;
  uuid: string;
  source: string;
  transferSource: string;
  context: string;
  rdnis: string;
  channelName: string;
  profileIndex: string;
}

export class CallerProfile {
  private cache = new Map<string, HeaderBlock>();

  constructor(
    readonly fields: ProfileFields,
    /** Shared with the channel: the times move on after the profile was made. */
    readonly times: ChannelTimes,
  ) {}

  /** Changes fields; drops the cached header blocks. */
  update(change: Partial<ProfileFields>): void {
    Object.assign(this.fields, change);
    this.cache.clear();
  }

  /** Times changed (the channel calls this): the cached blocks are stale. */
  touch(): void {
    this.cache.clear();
  }

  /** A frozen copy, as FreeSWITCH keeps of the partner's profile when it bridges (Other-Leg-*). */
  snapshot(): CallerProfile {
    return new CallerProfile({ ...this.fields }, { ...this.times });
  }

  block(prefix: 'Caller' | 'Other-Leg'): HeaderBlock {
    let b = this.cache.get(prefix);
    if (b === undefined) {
      b = this.render(prefix);
      this.cache.set(prefix, b);
    }
    return b;
  }

  private render(prefix: string): HeaderBlock {
    const f = this.fields;
    const t = this.times;
    const names: string[] = [];
    const values: string[] = [];
    const add = (name: string, value: string) => {
      names.push(prefix + '-' + name);
      values.push(value);
    };
    const opt = (name: string, value: string) => {
      if (value !== '') add(name, value);
    };
    add('Direction', f.direction);
    add('Logical-Direction', f.logicalDirection);
    opt('Username', f.username);
    opt('Dialplan', f.dialplan);
    opt('Caller-ID-Name', f.callerIdName);
    opt('Caller-ID-Number', f.callerIdNumber);
    opt('Orig-Caller-ID-Name', f.origCallerIdName);
    opt('Orig-Caller-ID-Number', f.origCallerIdNumber);
    opt('Callee-ID-Name', f.calleeIdName);
    opt('Callee-ID-Number', f.calleeIdNumber);
    opt('Network-Addr', f.networkAddr);
    opt('ANI', f.ani);
    opt('Destination-Number', f.destinationNumber);
    opt('Unique-ID', f.uuid);
    opt('Source', f.source);
    opt('Transfer-Source', f.transferSource);
    opt('Context', f.context);
    opt('RDNIS', f.rdnis);
    opt('Channel-Name', f.channelName);
    // The partner's copy carries no index (captures: no Other-Leg-Profile-Index).
    if (prefix === 'Caller') opt('Profile-Index', f.profileIndex);
    add('Profile-Created-Time', String(t.profileCreated));
    add('Channel-Created-Time', String(t.created));
    add('Channel-Answered-Time', String(t.answered));
    add('Channel-Progress-Time', String(t.progress));
    add('Channel-Progress-Media-Time', String(t.progressMedia));
    add('Channel-Hangup-Time', String(t.hungup));
    add('Channel-Transfer-Time', String(t.transferred));
    add('Channel-Resurrect-Time', String(t.resurrected));
    add('Channel-Bridged-Time', String(t.bridged));
    add('Channel-Last-Hold', String(t.lastHold));
    add('Channel-Hold-Accum', String(t.holdAccum));
    add('Screen-Bit', 'true');
    add('Privacy-Hide-Name', 'false');
    add('Privacy-Hide-Number', 'false');
    return new HeaderBlock(names, values);
  }
}
