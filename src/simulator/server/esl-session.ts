/**
 * One inbound ESL connection, behaving as mod_event_socket's listener does:
 * auth/request on connect; `auth` → `+OK accepted` or `-ERR invalid` and goodbye;
 * `api` runs the command and answers api/response — until it has, nothing else is
 * written on this connection and further commands wait (events are held and follow
 * the reply); `bgapi` answers `+OK Job-UUID` at once and the result comes as a
 * BACKGROUND_JOB event to every listener subscribed to it; `event`, `nixevent`,
 * `noevents`, `filter`, `sendmsg`, `sendevent`, `exit`; anything else
 * `-ERR command not found` (capture g).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ApiCommands, SimServices } from '../commands/api-command.js';
import { fireApiEvent } from '../events/api-event.js';
import { ORIGIN } from '../events/event-origins.js';
import type { EventListener } from '../events/event-bus.js';
import { HeaderBlock, eventHeader, type SwitchEvent } from '../events/switch-event.js';
import { CommandReader, commandHeader, type ClientCommand } from '../protocol/command-reader.js';
import {
  AUTH_REQUEST,
  GOODBYE_TEXT,
  apiResponse,
  commandReply,
  disconnectNotice,
} from '../protocol/frames.js';
import { Subscription } from '../protocol/subscription.js';
import { cachedEventFrame } from './frame-cache.js';

export interface SessionDeps {
  readonly password: string;
  readonly services: SimServices;
  readonly commands: ApiCommands;
  readonly log: Logger;
  /** Events a listener may have waiting (mod_event_socket's MAX_QUEUE_LEN, 100,000). */
  readonly eventQueueLength: number;
  onClose(session: EslSession): void;
}

/** Events lost in a row after which the listener is killed (mod_event_socket's MAX_MISSED). */
export const MAX_MISSED = 500;
/** Frames written at once when a listener's socket drains. */
const PUMP_FRAMES = 256;
/** Characters of one turn's frames beyond which they are written at once. */
const FLUSH_AT = 64 * 1024;

export class EslSession implements EventListener {
  private authed = false;
  private closed = false;
  private readonly reader = new CommandReader();
  private readonly subscription = new Subscription();
  private readonly filters: Array<[string, string]> = [];
  /** Commands received while an api command runs. */
  private readonly waiting: ClientCommand[] = [];
  private apiRunning = false;
  /** Events that arrived while an api command ran: they follow its reply. */
  private held: SwitchEvent[] = [];
  private out: string[] = [];
  private outLength = 0;
  private flushScheduled = false;
  /**
   * Events waiting for a socket that does not take more (its peer reads slower than the
   * switch fires): FreeSWITCH's per-listener event queue, written out as the socket drains.
   * It holds the events, not their frames: mod_event_socket's listener_run serializes an
   * event in the listener's format when it takes it from the queue, and an event shares
   * its channel's header blocks where its frame would be a string of its own (~6 KB).
   * `queuedFrom` is the first one not yet written.
   */
  private queued: SwitchEvent[] = [];
  private queuedFrom = 0;
  private lostEvents = 0;

  constructor(
    private readonly socket: Socket,
    private readonly deps: SessionDeps,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.pump());
    socket.on('close', () => this.teardown());
    socket.on('error', (err) => deps.log.debug({ err }, 'esl socket error'));
    this.write(AUTH_REQUEST);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  wants(name: string, subclass: string | undefined): boolean {
    return !this.closed && this.authed && this.subscription.wants(name, subclass);
  }

  deliver(event: SwitchEvent): void {
    if (this.filters.length > 0 && !this.passesFilters(event)) return;
    const behind = this.queuedCount > 0 || this.socket.writableNeedDrain;
    if (!this.apiRunning && !behind) {
      this.write(cachedEventFrame(event, this.subscription.format));
      return;
    }
    // mod_event_socket's event_handler: switch_queue_trypush into the listener's queue of
    // MAX_QUEUE_LEN; a full queue loses the event ("Event enqueue ERROR"), and more than
    // MAX_MISSED lost in a row kill the listener ("killed listener because of lost events").
    if (this.held.length + this.queuedCount >= this.deps.eventQueueLength) {
      if (++this.lostEvents > MAX_MISSED) this.kill();
      return;
    }
    if (this.lostEvents > 0) {
      this.deps.log.warn({ lost: this.lostEvents }, 'listener lost events: its event queue was full');
      this.lostEvents = 0;
    }
    if (this.apiRunning) this.held.push(event);
    else this.queued.push(event);
  }

  private get queuedCount(): number {
    return this.queued.length - this.queuedFrom;
  }

  /**
   * kill_listener: the disconnect notice is sent into a socket that takes nothing more, and
   * the socket is shut down and closed at once — what is still queued for it is gone.
   */
  private kill(): void {
    this.deps.log.warn({ lost: this.lostEvents, queued: this.queuedCount + this.held.length }, 'killing listener because of too many lost events');
    this.flush();
    this.socket.write(disconnectNotice('killed listener because of lost events\n'));
    this.queued = [];
    this.queuedFrom = 0;
    this.held = [];
    this.closed = true;
    this.socket.destroy();
    this.teardown();
  }

  /** The socket takes more: the queued events go out, a batch at a time, while it keeps taking them. */
  private pump(): void {
    const format = this.subscription.format;
    while (this.queuedCount > 0 && !this.closed && !this.socket.destroyed && !this.socket.writableNeedDrain) {
      const end = Math.min(this.queued.length, this.queuedFrom + PUMP_FRAMES);
      const frames: string[] = [];
      for (let i = this.queuedFrom; i < end; i++) frames.push(cachedEventFrame(this.queued[i]!, format));
      this.queuedFrom = end;
      this.dropWritten();
      this.socket.write(frames.join(''));
    }
  }

  /** Forgets the events written: all at once when the queue is empty, else the written half once it is most of the array. */
  private dropWritten(): void {
    if (this.queuedFrom === this.queued.length) {
      this.queued = [];
      this.queuedFrom = 0;
    } else if (this.queuedFrom >= 4096 && this.queuedFrom * 2 >= this.queued.length) {
      this.queued = this.queued.slice(this.queuedFrom);
      this.queuedFrom = 0;
    }
  }

  /** The network between the switch and this listener fails: the connection just dies, no notice. */
  cut(): void {
    this.socket.destroy();
  }

  /** The switch is going away: every listener gets the shutdown notice (capture h), then the socket closes. */
  shutdown(text: string): void {
    if (this.closed) return;
    this.write(disconnectNotice(text));
    this.close();
  }

  private passesFilters(event: SwitchEvent): boolean {
    return this.filters.some(([name, value]) => eventHeader(event, name) === value);
  }

  private onData(chunk: Buffer): void {
    let commands: ClientCommand[];
    try {
      commands = this.reader.push(chunk);
    } catch (err) {
      this.deps.log.warn({ err }, 'esl command too long, closing');
      this.close();
      return;
    }
    this.waiting.push(...commands);
    this.drain();
  }

  private drain(): void {
    while (!this.apiRunning && !this.closed) {
      const cmd = this.waiting.shift();
      if (cmd === undefined) return;
      this.handle(cmd);
    }
  }

  private reply(text: string, extra: ReadonlyArray<readonly [string, string]> = []): void {
    this.write(commandReply(text, extra));
  }

  private handle(cmd: ClientCommand): void {
    const line = cmd.line;
    const lower = line.toLowerCase();
    if (lower.startsWith('exit') || line.startsWith('...')) {
      this.reply('+OK bye');
      this.goodbye();
      return;
    }
    if (!this.authed) {
      if (lower.startsWith('auth ')) {
        if (line.slice(5) === this.deps.password) {
          this.authed = true;
          this.reply('+OK accepted');
        } else {
          this.reply('-ERR invalid');
          this.goodbye();
        }
        return;
      }
      this.reply('-ERR command not found');
      return;
    }
    if (lower.startsWith('filter ')) return this.filter(line.slice(7));
    if (lower.startsWith('divert_events')) return this.reply('-ERR not controlling a session.');
    if (lower.startsWith('sendmsg')) return this.sendmsg(cmd);
    if (lower.startsWith('sendevent')) return this.sendevent(cmd);
    if (lower.startsWith('api ')) return this.api(line.slice(4));
    if (lower.startsWith('bgapi ')) return this.bgapi(line.slice(6), commandHeader(cmd, 'Job-UUID'));
    if (lower.startsWith('linger') || lower.startsWith('nolinger')) return this.reply('-ERR not controlling a session');
    if (lower.startsWith('nolog')) return this.reply('-ERR not loging');
    if (lower.startsWith('log')) return this.reply(`+OK log level ${line.slice(4) || 'debug'} [7]`);
    if (lower.startsWith('nixevent')) return this.nixevent(line);
    if (lower.startsWith('noevents')) return this.noevents();
    if (lower.startsWith('event')) return this.event(line);
    this.reply('-ERR command not found');
  }

  private event(line: string): void {
    const space = line.indexOf(' ');
    const words = space === -1 ? [] : line.slice(space + 1).split(' ').filter((w) => w !== '');
    const result = this.subscription.subscribe(words);
    if (!result.ok) return this.reply(result.reply);
    this.reply(`+OK event listener enabled ${result.format}`);
  }

  private nixevent(line: string): void {
    const words = line.split(' ').slice(1).filter((w) => w !== '');
    if (!this.subscription.unsubscribe(words)) return this.reply('-ERR no keywords supplied');
    this.reply('+OK events nixed');
  }

  private noevents(): void {
    if (!this.subscription.active) return this.reply('-ERR not listening for events');
    this.subscription.clear();
    this.reply('+OK no longer listening for events');
  }

  private filter(text: string): void {
    const words = text.trim().split(' ');
    if (words[0] === 'delete' && words[1] !== undefined) {
      const [, name, value] = words;
      if (name === 'all') this.filters.length = 0;
      else {
        for (let i = this.filters.length - 1; i >= 0; i--) {
          const f = this.filters[i]!;
          if (f[0] === name && (value === undefined || f[1] === value)) this.filters.splice(i, 1);
        }
      }
      return this.reply(`+OK filter deleted. [${name}][${value ?? ''}]`);
    }
    const [first, ...rest] = words[0] === 'add' ? words.slice(1) : words;
    if (first === undefined || rest.length === 0) return this.reply('-ERR invalid syntax');
    const value = rest.join(' ');
    this.filters.push([first, value]);
    this.reply(`+OK filter added. [${first}]=[${value}]`);
  }

  private sendmsg(cmd: ClientCommand): void {
    const uuid = cmd.line.slice(7).trim() || commandHeader(cmd, 'session-id') || '';
    const s = this.deps.services;
    const ch = s.core.findChannel(uuid);
    if (ch === undefined || ch.isDown) return this.reply(`-ERR invalid session id [${uuid}]`);
    this.reply('+OK');
    const what = (commandHeader(cmd, 'call-command') ?? '').toLowerCase();
    if (what === 'hangup') {
      s.flows.hangup(ch, (commandHeader(cmd, 'hangup-cause') ?? 'NORMAL_CLEARING').toUpperCase());
    } else if (what === 'execute') {
      const app = commandHeader(cmd, 'execute-app-name') ?? '';
      const arg = commandHeader(cmd, 'execute-app-arg') ?? cmd.body ?? '';
      s.flows.runActions(ch, [{ app, data: arg }]);
    }
  }

  private sendevent(cmd: ClientCommand): void {
    const name = cmd.line.slice(9).trim().toUpperCase() || 'CUSTOM';
    const id = randomUUID();
    const pairs: Array<[string, string]> = cmd.headers.filter(([n]) => n.toLowerCase() !== 'content-length').map(([n, v]) => [n, v]);
    pairs.push(['Event-UUID', id]);
    const subclass = commandHeader(cmd, 'Event-Subclass');
    this.deps.services.core.bus.fire({
      name,
      ...(name === 'CUSTOM' && subclass !== undefined ? { subclass } : {}),
      origin: ORIGIN.api,
      blocks: [HeaderBlock.of(pairs)],
      ...(cmd.body !== undefined ? { body: cmd.body } : {}),
    });
    this.reply(`+OK ${id}`);
  }

  /** Runs an API command; `done` gets FreeSWITCH's output once the command has answered. */
  private runApi(text: string, done: (output: string) => void): void {
    const space = text.indexOf(' ');
    const name = space === -1 ? text : text.slice(0, space);
    const args = space === -1 ? '' : text.slice(space + 1);
    const handler = this.deps.commands.get(name);
    const s = this.deps.services;
    if (handler === undefined) {
      fireApiEvent(s.core, name, args);
      done(`-ERR ${name} Command not found!\n`);
      return;
    }
    let answered = false;
    try {
      handler(args, s, (output) => {
        if (answered) return;
        answered = true;
        fireApiEvent(s.core, name, args);
        done(output);
      });
    } catch (err) {
      this.deps.log.error({ err, command: name }, 'api command failed');
      if (!answered) {
        answered = true;
        done(`-ERR ${name} Command failed!\n`);
      }
    }
  }

  private api(text: string): void {
    this.apiRunning = true;
    let output: string | undefined;
    let returned = false;
    const finish = () => {
      if (output === undefined || !returned || this.closed) return;
      this.apiRunning = false;
      this.write(apiResponse(output === '' ? '-ERR no reply\n' : output));
      const held = this.held;
      this.held = [];
      if (this.queuedCount > 0 || this.socket.writableNeedDrain) for (const event of held) this.queued.push(event);
      else for (const event of held) this.write(cachedEventFrame(event, this.subscription.format));
      this.drain();
    };
    this.runApi(text, (o) => {
      output = o;
      finish();
    });
    returned = true;
    finish();
  }

  private bgapi(text: string, jobUuidHeader: string | undefined): void {
    const jobUuid = jobUuidHeader ?? randomUUID();
    this.reply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
    const space = text.indexOf(' ');
    const name = space === -1 ? text : text.slice(0, space);
    const args = space === -1 ? '' : text.slice(space + 1);
    const core = this.deps.services.core;
    this.runApi(text, (output) => {
      const pairs: Array<[string, string]> = [
        ['Job-UUID', jobUuid],
        ['Job-Command', name],
      ];
      if (args !== '') pairs.push(['Job-Command-Arg', args]);
      core.bus.fire({
        name: 'BACKGROUND_JOB',
        origin: ORIGIN.backgroundJob,
        blocks: [HeaderBlock.of(pairs)],
        body: output === '' ? 'Command returned no output!' : output,
      });
    });
  }

  private goodbye(): void {
    this.write(disconnectNotice(GOODBYE_TEXT));
    this.close();
  }

  /** Frames of one turn go out in one write; a turn that writes much goes out as it grows, so that a full socket shows (writableNeedDrain). */
  private write(frame: string): void {
    if (this.closed) return;
    this.out.push(frame);
    this.outLength += frame.length;
    if (this.outLength >= FLUSH_AT) {
      this.flush();
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0) return;
    const data = this.out.length === 1 ? this.out[0]! : this.out.join('');
    this.out = [];
    this.outLength = 0;
    if (!this.socket.destroyed) this.socket.write(data);
  }

  private close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.socket.end();
    this.teardown();
  }

  private teardown(): void {
    this.closed = true;
    this.deps.onClose(this);
  }
}
