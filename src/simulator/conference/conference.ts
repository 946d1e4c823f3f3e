/**
 * mod_conference as far as polylink uses it (three-party calls): rooms created on first
 * join, CUSTOM conference::maintenance events with FreeSWITCH 1.10's headers (capture
 * e): conference-create, add-member, del-member, hup-member, kick-member,
 * floor-change, play-file, play-file-done, conference-destroy. The simulator has no
 * sound files, so the "you are alone" prompt fails as it did on the capture's box
 * (play-file with Error, no play-file-done); the enter / exit tones play and end
 * with play-file-done.
 */
import { randomUUID } from 'node:crypto';
import type { Channel } from '../channels/channel.js';
import type { SwitchCore } from '../core/switch-core.js';
import type { EventOrigin } from '../events/event-origins.js';
import { ORIGIN } from '../events/event-origins.js';
import { HeaderBlock } from '../events/switch-event.js';

const ALONE_SOUND = '/var/lib/freeswitch/sounds/en/us/callie/conference/conf-alone.wav';
const ENTER_SOUND = 'tone_stream://%(200,0,500,600,700)';
const EXIT_SOUND = 'tone_stream://%(500,0,300,200,100,50,25)';
const ENTER_MS = 400;
const EXIT_MS = 80;

export interface Member {
  readonly id: number;
  readonly channel: Channel;
  readonly joinedMs: number;
  /** Set when the member leaves through the API (hup, kick) rather than by hanging up. */
  leaving: 'hup' | 'kick' | undefined;
  /** Ends the member's conference application. */
  leave: () => void;
}

export class Conference {
  readonly uuid = randomUUID();
  readonly members: Member[] = [];
  private nextId = 1;
  floor: Member | undefined;
  readonly createdMs: number;
  private destroyed = false;

  constructor(
    private readonly core: SwitchCore,
    private readonly rooms: Conferences,
    readonly name: string,
    readonly profile: string,
  ) {
    this.createdMs = core.clock.now();
    this.fire(ORIGIN.confCreate, 'conference-create');
  }

  get size(): number {
    return this.members.length;
  }

  private confBlock(): HeaderBlock {
    return HeaderBlock.of([
      ['Conference-Name', this.name],
      ['Conference-Domain', this.core.config.domain],
      ['Conference-Size', String(this.members.length)],
      ['Conference-Ghosts', '0'],
      ['Conference-Profile-Name', this.profile],
      ['Conference-Unique-ID', this.uuid],
    ]);
  }

  /** conference_member_add_event_data: Floor, the channel's basic data and profile, then the member flags (capture e). */
  private memberBlocks(m: Member): HeaderBlock[] {
    return [
      HeaderBlock.of([['Floor', this.floor === m ? 'true' : 'false']]),
      ...m.channel.dataBlocks(false),
      HeaderBlock.of([
        ['Video', 'false'],
        ['Hear', 'true'],
        ['See', 'true'],
        ['Speak', 'true'],
        ['Talking', 'false'],
        ['Mute-Detect', 'false'],
        ['Hold', 'false'],
        ['Member-ID', String(m.id)],
        ['Member-Type', 'member'],
        ['Member-Ghost', 'false'],
        ['Energy-Level', '100'],
        ['Current-Energy', '0'],
      ]),
    ];
  }

  private fire(origin: EventOrigin, action: string, middle: HeaderBlock[] = [], tail: HeaderBlock[] = []): void {
    this.core.bus.fire({
      name: 'CUSTOM',
      subclass: 'conference::maintenance',
      origin,
      blocks: [this.confBlock(), ...middle, HeaderBlock.of([['Action', action]]), ...tail],
    });
  }

  private memberEvent(origin: EventOrigin, action: string, m: Member): void {
    this.core.bus.fire({
      name: 'CUSTOM',
      subclass: 'conference::maintenance',
      origin,
      blocks: [this.confBlock(), ...this.memberBlocks(m), HeaderBlock.of([['Action', action]])],
      uniqueId: m.channel.uuid,
    });
  }

  private playFileFailed(): void {
    this.fire(ORIGIN.confPlayFile, 'play-file', [], [
      HeaderBlock.of([['File', ALONE_SOUND], ['Async', 'false'], ['Error', 'File could not be played']]),
    ]);
  }

  private playTone(file: string, ms: number, then?: () => void): void {
    this.core.after(ms, () => {
      this.core.bus.fire({
        name: 'CUSTOM',
        subclass: 'conference::maintenance',
        origin: ORIGIN.confPlayFileDone,
        blocks: [
          this.confBlock(),
          HeaderBlock.of([['seconds', String(Math.floor(ms / 1000))], ['milliseconds', String(ms)], ['samples', String(ms * 8)]]),
          HeaderBlock.of([['Action', 'play-file-done'], ['File', file]]),
        ],
      });
      then?.();
    });
  }

  join(channel: Channel, leave: () => void): Member {
    const m: Member = { id: this.nextId++, channel, joinedMs: this.core.clock.now(), leaving: undefined, leave };
    this.members.unshift(m);
    channel.vars.setMany([
      ['conference_name', this.name],
      ['app_session_uuid', randomUUID()],
      ['conference_member_id', String(m.id)],
      ['conference_moderator', 'false'],
      ['conference_ghost', 'false'],
      ['conference_uuid', this.uuid],
    ]);
    // Cleared again when the member leaves (conference_member.c).
    channel.vars.setIfAbsent(
      'conference_call_key',
      `conference_${this.name}_${this.core.config.domain}_${channel.profile?.fields.callerIdNumber ?? ''}`,
    );
    if (this.members.length === 1) this.playFileFailed();
    this.memberEvent(ORIGIN.confAddMember, 'add-member', m);
    if (this.members.length >= 2) {
      if (this.floor === undefined) this.setFloor(m);
      this.playTone(ENTER_SOUND, ENTER_MS);
    }
    return m;
  }

  private setFloor(m: Member | undefined): void {
    const old = this.floor;
    this.floor = m;
    const oldId = old !== undefined ? String(old.id) : 'none';
    if (m === undefined) {
      this.fire(ORIGIN.confFloorChange, 'floor-change', [], [HeaderBlock.of([['Old-ID', oldId], ['New-ID', 'none']])]);
    } else {
      this.core.bus.fire({
        name: 'CUSTOM',
        subclass: 'conference::maintenance',
        origin: ORIGIN.confFloorChange,
        blocks: [
          this.confBlock(),
          HeaderBlock.of([['Action', 'floor-change'], ['Old-ID', oldId]]),
          ...this.memberBlocks(m),
          HeaderBlock.of([['New-ID', String(m.id)]]),
        ],
        uniqueId: m.channel.uuid,
      });
    }
  }

  /** A member's channel is leaving (hung up, kicked, hup): del-member and what follows. */
  remove(m: Member): void {
    const i = this.members.indexOf(m);
    if (i === -1) return;
    this.members.splice(i, 1);
    m.channel.vars.delete('conference_call_key');
    if (this.floor === m && m.leaving === undefined) this.setFloor(undefined);
    if (this.members.length === 1) this.playFileFailed();
    this.memberEvent(ORIGIN.confDelMember, 'del-member', m);
    if (this.members.length > 0 && m.leaving === undefined) this.playTone(EXIT_SOUND, EXIT_MS);
    if (this.members.length === 0) this.playTone(EXIT_SOUND, EXIT_MS, () => this.destroy());
  }

  /** `conference <name> hup all`: hup-member for everyone, then each leaves and hangs up (capture e). */
  hupAll(): string {
    const list = [...this.members];
    let reply = '';
    for (const m of list) {
      m.leaving = 'hup';
      this.memberEvent(ORIGIN.confHupMember, 'hup-member', m);
      reply += `+OK hup ${m.id}\n`;
    }
    if (this.floor !== undefined) this.setFloor(undefined);
    for (const m of list) m.leave();
    return reply;
  }

  /** `conference <name> kick <id>`: kick-member, then the member leaves and hangs up. */
  kick(id: number): string | undefined {
    const m = this.members.find((x) => x.id === id);
    if (m === undefined) return undefined;
    m.leaving = 'kick';
    this.memberEvent(ORIGIN.confKickMember, 'kick-member', m);
    if (this.floor === m) this.setFloor(undefined);
    m.leave();
    return `+OK kicked ${id}\n`;
  }

  private destroy(): void {
    if (this.destroyed || this.members.length > 0) return;
    this.destroyed = true;
    this.rooms.forget(this);
    this.fire(ORIGIN.confDestroy, 'conference-destroy');
  }

  /** `conference <name> list` (capture e). */
  list(): string {
    return this.members
      .map((m) => {
        const p = m.channel.profile?.fields;
        const flags = this.floor === m ? 'hear|speak|floor' : 'hear|speak';
        return `${m.id};${m.channel.name};${m.channel.uuid};${p?.callerIdName ?? ''};${p?.callerIdNumber ?? ''};${flags};0;0;100\n`;
      })
      .join('');
  }

  /** `conference <name> json_list`, in cJSON's tab-indented layout (capture e). */
  jsonList(): string {
    const now = this.core.clock.now();
    const memberJson = this.members.map((m) => {
      const p = m.channel.profile?.fields;
      const flags = [
        ['can_hear', true], ['can_see', true], ['can_speak', true], ['hold', false], ['mute_detect', false],
        ['talking', false], ['has_video', false], ['video_bridge', false], ['has_floor', this.floor === m],
        ['is_moderator', false], ['end_conference', false], ['mandatory_member_end_conference', false],
        ['pass_digits', false],
      ] as const;
      const t = '\t\t\t\t';
      return (
        `{\n${t}"type":\t"caller",\n${t}"id":\t${m.id},\n${t}"flags":\t{\n` +
        flags.map(([k, v]) => `${t}\t"${k}":\t${v}`).join(',\n') +
        `\n${t}},\n${t}"uuid":\t${JSON.stringify(m.channel.uuid)},\n` +
        `${t}"caller_id_name":\t${JSON.stringify(p?.callerIdName ?? '')},\n` +
        `${t}"caller_id_number":\t${JSON.stringify(p?.callerIdNumber ?? '')},\n` +
        `${t}"join_time":\t${Math.floor((now - m.joinedMs) / 1000)},\n${t}"last_talking":\t0,\n${t}"energy":\t100,\n` +
        `${t}"volume_in":\t0,\n${t}"volume_out":\t0,\n${t}"output-volume":\t0,\n${t}"input-volume":\t0\n\t\t\t}`
      );
    });
    const fields: Array<[string, string]> = [
      ['conference_name', JSON.stringify(this.name)],
      ['member_count', String(this.members.length)],
      ['ghost_count', '0'],
      ['rate', '8000'],
      ['run_time', String(Math.floor((now - this.createdMs) / 1000))],
      ['conference_uuid', JSON.stringify(this.uuid)],
      ['canvas_count', '0'],
      ['max_bw_in', '0'],
      ['force_bw_in', '0'],
      ['video_floor_packets', '0'],
      ['locked', 'false'],
      ['destruct', 'false'],
      ['wait_mod', 'false'],
      ['audio_always', 'false'],
      ['running', 'true'],
      ['answered', 'true'],
      ['enforce_min', 'true'],
      ['bridge_to', 'false'],
      ['dynamic', 'true'],
      ['exit_sound', 'true'],
      ['enter_sound', 'true'],
      ['recording', 'false'],
      ['video_bridge', 'false'],
      ['video_floor_only', 'false'],
      ['video_rfc4579', 'false'],
    ];
    return (
      '[{\n' +
      fields.map(([k, v]) => `\t\t"${k}":\t${v}`).join(',\n') +
      ',\n\t\t"variables":\t{\n\t\t},\n\t\t"members":\t[' +
      memberJson.join(', ') +
      ']\n\t}]'
    );
  }
}

export class Conferences {
  private readonly rooms = new Map<string, Conference>();

  constructor(private readonly core: SwitchCore) {}

  get(name: string): Conference | undefined {
    return this.rooms.get(name);
  }

  getOrCreate(name: string, profile: string): Conference {
    let room = this.rooms.get(name);
    if (room === undefined) {
      room = new Conference(this.core, this, name, profile);
      this.rooms.set(name, room);
    }
    return room;
  }

  forget(room: Conference): void {
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  list(): Conference[] {
    return [...this.rooms.values()];
  }
}
